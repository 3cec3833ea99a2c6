package io.jmpi.reliability;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.base.MpiException;
import io.jmpi.Request;
import io.jmpi.buffer.DataType;
import io.jmpi.wire.FrameDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.jmpi.wire.FrameDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frame fuzzing at the engine: in jobs of 2 real ranks and 4 rogue ranks ({@link RogueJob}) that passed the
 * handshake, the rogues send random and mutated frames (bad types, element types, lengths, tags, sources, negative
 * and huge sizes, forged and stale handles, DATA out of sequence, CTS for nothing, bad credits, frames after BYE,
 * lying length fields, truncated frames), learning the real ranks' handles from the CTS and RTS frames they get back,
 * while the real ranks post receives from them, send to them, and run a verified exchange with each other. A real
 * rank must never throw anything but {@link MpiException}, never hang (every operation involving a rogue completes,
 * successfully or with an MpiException, once its connection is gone), keep serving the other real rank correctly,
 * and close cleanly. {@code -Dfuzz.frameJobs=N} and {@code -Dfuzz.seed=S} scale and replay.
 */
@Timeout(180)
class FrameFuzzTest {
    private static final int JOBS = Integer.getInteger("fuzz.frameJobs", 40);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    static final int REAL = 2, ROGUES = 4;
    static final int MAX_PAYLOAD = 1 << 20; // max(eagerLimit, chunkSize) with default settings

    /** What all jobs did. */
    static final class Totals {
        final AtomicLong frames = new AtomicLong(), sessions = new AtomicLong(), closedByRank = new AtomicLong(),
                exchanges = new AtomicLong();
        final Map<String, Long> results = Collections.synchronizedMap(new TreeMap<>());
        final List<String> crashes = Collections.synchronizedList(new ArrayList<>());
        final List<String> hangs = Collections.synchronizedList(new ArrayList<>());
    }

