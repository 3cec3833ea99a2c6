package io.jmpi.engine;

import io.jmpi.base.Config;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits when there is no work: spin (lowest latency while a core is free), then yield (lets other
 * ranks on an oversubscribed machine run), then sleep. Model: Agrona's BackoffIdleStrategy plus a doorbell.
 *
 * <p>The sleep phase has two forms. With a doorbell ({@link #blocks}: the setting {@code doorbell} on, and every
 * transport of the rank can wake a sleeper) {@link Progress} makes one waiting thread announce that it sleeps and
 * block in the kernel until a peer rings or a frame arrives, {@code maxParkMicros} being only a safety net. Without
 * one, and for every other waiting thread of the rank, it parks with an exponentially growing period capped at
 * {@code maxParkMicros} (bounds both CPU use and wake-up latency). Either way a completion unparks its waiter at once.
 * This one strategy serves the engine's waits, probes, {@code Requests.awaitAny/Some}, buffered-send detach and the
 * collectives' waits (through {@link Engine#idle}).
 */
public final class IdleStrategy {
    private final int spins;
    private final int yields;
    private final long maxParkNanos;
    private final boolean doorbell;

    public IdleStrategy(int spins, int yields, long maxParkNanos) {
        this(spins, yields, maxParkNanos, true);
    }

    public IdleStrategy(int spins, int yields, long maxParkNanos, boolean doorbell) {
        this.spins = spins;
        this.yields = yields;
        this.maxParkNanos = maxParkNanos;
        this.doorbell = doorbell;
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
        return new IdleStrategy(spins, c.get(Config.YIELD_TRIES), c.get(Config.MAX_PARK_MICROS) * 1000L,
                c.get(Config.DOORBELL));
    }

    /** Whether a waiter after {@code step} fruitless tries is past spinning and yielding: time to sleep. */
    public boolean sleeping(int step) {
        return step >= spins + yields;
    }

    /** Fruitless tries spent spinning before the first yield. */
    public int spins() {
        return spins;
    }

    /** Whether the sleep phase may block on a doorbell (when the transports offer one). */
    public boolean blocks() {
        return doorbell;
    }

    /** The longest sleep, nanoseconds: the park cap, and the doorbell's safety-net timeout. */
    public long maxParkNanos() {
        return maxParkNanos;
    }

    /** Idles once after {@code step} fruitless tries (spin, yield or a bounded park); returns the next step. */
    public int idle(int step) {
        if (step < spins) {
            Thread.onSpinWait();
        } else if (step < spins + yields) {
            Thread.yield();
        } else {
            int k = Math.min(step - spins - yields, 20);
            LockSupport.parkNanos(Math.min(maxParkNanos, 1000L << k));
        }
        return next(step);
    }

    static int next(int step) {
        return step == Integer.MAX_VALUE ? step : step + 1;
    }
}
