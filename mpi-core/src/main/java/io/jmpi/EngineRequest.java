package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.engine.Completion;
import io.jmpi.engine.MessageInfo;
import io.jmpi.engine.Operation;

/**
 * The {@link Request} of an engine operation or a collective schedule: a view of its {@link Completion}.
 *
 * <p>Recycling. {@code isend}/{@code irecv} take their engine operation from the engine's pool; once this request has
 * been completed by {@code await} or a successful {@code test}, it copies the result into its own fields, drops the
 * operation and gives it back to the pool ({@link io.jmpi.engine.Engine#release}). From then on it answers from those
 * fields, so a reference kept after completion (waited on again, tested, asked for a future) can never observe the
 * operation's next use: the generation it captured at wrap time no longer matches, and it never looks. As with every
 * MPI request, one thread at a time completes a given request; a request whose future was taken is not recycled
 * (the futures thread may still look at it).
 *
 * <p>Errors. An error found after the call returned (a truncated or failed receive, a lost peer) surfaces from
 * {@link #await} or {@link #test} and goes through the error handler of the communicator that started the operation,
 * as {@code MPI_Wait} does in MPI (the handler of the request's communicator).
 */
final class EngineRequest implements Request, MessageInfo {
    private volatile Completion completion;
    /** The operation's generation when wrapped: a recycled operation has a higher one. */
    private final int generation;
    private boolean shared;
    // the result, once consumed
    private int source, tag, elementSize;
    private long bytes;
    private boolean cancelled;
    /** The communicator whose error handler sees the operation's failure; null: none (the error only throws). */
    private final AbstractComm owner;
    /** The engine of the operation (kept: the completion itself is dropped once consumed), for idling in Requests. */
    private final io.jmpi.engine.Engine engine;

    EngineRequest(Completion completion) {
        this(completion, null);
    }

    EngineRequest(Completion completion, AbstractComm owner) {
        this.completion = completion;
        this.owner = owner;
        this.engine = completion.engine();
        this.generation = completion instanceof Operation op ? op.generation() : 0;
        if (owner != null && owner.checks != null) owner.checks.posted(this, completion instanceof Operation op ? "request (" + op.describe() + ")" : "request of a non-blocking collective");
    }


    /** The live completion, or null once consumed (its operation may then be serving another request). */
    private Completion live() {
        Completion c = completion;
        if (c instanceof Operation op && op.generation() != generation) {
            throw new IllegalStateException("request " + this + " refers to a recycled operation (it was completed "
                    + "concurrently by another thread: one thread at a time may complete a request)");
        }
        return c;
    }

    /** Takes the result of the completed {@code c} into this request and recycles its operation; returns this. */
    private MessageInfo consume(Completion c) {
        if (owner != null && owner.checks != null) owner.checks.completed(this);
        source = c.source();
        tag = c.tag();
        bytes = c.bytes();
        elementSize = c.elementSize();
        cancelled = c.cancelled();
        if (c instanceof Operation op && !shared) {
            completion = null;
            op.engine().release(op);
        }
        return this;
    }

    /** Records the completion of a request by await or a successful test (not inside a blocking collective). */
    private void traceDone(io.jmpi.trace.Recorder rec, String call, long t0, Completion c) {
        if (rec.inCollective()) return;
        rec.op(io.jmpi.trace.TraceFormat.WAIT, call, t0, c.worldSource(), c.tag(), owner.context, c.bytes(), c.sequence());
    }

    Completion completion() {
        return completion;
    }

    io.jmpi.engine.Engine engine() {
        return engine;
    }

    @Override
    public Status await() {
        return await(null);
    }

    @Override
    public Status await(Status into) {
        Status.checkFillable("await", into);
        Completion c = live();
        if (c == null) return Status.fill("await", into, (MessageInfo) this);
        io.jmpi.trace.Recorder rec = owner == null ? null : owner.trace;
        long t0 = rec == null ? 0 : rec.now();
        try {
            c.await();
        } catch (MpiException e) {
            throw owner == null ? e : owner.raise(e);
        }
        if (rec != null) traceDone(rec, "wait", t0, c);
        return Status.fill("await", into, consume(c));
    }

    @Override
    public Status test() {
        Completion c = live();
        if (c == null) return Status.of(this);
        boolean done;
        try {
            done = c.test();
        } catch (MpiException e) {
            throw owner == null ? e : owner.raise(e);
        }
        if (done && owner != null && owner.trace != null) traceDone(owner.trace, "test", owner.trace.now(), c);
        return done ? Status.of(consume(c)) : null;
    }

    @Override
    public boolean isDone() {
        Completion c = live();
        return c == null || c.isDone();
    }

    @Override
    public boolean cancel() {
        Completion c = live();
        return c != null && c.cancel();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Status> toFuture() {
        Completion c = live();
        if (c == null) return java.util.concurrent.CompletableFuture.completedFuture(Status.of(this));
        shared = true;
        return Futures.hooked(this);
    }

    @Override public int source() { return source; }
    @Override public int tag() { return tag; }
    @Override public long bytes() { return bytes; }
    @Override public int elementSize() { return elementSize; }
    @Override public boolean cancelled() { return cancelled; }

    @Override
    public String toString() {
        Completion c = completion;
        return c == null ? "completed request" : c.toString();
    }
}
