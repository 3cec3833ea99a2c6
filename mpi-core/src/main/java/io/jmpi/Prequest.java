package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.engine.Completion;

import java.util.concurrent.CompletableFuture;

/**
 * A persistent request ({@code MPI_Send_init}, {@code MPI_Recv_init}, {@code MPI_Allreduce_init}, ...): an operation
 * with fixed arguments, started any number of times with {@link #start()} ({@code MPI_Start}) and completed like any
 * {@link Request} each time. It is inactive until started and again once completed (await or a successful test);
 * awaiting or testing an inactive one returns the empty status at once, as MPI does.
 *
 * <p>Point-to-point persistent requests allocate nothing per start in steady state: a receive reuses its engine
 * operation, a send that goes out at once needs none, and {@link #awaitIgnoringStatus()} completes without building a
 * {@link Status}. Persistent collectives re-run the schedule built at init ({@link PersistentSchedule}) and allocate
 * nothing per start either. Not thread-safe: one thread starts and completes a given persistent request at a time.
 */
public final class Prequest implements Request {
    /** Starts the operation once; returns what completes it, or null if it completed at once. */
    @FunctionalInterface
    interface Starter {
        /** {@code previous}: the completion of the last start (finished), which the starter may reuse; null at first. */
        Completion start(Completion previous);
    }

    private final String call;
    private final Starter starter;
    /** Completion of the current (or last) start; null when a start completed at once. */
    private Completion current;
    private boolean active;
    private boolean freed;
    /** With tracing on (a persistent point-to-point request): what each start and completion records. */
    private io.jmpi.trace.Recorder trace;
    private String startName;
    private int tracePeer, traceTag, traceContext;
    private long traceBytes;

    Prequest(String call, Starter starter) {
        this.call = call;
        this.starter = starter;
    }

    /** Records each start ({@code "start sendInit"}...) and completion when {@code c}'s rank traces; returns this. */
    Prequest traced(AbstractComm c, int peerWorld, int tag, long bytes) {
        if (c.trace == null) return this;
        this.trace = c.trace;
        this.startName = "start " + call;
        this.tracePeer = peerWorld;
        this.traceTag = tag;
        this.traceContext = c.context;
        this.traceBytes = bytes;
        return this;
    }

    private void traceDone(long t0, Completion c) {
        if (c == null) trace.op(io.jmpi.trace.TraceFormat.WAIT, "wait", t0, -1, -1, traceContext, 0, -1);
        else trace.op(io.jmpi.trace.TraceFormat.WAIT, "wait", t0, c.worldSource(), c.tag(), traceContext, c.bytes(), c.sequence());
    }

    /** Starts the operation ({@code MPI_Start}); it must be inactive (the last start completed). Returns this. */
    public Prequest start() {
        if (freed) throw new MpiException(ErrorClass.STATE, "start: persistent " + call + " has been freed");
        if (active) {
            throw new MpiException(ErrorClass.STATE, "start: persistent " + call + " is still active: await or test it "
                    + "until it completes before starting it again");
        }
        long t0 = trace == null ? 0 : trace.now();
        current = starter.start(current);
        active = true;
        if (trace != null) trace.op(io.jmpi.trace.TraceFormat.P2P, startName, t0, tracePeer, traceTag, traceContext, traceBytes, -1);
        return this;
    }

    /** The engine of the current (or last) start, or null (for the shared idle strategy of {@link Requests}). */
    io.jmpi.engine.Engine engine() {
        Completion c = current;
        return c == null ? null : c.engine();
    }

    /** Whether it has been started and not yet completed by await or test ({@code MPI_Request_get_status}'s view). */
    public boolean isActive() {
        return active;
    }

    /** Waits for the current start ({@code MPI_Wait}); the empty status if inactive. */
    @Override
    public Status await() {
        if (!active) return Status.EMPTY;
        Completion c = current;
        long t0 = trace == null ? 0 : trace.now();
        try {
            if (c != null) c.await();
        } finally {
            active = false;
        }
        if (trace != null) traceDone(t0, c);
        return c == null ? Status.EMPTY : Status.of(c);
    }

    /** {@link #await()} filling the caller's reusable {@code into} (allocates nothing); returns it. */
    @Override
    public Status await(Status into) {
        Status.checkFillable("await", into);
        if (!active) return Status.fill("await", into, Status.EMPTY);
        Completion c = current;
        long t0 = trace == null ? 0 : trace.now();
        try {
            if (c != null) c.await();
        } finally {
            active = false;
        }
        if (trace != null) traceDone(t0, c);
        return c == null ? Status.fill("await", into, Status.EMPTY) : Status.fill("await", into, c);
    }

    /** {@link #await()} without building a status ({@code MPI_Wait} with {@code MPI_STATUS_IGNORE}): allocates nothing. */
    public void awaitIgnoringStatus() {
        if (!active) return;
        Completion c = current;
        long t0 = trace == null ? 0 : trace.now();
        try {
            if (c != null) c.await();
        } finally {
            active = false;
        }
        if (trace != null) traceDone(t0, c);
    }

    /** {@code MPI_Test}: the status once the current start has completed (then inactive), else null. */
    @Override
    public Status test() {
        if (!active) return Status.EMPTY;
        Completion c = current;
        if (c == null) {
            active = false;
            return Status.EMPTY;
        }
        boolean done;
        try {
            done = c.test();
        } catch (MpiException e) {
            active = false;
            throw e;
        }
        if (!done) return null;
        active = false;
        if (trace != null) traceDone(trace.now(), c);
        return Status.of(c);
    }

    @Override
    public boolean isDone() {
        Completion c = current;
        return !active || c == null || c.isDone();
    }

    /** Cancels the current start if it is a receive not yet matched ({@code MPI_Cancel}). */
    @Override
    public boolean cancel() {
        Completion c = current;
        return active && c != null && c.cancel();
    }

    /** A future of the current start's status; completed at once if inactive or already complete. */
    @Override
    public CompletableFuture<Status> toFuture() {
        Completion c = current;
        if (!active || c == null) return CompletableFuture.completedFuture(Status.EMPTY);
        return new EngineRequest(c).toFuture();
    }

    /**
     * Frees the request ({@code MPI_Request_free}): it cannot be started again. A start in flight still completes
     * (and may still be awaited).
     */
    public void free() {
        freed = true;
    }

    @Override
    public String toString() {
        return "Prequest{" + call + (active ? ", active" : "") + (freed ? ", freed" : "") + "}";
    }
}
