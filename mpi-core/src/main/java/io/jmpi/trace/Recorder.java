package io.jmpi.trace;

import io.jmpi.base.Config;
import io.jmpi.base.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One rank's recorder of MPI operations (issue 19): what {@code jmpirun --trace} and {@code --profile} read. The
 * engine and the API hold it in a final field that is null when tracing is off, so a call site costs one predictable
 * branch and nothing else; when on, an operation is one fixed-size record ({@link TraceFormat}) put into the calling
 * thread's preallocated direct buffer (no allocation per event), which is written to the rank's event file when full
 * and at {@link #close()}. Names (calls, datatypes, ops, call sites) are interned into small ids once each; the id
 * table, the clock offset and the threads' names go into the rank's meta file at close.
 *
 * <p>Thread-safe: each thread has a buffer of its own, registered once; a flush of a full buffer is serialised on the
 * event file's channel.
 */
public final class Recorder {
    /** The recorder's thread buffers hold this many events before they are written out. */
    static final int EVENTS_PER_BUFFER = 4096;

    private final int rank;
    private final int size;
    private final Path dir;
    private final boolean callSites;
    /** The event file, or null when only JFR events are committed. */
    private final FileChannel events;
    /** Whether operations are also committed as {@link MpiOperationEvent}s. */
    private final boolean jfr;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<ThreadBuffer> buffers = new ArrayList<>();
    private final ThreadLocal<ThreadBuffer> local = ThreadLocal.withInitial(this::register);
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private volatile long clockOffset;
    private volatile long clockRtt = -1;
    private volatile boolean closed;
    private long dropped;

    private Recorder(int rank, int size, Path dir, boolean callSites, boolean jfr) throws IOException {
        this.rank = rank;
        this.size = size;
        this.dir = dir;
        this.callSites = callSites;
        this.jfr = jfr;
        if (dir != null) {
            Files.createDirectories(dir);
            this.events = FileChannel.open(TraceFormat.eventFile(dir, rank), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            this.events = null;
        }
        id("");
    }

    /**
     * The recorder the settings ask for: {@code traceDir} names the folder of the job's per-rank files, and
     * {@code traceCallSites} records where in the program each operation was called; null (tracing off) when
     * {@code traceDir} is empty or cannot be written (then a warning says why).
     */
    public static Recorder create(Config config, int rank, int size) {
        String d = config.get(Config.TRACE_DIR);
        String j = config.get(Config.JFR);
        boolean jfr = j.equals("on") || (j.equals("auto") && flightRecording());
        boolean files = d != null && !d.isEmpty();
        if (!files && !jfr) return null;
        try {
            return new Recorder(rank, size, files ? Path.of(d) : null, files && config.get(Config.TRACE_CALL_SITES), jfr);
        } catch (IOException | RuntimeException e) {
            Log.warn(rank, "tracing off: cannot write the trace folder " + d + ": " + e);
            return null;
        }
    }

    /** For tests: a recorder writing to {@code dir}. */
    public static Recorder open(Path dir, int rank, int size, boolean callSites) throws IOException {
        return new Recorder(rank, size, dir, callSites, false);
    }

    /** Whether a JDK Flight Recorder recording is running in this JVM now (without starting JFR). */
    static boolean flightRecording() {
        try {
            if (!jdk.jfr.FlightRecorder.isAvailable() || !jdk.jfr.FlightRecorder.isInitialized()) return false;
            for (jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == jdk.jfr.RecordingState.RUNNING) return true;
            }
            return false;
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    /** Whether this recorder writes trace files (else it only commits JFR events). */
    public boolean writesFiles() {
        return events != null;
    }

    public int rank() {
        return rank;
    }

    /** The clock of the records (System.nanoTime). */
    public long now() {
        return System.nanoTime();
    }

    /** Records this rank's clock offset to rank 0 ({@code rank0 = local + offset}) and the round trip it came from. */
    public void clockOffset(long offsetNanos, long rttNanos) {
        this.clockOffset = offsetNanos;
        this.clockRtt = rttNanos;
    }

    /** A small id for {@code name} (a call, datatype, op or call site); the same string always gets the same id. */
    public int id(String name) {
        if (name == null) return 0;
        Integer i = ids.get(name);
        if (i != null) return i;
        synchronized (names) {
            return ids.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
        }
    }

    // ------------------------------------------------------------------ recording

    /**
     * One finished operation of category {@code cat} ({@link TraceFormat#P2P} ...), called {@code call}, that ran from
     * {@code t0} to now; {@code peer} is a world rank or -1, {@code seq} the message's sequence (or an element
     * count for a collective, -1 for none).
     */
    public void op(int cat, String call, long t0, int peer, int tag, int context, long bytes, long seq) {
        long t1 = System.nanoTime();
        if (jfr) jfrEvent(cat, call, t1 - t0, peer, tag, context, -1, bytes, -1, null, null);
        if (events == null) return;
        put(TraceFormat.OP, cat, id(call), t0, t1, peer, tag, context, -1, bytes, seq, 0, 0, site());
    }

    /** A collective: as {@link #op}, with its root, element count, datatype and reduction op (null: none). */
    public void collective(String call, long t0, int root, int context, long count, long bytes, String type, String op) {
        long t1 = System.nanoTime();
        if (jfr) jfrEvent(TraceFormat.COLL, call, t1 - t0, -1, -1, context, root, bytes, count, type, op);
        if (events == null) return;
        put(TraceFormat.OP, TraceFormat.COLL, id(call), t0, t1, -1, -1, context, root, bytes, count,
                id(type), id(op), site());
    }

    /**
     * A blocking collective's begin: kept per thread (nesting up to a depth) until {@link #endCollective()} records it.
     * It is only staged: the call still checks its arguments and may throw, and then it never reaches
     * {@link #enterCollective()}; such an entry is never recorded and does not count for {@link #inCollective()}. It is
     * discarded by {@link #abandonCollectives()} (the communicator's error path), else by the next
     * {@link #endCollective()} above it or, when the stack is full, by the next begin. The protocol of a blocking
     * collective: begin, (checks), enter, (wait), end.
     */
    public void beginCollective(String call, int root, int context, long count, long bytes, String type, String op) {
        ThreadBuffer b = local.get();
        if (b.depth == ThreadBuffer.DEPTH) b.dropOldestAbandoned();
        if (b.depth < ThreadBuffer.DEPTH) {
            int d = b.depth;
            b.pendingT0[d] = System.nanoTime();
            b.pendingCall[d] = call;
            b.pendingRoot[d] = root;
            b.pendingContext[d] = context;
            b.pendingCount[d] = count;
            b.pendingBytes[d] = bytes;
            b.pendingType[d] = type;
            b.pendingOp[d] = op;
            b.entered[d] = false;
            b.depth++;
        } else {
            b.overflow++;
        }
    }

    /** The collective begun last by this thread passed its checks and runs: its inner waits are its own from now. */
    public void enterCollective() {
        ThreadBuffer b = local.get();
        if (b.overflow > 0 || b.depth == 0 || b.entered[b.depth - 1]) return;
        b.entered[b.depth - 1] = true;
        b.inside++;
    }

    /**
     * A call of this thread failed (an argument check raised an error): the collectives it began and has not entered
     * are abandoned (the failing call's own entry, and those of calls it was starting), so none stays open.
     */
    public void abandonCollectives() {
        ThreadBuffer b = local.get();
        while (b.overflow == 0 && b.depth > 0 && !b.entered[b.depth - 1]) b.clear(--b.depth);
    }

    /** Whether this thread is inside a blocking collective it began and entered (its inner waits are the collective's). */
    public boolean inCollective() {
        ThreadBuffer b = local.get();
        return b.inside > 0 || b.overflow > 0;
    }

    /** Whether this thread has a collective begun and not yet ended or discarded (for tests). */
    public boolean collectivePending() {
        ThreadBuffer b = local.get();
        return b.depth > 0 || b.overflow > 0;
    }

    /**
     * Records the innermost collective this thread entered; entries begun above it and never entered (calls that threw
     * in their checks) are discarded.
     */
    public void endCollective() {
        ThreadBuffer b = local.get();
        if (b.overflow > 0) {
            b.overflow--;
            return;
        }
        while (b.depth > 0 && !b.entered[b.depth - 1]) b.clear(--b.depth);
        if (b.depth == 0) return;
        int d = --b.depth;
        b.inside--;
        collective(b.pendingCall[d], b.pendingT0[d], b.pendingRoot[d], b.pendingContext[d], b.pendingCount[d],
                b.pendingBytes[d], b.pendingType[d], b.pendingOp[d]);
        b.clear(d);
    }

    /**
     * The engine's message events: a message left for {@code peer} ({@link TraceFormat#MSG_SEND}) or a receive was
     * completed by a message from {@code peer} ({@link TraceFormat#MSG_RECV}); {@code seq} numbers the messages of
     * each ordered (sender, receiver) pair from 0, so the two ends of one message carry the same number.
     */
    public void message(int kind, int peer, int tag, int context, long bytes, long seq) {
        if (events == null) return;
        long t = System.nanoTime();
        put(kind, 0, 0, t, t, peer, tag, context, -1, bytes, seq, 0, 0, 0);
    }

    private void jfrEvent(int cat, String call, long elapsed, int peer, int tag, int context, int root, long bytes,
                          long count, String type, String op) {
        MpiOperationEvent e = new MpiOperationEvent();
        if (!e.isEnabled()) return;
        e.operation = call;
        e.category = TraceFormat.categoryName(cat);
        e.rank = rank;
        e.peer = peer;
        e.tag = tag;
        e.context = context;
        e.root = root;
        e.bytes = bytes;
        e.count = count;
        e.datatype = type;
        e.op = op;
        e.elapsed = elapsed;
        e.commit();
    }

    private void put(int kind, int cat, int name, long t0, long t1, int peer, int tag, int context, int root,
                     long bytes, long seq, int type, int op, int site) {
        if (closed) return;
        ThreadBuffer b = local.get();
        ByteBuffer buf = b.buf;
        if (buf.remaining() < TraceFormat.RECORD_BYTES) flush(b);
        buf.putLong(TraceFormat.word0(kind, cat, name, b.index));
        buf.putLong(t0);
        buf.putLong(t1);
        buf.putLong(((long) peer << 32) | (tag & 0xffffffffL));
        buf.putLong(((long) context << 32) | (root & 0xffffffffL));
        buf.putLong(bytes);
        buf.putLong(seq);
        buf.putLong(TraceFormat.word7(type, op, site));
    }

    private int site() {
        return callSites ? id(CallSite.find()) : 0;
    }

    private ThreadBuffer register() {
        ThreadBuffer b = new ThreadBuffer(Thread.currentThread().getName(), events != null);
        synchronized (buffers) {
            b.index = buffers.size();
            buffers.add(b);
        }
        return b;
    }

    private void flush(ThreadBuffer b) {
        synchronized (events) {
            ByteBuffer buf = b.buf;
            buf.flip();
            try {
                while (buf.hasRemaining()) events.write(buf);
            } catch (IOException e) {
                dropped += buf.remaining() / TraceFormat.RECORD_BYTES;
            }
            buf.clear();
        }
    }

    /**
     * Writes every thread's remaining events and the meta file (names, threads, clock offset); records nothing after.
     * Call when the rank's threads have stopped calling MPI (after the engine closed).
     */
    public void close() {
        if (closed) return;
        closed = true;
        List<ThreadBuffer> all;
        synchronized (buffers) {
            all = new ArrayList<>(buffers);
        }
        if (events == null) return;
        for (ThreadBuffer b : all) flush(b);
        try {
            events.close();
            writeMeta();
        } catch (IOException e) {
            throw new UncheckedIOException("trace of rank " + rank + ": " + e.getMessage(), e);
        }
    }

    private void writeMeta() throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("version=").append(TraceFormat.VERSION).append('\n');
        s.append("rank=").append(rank).append('\n');
        s.append("size=").append(size).append('\n');
        s.append("startNanos=").append(startNanos).append('\n');
        s.append("endNanos=").append(System.nanoTime()).append('\n');
        s.append("startMillis=").append(startMillis).append('\n');
        s.append("clockOffset=").append(clockOffset).append('\n');
        s.append("clockRtt=").append(clockRtt).append('\n');
        s.append("dropped=").append(dropped).append('\n');
        synchronized (buffers) {
            for (ThreadBuffer b : buffers) s.append("thread.").append(b.index).append('=').append(b.name).append('\n');
        }
        synchronized (names) {
            for (int i = 0; i < names.size(); i++) s.append("name.").append(i).append('=').append(escape(names.get(i))).append('\n');
        }
        Path tmp = TraceFormat.metaFile(dir, rank).resolveSibling("rank-" + rank + ".meta.tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(s.toString());
        }
        Files.move(tmp, TraceFormat.metaFile(dir, rank), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(String n) {
        return n.replace("\\", "\\\\").replace("\n", "\\n");
    }

    /** A thread's event buffer and its stack of collectives begun and not yet ended. */
    private static final class ThreadBuffer {
        static final int DEPTH = 8;
        /** The events not yet written (none when only JFR events are committed). */
        final ByteBuffer buf;
        final String name;
        int index;
        /** Entries on the stack (begun, not ended or discarded). */
        int depth;
        /** Entries of the stack that have been entered ({@link #enterCollective()}). */
        int inside;
        /** Begins beyond {@link #DEPTH} (not stored, counted as inside). */
        int overflow;
        final boolean[] entered = new boolean[DEPTH];
        final long[] pendingT0 = new long[DEPTH];
        final String[] pendingCall = new String[DEPTH];
        final int[] pendingRoot = new int[DEPTH];
        final int[] pendingContext = new int[DEPTH];
        final long[] pendingCount = new long[DEPTH];
        final long[] pendingBytes = new long[DEPTH];
        final String[] pendingType = new String[DEPTH];
        final String[] pendingOp = new String[DEPTH];

        void clear(int d) {
            pendingCall[d] = pendingType[d] = pendingOp[d] = null;
            entered[d] = false;
        }

        /** Makes room by removing the oldest entry that was never entered (a call that threw), if any. */
        void dropOldestAbandoned() {
            for (int k = 0; k < depth; k++) {
                if (entered[k]) continue;
                for (int m = k; m < depth - 1; m++) {
                    pendingT0[m] = pendingT0[m + 1];
                    pendingCall[m] = pendingCall[m + 1];
                    pendingRoot[m] = pendingRoot[m + 1];
                    pendingContext[m] = pendingContext[m + 1];
                    pendingCount[m] = pendingCount[m + 1];
                    pendingBytes[m] = pendingBytes[m + 1];
                    pendingType[m] = pendingType[m + 1];
                    pendingOp[m] = pendingOp[m + 1];
                    entered[m] = entered[m + 1];
                }
                clear(--depth);
                return;
            }
        }

        ThreadBuffer(String name, boolean files) {
            this.name = name;
            this.buf = ByteBuffer.allocateDirect(files ? EVENTS_PER_BUFFER * TraceFormat.RECORD_BYTES : 0)
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
