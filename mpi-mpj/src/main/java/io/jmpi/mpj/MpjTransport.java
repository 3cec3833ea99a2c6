package io.jmpi.mpj;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.buffer.Buf;
import io.jmpi.engine.Engine;
import io.jmpi.base.Log;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static io.jmpi.wire.FrameDescriptor.HEADER_LENGTH;

/**
 * jmpi's frames carried as MPJ Express messages: every frame (40-byte header and payload, see
 * {@link FrameDescriptor}) is one {@code byte[]} message with tag {@link #TAG} on a communicator of its own (a
 * duplicate of {@code MPI.COMM_WORLD}). The engine above does all of MPI's work (matching, wildcards, eager and
 * rendezvous, credits, collectives), so MPJ Express only moves opaque byte messages between pairs of ranks, in order.
 *
 * <p>Send (progress lock holder): {@code Isend}, keeping the request and its array until {@code Test} says it is
 * complete (niodev completes small sends at once); a peer with too much in flight gets back-pressure
 * ({@code offer} returns false).
 *
 * <p>Receive: a thread of the transport ({@code jmpi-mpj-recv-R}) keeps one {@code Irecv(ANY_SOURCE, TAG)} of the
 * largest frame posted and blocks in its {@code Wait}; MPJ Express completes it from its own input thread, so an
 * arrival wakes it as it would wake a blocked MPJ Express program (no spinning on {@code Iprobe}, which in niodev
 * takes the device lock its input thread needs, and no parked waiter left to find the frame up to a park period
 * later). It queues the frame and runs one round of the engine's progress, which hands the frame to the engine and
 * completes (and unparks) whoever waits for it; when another thread holds the progress lock, that thread takes the
 * frame from the queue itself. Frames reach the engine only under the progress lock, in MPJ Express's arrival
 * order, which keeps each sender's frames in order: all the engine's non-overtaking rule needs. At close the
 * transport sends itself a frame that ends the thread (jmpi never sends frames to itself otherwise).
 *
 * <p>Frames stay below MPJ Express's niodev protocol switch (128 KiB by default: larger messages would cost an
 * extra round trip for MPJ's own rendezvous), so {@link Link#maxPayload()} is {@link #DEFAULT_MAX_FRAME} minus the
 * header; the engine cuts its rendezvous data into chunks of that size.
 *
 * <p>Threads: in multicore mode MPJ Express identifies the calling rank by the thread's thread group, which the
 * transport's thread and the engine's inherit from the rank's thread that initialises jmpi.
 */
final class MpjTransport implements Transport {
    /** The tag of every frame on the transport's communicator. */
    static final int TAG = 0x6A6D; // "jm"
    /** Largest frame (header + payload): MPJ's niodev switches to its rendezvous above 131072 bytes of buffer. */
    static final int DEFAULT_MAX_FRAME = 128 * 1024 - 64;
    /** Frames handed to the engine per poll at most, so a flood cannot keep the lock holder from its own work. */
    private static final int MAX_FRAMES_PER_POLL = 64;
    /** Receive arrays: frames received and not yet handed to the engine, at most (then MPJ Express buffers). */
    private static final int RECEIVE_SLOTS = 8;
    /** Back-pressure: frames and bytes in flight (sent, not yet complete) to one peer at most. */
    private static final int MAX_IN_FLIGHT_FRAMES = 512;
    private static final long MAX_IN_FLIGHT_BYTES = 16L << 20;
    /** How long close waits for sends still in flight. */
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;

    private final Intracomm comm;
    private final int rank;
    private final int size;
    private final int maxFrame;
    private final ArrayBlockingQueue<byte[]> freeSlots = new ArrayBlockingQueue<>(RECEIVE_SLOTS);
    private final ConcurrentLinkedQueue<Arrival> arrived = new ConcurrentLinkedQueue<>();
    private final FrameHeader inHeader = new FrameHeader();
    private final MpjLink[] links;
    private final FramePool pool;
    private final boolean[] lost;
    private final boolean[] byeIn;
    private final boolean[] byeOut;
    private int inFlight;
    private boolean closed;
    private volatile boolean stopping;
    private volatile Throwable receiveError;
    private volatile FrameHandler engine;
    private Thread receiver;

    MpjTransport(Intracomm comm, int rank, int size, int maxFrame) {
        this.comm = comm;
        this.rank = rank;
        this.size = size;
        this.maxFrame = maxFrame;
        for (int i = 0; i < RECEIVE_SLOTS; i++) freeSlots.add(new byte[maxFrame]);
        this.links = new MpjLink[size];
        this.pool = new FramePool(maxFrame);
        this.lost = new boolean[size];
        this.byeIn = new boolean[size];
        this.byeOut = new boolean[size];
    }

    @Override
    public String name() {
        return "mpj";
    }

    @Override
    public int listen(TransportContext ctx) {
        return 0;
    }

