package io.jmpi.engine;

import io.jmpi.base.Config;

import java.util.concurrent.locks.LockSupport;

/**
 * How a thread waits when there is no work: spin (lowest latency while a core is free; past {@value #SPIN_ALONE}
 * steps every {@value #YIELD_EVERY}th one yields, so a peer sharing this core gets it soon), then yield (lets other
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
    /**
     * Spin steps before the spin phase starts yielding now and then: tens of microseconds (a step is one poll of
     * the transports), far beyond the time a peer on another core takes to answer, so a yield never delays a
     * message that was on its way; a yield when another thread wants this core costs a scheduler slice.
     */
    static final int SPIN_ALONE = 1024;
    /** Past {@link #SPIN_ALONE}, every this many spin steps one is a yield (a power of two). */
    static final int YIELD_EVERY = 64;

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
        boolean fit = fitsCores(localRanks);
        if (spins < 0) spins = fit ? 20_000 : 0;
        // Ranks that fit the cores yield long before they sleep (~10 ms): a waiter whose peer lost its core for a
        // few milliseconds (a JIT compile) went to sleep after 200 yields, and the wake-up placed both ranks on one
        // core while the other idled (the scheduler's wake-affine; seen with perf sched, session 6). Oversubscribed,
        // a short yield phase: dozens of yielding ranks would only churn the run queues.
        int yields = c.get(Config.YIELD_TRIES);
        if (yields < 0) yields = fit ? 20_000 : 200;
        return new IdleStrategy(spins, yields, c.get(Config.MAX_PARK_MICROS) * 1000L, c.get(Config.DOORBELL));
    }

    /** Whether {@code localRanks} ranks on this host fit its cores (else the host is oversubscribed: no spinning). */
    public static boolean fitsCores(int localRanks) {
        return localRanks <= Runtime.getRuntime().availableProcessors();
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
        switch (phase(step)) {
            case SPIN:
                Thread.onSpinWait();
                break;
            case YIELD:
                Thread.yield();
                break;
            default:
                int k = Math.min(step - spins - yields, 20);
                LockSupport.parkNanos(Math.min(maxParkNanos, 1000L << k));
        }
        return next(step);
    }

    /** What a waiter does after {@code step} fruitless tries. */
    enum Phase { SPIN, YIELD, PARK }

    Phase phase(int step) {
        if (step < spins) {
            // A spinning waiter may share its core with the very thread it waits for: a peer rank whose core was
            // taken by a third thread (the JIT compiling, a GC thread, another program). Pure spinning then hands
            // the core over only at the end of a scheduler slice (1-3 ms per message, measured in session 6); a yield now
            // and then hands it over within tens of microseconds and costs one system call when nothing else wants it.
            return step >= SPIN_ALONE && (step & (YIELD_EVERY - 1)) == 0 ? Phase.YIELD : Phase.SPIN;
        }
        return step < spins + yields ? Phase.YIELD : Phase.PARK;
    }

    static int next(int step) {
        return step == Integer.MAX_VALUE ? step : step + 1;
    }
}
