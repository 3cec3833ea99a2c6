package io.jmpi.engine;

import io.jmpi.base.ErrorClass;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.base.Config;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.trace.Recorder;
import io.jmpi.trace.TraceFormat;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

import static io.jmpi.wire.FrameDescriptor.HEADER_LENGTH;

/**
 * The messaging engine of one rank: the facade that owns the progress lock and wires the parts.
 *
 * <p>Protocol. A message of at most {@code eagerLimit} bytes is sent eagerly (one EAGER frame) when the sender still
 * holds enough credit for that receiver ({@link Credits}); the receiver buffers it if no receive is posted and
 * returns the credit once the message is consumed. Otherwise, and for synchronous sends, the sender sends an RTS
 * envelope; the receiver answers CTS when a receive matches, and the sender streams DATA chunks straight into the
 * receive buffer. So an unmatched sender of 1 GiB costs the receiver one envelope. Parts: matching
 * ({@link MatchQueues}), the sending half per peer ({@link Outbound}), the receiving half, one transactional frame at
 * a time ({@link FrameDispatch}), credits ({@link Credits}), close and failure ({@link Lifecycle}), progress and
 * waiting ({@link Progress}), diagnosis ({@link Diagnostics}, {@link Diagnosis}).
 *
 * <p>Threading (MPI_THREAD_MULTIPLE). All engine state is guarded by one lock, taken here or by {@link Progress};
 * the parts assume it is held.
 */
public final class Engine implements FrameHandler {
    public static final int ANY_SOURCE = -1;
    public static final int ANY_TAG = -1;
    public static final int PROC_NULL = -2;
    /**
     * The context of the trace's clock synchronisation at start-up (a ping-pong of each rank with rank 0, before the
     * program runs): no communicator has a negative context, and its messages are not traced.
     */
    public static final int CLOCK_CONTEXT = -4;

    /** The trace recorder of this rank, or null when tracing is off (then every hook is one branch on this field). */
    public final Recorder recorder;

    private final int rank;
    private final int size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Link[] links;
    private final Peer[] peers;
    private final MatchQueues match;
    private final HandleTable<Send> sends = new HandleTable<>();
    private final HandleTable<Receive> recvs = new HandleTable<>();
    private final int eagerLimit;
    private final Outbound outbound;
    private final Credits credits;
    private final Progress progress;
    private final Lifecycle lifecycle;
    private final FrameDispatch dispatch;
    private final Diagnostics diagnostics = new Diagnostics();
    private final ThreadLocal<Receive> blockingRecv =
            ThreadLocal.withInitial(() -> new Receive(this, null, 0, 0, 0, RankMap.IDENTITY, ""));

    private final int localRanks;

    public Engine(int rank, int size, Transport[] transports, Link[] links, Config config, int localRanks) {
        this.rank = rank;
        this.size = size;
        this.links = links;
        this.eagerLimit = config.get(Config.EAGER_LIMIT);
        long credit = config.get(Config.PEER_CREDIT);
        this.peers = new Peer[size];
        for (int i = 0; i < size; i++) peers[i] = new Peer(credit);
        int seed = config.get(Config.EXPLORE_SEED);
        this.match = seed < 0 ? new MatchQueues() : new MatchQueues(new java.util.SplittableRandom(seed * 1_000_003L + rank), size);
        this.outbound = new Outbound(rank, links, peers, sends, config.get(Config.CHUNK_SIZE) & ~7);
        this.credits = new Credits(rank, peers, credit, outbound);
        this.localRanks = localRanks;
        this.progress = new Progress(this, lock, transports, links, outbound, IdleStrategy.from(config, localRanks));
        this.lifecycle = new Lifecycle(rank, lock, transports, links, peers, match, sends, recvs, outbound, progress,
                config.get(Config.CONNECT_TIMEOUT));
        this.dispatch = new FrameDispatch(rank, peers, match, sends, recvs, credits, outbound, lifecycle);
        dispatch.engine(this);
        this.recorder = Recorder.create(config, rank, size);
    }

    public int rank() { return rank; }
    public int size() { return size; }

    /** Ranks of the job on this machine, sharing its cores (testHosts labels do not split a machine). */
    public int localRanks() { return localRanks; }

