package io.jmpi.rma;

import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;

/**
 * An origin's request that waits for the target's answer (a get's data, a lock grant, a flush acknowledgement):
 * completed under the engine's lock by the window's handler, read by the waiting thread.
 */
public final class Pending {
    final long id;
    final int target;        // world rank
    final Buf into;          // where a REPLY's data goes, or null
    final int intoLength;
    private volatile boolean done;
    private volatile MpiException error;

    Pending(long id, int target, Buf into, int intoLength) {
        this.id = id;
        this.target = target;
        this.into = into;
        this.intoLength = intoLength;
    }

    public boolean isDone() { return done; }

    /** The target's refusal, or null. */
    public MpiException error() { return error; }

    public int target() { return target; }

    void complete(MpiException e) {
        error = e;
        done = true;
    }
}
