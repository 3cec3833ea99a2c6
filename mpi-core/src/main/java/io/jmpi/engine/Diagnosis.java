package io.jmpi.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of what one rank is blocked in and what is pending, taken under the progress lock: the one model
 * behind every diagnostic view (jmpirun's hang diagnosis, {@code Mpi.diagnose()}, {@code Mpi.pendingOperations()}).
 * Ranks are world ranks.
 */
public final class Diagnosis {
    /** Unmatched messages listed by {@link #lines()}; the rest are counted. */
    static final int MAX_UNMATCHED_LINES = 20;

    public enum Kind {
        /** A posted or matched receive. */
        RECEIVE,
        /** A send in flight. */
        SEND,
        /** A message that arrived and matches no receive yet (eager data, or a rendezvous envelope). */
        UNMATCHED,
        /** A peer lost without goodbye. */
        LOST_PEER,
        /** The engine was aborted. */
        ABORTED
    }

    /**
     * One finding. {@code waiter} is the name of the thread blocked in the operation (null: nobody waits);
     * {@code peer} the other rank (-1 for ANY_SOURCE or none); {@code bytes} the message or buffer size.
     */
    public record Entry(Kind kind, String waiter, int peer, long bytes, boolean rendezvous, String text) {
        /** The entry as a line of a diagnosis. */
        public String line() {
            if (kind != Kind.RECEIVE && kind != Kind.SEND) return text;
            return waiter != null ? "thread \"" + waiter + "\" blocked in " + text : "pending " + text;
        }

        boolean isOperation() {
            return kind == Kind.RECEIVE || kind == Kind.SEND;
        }
    }

    private final List<Entry> entries;
    private final boolean threadsWaiting;
    private final String unavailable;

    Diagnosis(List<Entry> entries, boolean threadsWaiting) {
        this.entries = List.copyOf(entries);
        this.threadsWaiting = threadsWaiting;
        this.unavailable = null;
    }

    private Diagnosis(String unavailable) {
        this.entries = List.of();
        this.threadsWaiting = true;
        this.unavailable = unavailable;
    }

    /** No snapshot could be taken (the progress lock stayed held, or the diagnosing thread was interrupted). */
    static Diagnosis unavailable(String why) {
        return new Diagnosis(why);
    }

    public List<Entry> entries() {
        return entries;
    }

    /**
     * The diagnosis for a person diagnosing a hang: first every thread blocked in an operation (or that none is),
     * then operations in flight that nobody waits for, then messages that arrived and match no receive (the first
     * {@value #MAX_UNMATCHED_LINES}), then lost peers and the abort.
     */
    public List<String> lines() {
        if (unavailable != null) return List.of(unavailable);
        List<String> out = new ArrayList<>();
        for (Entry e : entries) if (e.isOperation() && e.waiter() != null) out.add(e.line());
        if (out.isEmpty() && !threadsWaiting) out.add("not blocked in jmpi (computing, or waiting outside jmpi)");
        int unmatched = 0;
        for (Entry e : entries) {
            if (e.isOperation() && e.waiter() != null) continue;
            if (e.kind() == Kind.UNMATCHED && ++unmatched > MAX_UNMATCHED_LINES) continue;
            out.add(e.line());
        }
        if (unmatched > MAX_UNMATCHED_LINES) {
            out.add("... and " + (unmatched - MAX_UNMATCHED_LINES) + " more unmatched messages");
        }
        return out;
    }

    /** Every operation in flight and every unmatched message, one line each (empty when nothing is pending). */
    public List<String> pending() {
        if (unavailable != null) return List.of(unavailable);
        List<String> out = new ArrayList<>();
        for (Entry e : entries) if (e.isOperation() || e.kind() == Kind.UNMATCHED) out.add(e.line());
        return out;
    }
}
