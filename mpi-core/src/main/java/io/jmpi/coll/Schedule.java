package io.jmpi.coll;

import io.jmpi.buffer.Buf;

import java.util.ArrayList;

/**
 * A collective compiled into rounds. A round is a list of steps executed in order: local actions (copy, reduce,
 * pack) run at once, sends and receives are posted without waiting; the round ends when all its messages are
 * done, and only then does the next round start. Blocking and non-blocking collectives run the same schedule
 * ({@link ScheduleRequest}); a blocking call is start + await.
 *
 * <p>Builders append steps to the open round and call {@link #round()} after the messages that later steps depend
 * on; an action appended to the open round runs before that round's messages are posted.
 *
 * <p>Tags. A message's tag is {@code (sequence mod 2^13) << 18 | signature << 10 | (tagRound mod 2^10)} in the
 * communicator's collective context, where the signature is an 8-bit hash of the collective (blocking and
 * non-blocking forms alike) and its root: messages of consecutive or concurrent collectives never match, and
 * neither do those of ranks that disagree on the collective or the root (they wait or fail on sizes instead of
 * exchanging data of differently shaped trees). Each algorithm numbers its messages so that between a pair of
 * ranks the same tag is used only by messages posted in the same order on both sides; matching being FIFO per
 * (context, source, tag), even the wrap-around of the round field (rings over more than 1023 ranks) cannot
 * confuse messages.
 */
public final class Schedule {
    static final int SEND = 0, RECV = 1, RECV_ANY = 2, ACTION = 3;
    // the tag layout (docs/COLLECTIVES.md states these numbers; CollectiveTagLayoutDocTest checks them)
    static final int ROUND_BITS = 10;
    static final int SIG_BITS = 8;
    /** What is left of a non-negative int tag for the sequence number. */
    static final int SEQ_BITS = 31 - ROUND_BITS - SIG_BITS;
    static final int ROUND_MASK = (1 << ROUND_BITS) - 1;
    private static final int SIG_MASK = (1 << SIG_BITS) - 1;
    private static final int SEQ_MASK = (1 << SEQ_BITS) - 1;
    /** Largest tag round an algorithm may use without wrapping. */
    public static final int MAX_TAG_ROUND = ROUND_MASK;

    /** One step of a round; a send's buffer may be filled in by an earlier action of the same round. */
    public static final class Step {
        final int kind;
        final int peer;
        final int tagRound;
        int tag;
        final Runnable action;
        Buf buf;
        io.jmpi.engine.Completion req;

        Step(int kind, int peer, int tagRound, int tag, Buf buf, Runnable action) {
            this.kind = kind;
            this.peer = peer;
            this.tagRound = tagRound;
            this.tag = tag;
            this.buf = buf;
            this.action = action;
        }

        /** Sets the buffer of a send whose data is produced by an action of the same or an earlier round. */
        public void buf(Buf b) {
            this.buf = b;
        }
    }

    final Channel ch;
    final String call;
    int seq;
    private final int signature;
    /** The request of the last start, which {@link #restart()} reuses. */
    private ScheduleRequest last;
    final ArrayList<Step> steps = new ArrayList<>();
    private int[] ends = new int[8];
    private int closed;
    private String algorithm = "";
    /** How many of the channel's ranks (the first ones) the algorithms appended next see; see {@link #span(int)}. */
    private int span;

    /** A schedule for {@code call} with {@code root} (-1 if none), taking the communicator's next sequence number. */
    public Schedule(Channel ch, String call, int root) {
        this.ch = ch;
        this.call = call;
        this.seq = ch.nextSeq();
        String kind = call.startsWith("i") ? call.substring(1) : call;
        this.signature = (kind.hashCode() * 31 + root + 1) * 0x9E3779B1 >>> (32 - SIG_BITS);
        this.span = ch.size;
    }

    public int rank() {
        return ch.rank;
    }

    /** Ranks the algorithm sees: the channel's size, or less after {@link #span(int)}. */
    public int size() {
        return span;
    }

