package io.jmpi;

/**
 * A request that runs an action once when its inner request completes, before await or test report it: the
 * non-blocking datatype reductions reduce into a packed scratch copy and scatter the result into the user's
 * buffer here ({@link DatatypeComm#ireduce(Object, int, Object, int, int, Datatype, Op, int)}).
 */
final class AfterRequest implements Request {
    private final Request inner;
    private Runnable action;

    AfterRequest(Request inner, Runnable action) {
        this.inner = inner;
        this.action = action;
    }

    @Override
    public Status await() {
        Status s = inner.await();
        runOnce();
        return s;
    }

    @Override
    public Status test() {
        Status s = inner.test();
        if (s != null) runOnce();
        return s;
    }

    private synchronized void runOnce() {
        Runnable a = action;
        action = null;
        if (a != null) a.run();
    }

    /** Done once the inner request is; the action runs at the await or test that sees it. */
    @Override public boolean isDone() { return inner.isDone(); }
    @Override public boolean cancel() { return inner.cancel(); }
}
