package io.jmpi.engine;

import io.jmpi.base.Config;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits when there is no work: spin (lowest latency while a core is free), then yield (lets other
 * ranks on an oversubscribed machine run), then park with an exponentially growing period capped at
 * {@code maxParkMicros} (bounds both CPU use and wake-up latency). Completion unparks a parked waiter at once.
 * Model: Agrona's BackoffIdleStrategy.
 */
public final class IdleStrategy {
    private final int spins;
    private final int yields;
    private final long maxParkNanos;

    public IdleStrategy(int spins, int yields, long maxParkNanos) {
        this.spins = spins;
        this.yields = yields;
        this.maxParkNanos = maxParkNanos;
    }

    /** The configured strategy for a host whose ranks fit its cores. */
    public static IdleStrategy from(Config c) {
        return from(c, 1);
    }

    /**
     * The configured strategy; with {@code spinTries=-1} (the default) it spins only when the ranks on this host
     * ({@code localRanks}) fit its cores: on an oversubscribed host a spinning waiter would hold the core that the
     * rank it waits for needs, so it yields almost at once instead.
     */
    public static IdleStrategy from(Config c, int localRanks) {
        int spins = c.get(Config.SPIN_TRIES);
        // oversubscribed: not even a few spins; each try is a full poll of every link (system calls on TCP), and 50 of
        // them before the first yield made a 4-rank barrier on 2 cores 3-4x slower (bench: 250 us -> 65 us)
        if (spins < 0) spins = localRanks <= Runtime.getRuntime().availableProcessors() ? 20_000 : 0;
        return new IdleStrategy(spins, c.get(Config.YIELD_TRIES), c.get(Config.MAX_PARK_MICROS) * 1000L);
    }

    /** Idles once after {@code step} fruitless tries; returns the next step. */
    public int idle(int step) {
        if (step < spins) {
            Thread.onSpinWait();
        } else if (step < spins + yields) {
            Thread.yield();
        } else {
            int k = Math.min(step - spins - yields, 20);
            LockSupport.parkNanos(Math.min(maxParkNanos, 1000L << k));
        }
        return step == Integer.MAX_VALUE ? step : step + 1;
    }
}
