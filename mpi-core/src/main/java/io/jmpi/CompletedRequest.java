package io.jmpi;

/** A request that is complete from the start (eager sends that went out at once, PROC_NULL peers). */
final class CompletedRequest implements Request {
    static final CompletedRequest SEND = new CompletedRequest(Status.EMPTY);
    static final CompletedRequest PROC_NULL = new CompletedRequest(Status.EMPTY);

    private final Status status;

    CompletedRequest(Status status) {
        this.status = status;
    }

    @Override public Status await() { return status; }
    @Override public Status test() { return status; }
    @Override public boolean isDone() { return true; }
    @Override public boolean cancel() { return false; }
    @Override public java.util.concurrent.CompletableFuture<Status> toFuture() {
        return java.util.concurrent.CompletableFuture.completedFuture(status);
    }
}
