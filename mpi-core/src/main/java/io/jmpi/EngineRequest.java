package io.jmpi;

import io.jmpi.engine.Completion;

/** The {@link Request} of an engine operation or a collective schedule: a view of its {@link Completion}. */
final class EngineRequest implements Request {
    final Completion completion;

    EngineRequest(Completion completion) {
        this.completion = completion;
    }

    @Override
    public Status await() {
        completion.await();
        return Status.of(completion);
    }

    @Override
    public Status test() {
        return completion.test() ? Status.of(completion) : null;
    }

    @Override
    public boolean isDone() {
        return completion.isDone();
    }

    @Override
    public boolean cancel() {
        return completion.cancel();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Status> toFuture() {
        return Futures.hooked(this);
    }

    @Override
    public String toString() {
        return completion.toString();
    }
}