    /** Whether this machine runs more ranks than it has cores: a waiter then must not spin (it holds a peer's core). */
    public boolean oversubscribed() { return !IdleStrategy.fitsCores(localRanks); }

    /** The spin tries of this rank's idle strategy before it yields (0 when oversubscribed; tests, diagnosis). */
    public int spinTries() { return progress.spinTries(); }

    /** Starts the background progress agent (asynchronous progress while no thread waits). */
    public void startAgent() {
        progress.startAgent(rank);
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
     * receiver that finds no posted receive for it fails the receive that later takes it (see {@link Receive#finish}).
     */
    public Operation startSend(String call, Buf buf, int dest, int context, int tag, boolean sync, boolean ready) {
        lock.lock();
        try {
            lifecycle.checkUsable(call);
            if (dest == rank) return selfSend(call, buf, context, tag, sync, ready);
            lifecycle.checkSendable(call, dest);
            long total = buf.byteLength();
            long seq = peers[dest].sentSeq++; // the wire keeps a pair's order: the receiver counts the same numbers
            if (recorder != null && context != CLOCK_CONTEXT) recorder.message(TraceFormat.MSG_SEND, dest, tag, context, total, seq);
            long cost = total + HEADER_LENGTH;
            if (!sync && total <= eagerLimit && total <= links[dest].maxPayload() && credits.trySpend(dest, cost)) {
                if (outbound.idle(dest) && outbound.offerEager(dest, buf, context, tag, ready)) return null;
                Send op = pooledSend(buf, dest, context, tag, false, Send.EAGER);
                op.ready = ready;
                outbound.enqueue(dest, op);
                return op;
            }
            Send op = pooledSend(buf, dest, context, tag, sync, Send.RTS);
            op.ready = ready;
            op.handle = sends.add(op);
            outbound.enqueue(dest, op);
            return op;
        } finally {
            lock.unlock();
        }
    }

    private Operation selfSend(String call, Buf buf, int context, int tag, boolean sync, boolean ready) {
        long bytes = buf.byteLength();
        ContextHandler ch = dispatch.handler(context);
        if (ch != null && bytes <= BytesBuf.MAX_ARRAY) {
            // a message to self on a handled context: straight to the handler, through a scratch copy
            int n = (int) bytes;
            if (selfScratch.capacity() < n) selfScratch = ByteBuffer.allocate(Math.max(n, selfScratch.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer b = selfScratch;
            selfScratch = ByteBuffer.allocate(0); // a handler that sends to self again gets a buffer of its own
            try {
                b.clear();
                buf.copyOut(0, b, n);
                b.flip();
                ch.onMessage(rank, tag, b, n);
            } finally {
                if (selfScratch.capacity() < b.capacity()) selfScratch = b;
            }
            return null;
        }
        long seq = peers[rank].sentSeq++;
        if (recorder != null && context != CLOCK_CONTEXT) recorder.message(TraceFormat.MSG_SEND, rank, tag, context, bytes, seq);
        if (bytes > BytesBuf.MAX_ARRAY) {
            // larger than any byte[] copy: only straight into a receive that is already posted
            Receive r = match.takePosted(context, rank, tag);
            if (r == null) {
                throw new MpiException(ErrorClass.BUFFER, call + ": a send to self of " + bytes + " bytes (more than "
                        + BytesBuf.MAX_ARRAY + ", the largest byte[] to hold it) needs its receive posted first (irecv, then send)");
            }
            r.msgSeq = seq;
            dispatch.deliverDirect(r, rank, tag, buf);
            return null;
        }
        int total = (int) bytes;
        byte[] copy = new byte[total];
        buf.copyOut(0, ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), total);
        Send op = sync ? new Send(this, buf, rank, context, tag, true, Send.WAIT_CTS) : null;
        Receive r = match.takePosted(context, rank, tag);
        if (r != null) {
            r.msgSeq = seq;
            dispatch.deliverEager(r, rank, tag, buf.type(), ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), total);
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
        u.seq = seq;
        match.addUnexpected(u);
        return op;
    }

    /** Starts a receive; {@code source} is a world rank or {@link #ANY_SOURCE}. */
    public Operation startRecv(String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        return post(new Receive(this, buf, source, context, tag, ranks, call));
    }

    /**
     * {@link #startRecvPooled} into a primitive array run: the pooled operation's own buffer descriptor is re-targeted,
     * so a non-blocking receive into an array allocates nothing of the engine's in steady state.
     */
    public Operation startRecvArray(String call, DataType type, Object array, int offset, int count, int source,
                                    int context, int tag, RankMap ranks) {
        lock.lock();
        try {
            Receive r = pooledReceive();
            if (r.ownBuf == null) r.ownBuf = new ArrayBuf(type, array, offset, count);
            else r.ownBuf.set(type, array, offset, count);
            r.init(r.ownBuf, source, context, tag, ranks, call);
            return post(r);
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #startSend} of a primitive array run: the attempt to send at once goes through a descriptor of the
     * engine's; only a send that must wait gets one (its pooled operation's own), so a non-blocking send of an array
     * allocates nothing of the engine's in steady state.
     */
    public Operation startSendArray(String call, DataType type, Object array, int offset, int count, int dest,
                                    int context, int tag, boolean sync) {
        lock.lock();
        try {
            scratch.set(type, array, offset, count);
            Operation op = startSend(call, scratch, dest, context, tag, sync, false);
            if (op instanceof Send sd && sd.buf == scratch) {
                if (sd.ownBuf == null) sd.ownBuf = new ArrayBuf(type, array, offset, count);
                else sd.ownBuf.set(type, array, offset, count);
                sd.buf = sd.ownBuf;
            }
            return op;
        } finally {
            scratch.set(type, null, 0, 0);
            lock.unlock();
        }
    }

    /** The copy of a message to self on a handled context (under the lock). */
    private ByteBuffer selfScratch = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    /**
     * Hands every message on {@code context} to {@code handler} (under this engine's lock, on whichever thread makes
     * progress) instead of matching it; null removes the handler. Messages sent to self on that context go to the
     * handler at once. Used by one-sided communication: a window registers its communicator's context, so the target
     * applies operations while it computes (the background agent polls), without a receive posted.
     */
    public void setContextHandler(int context, ContextHandler handler) {
        lock.lock();
        try {
            dispatch.setHandler(context, handler);
        } finally {
            lock.unlock();
        }
        handlersActive = dispatch.hasHandlers();
        progress.handlersChanged(handlersActive);
    }

    /** Whether some context has a handler (a waiter outside the engine should then poll more often). */
    public boolean hasContextHandlers() {
        return handlersActive;
    }

    private volatile boolean handlersActive;

    /**
     * Starts the background progress agent if this rank runs none (thread ranks start without one): a context
     * handler needs some thread to poll while the program computes.
     */
    public void ensureAgent() {
        progress.ensureAgent(rank);
    }

    /** The descriptor of {@link #startSendArray}'s attempt, under the lock. */
    private final ArrayBuf scratch = new ArrayBuf(DataType.BYTE, null, 0, 0);

    private Receive pooledReceive() {
        if (recvPoolCount > 0) {
            Receive r = recvPool[--recvPoolCount];
            recvPool[recvPoolCount] = null;
            return r;
        }
        Receive r = new Receive(this, null, 0, 0, 0, RankMap.IDENTITY, "");
        r.pooled = true;
        return r;
    }

    /**
     * {@link #startRecv} with an operation from this engine's pool: whoever completes it gives it back with
     * {@link #release} (the API's request does, once awaited), so that irecv allocates no operation in steady state.
     */
    public Operation startRecvPooled(String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        lock.lock();
        try {
            Receive r = pooledReceive();
            r.init(buf, source, context, tag, ranks, call);
            return post(r);
        } finally {
            lock.unlock();
        }
    }

    // ---- the pools of isend/irecv operations (under the lock); bounded, the excess is left to the collector ----
    private static final int POOL = 64;
    private final Receive[] recvPool = new Receive[POOL];
    private int recvPoolCount;
    private final Send[] sendPool = new Send[POOL];
    private int sendPoolCount;

    private Send pooledSend(Buf buf, int dest, int context, int tag, boolean sync, int phase) {
        if (sendPoolCount > 0) {
            Send op = sendPool[--sendPoolCount];
            sendPool[sendPoolCount] = null;
            op.init(buf, dest, context, tag, sync, phase);
            return op;
        }
        Send op = new Send(this, buf, dest, context, tag, sync, phase);
        op.pooled = true;
        return op;
    }

    /**
     * Gives back an operation of {@link #startSend} or {@link #startRecvPooled} that completed successfully and that
     * its owner will not touch again; anything else (failed, cancelled, not done, not pooled) is ignored. Its
     * generation is bumped, so a request that captured the old one can tell.
     */
    public void release(Operation op) {
        if (!op.pooled || !op.isDone() || op.error() != null || op.wasCancelled) return;
        lock.lock();
        try {
            if (op instanceof Receive r) {
                if (r.posted || recvPoolCount == POOL) return;
                r.recycled();
                r.reset();
                r.buf = null;
                if (r.ownBuf != null) r.ownBuf.set(DataType.BYTE, null, 0, 0);
                r.ranks = RankMap.IDENTITY;
                recvPool[recvPoolCount++] = r;
            } else if (op instanceof Send sd) {
                if (sd.phase != Send.DONE || sendPoolCount == POOL) return;
                sd.recycled();
                sd.reset();
                sd.buf = null;
                if (sd.ownBuf != null) sd.ownBuf.set(DataType.BYTE, null, 0, 0);
                sendPool[sendPoolCount++] = sd;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A blocking receive that allocates nothing in steady state: the calling thread's own receive operation is
     * reused (a blocking call leaves no reference to it behind), and the Status is built only when returned.
     */
    public MessageInfo recvBlocking(String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        Receive r = blockingRecv.get();
        r.reset();
        r.init(buf, source, context, tag, ranks, call);
        post(r);
        r.await();
        return r;
    }

    // ---- persistent receives and matched probe (MPI_Start, MPI_Mprobe); the handle is MatchedMessage ----

    /**
     * Starts a receive reusing {@code previous}, the finished operation of the last start of the same persistent
     * request ({@code MPI_Start}), so that a restart allocates nothing; null (first start) makes a new one.
     */
    public Operation restartRecv(Operation previous, String call, Buf buf, int source, int context, int tag, RankMap ranks) {
        if (!(previous instanceof Receive) || !previous.isDone()) return startRecv(call, buf, source, context, tag, ranks);
        Receive r = (Receive) previous;
        r.reset();
        r.init(buf, source, context, tag, ranks, call);
        return post(r);
    }

    /** {@code MPI_Improbe}: takes the first matching unexpected message out of matching, bound to a handle; or null. */
    public MatchedMessage improbe(String call, int source, int context, int tag, RankMap ranks) {
        progress();
        lock.lock();
        try {
            Unexpected u = arrived(call, source, context, tag, ranks);
            if (u == null) return null;
            match.removeUnexpected(u);
            return new MatchedMessage(this, u, ranks);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: the first unexpected message matching (source, context, tag), or null when none has arrived;
     * a source that will send nothing more is an error, as is an unusable engine.
     */
    private Unexpected arrived(String call, int source, int context, int tag, RankMap ranks) {
        lifecycle.checkUsable(call);
        Unexpected u = match.findUnexpected(context, source, tag);
        if (u == null && lifecycle.silent(source)) throw lifecycle.gone(call, source, ranks);
        return u;
    }

    /** {@code MPI_Mprobe}: {@link #improbe}, waiting (and driving progress) until a message matches. */
    public MatchedMessage mprobe(String call, int source, int context, int tag, RankMap ranks) {
        int step = 0;
        while (true) {
            MatchedMessage m = improbe(call, source, context, tag, ranks);
            if (m != null) return m;
            step = progress.idle(step);
        }
    }

    /** {@code MPI_Imrecv}: receives the message bound to {@code m} (once) into {@code buf}. */
    Operation startMatchedRecv(String call, Buf buf, MatchedMessage m) {
        Unexpected u = m.message;
        Receive r = new Receive(this, buf, u.source, u.context, u.tag, m.ranks, call);
        lock.lock();
        try {
            lifecycle.checkUsable(call);
            m.claim(call);
            // a rendezvous message needs its sender: gone, it can never arrive
            if (u.data == null && lifecycle.silent(u.source)) r.fail(lifecycle.gone(call, u.source, m.ranks));
            else dispatch.consume(r, u);
            return r;
        } finally {
            lock.unlock();
        }
    }

    private Receive post(Receive r) {
        lock.lock();
        try {
            lifecycle.checkUsable(r.call);
            Unexpected u = match.findUnexpected(r.context, r.source, r.tag);
            if (u != null) {
                match.removeUnexpected(u);
                dispatch.consume(r, u);
                dispatch.recycle(u); // consumed: nothing refers to it any more
            } else if (lifecycle.silent(r.source)) {
                r.fail(lifecycle.gone(r.call, r.source, r.ranks));
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
            Unexpected u = arrived(call, source, context, tag, ranks);
            return u == null ? null : new MessageInfo.Envelope(ranks.toLocal(u.source), u.tag, u.bytes, u.type.size, false);
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
            step = progress.idle(step);
        }
    }

    boolean cancel(Receive r) {
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
        progress.await(op);
    }

    /**
     * Waits until {@code done} (a condition that progress makes true: an RMA answer, an epoch marker), driving
     * progress as {@link #await} does (this thread counts as a waiter, so the background agent keeps off the cores);
     * fails if world rank {@code peer} (this rank's engine if negative) is lost or the engine aborted.
     */
    public void awaitUntil(String call, java.util.function.BooleanSupplier done, int peer) {
        progress.awaitUntil(done, () -> checkPeer(call, peer < 0 ? rank : peer));
    }

    /**
     * One idle step after {@code step} fruitless tries, for a caller that waits for something other than one engine
     * operation (several requests, a collective schedule, buffered sends): the rank's {@link IdleStrategy}, whose
     * sleep phase blocks on the doorbell. Returns the next step; reset it to 0 after a try that made progress.
     */
    public int idle(int step) {
        return progress.idle(step);
    }

    /**
     * One idle step that never sleeps on the doorbell (spin, yield, bounded park): for waits on memory that peers write
     * without ringing, such as the flags of the shared-memory collectives, where the doorbell's sleep would only end
     * at its safety-net timeout.
     */
    public int idleWithoutDoorbell(int step) {
        return progress.idleWithoutDoorbell(step);
    }

    /**
     * The calling thread has been waiting a while outside the engine, in {@code call} on the communicator whose
     * context is {@code context}, for world rank {@code peer} ({@code what}: on what): the hang diagnosis shows it as
     * blocked, so a wait-for graph includes it. {@link #doneWaitingOutside()} when it ends.
     */
    public void waitingOutside(String call, int context, int peer, String what) {
        diagnostics.waitingOutside(call, context, peer, what);
    }

    /** The wait announced by {@link #waitingOutside} ended. */
    public void doneWaitingOutside() {
        diagnostics.doneWaitingOutside();
    }

    /** Wakes the thread waiting for an operation that just completed (see {@link Progress#wake}). */
    void wake(Thread waiter) {
        progress.wake(waiter);
    }

    /** Whether idle waiters of this rank block on a doorbell rather than parking with a bounded period. */
    public boolean hasDoorbell() {
        return progress.hasDoorbell();
    }

    /** How many times an idle waiter of this rank blocked on the doorbell (tests, diagnostics). */
    public long doorbellSleeps() {
        return progress.sleeps();
    }

    /** How many times a blocked waiter was woken by an arrival or a ring rather than by its timeout. */
    public long doorbellWakeups() {
        return progress.doorbellWakeups();
    }

    /** How many times a blocked waiter woke by the doorbell's safety-net timeout alone (tests: 0 when rings work). */
    public long doorbellTimeouts() {
        return progress.doorbellTimeouts();
    }

    /** One round of progress if no other thread is making it; returns work done. A failure on the way is routed to
     * the peer it concerns or aborts the engine (see {@link Progress}), never swallowed. */
    public int progress() {
        return progress.progress();
    }

    // ------------------------------------------------------------------ transport callbacks (lock held)

    /** One frame, validated whole before it changes anything (see {@link FrameDispatch}). */
    @Override
    public void onFrame(int peer, FrameHeader h, ByteBuffer payload) {
        dispatch.onFrame(peer, h, payload);
    }

    /** A DATA frame lent by a rank of this JVM: copied once, straight from the sender's buffer. */
    @Override
    public void onLentFrame(int peer, FrameHeader h, Buf payload, long offset) {
        dispatch.onLentFrame(peer, h, payload, offset);
    }

    @Override
    public void onLentReturned(int peer, long token) {
        outbound.returned(token);
    }

    @Override
    public void onPeerLost(int peer, boolean graceful, String reason) {
        lifecycle.onPeerLost(peer, graceful, reason);
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Registers who to tell, at once, when a peer is lost without saying goodbye (its process died, its host went
     * away, the connection broke). The launcher uses it to name the rank that failed first rather than the ranks that
     * failed because of it. Called under the engine's lock: it must not block for long.
     */
    public void onPeerFailure(BiConsumer<Integer, String> listener) {
        lifecycle.onPeerFailure(listener);
    }

    /** Fails every pending operation and every later one with {@code cause} (job abort, failure of a thread rank). */
    public void abort(MpiException cause) {
        lifecycle.abort(cause);
    }

    /**
     * Throws if this engine was aborted or closed, or world rank {@code peer} is lost or has closed: for waits that do
     * not go through the engine (shared-memory collectives poll flags in memory), so that a dead peer fails them as it
     * fails a receive. Takes the engine's lock: call it now and then, not on every spin.
     */
    public void checkPeer(String call, int peer) {
        lock.lock();
        try {
            lifecycle.checkUsable(call);
            if (peer != rank) lifecycle.checkSendable(call, peer);
        } finally {
            lock.unlock();
        }
    }

    /** The cause the engine was aborted with, or null. */
    MpiException abortCause() {
        return lifecycle.aborted();
    }

    /**
     * {@code MPI_Finalize}: waits (bounded) until outstanding sends are done, says goodbye to every peer, waits for
     * every peer's goodbye, so that no frame in flight is lost when connections close; then closes the transports.
     */
    public void close() {
        try {
            lifecycle.close();
        } finally {
            if (recorder != null) recorder.close();
        }
    }

    public boolean isClosed() {
        return lifecycle.isClosed();
    }

    // ------------------------------------------------------------------ diagnosis

    /** Names communicators in diagnoses: {@code context} is a communicator's point-to-point context. */
    public void nameContext(int context, String name) {
        diagnostics.nameContext(context, name);
    }

    /** Installs what tells diagnoses what a tag means (the collectives' layout); null restores plain tags. */
    public void describeTagsWith(TagDescriber describer) {
        diagnostics.describeTagsWith(describer);
    }

    /** One peer's protocol state, for tests of this package. */
    Peer peer(int p) {
        return peers[p];
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * What this rank is blocked in and what is pending, taken under the progress lock; gives up on the lock after
     * {@code lockMillis} (a thread stuck holding it is a finding too).
     */
    public Diagnosis diagnosis(long lockMillis) {
        try {
            if (!lock.tryLock(lockMillis, TimeUnit.MILLISECONDS)) {
                return Diagnosis.unavailable("the progress lock has been held for over " + lockMillis
                        + " ms (a thread is stuck inside jmpi)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Diagnosis.unavailable("interrupted");
        }
        try {
            MpiException a = lifecycle.aborted();
            return diagnostics.snapshot(match, recvs, sends, peers, rank, a == null ? null : a.getMessage(),
                    progress.waiters() > 0);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The hang diagnosis as lines (jmpirun's diagnosis on {@code --timeout}, {@code --diagnose-after} or {@code jmpirun --diagnose}):
     * see {@link Diagnosis#lines()}.
     */
    public List<String> diagnose(long lockMillis) {
        return diagnosis(lockMillis).lines();
    }

    /** Pending operations and unmatched messages, one line each: see {@link Diagnosis#pending()}. */
    public List<String> describePending() {
        return diagnosis(Long.MAX_VALUE).pending();
    }
}