    @Test
    void randomAndMutatedFramesFromAnAuthenticatedPeerNeverCrashNorHangARank() throws Exception {
        Totals t = new Totals();
        long t0 = System.nanoTime();
        for (int j = 0; j < JOBS; j++) runJob(new Random(SEED + j), t, true);
        System.out.println("FrameFuzzTest (seed " + SEED + "): jobs=" + JOBS + " frames=" + t.frames + " sessions=" + t.sessions
                + " closedByRank=" + t.closedByRank + " verifiedExchanges=" + t.exchanges + " crashes=" + t.crashes.size()
                + " hangs=" + t.hangs.size() + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms; rogue operations ended: " + t.results);
        for (String c : t.crashes) System.out.println("CRASH " + c);
        for (String h : t.hangs) System.out.println("HANG " + h);
        assertEquals(List.of(), t.crashes);
        assertEquals(List.of(), t.hangs);
        assertTrue(t.frames.get() >= 2000, "only " + t.frames + " frames");
        assertTrue(t.closedByRank.get() > 0);
    }

    /** One job: 2 real ranks, 4 rogues, each rogue fuzzing both real ranks. */
    static void runJob(Random seeds, Totals t, boolean avoidKnownBugs) throws Exception {
        RogueJob job = new RogueJob(REAL, ROGUES);
        AtomicBoolean fuzzing = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger stopAt = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
        CountDownLatch posted = new CountDownLatch(REAL);
        Mpi[] mpis = new Mpi[REAL];
        Thread[] reals = new Thread[REAL];
        for (int r = 0; r < REAL; r++) {
            int rank = r;
            reals[r] = new Thread(() -> {
                try {
                    realRank(job, rank, mpis, posted, fuzzing, stopAt, t);
                } catch (Throwable e) {
                    java.io.StringWriter w = new java.io.StringWriter();
                    e.printStackTrace(new java.io.PrintWriter(w));
                    t.crashes.add("real rank " + rank + ": " + w);
                    posted.countDown();
                }
            }, "real-rank-" + r);
            reals[r].setDaemon(true);
            reals[r].start();
        }
        Thread[] rogues = new Thread[ROGUES];
        for (int i = 0; i < ROGUES; i++) {
            int rank = REAL + i;
            long seed = seeds.nextLong();
            rogues[i] = new Thread(() -> {
                try {
                    RogueJob.Wire[] wires = job.joinRogue(rank);
                    posted.await(30, TimeUnit.SECONDS);
                    Random rnd = new Random(seed);
                    for (RogueJob.Wire w : wires) {
                        try (w) {
                            session(w, rnd, t, avoidKnownBugs);
                        }
                    }
                } catch (Throwable e) {
                    t.crashes.add("rogue " + rank + " (seed " + seed + "): " + e);
                }
            }, "rogue-" + rank);
            rogues[i].setDaemon(true);
            rogues[i].start();
        }
        for (Thread r : rogues) r.join(60_000);
        fuzzing.set(false);
        for (int r = 0; r < REAL; r++) {
            reals[r].join(60_000);
            if (reals[r].isAlive()) {
                t.hangs.add("real rank " + r + " did not finish; pending: " + (mpis[r] == null ? "?" : mpis[r].pendingOperations())
                        + "\n" + Arrays.toString(reals[r].getStackTrace()).replace(", ", "\n  "));
            }
        }
    }

    private static void realRank(RogueJob job, int rank, Mpi[] mpis, CountDownLatch posted, AtomicBoolean fuzzing,
                                 java.util.concurrent.atomic.AtomicInteger stopAt, Totals t) {
        try (Mpi mpi = job.initReal(rank, Map.of())) {
            mpis[rank] = mpi;
            Comm w = mpi.world();
            List<Request> rogueOps = new ArrayList<>();
            for (int f = REAL; f < job.size; f++) {
                rogueOps.add(w.irecv(new byte[64], f, Mpi.ANY_TAG));
                rogueOps.add(w.irecv(new int[1000], f, Mpi.ANY_TAG));
                rogueOps.add(w.irecv(ByteBuffer.allocate(300_000), f, Mpi.ANY_TAG));
                rogueOps.add(w.irecvObject(f, Mpi.ANY_TAG));
                rogueOps.add(w.irecv(new double[100_000], f, 3));
                rogueOps.add(w.irecv(new byte[1 << 20], f, Mpi.ANY_TAG));
                rogueOps.add(w.isend(new byte[1000], f, 9));
                rogueOps.add(w.isend(new long[40_000], f, 9)); // rendezvous: an RTS the rogue may answer
            }
            posted.countDown();
            int peer = 1 - rank;
            int[] sizes = {100, 100_000, 1_000_000};
            for (int i = 0; i < stopAt.get(); i++) {
                // both real ranks must do the same number of exchanges: the first to see the fuzzing over picks the
                // end, beyond the iteration either could be in (sendrecv keeps them within one of each other)
                if (!fuzzing.get()) stopAt.compareAndSet(Integer.MAX_VALUE, Math.max(i + 2, 10));
                int size = sizes[i % sizes.length];
                byte[] out = new byte[size], in = new byte[size], want = new byte[size];
                new SplittableRandom(rank * 1_000_003L + i).nextBytes(out);
                new SplittableRandom(peer * 1_000_003L + i).nextBytes(want);
                w.sendrecv(out, peer, 1, in, peer, 1);
                if (!Arrays.equals(in, want)) throw new AssertionError("real rank " + rank + ": exchange " + i + " corrupted");
                t.exchanges.incrementAndGet();
            }
            // every rogue's connection is gone by now: what involved a rogue must end, one way or another
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Request r : rogueOps) {
                while (!r.isDone() && r.test() == null && System.nanoTime() < deadline) Thread.onSpinWait();
                if (!r.isDone()) {
                    t.hangs.add("real rank " + rank + ": an operation with a rogue never ended: " + mpi.pendingOperations());
                    break;
                }
                String result;
                try {
                    r.await();
                    result = "ok";
                } catch (MpiException e) {
                    result = e.errorClass().toString();
                }
                t.results.merge(result, 1L, Long::sum);
            }
        }
    }

    // ------------------------------------------------------------------ the rogue side

