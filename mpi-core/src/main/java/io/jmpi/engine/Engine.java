package io.jmpi.engine;

import io.jmpi.base.Log;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;
import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static io.jmpi.wire.FrameDescriptor.*;

/**
 * The messaging engine of one rank: matching, the eager and rendezvous protocols, credits, and progress.
 *
 * <p>Protocol. A message of at most {@code eagerLimit} bytes is sent eagerly (one EAGER frame) when the sender still
 * holds enough credit for that receiver; the receiver buffers it if no receive is posted and returns the credit
 * (CREDIT frames, batched) once the message is consumed, so unexpected data per peer is bounded by
 * {@code peerCredit}. Otherwise, and for synchronous sends, the sender sends an RTS envelope; the receiver answers
 * CTS when a receive matches, and the sender streams DATA chunks straight into the receive buffer. So an
 * unmatched sender of 1 GiB costs the receiver one envelope.
 *
 * <p>Threading (MPI_THREAD_MULTIPLE). All engine state is guarded by one lock. A thread that waits drives progress
 * itself ({@code tryLock}, poll the transports) and idles with an {@link IdleStrategy} when there is nothing to
 * do; a background agent polls with a long period when no thread waits, for asynchronous progress.
 */
public final class Engine implements FrameHandler {
    public static final int ANY_SOURCE = -1;
    public static final int ANY_TAG = -1;
    public static final int PROC_NULL = -2;

    private static final class Control {
        final byte type;
        final long id;
        final long id2;

        Control(byte type, long id, long id2) {
            this.type = type;
            this.id = id;
            this.id2 = id2;
        }
    }

    private static final class Peer {
        final ArrayDeque<Control> control = new ArrayDeque<>();
        final ArrayDeque<SendOp> data = new ArrayDeque<>();
        long sendCredit;
        long creditOwed;
        /** Eager bytes (with headers) received from this peer and not yet given back by CREDIT: at most peerCredit. */
        long creditHeld;
        boolean byeQueued, byeSent, byeReceived, byeAcked, lost;
        String lostReason;
    }

    private final int rank;
    private final int size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Transport[] transports;
    private final Link[] links;
    private final Peer[] peers;
    private final MatchQueues match = new MatchQueues();
    private final HandleTable<SendOp> sends = new HandleTable<>();
    private final HandleTable<RecvOp> recvs = new HandleTable<>();
    private final FrameHeader out = new FrameHeader();
    private final int eagerLimit;
    private final int chunk;
    private final long creditBatch;
    private final IdleStrategy idle;
    private final int closeTimeoutSeconds;
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile long lastWait;
    private final boolean[] pendingFlag;
    private final int[] pending;
    private final int[] pendingScratch;
    private int pendingCount;
    private volatile MpiException aborted;
    private volatile boolean closed;
    /** A peer was lost without its goodbye: the job is failing, so close does not wait for goodbyes. */
    private volatile boolean peerFailed;
    /** Eager bytes a peer may have unreturned at this rank (the {@code peerCredit} setting; equal on every rank). */
    private final long peerCredit;
    /** Told of a peer lost without its goodbye (a failure, not a close), once per peer; see {@link #onPeerFailure}. */
    private volatile java.util.function.BiConsumer<Integer, String> failureListener;
    private final java.util.concurrent.ConcurrentHashMap<Integer, String> contextNames = new java.util.concurrent.ConcurrentHashMap<>();
    private Thread agent;
    /** The transport being polled by the lock holder, or null. */
    private Transport polling;

    public Engine(int rank, int size, Transport[] transports, Link[] links, Config config, int localRanks) {
        this.rank = rank;
        this.size = size;
        this.transports = transports;
        this.links = links;
        this.eagerLimit = config.get(Config.EAGER_LIMIT);
        this.chunk = config.get(Config.CHUNK_SIZE) & ~7;
        int credit = config.get(Config.PEER_CREDIT);
        this.peerCredit = credit;
        this.creditBatch = Math.max(1, credit / 4);
        this.idle = IdleStrategy.from(config, localRanks);
        this.closeTimeoutSeconds = config.get(Config.CONNECT_TIMEOUT);
        this.peers = new Peer[size];
        for (int i = 0; i < size; i++) {
            peers[i] = new Peer();
            peers[i].sendCredit = credit;
        }
        this.pendingFlag = new boolean[size];
        this.pending = new int[size];
        this.pendingScratch = new int[size];
    }

    public int rank() { return rank; }
    public int size() { return size; }

    /** Starts the background progress agent (asynchronous progress while no thread waits). */
    public void startAgent() {
        agent = new Thread(this::agentLoop, "jmpi-progress-" + rank);
        agent.setDaemon(true);
        agent.start();
    }

