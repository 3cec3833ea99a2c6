package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/**
 * The life of every bootstrap: open, one {@link Bootstrap#exchange} of this rank's own endpoint, closed (by
 * {@code close} or {@code abort}, once). Kept in one place so that the bootstraps refuse the same misuse in the
 * same words.
 */
final class BootstrapLifecycle {
    private boolean exchanged;
    /** Read without the lock by threads that only need to know (a control reader telling a lost launcher from a close). */
    private volatile boolean closed;

    /**
     * Admits the exchange of {@code mine} by rank {@code rank}: STATE if the bootstrap is closed or has exchanged
     * already (it runs once per job), ARG if the endpoint is another rank's.
     */
    void admitExchange(Endpoint mine, int rank) {
        synchronized (this) {
            if (closed) throw new MpiException(ErrorClass.STATE, "exchange: bootstrap is closed");
            if (exchanged) throw new MpiException(ErrorClass.STATE, "exchange: called twice; it runs once per job");
            exchanged = true;
        }
        if (mine.rank() != rank) {
            throw new MpiException(ErrorClass.ARG, "exchange: endpoint rank=" + mine.rank() + " is not this rank " + rank);
        }
    }

    /** Marks the bootstrap closed; false if it already was, so that closing work runs once. */
    synchronized boolean close() {
        if (closed) return false;
        closed = true;
        return true;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Ends this JVM for {@code abort} or a lost launcher: flushes what the program printed, then halts. Halt, not
     * exit: shutdown hooks and finalisation could block on the very state that made the rank give up, and abort
     * never returns.
     */
    static void halt(int code) {
        System.err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }

    /** The line a rank without a launcher to tell prints at {@code abort}: its only report of why. */
    static void announceAbort(int rank, int code, String reason) {
        System.err.println("jmpi: rank " + rank + " called abort(" + code + "): " + ControlProtocol.oneLine(reason));
    }
}