    /** A rogue's session with one real rank: frames until the rank closes the connection or enough were sent. */
    static void session(RogueJob.Wire w, Random rnd, Totals t, boolean avoidKnownBugs) throws InterruptedException {
        t.sessions.incrementAndGet();
        int max = 20 + rnd.nextInt(150);
        long nextHandle = 1 + rnd.nextInt(1000);
        List<long[]> myRts = new ArrayList<>();        // {handle, total, dtype}
        List<long[]> streams = new ArrayList<>();      // {recvHandle, total, sent, dtype} learned from CTS
        int frames = 0;
        while (frames < max && !w.closedByPeer) {
            for (long[] cts : w.receivedOfType(CTS)) { // learn the receiver's handles for our RTSs
                for (long[] rts : myRts) {
                    if (rts[0] == cts[6] && cts[7] >= 0 && streams.stream().noneMatch(s -> s[0] == cts[7])) {
                        streams.add(new long[]{cts[7], rts[1], 0, rts[2]});
                    }
                }
            }
            byte[] frame = frame(w, rnd, myRts, streams, nextHandle, avoidKnownBugs);
            nextHandle++;
            if (!w.raw(frame)) break;
            frames++;
            t.frames.incrementAndGet();
            // pacing, not synchronisation: now and then the rank gets time to answer (CTS), so later frames can use
            // the handles it gives; the fuzz is valid under any interleaving
            if (rnd.nextInt(8) == 0) Thread.sleep(1);
        }
        if (avoidKnownBugs) {
            // End with a frame the rank must refuse, and let the rank close first: if we closed first, a write of the
            // rank to the closed socket could fail, and a failed write is never reported to the engine (see
            // BrokenConnectionTest), which would hang the operations with this rogue.
            // 0xFF bytes: they complete whatever frame a lying or random length field left open (at most the largest
            // payload), and then read as a header whose length is -1.
            if (!w.closedByPeer) {
                byte[] ff = new byte[MAX_PAYLOAD + 2 * HEADER_LENGTH];
                Arrays.fill(ff, (byte) -1);
                w.raw(ff);
                if (!w.awaitClosed(5000)) t.hangs.add("rank " + w.to + " did not close the connection of rank " + w.from
                        + " after a frame of length -1");
            }
        } else if (!w.closedByPeer && rnd.nextInt(4) == 0) { // end in the middle of a frame
            byte[] cut = new byte[1 + rnd.nextInt(HEADER_LENGTH + 10)];
            rnd.nextBytes(cut);
            w.raw(cut);
        }
        if (w.closedByPeer || w.awaitClosed(5)) t.closedByRank.incrementAndGet();
    }

    private static DataType someType(Random rnd) {
        return DataType.values()[rnd.nextInt(DataType.values().length)];
    }