    /**
     * Lets the steps appended from now on see only the channel's first {@code n} ranks as their communicator
     * ({@link #size()} is {@code n}; this rank must be one of them). An intercommunicator's channel holds its local
     * group first and then the remote group, so the algorithms of intracommunicators run its local phases unchanged
     * ({@link InterAlgorithms}); peers are still checked against the whole channel.
     */
    public Schedule span(int n) {
        if (n < 1 || n > ch.size || ch.rank >= n) {
            throw new IllegalStateException(call + ": algorithm error: span " + n + " of rank " + ch.rank + " in " + ch.size);
        }
        span = n;
        return this;
    }

    public Tuning tuning() {
        return ch.progress.tuning;
    }

    public String call() {
        return call;
    }

    /** Names the algorithm (the first name given wins, so composite algorithms keep the outer name). */
    public void algorithm(String name) {
        if (algorithm.isEmpty()) algorithm = name;
    }

    public String algorithm() {
        return algorithm;
    }

    /** Ends the open round (if it has steps): later steps wait until its messages are done. */
    public Schedule round() {
        int last = closed == 0 ? 0 : ends[closed - 1];
        if (steps.size() > last) {
            if (closed == ends.length) ends = java.util.Arrays.copyOf(ends, closed * 2);
            ends[closed++] = steps.size();
        }
        return this;
    }

    /** Sends {@code b} to {@code peer} (a rank of the communicator, never this rank). */
    public Step send(int peer, int tagRound, Buf b) {
        return add(new Step(SEND, checkPeer(peer), tagRound, tag(tagRound), b, null));
    }

    /** Receives exactly {@code b.byteLength()} bytes from {@code peer}; a shorter message is a collective error. */
    public Step recv(int peer, int tagRound, Buf b) {
        return add(new Step(RECV, checkPeer(peer), tagRound, tag(tagRound), b, null));
    }

    /** Receives a message of any size into a self-sizing buffer (serialized objects). */
    public Step recvAny(int peer, int tagRound, Buf b) {
        return add(new Step(RECV_ANY, checkPeer(peer), tagRound, tag(tagRound), b, null));
    }

    /** Runs {@code r} when the open round starts, before its messages are posted. */
    public void action(Runnable r) {
        add(new Step(ACTION, -1, 0, 0, null, r));
    }

    /** Starts the schedule; {@code async} registers it so that waits for other collectives advance it too. */
    public ScheduleRequest start(boolean async) {
        round();
        ScheduleRequest r = new ScheduleRequest(this, java.util.Arrays.copyOf(ends, closed));
        last = r;
        r.begin(async);
        return r;
    }

    /**
     * Runs the schedule again, blocking (the caller awaits the result before anything else touches it): it takes the
     * communicator's next sequence number, as a new schedule would, re-tags its messages, and reuses its steps, their
     * buffers and scratch blocks, and its request, so a re-run allocates nothing. Only for a schedule whose last run
     * completed successfully and whose actions read the caller's data only when they run (not when built).
     */
    public ScheduleRequest restart() {
        return restart(false);
    }

    /**
     * {@link #restart()} of a non-blocking or persistent collective when {@code async}: the run is registered with the
     * rank's collective progress, as {@link #start(boolean)} does, so waits for other collectives advance it.
     */
    public ScheduleRequest restart(boolean async) {
        ScheduleRequest r = last;
        if (r == null || !r.isDone() || r.failed()) throw new IllegalStateException(call + ": schedule not restartable");
        seq = ch.nextSeq();
        for (int i = 0, n = steps.size(); i < n; i++) {
            Step st = steps.get(i);
            if (st.kind != ACTION) st.tag = tag(st.tagRound);
        }
        r.reset();
        r.begin(async);
        return r;
    }

    int tag(int tagRound) {
        return tag(seq, signature, tagRound);
    }

    /** The tag of a message from its three fields, each reduced modulo its width. */
    static int tag(int seq, int signature, int tagRound) {
        return ((seq & SEQ_MASK) << (ROUND_BITS + SIG_BITS)) | ((signature & SIG_MASK) << ROUND_BITS) | (tagRound & ROUND_MASK);
    }

    private Step add(Step s) {
        steps.add(s);
        return s;
    }

    private int checkPeer(int peer) {
        if (peer < 0 || peer >= ch.size || peer == ch.rank) {
            throw new IllegalStateException(call + ": algorithm error: peer " + peer + " of rank " + ch.rank + " in " + ch.size);
        }
        return peer;
    }
}
