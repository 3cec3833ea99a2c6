package io.jmpi.reliability.apps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.Request;
import io.jmpi.Requests;
import io.jmpi.Status;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The soak: every rank runs {@code senders} sending threads and {@code receivers} receiving threads
 * (MPI_THREAD_MULTIPLE) that exchange the randomized traffic of {@link SoakPlan}, round after round, and checks that
 * no message is lost, duplicated, corrupted or out of order (MPI's non-overtaking rule, per sending thread and
 * stream). Rank 0 prints the totals:
 * <pre>soak: messages=N bytes=B lost=0 duplicated=0 corrupted=0 reordered=0 ...</pre>
 * and the job exits non-zero if any count but messages and bytes is not 0.
 *
 * <p>Options: {@code --seconds S} (rounds until S seconds passed; default 10), {@code --rounds R} (at most R rounds),
 * {@code --senders T} (2), {@code --receivers R} (2), {@code --msgs K} (messages per sender thread per round, 48),
 * {@code --exchanges X} (sendrecv shifts per sender thread per round, 4), {@code --max-size BYTES} (8 MiB),
 * {@code --large-permille P} (chance per message of a size from 1 MiB to max-size; 20), {@code --seed N},
 * {@code --round-timeout S} (a round that takes longer prints every rank's pending operations and fails; 120).
 *
 * <p>Long run: {@code bin/soak} (see docs/RELIABILITY.md).
 */
public final class SoakApp {
    static final int MESSAGES = 0, BYTES = 1, LOST = 2, DUPLICATED = 3, CORRUPTED = 4, REORDERED = 5, EXCHANGES = 6, N = 7;
    static final String[] NAMES = {"messages", "bytes", "lost", "duplicated", "corrupted", "reordered", "exchanges"};
    private static final int MAX_REPORTS = 20;
    private static int reports;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        double seconds = Double.parseDouble(o.getOrDefault("seconds", "10"));
        int maxRounds = Integer.parseInt(o.getOrDefault("rounds", String.valueOf(Integer.MAX_VALUE)));
        int senders = Integer.parseInt(o.getOrDefault("senders", "2"));
        int receivers = Integer.parseInt(o.getOrDefault("receivers", "2"));
        int msgs = Integer.parseInt(o.getOrDefault("msgs", "48"));
        int exchanges = Integer.parseInt(o.getOrDefault("exchanges", "4"));
        int maxSize = Integer.parseInt(o.getOrDefault("max-size", String.valueOf(8 << 20)));
        int large = Integer.parseInt(o.getOrDefault("large-permille", "20"));
        long seed = Long.parseLong(o.getOrDefault("seed", "1"));
        int roundTimeout = Integer.parseInt(o.getOrDefault("round-timeout", "120"));
        boolean verbose = o.containsKey("verbose");

        long[] total = new long[N];
        int rounds = 0;
        long t0 = System.nanoTime();
        int rank, size;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            rank = world.rank();
            size = world.size();
            Comm[] recvComms = new Comm[receivers];
            Comm[] xComms = new Comm[senders];
            for (int j = 0; j < receivers; j++) recvComms[j] = world.dup();
            for (int t = 0; t < senders; t++) xComms[t] = world.dup();
            SoakPlan plan = new SoakPlan(seed, size, senders, receivers, msgs, exchanges, maxSize, large);
            Buffers buffers = new Buffers(plan);
            long lastReport = System.nanoTime();
            while (true) {
                long[] s = round(mpi, plan, buffers, rounds, recvComms, xComms, roundTimeout);
                for (int i = 0; i < N; i++) total[i] += s[i];
                rounds++;
                // an allreduce, not a bcast: no rank may start the next round before every rank finished this one,
                // or a message of the next round could reach a receiver thread of this one
                long[] go = {0};
                double elapsed = (System.nanoTime() - t0) / 1e9;
                if (rank == 0) {
                    go[0] = rounds < maxRounds && elapsed < seconds ? 1 : 0;
                    if (verbose || System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                        System.out.printf("soak: round %d done at %.1f s; rank 0 received %d messages so far%n", rounds, elapsed, total[MESSAGES]);
                        lastReport = System.nanoTime();
                    }
                }
                world.allreduce(go, Op.MAX);
                if (go[0] == 0) break;
            }
            long[] sum = new long[N];
            world.allreduce(total, sum, Op.SUM);
            if (rank == 0) {
                System.out.printf("soak: messages=%d bytes=%d lost=%d duplicated=%d corrupted=%d reordered=%d "
                                + "(exchanges=%d ranks=%d threads=%d+%d communicators=%d rounds=%d seconds=%.1f transport=%s)%n",
                        sum[MESSAGES], sum[BYTES], sum[LOST], sum[DUPLICATED], sum[CORRUPTED], sum[REORDERED], sum[EXCHANGES],
                        size, senders, receivers, receivers + senders + 1, rounds, (System.nanoTime() - t0) / 1e9,
                        mpi.config().get(io.jmpi.base.Config.TRANSPORT));
            }
            System.arraycopy(sum, 0, total, 0, N);
            for (Comm c : recvComms) c.free();
            for (Comm c : xComms) c.free();
        }
        if (total[LOST] + total[DUPLICATED] + total[CORRUPTED] + total[REORDERED] != 0) System.exit(1);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) continue;
            String k = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) o.put(k, args[++i]);
            else o.put(k, "");
        }
        return o;
    }

    static synchronized void report(int rank, String what) {
        if (reports++ < MAX_REPORTS) System.err.println("soak: rank " + rank + ": " + what);
    }

    /** Runs one round on fresh threads; returns this rank's counts. Any failure or a round over time ends the rank. */
    /** Every buffer a rank's threads reuse from round to round. */
    static final class Buffers {
        final ByteBuffer[] senderDirect;
        final byte[][] exchangeRecv;
        final byte[][][] recvPool;
        final ByteBuffer[] recvDirect;

        Buffers(SoakPlan plan) {
            senderDirect = new ByteBuffer[plan.senders];
            exchangeRecv = new byte[plan.senders][];
            for (int t = 0; t < plan.senders; t++) {
                senderDirect[t] = ByteBuffer.allocateDirect(plan.maxSize);
                exchangeRecv[t] = new byte[plan.maxSize];
            }
            recvPool = new byte[plan.receivers][4][];
            recvDirect = new ByteBuffer[plan.receivers];
            for (int j = 0; j < plan.receivers; j++) {
                for (int i = 0; i < 4; i++) recvPool[j][i] = new byte[plan.maxSize];
                recvDirect[j] = ByteBuffer.allocateDirect(plan.maxSize);
            }
        }
    }

    private static long[] round(Mpi mpi, SoakPlan plan, Buffers buffers, int round, Comm[] recvComms, Comm[] xComms, int timeout)
            throws InterruptedException {
        int me = mpi.rank();
        List<Thread> threads = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        Map<Integer, Map<Long, Stream>> expected = expected(plan, round, me);
        for (int t = 0; t < plan.senders; t++) {
            long[] c = new long[N];
            counts.add(c);
            int thread = t;
            threads.add(worker("soak-send-" + t, () -> new Sender(plan, round, me, thread, recvComms, xComms[thread], c, buffers.senderDirect[thread], buffers.exchangeRecv[thread]).run()));
        }
        for (int j = 0; j < plan.receivers; j++) {
            long[] c = new long[N];
            counts.add(c);
            Map<Long, Stream> streams = expected.getOrDefault(j, Map.of());
            int comm = j;
            threads.add(worker("soak-recv-" + j, () -> new Receiver(plan, round, me, comm, recvComms[comm], streams, c, buffers.recvPool[comm], buffers.recvDirect[comm]).run()));
        }
        for (Thread th : threads) th.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
        for (Thread th : threads) {
            th.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (th.isAlive()) {
                StringBuilder b = new StringBuilder("soak: rank " + me + ": round " + round + " did not finish within "
                        + timeout + " s; pending operations:");
                for (String l : mpi.pendingOperations()) b.append("\n  ").append(l);
                System.err.println(b);
                System.err.flush();
                Runtime.getRuntime().halt(4);
            }
        }
        long[] s = new long[N];
        for (long[] c : counts) for (int i = 0; i < N; i++) s[i] += c[i];
        return s;
    }

    private static Thread worker(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                System.err.println("soak: thread " + name + " failed:");
                e.printStackTrace();
                System.err.flush();
                Runtime.getRuntime().halt(5);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    // ------------------------------------------------------------------ expectations

    /** What one receiver thread expects from one (source, tag) stream, in order, and what it has seen. */
    static final class Stream {
        final int source, thread;
        final List<SoakPlan.Item> items = new ArrayList<>();
        boolean[] received;
        int cursor;

        Stream(int source, int thread) {
            this.source = source;
            this.thread = thread;
        }
    }

    static long key(int source, int tag) {
        return ((long) source << 32) | (tag & 0xFFFFFFFFL);
    }

    /** Replays every sender's schedule: the streams each receiver thread of rank {@code me} must see, by comm. */
    static Map<Integer, Map<Long, Stream>> expected(SoakPlan plan, int round, int me) {
        Map<Integer, Map<Long, Stream>> byComm = new HashMap<>();
        for (int s = 0; s < plan.ranks; s++) {
            for (int t = 0; t < plan.senders; t++) {
                for (SoakPlan.Item it : plan.schedule(round, s, t)) {
                    if (it.dest != me) continue;
                    int src = s, th = t;
                    Stream st = byComm.computeIfAbsent(it.comm, x -> new HashMap<>())
                            .computeIfAbsent(key(s, it.tag), x -> new Stream(src, th));
                    if (it.k != st.items.size()) throw new IllegalStateException("schedule replay out of order");
                    st.items.add(it);
                }
            }
        }
        for (Map<Long, Stream> m : byComm.values()) for (Stream st : m.values()) st.received = new boolean[st.items.size()];
        return byComm;
    }

    // ------------------------------------------------------------------ sending

    static final class Sender {
        final SoakPlan plan;
        final int round, me, thread;
        final Comm[] comms;
        final Comm xComm;
        final long[] c;
        final SplittableRandom rnd;
        final List<Request> window = new ArrayList<>();
        final ByteBuffer direct;
        final byte[] xRecv;
        int windowLimit;

        Sender(SoakPlan plan, int round, int me, int thread, Comm[] comms, Comm xComm, long[] c, ByteBuffer direct, byte[] xRecv) {
            this.plan = plan;
            this.round = round;
            this.me = me;
            this.thread = thread;
            this.comms = comms;
            this.xComm = xComm;
            this.c = c;
            this.rnd = new SplittableRandom(SoakPlan.mix(plan.seed, round, me, thread, 9));
            this.direct = direct;
            this.xRecv = xRecv;
            this.windowLimit = 1 + rnd.nextInt(4);
        }

        void run() {
            List<SoakPlan.Item> items = plan.schedule(round, me, thread);
            int[] points = plan.exchangePoints(round, thread);
            int x = 0;
            ByteBuffer dbuf = direct;
            byte[] xbuf = xRecv;
            for (int i = 0; i <= items.size(); i++) {
                while (x < points.length && points[x] == i) {
                    flush();
                    exchange(x++, xbuf);
                }
                if (i == items.size()) break;
                SoakPlan.Item it = items.get(i);
                byte[] b = new byte[it.size];
                SoakPlan.fill(b, me, thread, it.comm, round, it.k, it.tag, it.size, it.index);
                Comm comm = comms[it.comm];
                switch (it.mode) {
                    case SEND: comm.send(b, it.dest, it.tag); break;
                    case SSEND: comm.ssend(b, it.dest, it.tag); break;
                    case ISEND: add(comm.isend(b, it.dest, it.tag)); break;
                    case ISSEND: add(comm.issend(b, it.dest, it.tag)); break;
                    case ISEND_DIRECT: {
                        flush(); // the direct buffer is free again
                        dbuf.clear();
                        dbuf.put(b).flip();
                        add(comm.isend(dbuf, it.dest, it.tag));
                        flush();
                        break;
                    }
                    case ISEND_TEST: {
                        Request r = comm.isend(b, it.dest, it.tag);
                        while (r.test() == null) Thread.onSpinWait();
                        break;
                    }
                    default: throw new IllegalStateException();
                }
            }
            flush();
        }

        private void add(Request r) {
            window.add(r);
            if (window.size() >= windowLimit) {
                flush();
                windowLimit = 1 + rnd.nextInt(4);
            }
        }

        private void flush() {
            if (window.isEmpty()) return;
            Requests.awaitAll(window);
            window.clear();
        }

        /** Exchange {@code x}: sendrecv with the ranks {@code shift} away, on this thread's own communicator. */
        private void exchange(int x, byte[] rbuf) {
            int n = plan.ranks;
            int shift = plan.exchangeShift(round, thread, x);
            int dest = (me + shift) % n, src = (me - shift + n) % n;
            int sz = plan.exchangeSize(round, thread, x, me);
            byte[] b = new byte[sz];
            SoakPlan.fill(b, me, thread, 255, round, x, x, sz, -1 - x);
            Status st = xComm.sendrecv(b, dest, x, rbuf, src, x);
            int expect = plan.exchangeSize(round, thread, x, src);
            c[MESSAGES]++;
            c[EXCHANGES]++;
            c[BYTES] += st.bytes();
            if (st.source() != src || st.tag() != x || st.bytes() != expect) {
                c[CORRUPTED]++;
                report(me, "exchange " + x + " of round " + round + " thread " + thread + ": got " + st + ", expected source "
                        + src + " tag " + x + " bytes " + expect);
                return;
            }
            byte[] want = new byte[expect];
            SoakPlan.fill(want, src, thread, 255, round, x, x, expect, -1 - x);
            if (!java.util.Arrays.equals(rbuf, 0, expect, want, 0, expect)) {
                c[CORRUPTED]++;
                report(me, "exchange " + x + " of round " + round + " thread " + thread + " from rank " + src + ": contents differ");
            }
        }
    }

    // ------------------------------------------------------------------ receiving

    static final class Receiver {
        final SoakPlan plan;
        final int round, me, commIndex;
        final Comm comm;
        final Map<Long, Stream> streams;
        final long[] c;
        final SplittableRandom rnd;
        final byte[][] pool;
        final ByteBuffer direct;

        Receiver(SoakPlan plan, int round, int me, int commIndex, Comm comm, Map<Long, Stream> streams, long[] c,
                 byte[][] pool, ByteBuffer direct) {
            this.pool = pool;
            this.direct = direct;
            this.plan = plan;
            this.round = round;
            this.me = me;
            this.commIndex = commIndex;
            this.comm = comm;
            this.streams = streams;
            this.c = c;
            this.rnd = new SplittableRandom(SoakPlan.mix(plan.seed, round, me, commIndex, 11));
        }

        private byte[] buffer(int i) {
            return pool[i];
        }

        void run() {
            int remaining = 0;
            for (Stream s : streams.values()) remaining += s.items.size();
            while (remaining > 0) {
                int mode = rnd.nextInt(100);
                if (mode < 30) { // blocking ANY_SOURCE/ANY_TAG receive into a max-size buffer
                    byte[] b = buffer(0);
                    check(b, comm.recv(b, 0, b.length, Mpi.ANY_SOURCE, Mpi.ANY_TAG));
                    remaining--;
                } else if (mode < 50) { // probe, then receive exactly that message
                    Status p = comm.probe(Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                    receiveProbed(p);
                    remaining--;
                } else if (mode < 60) { // iprobe until something is there
                    Status p;
                    while ((p = comm.iprobe(Mpi.ANY_SOURCE, Mpi.ANY_TAG)) == null) Thread.yield();
                    receiveProbed(p);
                    remaining--;
                } else if (mode < 90) { // a window of irecvs with max-size buffers, matched in posting order
                    int w = Math.min(remaining, 1 + rnd.nextInt(4));
                    Request[] rq = new Request[w];
                    for (int i = 0; i < w; i++) rq[i] = comm.irecv(buffer(i), 0, plan.maxSize, Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                    Status[] st;
                    if (rnd.nextBoolean()) {
                        st = Requests.awaitAll(rq);
                    } else { // complete them in whatever order, by waitany
                        st = new Status[w];
                        Request[] left = rq.clone();
                        for (int done = 0; done < w; done++) {
                            int i = Requests.awaitAny(left);
                            st[i] = left[i].await();
                            left[i] = null;
                        }
                    }
                    for (int i = 0; i < w; i++) check(buffer(i), st[i]);
                    remaining -= w;
                } else { // a direct ByteBuffer
                    direct.clear();
                    Status st = comm.recv(direct, Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                    byte[] b = buffer(0);
                    direct.get(0, b, 0, (int) st.bytes());
                    check(b, st);
                    remaining--;
                }
            }
            for (Stream s : streams.values()) {
                for (int i = 0; i < s.received.length; i++) {
                    if (!s.received[i]) {
                        c[LOST]++;
                        SoakPlan.Item it = s.items.get(i);
                        report(me, "lost: round " + round + " comm " + commIndex + " from rank " + s.source + " thread "
                                + s.thread + " tag " + it.tag + " k " + it.k + " size " + it.size + " item " + it.index);
                    }
                }
            }
        }

        private void receiveProbed(Status p) {
            byte[] b = new byte[(int) p.bytes()];
            Status st = comm.recv(b, p.source(), p.tag());
            if (st.bytes() != p.bytes()) {
                c[CORRUPTED]++;
                report(me, "probe said " + p + " but the receive got " + st);
            }
            check(b, st);
        }

        private void check(byte[] b, Status st) {
            int size = (int) st.bytes();
            int src = st.source(), tag = st.tag();
            c[MESSAGES]++;
            c[BYTES] += size;
            Stream s = streams.get(key(src, tag));
            String where = "round " + round + " comm " + commIndex + " from rank " + src + " tag " + tag + " size " + size;
            if (s == null) {
                c[CORRUPTED]++;
                report(me, "unexpected message (no such stream): " + where);
                return;
            }
            if (size >= SoakPlan.HEADER) {
                ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                int k = h.getInt(12);
                boolean ok = SoakPlan.intact(b, 0, size) && h.getInt(0) == SoakPlan.MAGIC && h.getShort(4) == src
                        && h.get(6) == s.thread && h.get(7) == commIndex && h.getInt(8) == round && h.getInt(16) == tag
                        && h.getInt(20) == size && k >= 0 && k < s.items.size() && s.items.get(k).size == size;
                if (!ok) {
                    c[CORRUPTED]++;
                    report(me, "corrupted: " + where + " (crc " + (SoakPlan.intact(b, 0, size) ? "ok" : "bad") + ", header k=" + k + ")");
                    return;
                }
                deliver(s, k, where);
                return;
            }
            byte[] want = new byte[SoakPlan.HEADER];
            int dup = -1;
            for (int i = 0; i < s.items.size(); i++) {
                SoakPlan.Item it = s.items.get(i);
                if (it.size != size) continue;
                SoakPlan.fill(want, src, s.thread, commIndex, round, it.k, tag, size, it.index);
                if (!java.util.Arrays.equals(b, 0, size, want, 0, size)) continue;
                if (!s.received[i]) {
                    deliver(s, i, where);
                    return;
                }
                dup = i;
            }
            if (dup >= 0) {
                c[DUPLICATED]++;
                report(me, "duplicated: " + where + " k " + dup);
            } else {
                c[CORRUPTED]++;
                report(me, "corrupted (small message matches nothing expected): " + where);
            }
        }

        private void deliver(Stream s, int k, String where) {
            if (s.received[k]) {
                c[DUPLICATED]++;
                report(me, "duplicated: " + where + " k " + k);
                return;
            }
            s.received[k] = true;
            if (k != s.cursor) {
                c[REORDERED]++;
                report(me, "out of order: " + where + ": got k " + k + " while k " + s.cursor + " was due");
            }
            while (s.cursor < s.received.length && s.received[s.cursor]) s.cursor++;
        }
    }
}