    @Override
    public void connect(Endpoint[] table, int[] peers) {
        for (int p : peers) links[p] = new MpjLink(p);
        if (peers.length == 0) return; // a job of one rank receives nothing
        // started by the rank's own thread, so that in multicore mode it belongs to the rank's thread group
        receiver = new Thread(this::receiveLoop, "jmpi-mpj-recv-" + rank);
        receiver.setDaemon(true);
        receiver.start();
    }

    @Override
    public Link link(int peer) {
        return links[peer];
    }

    @Override
    public int poll(FrameHandler handler) {
        if (closed) return 0;
        engine = handler;
        Throwable err = receiveError;
        if (err != null) throw new MpiException(ErrorClass.IO, "mpj: receiving failed in MPJ Express: " + err, err);
        int work = inFlight > 0 ? reapAll() : 0;
        for (int i = 0; i < MAX_FRAMES_PER_POLL; i++) {
            Arrival a = arrived.poll();
            if (a == null) break;
            try {
                deliver(handler, a);
            } finally {
                freeSlots.offer(a.frame);
            }
            work++;
        }
        return work;
    }

    /** One frame to the engine (under the progress lock). */
    private void deliver(FrameHandler handler, Arrival a) {
        int src = a.source;
        int n = a.length;
        if (src < 0 || src >= size || src == rank || lost[src]) return;
        ByteBuffer in = ByteBuffer.wrap(a.frame, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        if (n < HEADER_LENGTH) {
            peerFailed(handler, src, "invalid frame from rank " + src + ": " + n + " bytes, less than a header");
            return;
        }
        inHeader.decode(in, 0);
        if (inHeader.length != n - HEADER_LENGTH) {
            peerFailed(handler, src, "invalid frame from rank " + src + ": header says " + inHeader.length
                    + " payload bytes, the message has " + (n - HEADER_LENGTH) + ": " + inHeader);
            return;
        }
        if (inHeader.type == FrameDescriptor.BYE) byeIn[src] = true;
        in.position(HEADER_LENGTH);
        try {
            handler.onFrame(src, inHeader, in);
        } catch (MpiException e) {
            if (e.errorClass() != ErrorClass.PROTOCOL) throw e;
            peerFailed(handler, src, e.getMessage());
        }
    }

    /** A frame received by the receiving thread, waiting for the engine. */
    private record Arrival(byte[] frame, int source, int length) {
    }

    /** The receiving thread: one posted receive at a time, in arrival order; see the class comment. */
    private void receiveLoop() {
        try {
            while (true) {
                byte[] slot = freeSlots.poll(50, TimeUnit.MILLISECONDS);
                if (slot == null) {
                    if (!stopping) continue;
                    slot = new byte[maxFrame]; // the stop frame must still be taken in
                }
                Status st = comm.Irecv(slot, 0, maxFrame, MPI.BYTE, MPI.ANY_SOURCE, TAG).Wait();
                int src = st.source;
                if (src == rank) return; // our own stop frame (see close)
                arrived.add(new Arrival(slot, src, st.Get_count(MPI.BYTE)));
                FrameHandler h = engine;
                if (h instanceof Engine e) e.progress(); // hand it over now, unless the lock holder is at it
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (!stopping) {
                receiveError = t;
                Log.warn(rank, "mpj: the receiving thread failed: " + t);
            }
        }
    }

    /**
     * A peer sent a bad frame: MPJ Express has no connection to close, so every later frame of that peer is
     * dropped, and the engine fails what involves it.
     */
    private void peerFailed(FrameHandler handler, int peer, String reason) {
        if (peer < 0 || peer >= size || peer == rank || lost[peer]) return;
        lost[peer] = true;
        Log.warn(rank, "mpj: dropping rank " + peer + ": " + reason);
        handler.onPeerLost(peer, false, reason);
    }

    private int reapAll() {
        int done = 0;
        for (MpjLink l : links) {
            if (l != null && !l.pending.isEmpty()) done += l.reap();
        }
        return done;
    }

    @Override
    public void wakeup() {
        // pollers spin, yield or park with a bounded period; the receiving thread wakes them when frames arrive
    }

    /** True when goodbyes went both ways with every peer and none was lost: every peer is closing too. */
    boolean cleanGoodbye() {
        for (int p = 0; p < size; p++) {
            if (p == rank) continue;
            if (lost[p] || !byeIn[p] || !byeOut[p]) return false;
        }
        return true;
    }

    /** Waits (bounded) for sends in flight, then forgets them; idempotent. MPJ Express itself stays initialised. */
    @Override
    public void close() {
        if (closed) return;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (inFlight > 0 && System.nanoTime() - deadline < 0) {
            if (reapAll() == 0) Thread.onSpinWait();
        }
        if (inFlight > 0) Log.warn(rank, "mpj: close: " + inFlight + " frames still in flight after 5 s");
        closed = true;
        stopReceiver(deadline);
    }

    /** Ends the receiving thread with a frame to ourselves, which its posted receive takes in last. */
    private void stopReceiver(long deadline) {
        Thread t = receiver;
        if (t == null) return;
        stopping = true;
        try {
            byte[] stop = new byte[HEADER_LENGTH];
            Request r = comm.Isend(stop, 0, stop.length, MPI.BYTE, rank, TAG);
            long wait = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
            t.join(Math.max(wait, 1000));
            if (r.Test() == null) r.Wait();
        } catch (MPIException e) {
            Log.warn(rank, "mpj: close: cannot stop the receiving thread: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) Log.warn(rank, "mpj: close: the receiving thread did not end");
        receiver = null;
    }

    private MpiException mpj(String what, MPIException e) {
        return new MpiException(ErrorClass.IO, "mpj: " + what + " failed in MPJ Express: " + e.getMessage(), e);
    }

    /** A frame handed to MPJ Express and not yet complete. */
    private static final class Pending {
        Request request;
        ByteBuffer frame;
        int bytes;
    }

    private final class MpjLink implements Link {
        private final int peer;
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private final ArrayDeque<Pending> spare = new ArrayDeque<>();
        private long pendingBytes;

        MpjLink(int peer) {
            this.peer = peer;
        }

        @Override
        public int peer() {
            return peer;
        }

        @Override
        public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
            if (closed || lost[peer]) return true; // nobody to deliver to; the engine knows the peer is gone
            int n = HEADER_LENGTH + length;
            if (n > maxFrame) {
                throw new MpiException(ErrorClass.STATE, "mpj: frame of " + n + " bytes to rank " + peer
                        + " exceeds the largest frame " + maxFrame);
            }
            if (!pending.isEmpty() && (pending.size() >= MAX_IN_FLIGHT_FRAMES || pendingBytes + n > MAX_IN_FLIGHT_BYTES)) {
                reap();
                if (pending.size() >= MAX_IN_FLIGHT_FRAMES || pendingBytes + n > MAX_IN_FLIGHT_BYTES) return false;
            }
            ByteBuffer f = pool.take(n);
            header.encode(f);
            if (length > 0) payload.copyOut(payloadOffset, f, length);
            Request r;
            try {
                r = comm.Isend(f.array(), 0, n, MPI.BYTE, peer, TAG);
                if (header.type == FrameDescriptor.BYE) byeOut[peer] = true;
                if (r.Test() != null) { // niodev sends small messages at once: nothing to keep
                    pool.give(f);
                    return true;
                }
            } catch (MPIException e) {
                pool.give(f);
                throw mpj("send to rank " + peer, e);
            }
            Pending p = spare.isEmpty() ? new Pending() : spare.poll();
            p.request = r;
            p.frame = f;
            p.bytes = n;
            pending.add(p);
            pendingBytes += n;
            inFlight++;
            return true;
        }

        /** Retires completed sends, in order; returns how many. */
        int reap() {
            int done = 0;
            try {
                while (!pending.isEmpty()) {
                    Pending p = pending.peek();
                    if (p.request.Test() == null) break;
                    pending.poll();
                    pendingBytes -= p.bytes;
                    inFlight--;
                    pool.give(p.frame);
                    p.request = null;
                    p.frame = null;
                    spare.add(p);
                    done++;
                }
            } catch (MPIException e) {
                throw mpj("completing a send to rank " + peer, e);
            }
            return done;
        }

        @Override
        public int maxPayload() {
            return maxFrame - HEADER_LENGTH;
        }

        @Override
        public boolean hasBacklog() {
            return !pending.isEmpty();
        }
    }

    /**
     * Frame arrays by size class (powers of two from 64 bytes), so steady traffic allocates nothing of ours; MPJ
     * Express still packs each message into its own buffer.
     */
    static final class FramePool {
        private static final int MIN_SHIFT = 6;
        private static final int KEEP = 64;
        private final ArrayDeque<ByteBuffer>[] free;
        private final int max;

        @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array
        FramePool(int max) {
            this.max = max;
            int classes = 32 - Integer.numberOfLeadingZeros(Math.max(max - 1, 1)) - MIN_SHIFT + 1;
            free = new ArrayDeque[Math.max(classes, 1)];
            for (int i = 0; i < free.length; i++) free[i] = new ArrayDeque<>();
        }

        private static int sizeClass(int n) {
            int bits = 32 - Integer.numberOfLeadingZeros(Math.max(n - 1, 1));
            return Math.max(bits - MIN_SHIFT, 0);
        }

        /** A little-endian buffer of at least {@code n} bytes, position 0. */
        ByteBuffer take(int n) {
            int c = sizeClass(n);
            ByteBuffer b = c < free.length ? free[c].poll() : null;
            if (b == null) {
                int cap = Math.max(n, c < free.length ? Math.min(1 << (c + MIN_SHIFT), max) : n);
                b = ByteBuffer.wrap(new byte[cap]).order(ByteOrder.LITTLE_ENDIAN);
            }
            b.clear();
            return b;
        }

        void give(ByteBuffer b) {
            int c = sizeClass(b.capacity());
            if (c >= free.length) return;
            // class c serves requests up to min(2^(c+6), max) bytes: a smaller array belongs one class down
            if (b.capacity() < Math.min(1 << (c + MIN_SHIFT), max)) c--;
            if (c >= 0 && free[c].size() < KEEP) free[c].add(b);
        }
    }
}
