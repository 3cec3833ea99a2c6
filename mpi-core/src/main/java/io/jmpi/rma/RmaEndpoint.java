package io.jmpi.rma;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.ContextHandler;
import io.jmpi.engine.Engine;
import io.jmpi.engine.Operation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static io.jmpi.wire.RmaDescriptor.*;

/**
 * Both ends of one window's one-sided traffic on one rank, as the engine's handler of the window's context
 * ({@link ContextHandler}): as a target it validates each request whole, then applies it to window memory (a put
 * straight from the transport's buffer: one copy), answers gets, grants locks and counts epoch markers; as an origin
 * it completes its {@link Pending} requests from the answers. Runs under the engine's lock, on whichever thread
 * makes progress (the background agent while the program computes), so the target never has to call MPI. Nothing a
 * peer sends can make it throw or touch memory outside the window: a bad request is answered with ERROR.
 * Ranks here are world ranks.
 */
public final class RmaEndpoint implements ContextHandler {
    private final Engine engine;
    private final int context;
    private final WinMemory memory;
    private final String name;

    // ---- origin side
    private final AtomicLong nextRequest = new AtomicLong(1);
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile MpiException deferred;

    // ---- target side (under the engine's lock; counters read by waiting threads)
    private final AtomicIntegerArray posts, completes, fences;
    private int sharedHolders;
    private int exclusiveHolder = -1;
    private final ArrayDeque<long[]> lockQueue = new ArrayDeque<>();
    private ByteBuffer scratch = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private RmaMessage ack = new RmaMessage();
    /** Requests applied as a target (tests, diagnosis). */
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public RmaEndpoint(Engine engine, int context, WinMemory memory, String name) {
        this.engine = engine;
        this.context = context;
        this.memory = memory;
        this.name = name;
        int n = engine.size();
        posts = new AtomicIntegerArray(n);
        completes = new AtomicIntegerArray(n);
        fences = new AtomicIntegerArray(n);
    }

    public WinMemory memory() { return memory; }
    public int context() { return context; }
    public long applied() { return applied.get(); }
    public long refused() { return refused.get(); }
    public int posts(int world) { return posts.get(world); }
    public int completes(int world) { return completes.get(world); }
    public int fences(int world) { return fences.get(world); }

    // ------------------------------------------------------------------ origin side

    public long newRequest() {
        return nextRequest.getAndIncrement();
    }

    /** Registers a request that waits for an answer; {@code into} receives a REPLY's data ({@code length} bytes). */
    public Pending expect(long id, int target, Buf into, int length) {
        Pending p = new Pending(id, target, into, length);
        pending.put(id, p);
        return p;
    }

    /** Sends {@code m} to world rank {@code target}; returns the engine's operation when it could not go at once. */
    public Operation send(String call, RmaMessage m, int target) {
        return engine.startSend(call, m, target, context, m.kind(), false);
    }

    /** The oldest refusal of a request that nobody waits for (a put, an accumulate), cleared; or null. */
    public MpiException takeDeferred() {
        MpiException e = deferred;
        deferred = null;
        return e;
    }

    /** Forgets a request whose wait failed (its target is gone). */
    public void forget(long id) {
        pending.remove(id);
    }

    /** Whether requests to world rank {@code target} (any target if negative) still wait for answers. */
    public boolean waitingFor(int target) {
        for (Pending p : pending.values()) if (target < 0 || p.target == target) return true;
        return false;
    }

    // ------------------------------------------------------------------ the handler

