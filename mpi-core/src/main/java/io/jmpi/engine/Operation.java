package io.jmpi.engine;

import io.jmpi.base.MpiException;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Base of every engine operation (a send or a receive). Completion is a volatile write by the progress-lock holder;
 * the waiting thread drives progress itself (see {@link Engine#await}) and is unparked on completion if it had gone
 * to sleep. A completed send reports source {@link Engine#PROC_NULL}, tag {@link Engine#ANY_TAG}, 0 bytes.
 */
public abstract class Operation implements Completion {
    final Engine engine;
    private volatile boolean done;
    private volatile Thread waiter;
    private MpiException error;
    boolean wasCancelled;
    /** Bumped each time the operation goes back to its engine's pool ({@link Engine#release}). */
    private int generation;
    /** Taken from the engine's pool (isend, irecv), so {@link Engine#release} may recycle it. */
    boolean pooled;
    /** Run once on completion ({@link #whenDone}); null (the usual case) costs one volatile read per completion. */
    private volatile Runnable onDone;
    private static final VarHandle ON_DONE;

    static {
        try {
            ON_DONE = MethodHandles.lookup().findVarHandle(Operation.class, "onDone", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Operation(Engine engine) {
        this.engine = engine;
    }

    /** How many times this operation has been recycled: a request compares it with the one it captured. */
    public final int generation() {
        return generation;
    }

    void recycled() {
        generation++;
    }

    /** Makes a finished operation reusable (a thread's blocking receive). */
    void reset() {
        done = false;
        waiter = null;
        error = null;
        wasCancelled = false;
        onDone = null;
    }

    final void complete() {
        this.done = true;
        Thread w = waiter;
        // the waiter that completes its own operation while polling (the common case: a ping-pong's receiver) is
        // awake: unparking itself would cost a mutex and leave a permit that cuts its next park short
        if (w != null && w != Thread.currentThread()) {
            if (engine != null) engine.wake(w); else LockSupport.unpark(w);
        }
        if (onDone != null) runHook();
    }

    @Override
    public final boolean whenDone(Runnable hook) {
        onDone = hook;
        if (done) runHook(); // completed before (or while) registering: whoever swaps the hook out runs it, once
        return true;
    }

    private void runHook() {
        Runnable h = (Runnable) ON_DONE.getAndSet(this, null);
        if (h == null) return;
        try {
            h.run();
        } catch (RuntimeException e) {
            // a hook must not break the engine's progress; the operation's own result is unaffected
            io.jmpi.base.Log.warn(engine == null ? -1 : engine.rank(), "completion hook failed: " + e);
        }
    }

    final void fail(MpiException e) {
        this.error = e;
        complete();
    }

    final void setWaiter(Thread t) {
        waiter = t;
    }

    /** The thread blocked waiting for this operation, or null. */
    final Thread waiter() {
        return waiter;
    }

    @Override
    public final Engine engine() {
        return engine;
    }

    @Override
    public final boolean isDone() {
        return done;
    }

    @Override
    public void await() {
        if (!done) engine.await(this);
        checkError();
    }

    @Override
    public boolean test() {
        if (!done) engine.progress();
        if (!done) return false;
        checkError();
        return true;
    }

    @Override
    public boolean cancel() {
        return false;
    }

    private void checkError() {
        if (error != null) {
            // a fresh exception so the stack trace shows where the caller waited; the cause keeps the origin
            throw new MpiException(error.errorClass(), error.getMessage(), error);
        }
    }

    @Override
    public int source() {
        return Engine.PROC_NULL;
    }

    @Override
    public int tag() {
        return Engine.ANY_TAG;
    }

    @Override
    public long bytes() {
        return 0;
    }

    @Override
    public int elementSize() {
        return 1;
    }

    @Override
    public boolean cancelled() {
        return wasCancelled;
    }

    /** The failure, if any (for collectives built on requests). */
    public MpiException error() {
        return error;
    }

    /** One line for hang diagnosis. */
    public abstract String describe();
}
