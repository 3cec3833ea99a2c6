package io.jmpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The in-JVM transport moves messages through pooled frames: a ping-pong of thread ranks allocates no frame per
 * message at any size, eager (8 B, 64 KiB) or rendezvous (4 MiB in 256 KiB DATA chunks). Measured on both ranks'
 * threads with persistent requests (whose restart allocates nothing of the engine's own), after a warm-up that fills
 * the pools. Before the pools, a 4 MiB round trip allocated over 8 MiB (a new array per frame).
 */
@Timeout(120)
class LocalTransportAllocationTest {
    /**
     * Per round trip on each rank's thread: below one frame of the smallest class (its 104-byte array, its view and the
     * frame object, about 200 B; the old transport allocated that per 8-byte message), so no message gets a frame of
     * its own; what remains is the engine's occasional bookkeeping (a queued control frame, a lock queue node under
     * contention), averaged over the rounds (measured 0-100 B under load).
     */
    private static final long BOUND = 160;

    @ParameterizedTest
    @ValueSource(ints = {8, 64 << 10, 4 << 20})
    void pingPongAllocatesNothingPerRoundTripInSteadyState(int bytes) {
        int rounds = bytes >= 1 << 20 ? 200 : 2000;
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            byte[] out = new byte[bytes], in = new byte[bytes];
            Prequest send = w.sendInit(out, peer, 7);
            Prequest recv = w.recvInit(in, peer, 7);
            long perRound = Long.MAX_VALUE;
            for (int phase = 0; phase < 3; phase++) { // warm-up, then the least of two measured phases (GC/JIT noise)
                w.barrier();
                if (me == 1) recv.start(); // rank 1's receive is posted before each ping
                long before = allocated();
                for (int i = 0; i < rounds; i++) {
                    out[0] = (byte) i;
                    out[bytes - 1] = (byte) (i + me);
                    if (me == 0) {
                        recv.start();
                        send.start();
                        send.awaitIgnoringStatus();
                        recv.awaitIgnoringStatus();
                    } else {
                        recv.awaitIgnoringStatus();
                        check(in, i, peer, me);
                        if (i + 1 < rounds) recv.start(); // from here on `in` belongs to the next receive
                        send.start();
                        send.awaitIgnoringStatus();
                    }
                    if (me == 0) check(in, i, peer, me);
                }
                long used = (allocated() - before) / rounds;
                if (phase > 0) perRound = Math.min(perRound, used);
            }
            assertTrue(perRound <= BOUND, "rank " + me + ": a " + bytes + "-byte ping-pong allocated " + perRound
                    + " bytes per round trip");
        });
    }

    private static void check(byte[] in, int i, int peer, int me) {
        if (in[0] != (byte) i || in[in.length - 1] != (byte) (i + peer)) {
            fail("rank " + me + " round " + i + ": got " + in[0] + "/" + in[in.length - 1]);
        }
    }

    /**
     * The same at every size from 1 B to 4 MiB for every buffer kind the benchmark uses, with blocking calls (as
     * {@code jmpirun --bench latency}) and persistent requests: eager sizes through pooled frames, rendezvous sizes
     * (above 64 KiB) through lent payloads (one copy, no frame of the payload's size at all).
     */
    @ParameterizedTest
    @CsvSource({"bytes,1,true", "bytes,65536,false", "bytes,262144,true", "bytes,4194304,true", "bytes,4194304,false",
            "doubles,8,true", "doubles,4194304,true", "doubles,4194304,false",
            "heap,1,true", "heap,262144,false", "heap,4194304,true", "direct,8,false", "direct,4194304,true", "direct,4194304,false"})
    void everyBufferKindAllocatesNothingPerRoundTrip(String kind, int bytes, boolean blocking) {
        int rounds = bytes >= 1 << 20 ? 200 : 2000;
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            Ends e = new Ends(w, kind, bytes, peer);
            long perRound = Long.MAX_VALUE;
            for (int phase = 0; phase < 3; phase++) {
                w.barrier();
                if (!blocking && me == 1) e.recv.start();
                long before = allocated();
                for (int i = 0; i < rounds; i++) {
                    e.mark(i + me);
                    if (blocking) {
                        if (me == 0) {
                            e.send();
                            e.recv();
                        } else {
                            e.recv();
                            e.send();
                        }
                    } else if (me == 0) {
                        e.recv.start();
                        e.send.start();
                        e.send.awaitIgnoringStatus();
                        e.recv.awaitIgnoringStatus();
                    } else {
                        e.recv.awaitIgnoringStatus();
                        if (!e.check(i + peer)) fail("rank 1 round " + i + ": wrong data (" + kind + ", " + bytes + " B)");
                        if (i + 1 < rounds) e.recv.start(); // from here on the buffer belongs to the next receive
                        e.send.start();
                        e.send.awaitIgnoringStatus();
                    }
                    if ((blocking || me == 0) && !e.check(i + peer)) fail("rank " + me + " round " + i + ": wrong data (" + kind + ", " + bytes + " B)");
                }
                long used = (allocated() - before) / rounds;
                if (phase > 0) perRound = Math.min(perRound, used);
            }
            assertTrue(perRound <= BOUND, "rank " + me + ": a " + bytes + "-byte " + kind + (blocking ? " blocking" : " persistent")
                    + " ping-pong allocated " + perRound + " bytes per round trip");
        });
    }

    /** One rank's send and receive buffers of one kind, with a mark at both ends of the message. */
    private static final class Ends {
        final Comm w;
        final int peer;
        final byte[] bo, bi;
        final double[] dout, din;
        final java.nio.ByteBuffer out, in;
        final Prequest send, recv;
        final Status status = new Status();

        Ends(Comm w, String kind, int bytes, int peer) {
            this.w = w;
            this.peer = peer;
            boolean d = kind.equals("doubles");
            bo = kind.equals("bytes") ? new byte[bytes] : null;
            bi = kind.equals("bytes") ? new byte[bytes] : null;
            dout = d ? new double[Math.max(1, bytes / 8)] : null;
            din = d ? new double[Math.max(1, bytes / 8)] : null;
            out = kind.equals("heap") ? java.nio.ByteBuffer.allocate(bytes) : kind.equals("direct") ? java.nio.ByteBuffer.allocateDirect(bytes) : null;
            in = out == null ? null : out.isDirect() ? java.nio.ByteBuffer.allocateDirect(bytes) : java.nio.ByteBuffer.allocate(bytes);
            send = bo != null ? w.sendInit(bo, peer, 7) : d ? w.sendInit(dout, peer, 7) : w.sendInit(out, peer, 7);
            recv = bi != null ? w.recvInit(bi, peer, 7) : d ? w.recvInit(din, peer, 7) : w.recvInit(in, peer, 7);
        }

        void send() {
            if (bo != null) w.send(bo, peer, 7);
            else if (dout != null) w.send(dout, peer, 7);
            else w.send(out.clear(), peer, 7);
        }

        void recv() {
            if (bi != null) w.recv(bi, peer, 7, status);
            else if (din != null) w.recv(din, peer, 7, status);
            else w.recv(in.clear(), peer, 7, status);
        }

        void mark(int v) {
            // the last element first: a one-element message carries only the first mark
            if (bo != null) { bo[bo.length - 1] = (byte) (v + 1); bo[0] = (byte) v; }
            else if (dout != null) { dout[dout.length - 1] = v + 1; dout[0] = v; }
            else { out.put(out.capacity() - 1, (byte) (v + 1)); out.put(0, (byte) v); }
        }

        boolean check(int v) {
            if (bi != null) return bi[0] == (byte) v && (bi.length == 1 || bi[bi.length - 1] == (byte) (v + 1));
            if (din != null) return din[0] == v && (din.length == 1 || din[din.length - 1] == v + 1);
            return in.get(0) == (byte) v && (in.capacity() == 1 || in.get(in.capacity() - 1) == (byte) (v + 1));
        }
    }

    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