    @Override
    public void onMessage(int source, int tag, ByteBuffer payload, int length) {
        int at = payload.position();
        if (length < HEADER_LENGTH) {
            refused.incrementAndGet();
            return; // too short to name a request: nothing to answer
        }
        byte kind = payload.get(at + KIND_OFFSET);
        long request = payload.getLong(at + REQUEST_OFFSET);
        try {
            switch (kind) {
                case PUT, GET, ACCUMULATE, GET_ACCUMULATE, COMPARE_AND_SWAP -> target(source, kind, payload, at, length);
                case REPLY -> reply(payload, at, length, request);
                case ACK -> {
                    Pending p = pending.remove(request);
                    if (p != null) p.complete(null);
                }
                case ERROR -> error(source, payload, at, length, request);
                case LOCK -> lock(source, (payload.get(at + FLAGS_OFFSET) & FLAG_EXCLUSIVE) != 0, request);
                case UNLOCK -> unlock(source, request);
                case FLUSH -> answer(source, ACK, request);
                case POST -> posts.incrementAndGet(source);
                case COMPLETE -> completes.incrementAndGet(source);
                case FENCE -> fences.incrementAndGet(source);
                default -> refuse(source, request, ErrorClass.PROTOCOL, "unknown RMA message kind " + kind);
            }
        } catch (RuntimeException e) {
            // a bug of ours must not take the engine down with a peer's request: refuse it, say why
            refuse(source, request, ErrorClass.PROTOCOL, "target failed to apply the request: " + e);
        }
    }

    private void target(int source, byte kind, ByteBuffer p, int at, int length) {
        long request = p.getLong(at + REQUEST_OFFSET);
        DataType t = DataType.of(p.get(at + DTYPE_OFFSET));
        int op = p.get(at + OP_OFFSET);
        int count = p.getInt(at + COUNT_OFFSET);
        long disp = p.getLong(at + DISP_OFFSET);
        int runs = p.getInt(at + RUNS_OFFSET);
        int dataLength = p.getInt(at + DATA_LENGTH_OFFSET);
        String bad = check(kind, t, op, count, runs, dataLength, length);
        if (bad == null) bad = checkRuns(t, count, disp, runs, p, at);
        if (bad != null) {
            refuse(source, request, bad.startsWith("type:") ? ErrorClass.TYPE : ErrorClass.ARG,
                    bad.startsWith("type:") ? bad.substring(5) : bad);
            return;
        }
        WinMemory.Region r = memory.region;
        long base = memory.byteBase;
        int runsAt = at + HEADER_LENGTH;
        int dataAt = runsAt + runs * RUN_BYTES;
        int total = count * t.size;
        switch (kind) {
            case PUT -> {
                p.position(dataAt);
                forRuns(runs, p, runsAt, total, (off, len) -> r.buf().copyIn(base + off, p, len));
            }
            case GET -> {
                byte[] out = new byte[total];
                ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                forRuns(runs, p, runsAt, total, (off, len) -> r.buf().copyOut(base + off, o, len));
                answerData(source, request, out);
            }
            case ACCUMULATE, GET_ACCUMULATE -> {
                byte[] old = kind == GET_ACCUMULATE ? new byte[total] : null;
                int[] src = {dataAt};
                forRuns(runs, p, runsAt, total, (off, len) -> {
                    ByteBuffer s = scratch(len);
                    r.buf().copyOut(base + off, s, len);
                    if (old != null) s.get(0, old, src[0] - dataAt, len);
                    Accumulate.apply(op, t, s, 0, p, src[0], len / t.size);
                    s.position(0);
                    r.buf().copyIn(base + off, s, len);
                    src[0] += len;
                });
                if (old != null) answerData(source, request, old);
            }
            case COMPARE_AND_SWAP -> {
                ByteBuffer s = scratch(t.size);
                long off = base + (runs == 0 ? 0 : p.getInt(runsAt));
                r.buf().copyOut(off, s, t.size);
                byte[] old = new byte[t.size];
                s.get(0, old);
                boolean equal = true;
                for (int i = 0; i < t.size; i++) equal &= old[i] == p.get(dataAt + t.size + i);
                if (equal) {
                    p.position(dataAt);
                    r.buf().copyIn(off, p, t.size);
                }
                answerData(source, request, old);
            }
            default -> throw new IllegalStateException("kind " + kind);
        }
        applied.incrementAndGet();
    }

