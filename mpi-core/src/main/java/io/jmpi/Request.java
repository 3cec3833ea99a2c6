package io.jmpi;

import io.jmpi.base.MpiException;

/**
 * A non-blocking operation in flight ({@code MPI_Request}). The operation owns its buffer until it completes:
 * do not touch the buffer before {@link #await()} returns or {@link #test()} returns a status.
 */
public interface Request {
    /** Waits for completion and returns the status ({@code MPI_Wait}); throws {@link MpiException} if it failed. */
    Status await();

    /**
     * {@link #await()} filling the caller's {@code into} (made with {@link Status#Status()} and reused) instead of
     * returning a new status: a receive's request then completes without allocating. Returns {@code into}.
     */
    default Status await(Status into) {
        return Status.fill("await", into, await());
    }

    /** Returns the status if complete, else null, without blocking ({@code MPI_Test}). Drives progress. */
    Status test();

    /** Whether the operation has completed (successfully or not), without driving progress. */
    boolean isDone();

    /**
     * Cancels a receive that has not matched yet ({@code MPI_Cancel}); returns true if cancelled, and the status
     * then reports {@link Status#cancelled()}. Sends cannot be cancelled (returns false).
     */
    boolean cancel();

    /**
     * A future completed with this request's status, or exceptionally with its {@link MpiException}, when it
     * completes (no MPI equivalent; like {@code MPI_Test} run for you). Engine operations complete it as the
     * operation completes, whoever drives progress; other requests are polled by one shared daemon thread. Dependent
     * stages run outside jmpi's locks, on jmpi's futures thread: use the {@code ...Async} stages for long work.
     */
    default java.util.concurrent.CompletableFuture<Status> toFuture() {
        return Futures.polled(this);
    }
}
