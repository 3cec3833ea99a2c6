package io.jmpi.engine;

import io.jmpi.MpiException;
import io.jmpi.Request;
import io.jmpi.Status;

import java.util.concurrent.locks.LockSupport;

/**
 * Base of every engine operation. Completion is a volatile write by the progress-lock holder; the waiting thread
 * drives progress itself (see {@link Engine#await}) and is unparked on completion if it had gone to sleep.
 */
public abstract class Op implements Request {
    final Engine engine;
    private volatile boolean done;
    private volatile Thread waiter;
    private MpiException error;
    Status status;

    Op(Engine engine) {
        this.engine = engine;
    }

    /** Makes a finished operation reusable (a thread's blocking receive). */
    void reset() {
        done = false;
        waiter = null;
        error = null;
        status = null;
    }

    final void complete(Status s) {
        this.status = s;
        this.done = true;
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    /** Completes without a Status object; {@link #result()} builds it (blocking receives, so it can stay on the stack). */
    final void completeQuietly() {
        complete(null);
    }

    final void fail(MpiException e) {
        this.error = e;
        complete(null);
    }

    final void setWaiter(Thread t) {
        waiter = t;
    }

    /** The thread blocked waiting for this operation, or null. */
    final Thread waiter() {
        return waiter;
    }

    @Override
    public final boolean isDone() {
        return done;
    }

    @Override
    public Status await() {
        if (!done) engine.await(this);
        return result();
    }

    @Override
    public Status test() {
        if (!done) engine.progress();
        return done ? result() : null;
    }

    @Override
    public boolean cancel() {
        return false;
    }

    /** The status of a completed operation; builds it when it was completed quietly. */
    Status result() {
        if (error != null) {
            // a fresh exception so the stack trace shows where the caller waited; the cause keeps the origin
            throw new MpiException(error.errorClass(), error.getMessage(), error);
        }
        return status != null ? status : buildStatus();
    }

    /** The status of an operation completed quietly. */
    Status buildStatus() {
        return null;
    }

    /** The failure, if any (for collectives built on requests). */
    public MpiException error() {
        return error;
    }

    /** One line for hang diagnosis. */
    public abstract String describe();
}