    private interface RunAction {
        void run(long offset, int length);
    }

    private static void forRuns(int runs, ByteBuffer p, int runsAt, int total, RunAction a) {
        if (runs == 0) {
            if (total > 0) a.run(0, total);
            return;
        }
        for (int i = 0; i < runs; i++) {
            int len = p.getInt(runsAt + i * RUN_BYTES + 4);
            if (len > 0) a.run(p.getInt(runsAt + i * RUN_BYTES), len);
        }
    }

    private ByteBuffer scratch(int n) {
        if (scratch.capacity() < n) scratch = ByteBuffer.allocate(Math.max(n, scratch.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
        scratch.clear();
        return scratch;
    }

    /** Checks the header's fields against the message; the reason, or null. */
    private String check(byte kind, DataType t, int op, int count, int runs, int dataLength, int length) {
        if (t == null || t == DataType.OBJECT) return "type:unknown or unsupported element type";
        if (count < 0 || (long) count * t.size > Integer.MAX_VALUE) return "count " + count + " out of range";
        if (runs < 0 || runs > (length - HEADER_LENGTH) / RUN_BYTES) return "run count " + runs + " does not fit the message";
        if (dataLength < 0 || (long) HEADER_LENGTH + (long) runs * RUN_BYTES + dataLength != length) {
            return "data length " + dataLength + " does not match the message's " + length + " bytes";
        }
        long expected = switch (kind) {
            case PUT, ACCUMULATE, GET_ACCUMULATE -> (long) count * t.size;
            case COMPARE_AND_SWAP -> 2L * t.size;
            default -> 0;
        };
        if (dataLength != expected) return "data length " + dataLength + " differs from the " + expected + " bytes of " + count + " elements";
        if (kind == COMPARE_AND_SWAP && count != 1) return "compare-and-swap of " + count + " elements (must be 1)";
        if (kind == ACCUMULATE || kind == GET_ACCUMULATE) {
            String why = Accumulate.refuse(op, t);
            if (why != null) return "type:" + why;
        }
        return null;
    }

    /** Resolves the displacement and checks every run against the window; sets memory.region/byteBase. */
    private String checkRuns(DataType t, int count, long disp, int runs, ByteBuffer p, int at) {
        long lo = 0, hi = (long) count * t.size, sum = 0;
        int runsAt = at + HEADER_LENGTH;
        if (runs > 0) {
            lo = Long.MAX_VALUE;
            hi = Long.MIN_VALUE;
            for (int i = 0; i < runs; i++) {
                long off = p.getInt(runsAt + i * RUN_BYTES), len = p.getInt(runsAt + i * RUN_BYTES + 4);
                if (len < 0 || off % t.size != 0 || len % t.size != 0) return "run " + i + " (" + off + ", " + len + ") is not aligned to " + t.size + "-byte elements";
                lo = Math.min(lo, off);
                hi = Math.max(hi, off + len);
                sum += len;
            }
            if (sum != (long) count * t.size) return "runs cover " + sum + " bytes, not the " + (long) count * t.size + " of " + count + " elements";
            if (sum == 0) lo = hi = 0;
        }
        String why = memory.resolve(disp, lo, hi);
        if (why != null) return why;
        DataType elem = memory.region.elem();
        if (elem != DataType.BYTE && elem != t) {
            return "type:the window holds " + elem.javaName() + " elements, the operation carries " + t.javaName();
        }
        if ((memory.byteBase + lo) % elem.size != 0) return "byte address " + (memory.byteBase + lo) + " is not aligned to the window's elements";
        return null;
    }

    private void reply(ByteBuffer p, int at, int length, long request) {
        Pending q = pending.remove(request);
        if (q == null) return; // an answer nobody waits for (forged, or its wait was abandoned): ignore
        int n = length - HEADER_LENGTH;
        if (q.into != null && n == q.intoLength) {
            p.position(at + HEADER_LENGTH);
            q.into.copyIn(0, p, n);
            q.complete(null);
        } else {
            q.complete(new MpiException(ErrorClass.PROTOCOL, name + ": the answer has " + n + " bytes, " + q.intoLength + " expected"));
        }
    }

    private void error(int source, ByteBuffer p, int at, int length, long request) {
        int n = Math.max(0, length - HEADER_LENGTH);
        byte[] text = new byte[n];
        p.get(at + HEADER_LENGTH, text);
        int c = p.get(at + OP_OFFSET);
        ErrorClass ec = c >= 0 && c < ErrorClass.values().length ? ErrorClass.values()[c] : ErrorClass.PROTOCOL;
        MpiException e = new MpiException(ec, new String(text, StandardCharsets.UTF_8));
        Pending q = pending.remove(request);
        if (q != null) q.complete(e);
        else if (deferred == null) deferred = e;
    }

    // ------------------------------------------------------------------ locks (MPI_Win_lock at the target)

    private void lock(int source, boolean exclusive, long request) {
        if (lockQueue.isEmpty() && grantable(exclusive)) {
            take(source, exclusive);
            answer(source, ACK, request);
        } else {
            lockQueue.add(new long[]{source, exclusive ? 1 : 0, request});
        }
    }

    private boolean grantable(boolean exclusive) {
        return exclusive ? exclusiveHolder < 0 && sharedHolders == 0 : exclusiveHolder < 0;
    }

    private void take(int source, boolean exclusive) {
        if (exclusive) exclusiveHolder = source; else sharedHolders++;
    }

    private void unlock(int source, long request) {
        if (exclusiveHolder == source) {
            exclusiveHolder = -1;
        } else if (sharedHolders > 0) {
            sharedHolders--;
        } else {
            refuse(source, request, ErrorClass.STATE, "unlock: rank holds no lock on this window");
            return;
        }
        answer(source, ACK, request); // after every request the origin sent before: they were applied
        while (!lockQueue.isEmpty()) {
            long[] w = lockQueue.peek();
            if (!grantable(w[1] != 0)) break;
            lockQueue.poll();
            take((int) w[0], w[1] != 0);
            answer((int) w[0], ACK, w[2]);
        }
    }

    /** Lock state for diagnosis: "exclusive by rank r", "shared by n", "free", and waiters. */
    public String lockState() {
        String s = exclusiveHolder >= 0 ? "exclusive by world rank " + exclusiveHolder
                : sharedHolders > 0 ? "shared by " + sharedHolders : "free";
        return lockQueue.isEmpty() ? s : s + ", " + lockQueue.size() + " waiting";
    }

    // ------------------------------------------------------------------ answers (under the lock)

    private void answer(int dest, byte kind, long request) {
        RmaMessage m = ack.start(kind, null, 0, 0, 0, 0, request);
        if (sendQuietly(m, dest)) ack = new RmaMessage(); // the queued one is the engine's until sent
    }

    private void answerData(int dest, long request, byte[] data) {
        RmaMessage m = new RmaMessage().start(REPLY, DataType.BYTE, 0, 0, data.length, 0, request)
                .data(BytesBuf.forSend(DataType.BYTE, data), data.length);
        sendQuietly(m, dest);
    }

    private void refuse(int dest, long request, ErrorClass c, String why) {
        refused.incrementAndGet();
        byte[] text = (name + " at rank " + engine.rank() + ": " + why).getBytes(StandardCharsets.UTF_8);
        RmaMessage m = new RmaMessage().start(ERROR, DataType.BYTE, c.ordinal(), 0, text.length, 0, request)
                .data(BytesBuf.forSend(DataType.BYTE, text), text.length);
        sendQuietly(m, dest);
    }

    /** Sends an answer; true when the engine queued it (it keeps the message). A gone origin is not our failure. */
    private boolean sendQuietly(RmaMessage m, int dest) {
        try {
            return engine.startSend("RMA answer", m, dest, context, m.kind(), false) != null;
        } catch (MpiException e) {
            return true;
        }
    }
}
