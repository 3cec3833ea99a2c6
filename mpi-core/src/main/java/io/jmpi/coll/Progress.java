package io.jmpi.coll;

import io.jmpi.base.Config;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collective state of one rank, shared by all its communicators: the tuning, and the non-blocking collectives
 * in flight. A schedule moves to its next round only when some thread advances it, so every thread that waits for
 * a collective also advances all the others in flight on this rank: a rank blocked in one collective never
 * starves another one that its peers are waiting for (MPI's progress rule for non-blocking collectives).
 */
public final class Progress {
    final Tuning tuning;
    private final ConcurrentLinkedQueue<ScheduleRequest> active = new ConcurrentLinkedQueue<>();
    private final AtomicInteger activeCount = new AtomicInteger();

    /**
     * {@code localRanks}: ranks on this host (unused now: waiting threads idle with their engine's strategy, see
     * {@link io.jmpi.engine.Engine#idle}, which already knows it).
     */
    public Progress(Config config, int localRanks) {
        this.tuning = Tuning.from(config);
    }

    public Tuning tuning() {
        return tuning;
    }

    void register(ScheduleRequest r) {
        activeCount.incrementAndGet();
        active.add(r);
    }

    void deregister(ScheduleRequest r) {
        if (active.remove(r)) activeCount.decrementAndGet();
    }

    int activeCount() {
        return activeCount.get();
    }

    /** Advances every registered schedule but {@code self} that no other thread is advancing; returns completions. */
    int advanceOthers(ScheduleRequest self) {
        int done = 0;
        for (ScheduleRequest r : active) {
            if (r != self && r.tryAdvance()) done++;
        }
        return done;
    }
}