    /**
     * The agent polls only while the program is away from MPI (computing): while a thread waits, or has waited in
     * the last millisecond, the waiter makes progress and an agent waking on a busy core would only delay it.
     */
    private void agentLoop() {
        long park = 50_000;
        while (!closed) {
            int work = 0;
            if (waiters.get() == 0 && System.nanoTime() - lastWait > 1_000_000) work = progress();
            if (work > 0) {
                park = 50_000;
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(park * 2, 1_000_000);
            }
        }
    }

    // ------------------------------------------------------------------ user-facing operations

    /**
     * Starts a send. Returns null when it completed at once (eager, copied into the link), else the operation.
     */
    public Operation startSend(String call, Buf buf, int dest, int context, int tag, boolean sync) {
        return startSend(call, buf, dest, context, tag, sync, false);
    }

    /**
     * {@link #startSend} of a ready send ({@code MPI_Rsend}) when {@code ready}: its frame carries FLAG_READY, and a
     * receiver that finds no posted receive for it fails the receive that later takes it (see {@link RecvOp#finish}).
     */
    public Operation startSend(String call, Buf buf, int dest, int context, int tag, boolean sync, boolean ready) {
        lock.lock();
        try {
            checkUsable(call);
            if (dest == rank) return selfSend(buf, context, tag, sync, ready);
            Peer ps = peers[dest];
            if (ps.lost && !ps.byeReceived) throw lost(call, dest, ps);
            if (ps.byeReceived) {
                throw new MpiException(ErrorClass.PROC_FAILED, call + ": rank " + dest + " has closed (Mpi.close) and "
                        + "receives nothing more");
            }
            long total = buf.byteLength();
            long cost = total + HEADER_LENGTH;
            if (!sync && total <= eagerLimit && total <= links[dest].maxPayload() && cost <= ps.sendCredit) {
                ps.sendCredit -= cost;
                if (ps.data.isEmpty() && ps.control.isEmpty() && !pendingFlag[dest]) {
                    out.set(EAGER, buf.type().code, ready ? FLAG_READY : 0, context, rank, tag, (int) total, 0, 0);
                    if (links[dest].offer(out, buf, 0, (int) total)) return null;
                }
                SendOp op = new SendOp(this, buf, dest, context, tag, false, SendOp.EAGER);
                op.ready = ready;
                ps.data.add(op);
                pump(dest);
                return op;
            }
            SendOp op = new SendOp(this, buf, dest, context, tag, sync, SendOp.RTS);
            op.ready = ready;
            op.handle = sends.add(op);
            ps.data.add(op);
            pump(dest);
            return op;
        } finally {
            lock.unlock();
        }
    }

