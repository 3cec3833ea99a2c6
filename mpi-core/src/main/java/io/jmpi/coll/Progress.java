package io.jmpi.coll;

import io.jmpi.base.Config;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The collective state of one rank, shared by all its communicators: the tuning, and the non-blocking collectives
 * in flight. A schedule moves to its next round only when some thread advances it, so every thread that waits for
 * a collective also advances all the others in flight on this rank: a rank blocked in one collective never
 * starves another one that its peers are waiting for (MPI's progress rule for non-blocking collectives).
 *
 * <p>The registry is a table of slots (grown to the peak number of collectives in flight, never shrunk), so
 * registering, deregistering and advancing allocate nothing: persistent collectives register at every start.
 */
public final class Progress {
    final Tuning tuning;
    /** Registered schedules in slots {@code [0, used)}, null where free; replaced (grown) under {@code this}. */
    private volatile AtomicReferenceArray<ScheduleRequest> slots = new AtomicReferenceArray<>(16);
    /** One past the highest slot ever filled in the current table (readers scan up to it). */
    private volatile int used;
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

    synchronized void register(ScheduleRequest r) {
        AtomicReferenceArray<ScheduleRequest> a = slots;
        int n = a.length();
        for (int i = 0; i < n; i++) {
            if (a.get(i) == null) {
                a.set(i, r);
                if (i >= used) used = i + 1;
                activeCount.incrementAndGet();
                return;
            }
        }
        AtomicReferenceArray<ScheduleRequest> b = new AtomicReferenceArray<>(n * 2);
        for (int i = 0; i < n; i++) b.set(i, a.get(i));
        b.set(n, r);
        slots = b;
        used = n + 1;
        activeCount.incrementAndGet();
    }

    synchronized void deregister(ScheduleRequest r) {
        AtomicReferenceArray<ScheduleRequest> a = slots;
        for (int i = 0, n = used; i < n; i++) {
            if (a.get(i) == r) {
                a.set(i, null);
                activeCount.decrementAndGet();
                return;
            }
        }
    }

    int activeCount() {
        return activeCount.get();
    }

    /** Advances every registered schedule but {@code self} that no other thread is advancing; returns completions. */
    int advanceOthers(ScheduleRequest self) {
        int done = 0;
        AtomicReferenceArray<ScheduleRequest> a = slots;
        for (int i = 0, n = Math.min(used, a.length()); i < n; i++) {
            ScheduleRequest r = a.get(i);
            if (r != null && r != self && r.tryAdvance()) done++;
        }
        return done;
    }
}
