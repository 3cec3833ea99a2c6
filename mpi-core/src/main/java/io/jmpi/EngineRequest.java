package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.engine.Completion;

/**
 * The {@link Request} of an engine operation or a collective schedule: a view of its {@link Completion}. An error
 * found after the call returned (a truncated or failed receive, a lost peer) surfaces from {@link #await} or
 * {@link #test} and goes through the error handler of the communicator that started the operation, as
 * {@code MPI_Wait} does in MPI (the handler of the request's communicator).
 */
final class EngineRequest implements Request {
    final Completion completion;
    /** The communicator whose error handler sees the operation's failure; null: none (the error only throws). */
    private final AbstractComm owner;

    EngineRequest(Completion completion) {
        this(completion, null);
    }

    EngineRequest(Completion completion, AbstractComm owner) {
        this.completion = completion;
        this.owner = owner;
    }

    @Override
    public Status await() {
        try {
            completion.await();
        } catch (MpiException e) {
            throw owner == null ? e : owner.raise(e);
        }
        return Status.of(completion);
    }

    @Override
    public Status test() {
        boolean done;
        try {
            done = completion.test();
        } catch (MpiException e) {
            throw owner == null ? e : owner.raise(e);
        }
        return done ? Status.of(completion) : null;
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