    private Operation selfSend(Buf buf, int context, int tag, boolean sync, boolean ready) {
        int total = (int) buf.byteLength();
        byte[] copy = new byte[total];
        buf.copyOut(0, ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), total);
        SendOp op = sync ? new SendOp(this, buf, rank, context, tag, true, SendOp.WAIT_CTS) : null;
        RecvOp r = match.takePosted(context, rank, tag);
        if (r != null) {
            deliverEager(r, rank, tag, buf.type(), ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), total);
            if (op != null) op.complete();
            return op == null || op.isDone() ? null : op;
        }
        Unexpected u = new Unexpected();
        u.context = context;
        u.source = rank;
        u.tag = tag;
        u.type = buf.type();
        u.bytes = total;
        u.data = copy;
        u.selfSync = op;
        u.ready = ready;
        match.addUnexpected(u);
        return op;
    }

    /** Starts a receive; {@code source} is a world rank or {@link #ANY_SOURCE}. */
    public Operation startRecv(String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        return post(new RecvOp(this, buf, source, context, tag, ranks, call));
    }

    /**
     * A blocking receive that allocates nothing in steady state: the calling thread's own receive operation is
     * reused (a blocking call leaves no reference to it behind), and the Status is built only when returned.
     */
    public MessageInfo recvBlocking(String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        RecvOp r = blockingRecv.get();
        r.reset();
        r.init(buf, source, context, tag, ranks, call);
        post(r);
        r.await();
        return r;
    }

    private final ThreadLocal<RecvOp> blockingRecv = ThreadLocal.withInitial(() -> new RecvOp(this, null, 0, 0, 0, RankMap.IDENTITY, ""));

    // ---- p2p-modes (issue 15): persistent receives and matched probe; the logic lives in MatchedMessage ----

    /**
     * Starts a receive reusing {@code previous}, the finished operation of the last start of the same persistent
     * request ({@code MPI_Start}), so that a restart allocates nothing; null (first start) makes a new one.
     */
    public Operation restartRecv(Operation previous, String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        if (!(previous instanceof RecvOp) || !previous.isDone()) return startRecv(call, buf, source, context, tag, ranks);
        RecvOp r = (RecvOp) previous;
        r.reset();
        r.init(buf, source, context, tag, ranks, call);
        return post(r);
    }

    /** {@code MPI_Improbe}: takes the first matching unexpected message out of matching, bound to a handle; or null. */
    public MatchedMessage improbe(String call, int source, int context, int tag, RankMap ranks) {
        progress();
        lock.lock();
        try {
            checkUsable(call);
            Unexpected u = match.findUnexpected(context, source, tag);
            if (u == null) {
                if (source != ANY_SOURCE && source != rank && (peers[source].lost || peers[source].byeReceived)) {
                    throw gone(call, source, ranks);
                }
                return null;
            }
            match.removeUnexpected(u);
            return new MatchedMessage(this, u, ranks);
        } finally {
            lock.unlock();
        }
    }

    /** {@code MPI_Mprobe}: {@link #improbe}, waiting (and driving progress) until a message matches. */
    public MatchedMessage mprobe(String call, int source, int context, int tag, RankMap ranks) {
        int step = 0;
        while (true) {
            MatchedMessage m = improbe(call, source, context, tag, ranks);
            if (m != null) return m;
            step = idle.idle(step);
        }
    }

    /** {@code MPI_Imrecv}: receives the message bound to {@code m} (once) into {@code buf}. */
    Operation startMatchedRecv(String call, Buf buf, MatchedMessage m) {
        Unexpected u = m.message;
        RecvOp r = new RecvOp(this, buf, u.source, u.context, u.tag, m.ranks, call);
        lock.lock();
        try {
            checkUsable(call);
            m.claim(call);
            if (u.data == null && u.source != rank && peers[u.source].lost) r.fail(gone(call, u.source, m.ranks));
            else consume(r, u);
            return r;
        } finally {
            lock.unlock();
        }
    }
    // ---- end p2p-modes ----

    private RecvOp post(RecvOp r) {
        String call = r.call;
        int source = r.source, context = r.context, tag = r.tag;
        lock.lock();
        try {
            checkUsable(call);
            Unexpected u = match.findUnexpected(context, source, tag);
            if (u != null) {
                match.removeUnexpected(u);
                consume(r, u);
            } else if (source != ANY_SOURCE && source != rank && (peers[source].lost || peers[source].byeReceived)) {
                r.fail(gone(call, source, r.ranks));
            } else {
                match.addPosted(r);
            }
            return r;
        } finally {
            lock.unlock();
        }
    }

    /** Non-blocking probe ({@code MPI_Iprobe}): the first matching unexpected message, or null. */
    public MessageInfo iprobe(String call, int source, int context, int tag, RankMap ranks) {
        progress();
        lock.lock();
        try {
            checkUsable(call);
            Unexpected u = match.findUnexpected(context, source, tag);
            if (u == null) {
                if (source != ANY_SOURCE && source != rank && (peers[source].lost || peers[source].byeReceived)) {
                    throw gone(call, source, ranks);
                }
                return null;
            }
            return new MessageInfo.Envelope(ranks.toLocal(u.source), u.tag, u.bytes, u.type.size, false);
        } finally {
            lock.unlock();
        }
    }

    /** Blocking probe ({@code MPI_Probe}). */
    public MessageInfo probe(String call, int source, int context, int tag, RankMap ranks) {
        int step = 0;
        while (true) {
            MessageInfo s = iprobe(call, source, context, tag, ranks);
            if (s != null) return s;
            step = idle.idle(step);
        }
    }

    boolean cancel(RecvOp r) {
        lock.lock();
        try {
            if (!r.posted) return false;
            match.removePosted(r);
            r.wasCancelled = true;
            r.complete();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for {@code op}, driving progress. */
    public void await(Operation op) {
        waiters.incrementAndGet();
        op.setWaiter(Thread.currentThread());
        try {
            int step = 0;
            while (!op.isDone()) {
                int work = progress();
                if (op.isDone()) break;
                if (work > 0) step = 0; else step = idle.idle(step);
            }
        } finally {
            op.setWaiter(null);
            lastWait = System.nanoTime();
            waiters.decrementAndGet();
        }
    }

    /** One round of progress if no other thread is making it; returns work done. */
    public int progress() {
        if (!lock.tryLock()) return 0;
        try {
            int work = 0;
            for (Transport t : transports) work += poll(t);
            if (pendingCount > 0) work += pumpPending();
            return work;
        } catch (MpiException e) {
            if (aborted == null) Log.warn(rank, "progress failed: " + e.getMessage());
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Polls one transport, remembering which one is polling (so a loss it reports does not poll it again). */
    private int poll(Transport t) {
        polling = t;
        try {
            return t.poll(this);
        } finally {
            polling = null;
        }
    }

    // ------------------------------------------------------------------ outbound

    private int pumpPending() {
        int n = pendingCount;
        System.arraycopy(pending, 0, pendingScratch, 0, n); // pump() may re-mark peers while we walk the list
        for (int i = 0; i < n; i++) pendingFlag[pendingScratch[i]] = false;
        pendingCount = 0;
        int done = 0;
        for (int i = 0; i < n; i++) {
            if (pump(pendingScratch[i])) done++;
        }
        return done;
    }

    private void markPending(int p) {
        if (!pendingFlag[p]) {
            pendingFlag[p] = true;
            pending[pendingCount++] = p;
        }
    }

    /** Emits queued frames to {@code p} while the link takes them; returns true when drained. */
    private boolean pump(int p) {
        Peer ps = peers[p];
        if (ps.lost) return true;
        Link l = links[p];
        while (!ps.control.isEmpty()) {
            Control c = ps.control.peek();
            out.set(c.type, (byte) 0, (short) 0, 0, rank, 0, 0, c.id, c.id2);
            if (!l.offer(out, null, 0, 0)) {
                markPending(p);
                return false;
            }
            ps.control.poll();
        }
        while (!ps.data.isEmpty()) {
            if (!emit(ps.data.peek(), l)) {
                markPending(p);
                return false;
            }
            ps.data.poll();
        }
        if (ps.byeQueued && !ps.byeSent) {
            out.set(BYE, (byte) 0, (short) 0, 0, rank, 0, 0, 0, 0);
            if (!l.offer(out, null, 0, 0)) {
                markPending(p);
                return false;
            }
            ps.byeSent = true;
        }
        if (l.hasBacklog()) markPending(p);
        return true;
    }

    private boolean emit(SendOp op, Link l) {
        switch (op.phase) {
            case SendOp.EAGER:
                out.set(EAGER, op.buf.type().code, op.ready ? FLAG_READY : 0, op.context, rank, op.tag, (int) op.total, 0, 0);
                if (!l.offer(out, op.buf, 0, (int) op.total)) return false;
                op.phase = SendOp.DONE;
                op.complete();
                return true;
            case SendOp.RTS:
                out.set(RTS, op.buf.type().code, (short) ((op.sync ? FLAG_SYNC : 0) | (op.ready ? FLAG_READY : 0)), op.context, rank, op.tag, 0, op.handle, op.total);
                if (!l.offer(out, null, 0, 0)) return false;
                op.phase = SendOp.WAIT_CTS;
                return true;
            case SendOp.DATA:
                int max = Math.min(chunk, l.maxPayload() & ~7);
                while (op.sent < op.total) {
                    int n = (int) Math.min(max, op.total - op.sent);
                    out.set(DATA, op.buf.type().code, (short) 0, op.context, rank, op.tag, n, op.recvHandle, op.sent);
                    if (!l.offer(out, op.buf, op.sent, n)) return false;
                    op.sent += n;
                }
                sends.remove(op.handle);
                op.phase = SendOp.DONE;
                op.complete();
                return true;
            default:
                return true;
        }
    }

    private void sendControl(int p, byte type, long id, long id2) {
        Peer ps = peers[p];
        if (ps.lost) return;
        // a peer that said goodbye needs nothing more (no credit, no CTS: its sends were done before its goodbye), and
        // may have closed its links already; only the acknowledgement of that goodbye still goes
        if (ps.byeReceived && !(type == BYE && id == BYE_ACK)) return;
        if (ps.control.isEmpty() && !pendingFlag[p]) {
            out.set(type, (byte) 0, (short) 0, 0, rank, 0, 0, id, id2);
            if (links[p].offer(out, null, 0, 0)) return;
        }
        ps.control.add(new Control(type, id, id2));
        markPending(p);
    }

    private void returnCredit(int p, int cost) {
        if (p == rank || cost == 0) return;
        Peer ps = peers[p];
        ps.creditOwed += cost;
        if (ps.creditOwed >= creditBatch) {
            ps.creditHeld -= ps.creditOwed;
            sendControl(p, CREDIT, ps.creditOwed, 0);
            ps.creditOwed = 0;
        }
    }

    // ------------------------------------------------------------------ inbound

    @Override
    public void onFrame(int peer, FrameHeader h, ByteBuffer payload) {
        if (h.source != peer) throw protocol(peer, "frame claims source rank " + h.source, h);
        switch (h.type) {
            case EAGER: {
                DataType t = checkType(peer, h);
                if (h.tag < 0) throw protocol(peer, "negative tag", h);
                if (h.length % t.size != 0) throw protocol(peer, "length not a multiple of the element size", h);
                int cost = h.length + HEADER_LENGTH;
                if (peer != rank) {
                    Peer ps = peers[peer];
                    if (ps.creditHeld + cost > peerCredit) {
                        throw protocol(peer, "peer exceeded its credit of " + peerCredit + " bytes (" + ps.creditHeld
                                + " bytes of its eager messages not yet given back)", h);
                    }
                    ps.creditHeld += cost;
                }
                RecvOp r = match.takePosted(h.context, peer, h.tag);
                if (r != null) {
                    deliverEager(r, peer, h.tag, t, payload, h.length);
                    returnCredit(peer, cost);
                } else {
                    Unexpected u = new Unexpected();
                    u.context = h.context;
                    u.source = peer;
                    u.tag = h.tag;
                    u.type = t;
                    u.bytes = h.length;
                    u.data = new byte[h.length];
                    payload.get(u.data);
                    u.creditCost = cost;
                    u.ready = (h.flags & FLAG_READY) != 0; // p2p-modes: a ready send found no posted receive
                    match.addUnexpected(u);
                }
                break;
            }
            case RTS: {
                DataType t = checkType(peer, h);
                if (h.tag < 0) throw protocol(peer, "negative tag", h);
                if (h.id2 < 0 || h.id2 % t.size != 0) throw protocol(peer, "bad message length", h);
                RecvOp r = match.takePosted(h.context, peer, h.tag);
                if (r != null) {
                    matchedRts(r, peer, h.tag, t, h.id2, h.id);
                } else {
                    Unexpected u = new Unexpected();
                    u.context = h.context;
                    u.source = peer;
                    u.tag = h.tag;
                    u.type = t;
                    u.bytes = h.id2;
                    u.senderHandle = h.id;
                    u.ready = (h.flags & FLAG_READY) != 0; // p2p-modes: a ready send found no posted receive
                    match.addUnexpected(u);
                }
                break;
            }
            case CTS: {
                SendOp op = sends.get(h.id);
                if (op == null || op.dest != peer || op.phase != SendOp.WAIT_CTS) throw protocol(peer, "CTS for no waiting send", h);
                if (h.id2 < 0 || op.total == 0) {
                    sends.remove(h.id);
                    op.phase = SendOp.DONE;
                    op.complete();
                } else {
                    op.recvHandle = h.id2;
                    op.phase = SendOp.DATA;
                    peers[peer].data.add(op);
                    pump(peer);
                }
                break;
            }
            case DATA: {
                RecvOp r = recvs.get(h.id);
                if (r == null || r.msgSource != peer) throw protocol(peer, "DATA for no receiving request", h);
                if (h.id2 != r.received || h.id2 + h.length > r.total) throw protocol(peer, "DATA out of sequence", h);
                if (h.id2 < r.capacity) {
                    int n = (int) Math.min(h.length, r.capacity - h.id2);
                    r.buf.copyIn(h.id2, payload, n);
                }
                r.received += h.length;
                if (r.received == r.total) {
                    recvs.remove(h.id);
                    r.finish();
                }
                break;
            }
            case CREDIT:
                if (h.id <= 0) throw protocol(peer, "bad credit", h);
                peers[peer].sendCredit += h.id;
                break;
            case BYE:
                if (h.id == BYE_ACK) {
                    peers[peer].byeAcked = true; // the peer's engine has read everything this rank sent it
                    break;
                }
                if (h.id != 0 || peers[peer].byeReceived) throw protocol(peer, "bad goodbye", h);
                peers[peer].byeReceived = true;
                failPostedFrom(peer, "rank " + peer + " has closed (Mpi.close) and will send nothing more");
                // everything the peer sent before its goodbye has been read: it may close without waiting for us
                sendControl(peer, BYE, BYE_ACK, 0);
                break;
            default:
                throw protocol(peer, "unknown frame type", h);
        }
    }

    private DataType checkType(int peer, FrameHeader h) {
        DataType t = DataType.of(h.dtype);
        if (t == null) throw protocol(peer, "unknown element type " + h.dtype, h);
        return t;
    }

    private MpiException protocol(int peer, String why, FrameHeader h) {
        return new MpiException(ErrorClass.PROTOCOL, "invalid frame from rank " + peer + ": " + why + ": " + h);
    }

    private void deliverEager(RecvOp r, int source, int tag, DataType t, ByteBuffer payload, int length) {
        if (r.accept(source, tag, t, length)) {
            int n = (int) Math.min(length, r.capacity);
            if (n > 0) r.buf.copyIn(0, payload, n);
        }
        r.received = length;
        r.finish();
    }

    private void consume(RecvOp r, Unexpected u) {
        r.readyTooEarly = u.ready; // p2p-modes: fails the receive once the data is in (RecvOp.finish)
        if (u.data != null) {
            deliverEager(r, u.source, u.tag, u.type, ByteBuffer.wrap(u.data).order(ByteOrder.LITTLE_ENDIAN), u.data.length);
            returnCredit(u.source, u.creditCost);
            if (u.selfSync != null) u.selfSync.complete();
        } else {
            matchedRts(r, u.source, u.tag, u.type, u.bytes, u.senderHandle);
        }
    }

    private void matchedRts(RecvOp r, int source, int tag, DataType t, long total, long senderHandle) {
        r.accept(source, tag, t, total);
        if (total == 0) {
            r.finish();
            sendControl(source, CTS, senderHandle, -1);
            return;
        }
        r.handle = recvs.add(r);
        sendControl(source, CTS, senderHandle, r.handle);
    }

    @Override
    public void onPeerLost(int peer, boolean graceful, String reason) {
        Peer ps = peers[peer];
        if (ps.lost) return;
        // draining may bring in the peer's goodbye (sent through shared memory before its watch connection ended)
        if (!graceful && !ps.byeReceived && !ps.byeAcked) drainOthers(peer);
        ps.lost = true;
        // clean: the peer said goodbye, or acknowledged ours (then we need nothing more from it, and it may close
        // without a goodbye of its own: it skips one to a rank that already said goodbye)
        boolean clean = graceful || ps.byeReceived || ps.byeAcked;
        ps.lostReason = clean ? "rank " + peer + " has closed" : reason;
        if (!clean && !closed && aborted == null) {
            peerFailed = true;
            Log.warn(rank, "lost rank " + peer + ": " + reason);
            java.util.function.BiConsumer<Integer, String> l = failureListener;
            if (l != null) {
                try {
                    l.accept(peer, reason);
                } catch (RuntimeException ignored) {
                    // best effort: the failure is also raised to the program
                }
            }
        }
        MpiException e = new MpiException(ErrorClass.PROC_FAILED, ps.lostReason);
        failPostedFrom(peer, ps.lostReason);
        if (!clean) failAnySourceOf(peer, ps.lostReason);
        for (RecvOp r : recvs.live()) {
            if (r.msgSource == peer) {
                recvs.remove(r.handle);
                r.fail(e);
            }
        }
        for (SendOp s : sends.live()) {
            if (s.dest == peer) {
                sends.remove(s.handle);
                if (!s.isDone()) s.fail(e);
            }
        }
        for (SendOp s : ps.data) if (!s.isDone()) s.fail(e);
        ps.data.clear();
        ps.control.clear();
    }

    /**
     * A connection that only watches a peer's liveness (its data travels through shared memory) ended: take in
     * what that peer wrote to the other transports before it closed, so its goodbye is seen before its end.
     */
    private void drainOthers(int peer) {
        Link l = links[peer];
        for (Transport t : transports) {
            // the transport whose poll reported the loss is not polled again from inside that poll
            if (t.link(peer) == l && t != polling) t.poll(this);
        }
    }

    /**
     * A peer failed: receives from ANY_SOURCE on communicators it belongs to fail too (as with ULFM), since the message
     * they wait for may have been its; errors being fatal by default, the alternative is a rank waiting forever.
     */
    private void failAnySourceOf(int peer, String why) {
        for (RecvOp r : match.allPosted()) {
            if (r.source != ANY_SOURCE || r.ranks.toLocal(peer) < 0) continue;
            match.removePosted(r);
            r.fail(new MpiException(ErrorClass.PROC_FAILED, r.call + ": rank " + r.ranks.toLocal(peer)
                    + ", a possible sender, is gone: " + why));
        }
    }

    private void failPostedFrom(int peer, String why) {
        for (RecvOp r : match.postedFrom(peer)) {
            match.removePosted(r);
            r.fail(new MpiException(ErrorClass.PROC_FAILED, r.call + ": cannot receive from rank " + r.ranks.toLocal(peer)
                    + ": " + why));
        }
    }

    // ------------------------------------------------------------------ life cycle

    private void checkUsable(String call) {
        MpiException a = aborted;
        if (a != null) throw new MpiException(a.errorClass(), call + ": " + a.getMessage(), a);
        if (closed) throw new MpiException(ErrorClass.STATE, call + ": Mpi is closed");
    }

    /**
     * Registers who to tell, at once, when a peer is lost without saying goodbye (its process died, its host went
     * away, the connection broke). The launcher uses it to name the rank that failed first rather than the ranks that
     * failed because of it. Called under the engine's lock: it must not block for long.
     */
    public void onPeerFailure(java.util.function.BiConsumer<Integer, String> listener) {
        this.failureListener = listener;
    }

    /** A receive or probe from a peer that has closed or is lost: nothing more will come from it. */
    /** The {@code id} of a BYE frame that acknowledges the peer's goodbye (0: a goodbye). */
    static final long BYE_ACK = 1;

    private MpiException gone(String call, int peer, RankMap ranks) {
        Peer ps = peers[peer];
        String why = ps.lost && ps.lostReason != null && !ps.byeReceived ? ps.lostReason
                : "rank " + peer + " has closed (Mpi.close) and will send nothing more";
        return new MpiException(ErrorClass.PROC_FAILED, call + ": cannot receive from rank " + ranks.toLocal(peer) + ": " + why);
    }

    private MpiException lost(String call, int peer, Peer ps) {
        return new MpiException(ErrorClass.PROC_FAILED, call + ": rank " + peer + " is gone: " + ps.lostReason);
    }

    /** Fails every pending operation and every later one with {@code cause} (job abort, failure of a thread rank). */
    public void abort(MpiException cause) {
        lock.lock();
        try {
            if (aborted != null) return;
            aborted = cause;
            for (RecvOp r : match.allPosted()) {
                match.removePosted(r);
                r.fail(cause);
            }
            for (RecvOp r : recvs.live()) {
                recvs.remove(r.handle);
                r.fail(cause);
            }
            for (SendOp s : sends.live()) {
                sends.remove(s.handle);
                if (!s.isDone()) s.fail(cause);
            }
            for (Peer ps : peers) {
                for (SendOp s : ps.data) if (!s.isDone()) s.fail(cause);
                ps.data.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code MPI_Finalize}: waits (bounded) until outstanding sends are done, says goodbye to every peer, waits for
     * every peer's goodbye, so that no frame in flight is lost when connections close; then closes the transports.
     */
    public void close() {
        if (closed) return;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(closeTimeoutSeconds);
        // after a failure (a peer lost without goodbye) errors are fatal: the launcher is ending the job, and waiting
        // here for goodbyes that may never come would only delay that
        if (aborted == null && !peerFailed) {
            waitUntil(() -> sends.live().isEmpty() && queuesEmpty(), deadline);
            lock.lock();
            try {
                for (int p = 0; p < size; p++) {
                    // a peer that has said goodbye may be gone already: it needs no goodbye (nor data) from us
                    if (p != rank && !peers[p].lost && !peers[p].byeReceived) {
                        peers[p].byeQueued = true;
                        pump(p);
                    }
                }
            } finally {
                lock.unlock();
            }
            boolean ok = waitUntil(this::goodbyesDone, deadline);
            if (!ok && aborted == null) Log.warn(rank, "close: peers did not say goodbye within " + closeTimeoutSeconds + " s: " + missingGoodbyes());
        }
        closed = true;
        lock.lock();
        try {
            for (Transport t : transports) t.close();
        } finally {
            lock.unlock();
        }
        if (agent != null) LockSupport.unpark(agent);
    }

    private boolean queuesEmpty() {
        for (int p = 0; p < size; p++) {
            if (p == rank || peers[p].lost) continue;
            if (!peers[p].data.isEmpty() || !peers[p].control.isEmpty() || pendingFlag[p]) return false;
        }
        return true;
    }

    /**
     * Done when every live peer has read all this rank sent: it acknowledged our goodbye (its engine answers at once,
     * even while its program computes), or said goodbye itself (then it needs nothing more from us).
     */
    private boolean goodbyesDone() {
        for (int p = 0; p < size; p++) {
            if (p == rank) continue;
            Peer ps = peers[p];
            if (ps.lost || ps.byeReceived) continue;
            if (!ps.byeSent || !ps.byeAcked || pendingFlag[p] || links[p].hasBacklog()) return false;
        }
        return true;
    }

    private String missingGoodbyes() {
        List<Integer> l = new ArrayList<>();
        for (int p = 0; p < size; p++) if (p != rank && !peers[p].lost && !peers[p].byeReceived && !peers[p].byeAcked) l.add(p);
        return "no acknowledgement of our goodbye from ranks " + l;
    }

    private boolean waitUntil(java.util.function.BooleanSupplier cond, long deadline) {
        int step = 0;
        waiters.incrementAndGet();
        try {
            while (true) {
                lock.lock();
                boolean ok;
                try {
                    for (Transport t : transports) poll(t);
                    if (pendingCount > 0) pumpPending();
                    ok = cond.getAsBoolean();
                } finally {
                    lock.unlock();
                }
                if (ok) return true;
                if (System.nanoTime() > deadline || aborted != null) return false;
                step = idle.idle(step);
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Names communicators in diagnoses: {@code context} is a communicator's point-to-point context. */
    public void nameContext(int context, String name) {
        contextNames.put(context & ~1, name);
    }

    private String commName(int context) {
        String n = contextNames.get(context & ~1);
        return n != null ? n : "context " + (context & ~1);
    }

    /** A tag as a user reads it: collective traffic (odd contexts) by its collective sequence number and round. */
    private static String tagText(int context, int tag) {
        if ((context & 1) == 1) return "collective #" + (tag >>> 18) + ", message round " + (tag & 1023);
        return tag == ANY_TAG ? "any tag" : "tag " + tag;
    }

    /** A receive as a user reads it (world ranks, communicator name, collective round); also {@link RecvOp#describe}. */
    String recvText(RecvOp r) {
        boolean coll = (r.context & 1) == 1;
        String where = r.call + " on " + commName(r.context);
        if (r.posted) {
            String src = r.source == ANY_SOURCE ? "any rank" : "rank " + r.source;
            return where + ": waits for a message from " + src + (coll ? " (" + tagText(r.context, r.tag) + ")"
                    : " with " + tagText(r.context, r.tag)) + ", up to " + r.buf.byteLength() + " bytes";
        }
        return where + ": receiving a message from rank " + r.msgSource + " with " + tagText(r.context, r.msgTag) + ", "
                + r.received + " of " + r.total + " bytes so far";
    }

    /** A send as a user reads it; also {@link SendOp#describe}. */
    String sendText(SendOp s) {
        String what = s.phase == SendOp.WAIT_CTS ? "waits for rank " + s.dest + " to post the matching receive"
                : s.phase == SendOp.DATA ? "streaming data to rank " + s.dest + ", " + s.sent + " of " + s.total + " bytes sent"
                : "queued for rank " + s.dest + " (waiting for link room or credit)";
        return (s.sync ? "ssend" : "send") + " on " + commName(s.context) + " with " + tagText(s.context, s.tag) + ", "
                + s.total + " bytes: " + what;
    }

    /** Files an operation's description under the thread blocked in it, or as pending when nobody waits for it. */
    private static void byWaiter(Operation op, String text, List<String> blocked, List<String> other) {
        Thread w = op.waiter();
        if (w != null) blocked.add("thread \"" + w.getName() + "\" blocked in " + text);
        else other.add("pending " + text);
    }

    /**
     * What this rank is blocked in and what is pending, for a person diagnosing a hang (jmpirun's diagnosis on
     * {@code --timeout}, {@code --diagnose-after} or SIGQUIT): first every thread blocked in an operation
     * ({@code blocked in ...}), then operations in flight that nobody waits for, then messages that arrived and match
     * no receive. Ranks are world ranks. Gives up on the lock after {@code lockMillis} (a thread stuck holding it is a
     * finding too).
     */
    public List<String> diagnose(long lockMillis) {
        List<String> blocked = new ArrayList<>();
        List<String> other = new ArrayList<>();
        try {
            if (!lock.tryLock(lockMillis, TimeUnit.MILLISECONDS)) {
                return List.of("the progress lock has been held for over " + lockMillis + " ms (a thread is stuck inside jmpi)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted");
        }
        try {
            java.util.Set<RecvOp> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            List<RecvOp> rs = new ArrayList<>(match.allPosted());
            rs.addAll(recvs.live());
            for (RecvOp r : rs) {
                if (seen.add(r)) byWaiter(r, recvText(r), blocked, other);
            }
            java.util.Set<SendOp> seenSends = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            List<SendOp> ss = new ArrayList<>(sends.live());
            for (Peer ps : peers) ss.addAll(ps.data);
            for (SendOp s : ss) {
                if (seenSends.add(s)) byWaiter(s, sendText(s), blocked, other);
            }
            int unexpected = 0;
            for (Unexpected u : match.allUnexpected()) {
                if (++unexpected > 20) continue;
                other.add("unmatched message from rank " + u.source + " on " + commName(u.context) + " with "
                        + tagText(u.context, u.tag) + ", " + u.bytes + " bytes" + (u.data == null ? " (rendezvous)" : ""));
            }
            if (unexpected > 20) other.add("... and " + (unexpected - 20) + " more unmatched messages");
            for (int p = 0; p < size; p++) {
                if (p != rank && peers[p].lost) other.add("rank " + p + " is gone: " + peers[p].lostReason);
            }
            if (aborted != null) other.add("aborted: " + aborted.getMessage());
        } finally {
            lock.unlock();
        }
        if (blocked.isEmpty() && waiters.get() == 0) blocked.add("not blocked in jmpi (computing, or waiting outside jmpi)");
        blocked.addAll(other);
        return blocked;
    }

    /** Pending operations, one line each, for hang diagnosis. */
    public List<String> describePending() {
        lock.lock();
        try {
            List<String> out = new ArrayList<>();
            for (RecvOp r : match.allPosted()) out.add(r.describe());
            for (RecvOp r : recvs.live()) out.add(r.describe());
            for (SendOp s : sends.live()) out.add(s.describe());
            for (Unexpected u : match.allUnexpected()) {
                out.add("unexpected message from rank " + u.source + " tag " + u.tag + " ctx " + u.context + " ("
                        + u.bytes + " bytes" + (u.data == null ? ", rendezvous" : "") + ") not yet received");
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }
}
