package io.jmpi.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * MPI matching: the posted-receive queue (in posting order) and the unexpected-message queue (in arrival order),
 * as intrusive doubly-linked lists so that insert and remove never allocate. Searching both in order, with one
 * connection per peer delivering frames in order, gives MPI's non-overtaking rule. Only touched under the
 * progress lock.
 */
final class MatchQueues {
    private Receive postedHead, postedTail;
    private Unexpected unexpectedHead, unexpectedTail;
    private int postedCount, unexpectedCount;

    /** Removes and returns the first posted receive matching an arriving envelope, or null. */
    Receive takePosted(int context, int source, int tag) {
        for (Receive r = postedHead; r != null; r = r.next) {
            if (r.matches(context, source, tag)) {
                removePosted(r);
                return r;
            }
        }
        return null;
    }

    void addPosted(Receive r) {
        r.prev = postedTail;
        r.next = null;
        if (postedTail == null) postedHead = r; else postedTail.next = r;
        postedTail = r;
        r.posted = true;
        postedCount++;
    }

    void removePosted(Receive r) {
        if (r.prev == null) postedHead = r.next; else r.prev.next = r.next;
        if (r.next == null) postedTail = r.prev; else r.next.prev = r.prev;
        r.next = r.prev = null;
        r.posted = false;
        postedCount--;
    }

    /**
     * {@code jmpirun --explore} (setting {@code exploreSeed}): the random choices of wildcard matching, or null (off).
     * A receive from ANY_SOURCE then takes the first matching message of a randomly chosen sender among those with
     * one waiting, instead of the first to arrive: a legal MPI order (each sender's messages stay in order) that a
     * run may otherwise never show.
     */
    private final java.util.SplittableRandom explore;
    private final boolean[] seen;

    MatchQueues() {
        this(null, 0);
    }

    MatchQueues(java.util.SplittableRandom explore, int size) {
        this.explore = explore;
        this.seen = explore == null ? null : new boolean[size];
    }

    /** The first unexpected message matching a receive's (possibly wildcard) envelope, or null; not removed. */
    Unexpected findUnexpected(int context, int source, int tag) {
        if (explore != null && source == Engine.ANY_SOURCE) return explored(context, tag);
        for (Unexpected u = unexpectedHead; u != null; u = u.next) {
            if (u.matches(context, source, tag)) return u;
        }
        return null;
    }

    /**
     * A wildcard match under {@link #explore}: the first message of a sender chosen at random among the waiting ones,
     * counted in rank order (not arrival order), so that a seed picks the same sender whenever the same ones wait.
     */
    private Unexpected explored(int context, int tag) {
        int senders = 0;
        for (Unexpected u = unexpectedHead; u != null; u = u.next) {
            if (u.matches(context, Engine.ANY_SOURCE, tag) && !seen[u.source]) {
                seen[u.source] = true;
                senders++;
            }
        }
        if (senders == 0) return null;
        int choice = senders == 1 ? 0 : explore.nextInt(senders);
        int source = -1;
        for (int r = 0, k = 0; r < seen.length; r++) {
            if (seen[r] && k++ == choice) source = r;
            seen[r] = false;
        }
        for (Unexpected u = unexpectedHead; u != null; u = u.next) {
            if (u.source == source && u.matches(context, Engine.ANY_SOURCE, tag)) return u;
        }
        return null;
    }

    void addUnexpected(Unexpected u) {
        u.prev = unexpectedTail;
        u.next = null;
        if (unexpectedTail == null) unexpectedHead = u; else unexpectedTail.next = u;
        unexpectedTail = u;
        unexpectedCount++;
    }

    void removeUnexpected(Unexpected u) {
        if (u.prev == null) unexpectedHead = u.next; else u.prev.next = u.next;
        if (u.next == null) unexpectedTail = u.prev; else u.next.prev = u.prev;
        u.next = u.prev = null;
        unexpectedCount--;
    }

    int postedCount() { return postedCount; }
    int unexpectedCount() { return unexpectedCount; }

    /** Posted receives whose source is {@code worldRank} (for failing them when that peer is lost). */
    List<Receive> postedFrom(int worldRank) {
        List<Receive> out = new ArrayList<>();
        for (Receive r = postedHead; r != null; r = r.next) if (r.source == worldRank) out.add(r);
        return out;
    }

    List<Receive> allPosted() {
        List<Receive> out = new ArrayList<>();
        for (Receive r = postedHead; r != null; r = r.next) out.add(r);
        return out;
    }

    List<Unexpected> allUnexpected() {
        List<Unexpected> out = new ArrayList<>();
        for (Unexpected u = unexpectedHead; u != null; u = u.next) out.add(u);
        return out;
    }
}
