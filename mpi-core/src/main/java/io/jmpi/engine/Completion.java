package io.jmpi.engine;

import io.jmpi.base.MpiException;

/**
 * Something in flight that completes: an engine send or receive, or a collective schedule. The API's
 * {@code Request} is a view of one. Once {@link #isDone()}, the {@link MessageInfo} fields describe the result.
 */
public interface Completion extends MessageInfo {
    /** Whether it has completed (successfully or not), without driving progress. */
    boolean isDone();

    /** Waits for completion, driving progress; throws the failure as an {@link MpiException}. */
    void await();

    /** Drives progress once; true when complete (throws the failure as an {@link MpiException}). */
    boolean test();

    /** Cancels it if it has not matched yet; true if cancelled. */
    boolean cancel();

    /**
     * Registers {@code hook} to run once when this completes (at once, on the calling thread, if it has already);
     * returns false, registering nothing, if this kind of completion has no hook (the caller must then poll). The hook
     * runs on the thread that completes the operation, which may hold the engine's lock: it must be short, must not
     * block and must not call into jmpi.
     */
    default boolean whenDone(Runnable hook) {
        return false;
    }

    /** The engine that drives this completion's progress (whose idle strategy a multi-request wait uses), or null. */
    default Engine engine() {
        return null;
    }
}
