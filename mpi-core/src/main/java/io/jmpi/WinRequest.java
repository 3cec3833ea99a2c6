package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.engine.Operation;
import io.jmpi.rma.Pending;

/**
 * The request of a request-based one-sided operation ({@code MPI_Rput}, {@code MPI_Rget}, ...): done when the
 * origin's buffer may be reused (the engine's send, when it could not go at once, has gone) and, for operations with
 * an answer, when the answer is in the origin's (or result) buffer. Completing it says nothing about the target for a
 * put or an accumulate: that takes a flush, an unlock, a fence or complete, as in MPI.
 */
final class WinRequest implements Request {
    private final Win win;
    private final Operation send;
    private final Pending answer;
    private final int world;
    private final String call;

    WinRequest(Win win, Operation send, Pending answer, int world, String call) {
        this.win = win;
        this.send = send;
        this.answer = answer;
        this.world = world;
        this.call = call;
    }

    static WinRequest done(Win w) {
        return new WinRequest(w, null, null, -1, "");
    }

    @Override
    public Status await() {
        try {
            if (send != null) send.await();
            if (answer != null) win.waitFor(call, answer::isDone, world);
        } catch (MpiException e) {
            throw win.comm.raise(e);
        }
        return result();
    }

    private Status result() {
        MpiException e = answer == null ? null : answer.error();
        if (e != null) throw win.comm.raise(new MpiException(e.errorClass(), call + ": " + e.getMessage(), e));
        return Status.EMPTY;
    }

    @Override
    public Status test() {
        if (!isDone()) win.engine.progress();
        return isDone() ? result() : null;
    }

    @Override
    public boolean isDone() {
        return (send == null || send.isDone()) && (answer == null || answer.isDone());
    }

    @Override
    public boolean cancel() {
        return false;
    }
}