    static byte[] header(int length, int type, int dtype, int flags, int context, int source, int tag, long id, long id2,
                         int payloadBytes, Random rnd) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + Math.max(0, payloadBytes)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(length).put((byte) type).put((byte) dtype).putShort((short) flags).putInt(context).putInt(source)
                .putInt(tag).putInt(rnd.nextInt(20) == 0 ? rnd.nextInt() : 0).putLong(id).putLong(id2);
        byte[] a = b.array();
        for (int i = HEADER_LENGTH; i < a.length; i++) a[i] = (byte) rnd.nextInt();
        return a;
    }

    private static int someTag(Random rnd) {
        int p = rnd.nextInt(10);
        return p < 6 ? rnd.nextInt(10) : p < 9 ? rnd.nextInt(Integer.MAX_VALUE) : Integer.MAX_VALUE;
    }

    private static int someContext(Random rnd) {
        int p = rnd.nextInt(10);
        return p < 7 ? 0 : p < 9 ? rnd.nextInt(8) : rnd.nextInt();
    }

    /** One frame: mostly valid or plausibly wrong, sometimes plainly hostile. */
    static byte[] frame(RogueJob.Wire w, Random rnd, List<long[]> myRts, List<long[]> streams, long handle,
                        boolean avoidKnownBugs) {
        int me = w.from;
        int p = rnd.nextInt(100);
        if (p < 32) { // EAGER, valid but for the receiver's expectations
            DataType dt = someType(rnd);
            int n = rnd.nextInt(10) == 0 ? rnd.nextInt(200_000 / dt.size) : rnd.nextInt(1000);
            int len = n * dt.size;
            return header(len, EAGER, dt.code, 0, someContext(rnd), me, someTag(rnd), 0, 0, len, rnd);
        }
        if (p < 44) { // RTS: a rendezvous envelope
            DataType dt = someType(rnd);
            long total;
            int q = rnd.nextInt(10);
            if (q < 5) total = (long) rnd.nextInt(400_000 / dt.size) * dt.size;
            else if (q < 7) total = 0;
            else if (q < 8) total = (1L << 32) + 8L * rnd.nextInt(1000); // wraps to a small int
            // beyond an int: an object receive would crash on them (ForgedSizeTest)
            else if (q < 9) total = avoidKnownBugs ? 1 << 20 : Long.MAX_VALUE & ~7L;
            else total = avoidKnownBugs ? (long) (1 + rnd.nextInt(64)) * dt.size : (1L << 31) + 8L * rnd.nextInt(1 << 20);
            myRts.add(new long[]{handle, total, dt.code});
            return header(0, RTS, dt.code, rnd.nextInt(3) == 0 ? FLAG_SYNC : 0, someContext(rnd), me, someTag(rnd), handle,
                    total, 0, rnd);
        }
        if (p < 62 && !streams.isEmpty()) { // DATA for a handle the rank gave us, mostly in sequence
            long[] s = streams.get(rnd.nextInt(streams.size()));
            long left = s[1] - s[2];
            int dsize = DataType.of((int) s[3]).size;
            int n = (int) Math.min(left, (1 + rnd.nextInt(300_000 / dsize)) * (long) dsize);
            n = Math.min(n, MAX_PAYLOAD);
            long handle2 = s[0], offset = s[2];
            int q = rnd.nextInt(10);
            if (q == 0) offset += 8 * (1 + rnd.nextInt(100));              // out of sequence
            else if (q == 1) n = (int) Math.min(MAX_PAYLOAD, left + 8);      // beyond the end
            else if (q == 2) handle2 ^= 1L << 32;                            // stale generation
            else if (q == 3) handle2 = rnd.nextLong();                       // forged
            else if (q == 4 && n > 1) n -= 1;                                // not a whole number of elements
            else s[2] += n;
            return header(n, DATA, (int) s[3], 0, 0, me, 0, handle2, offset, n, rnd);
        }
        if (p < 68) { // CTS: for an RTS the rank sent us, or for nothing
            List<long[]> rts = w.receivedOfType(RTS);
            long id = !rts.isEmpty() && rnd.nextBoolean() ? rts.get(rnd.nextInt(rts.size()))[6] : rnd.nextLong();
            long id2 = rnd.nextInt(4) == 0 ? -1 : rnd.nextInt(1000);
            return header(0, CTS, 0, 0, 0, me, 0, id, id2, 0, rnd);
        }
        if (p < 74) { // CREDIT
            long c = rnd.nextInt(5) == 0 ? -rnd.nextInt(1000) : rnd.nextInt(5) == 0 ? Long.MAX_VALUE : 1 + rnd.nextInt(1 << 20);
            return header(0, CREDIT, 0, 0, 0, me, 0, c, 0, 0, rnd);
        }
        if (p < 76) return header(0, BYE, 0, 0, 0, me, 0, 0, 0, 0, rnd);
        // plainly hostile
        int q = rnd.nextInt(9);
        switch (q) {
            case 0: return header(0, new int[]{0, 7, 8, 100, -1, 127}[rnd.nextInt(6)], 1, 0, 0, me, 0, 0, 0, 0, rnd);
            case 1: { // unknown element type
                int len = rnd.nextInt(64);
                return header(len, rnd.nextBoolean() ? EAGER : RTS, new int[]{0, 10, 15, 16, 127, -1}[rnd.nextInt(6)], 0, 0, me,
                        1, handle, 8, len, rnd);
            }
            case 2: return header(8, EAGER, DataType.BYTE.code, 0, 0, me, -1 - rnd.nextInt(1000), 0, 0, 8, rnd); // negative tag
            case 3: { // another rank's name
                int other = rnd.nextBoolean() ? (me + 1) % 6 : rnd.nextInt();
                return header(4, EAGER, DataType.BYTE.code, 0, 0, other, 1, 0, 0, 4, rnd);
            }
            case 4: return header(6, EAGER, DataType.INT.code, 0, 0, me, 1, 0, 0, 6, rnd); // length % element size
            case 5: { // length field out of range
                int len = rnd.nextBoolean() ? -1 - rnd.nextInt(1 << 30) : MAX_PAYLOAD + 1 + rnd.nextInt(1 << 30);
                return header(len, EAGER, DataType.BYTE.code, 0, 0, me, 1, 0, 0, rnd.nextInt(100), rnd);
            }
            case 6: { // RTS with a negative or odd size
                long total = rnd.nextBoolean() ? -1 - rnd.nextInt(1 << 30) : 8L * rnd.nextInt(1000) + 3;
                return header(0, RTS, DataType.LONG.code, 0, 0, me, 1, handle, total, 0, rnd);
            }
            case 7: { // a length field that lies about the bytes that follow
                int len = rnd.nextInt(5000);
                return header(len, EAGER, DataType.BYTE.code, 0, 0, me, 1, 0, 0, Math.max(0, len + rnd.nextInt(200) - 100), rnd);
            }
            default: { // random bytes
                byte[] b = new byte[HEADER_LENGTH + rnd.nextInt(100)];
                rnd.nextBytes(b);
                return b;
            }
        }
    }

    /**
     * Without the rogue's good manners (forged sizes, resets while the rank writes, ignored credit): this found the bugs
     * that ForgedSizeTest, BrokenConnectionTest and CreditBoundTest now guard against.
     */
    @Test
    void unrestrictedFuzzing() throws Exception {
        Totals t = new Totals();
        for (int j = 0; j < JOBS; j++) runJob(new Random(SEED + j), t, false);
        System.out.println("FrameFuzzTest unrestricted (seed " + SEED + "): frames=" + t.frames + " crashes=" + t.crashes.size()
                + " hangs=" + t.hangs.size());
        for (String c : t.crashes) System.out.println("CRASH " + c);
        for (String h : t.hangs) System.out.println("HANG " + h);
        assertEquals(List.of(), t.crashes);
        assertEquals(List.of(), t.hangs);
    }

    /**
     * Regression (fixed in session 2): an invalid frame closes its TCP connection, but the reason is logged only with -Djmpi.debug=true
     * ({@code Engine.onPeerLost} uses {@code Log.debug}; the shared-memory transport logs it with {@code Log.warn}), so
     * by default nothing tells the user why a peer was cut off. docs/PROTOCOL.md promises "a bad frame closes that
     * connection with a logged reason".
     */
    @Test
    void anInvalidFrameClosesTheConnectionWithALoggedReason() throws Exception {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            RogueJob job = new RogueJob(1, 1);
            Thread real = new Thread(() -> {
                try (Mpi mpi = job.initReal(0, Map.of("JMPI_CONNECT_TIMEOUT", "3"))) {
                    long t0 = System.nanoTime();
                    while (System.nanoTime() - t0 < 1_000_000_000L) mpi.world().iprobe(Mpi.ANY_SOURCE, 0);
                }
            });
            real.start();
            RogueJob.Wire w = job.joinRogue(1)[0];
            w.send((byte) 100, (byte) 0, (short) 0, 0, 1, 0, 0, 0, 0, null);
            assertTrue(w.awaitClosed(5000), "the rank did not close the connection");
            real.join(20_000);
        } finally {
            System.setErr(saved);
        }
        String log = captured.toString();
        System.out.println("FrameFuzzTest: log after an invalid frame: [" + log.trim() + "]");
        assertTrue(log.contains("rank 1") && log.contains("unknown frame type"), log);
    }
}
