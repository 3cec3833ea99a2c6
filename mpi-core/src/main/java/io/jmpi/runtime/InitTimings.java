package io.jmpi.runtime;

import io.jmpi.base.Config;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a rank's start-up time goes, phase by phase (setting {@code initTimings}): from the JVM's start to
 * {@code Mpi.init}, the bootstrap (the launcher's connection), listening, the endpoint exchange (which waits for the
 * slowest rank), connecting, the engine; then, at close, the time from init to close (an empty job's first
 * collective, and the connections it makes on first use) and the close itself. One line each to stderr, prefixed
 * like {@link io.jmpi.base.Log}. Off, it costs one branch per phase.
 */
public final class InitTimings {
    private static final InitTimings OFF = new InitTimings(false);

    private final boolean on;
    private final long begin = System.nanoTime();
    private long last = begin;
    private long initDone;
    private final List<String> phases = new ArrayList<>();
    private String jvmToInit;
    private java.util.function.IntSupplier connections = () -> 0;

    private InitTimings(boolean on) {
        this.on = on;
        if (on) {
            // the process's start time, as the kernel has it (to 10 ms): the part of start-up before any jmpi code
            Instant start = ProcessHandle.current().info().startInstant().orElse(null);
            jvmToInit = start == null ? "?" : Long.toString(java.time.Duration.between(start, Instant.now()).toMillis());
        }
    }

    /** A recorder when the setting {@code initTimings} is on, else one that records nothing. */
    public static InitTimings start(Config config) {
        return config.get(Config.INIT_TIMINGS) ? new InitTimings(true) : OFF;
    }

    /** Does nothing (ranks started without timings: threads, backends, tests). */
    public static InitTimings off() {
        return OFF;
    }

    /** Ends the phase {@code name}, which began at the previous mark. */
    public void mark(String name) {
        if (!on) return;
        long now = System.nanoTime();
        phases.add(name + " " + ms(now - last));
        last = now;
    }

    /** Init is over: prints its phases. */
    public void initDone(int rank) {
        if (!on) return;
        initDone = System.nanoTime();
        System.err.println("jmpi: rank " + rank + ": init ms: jvm start to init " + jvmToInit + ", "
                + String.join(", ", phases) + "; init total " + ms(initDone - begin));
    }

    /** Where the number of connections printed at close comes from (the transports' count). */
    void countConnectionsWith(java.util.function.IntSupplier connections) {
        this.connections = connections;
    }

    /** Close begins: returns its start, for {@link #closed}. */
    long closing() {
        return on ? System.nanoTime() : 0;
    }

    /** Close is over: prints the time from init to close (and the connections made by then) and close's own. */
    void closed(int rank, long closeStart, int connectionsAtClose) {
        if (!on || initDone == 0) return;
        long now = System.nanoTime();
        System.err.println("jmpi: rank " + rank + ": run ms: init to close " + ms(closeStart - initDone)
                + " (connections: " + connectionsAtClose + "), close " + ms(now - closeStart));
    }

    int connections() {
        return on ? connections.getAsInt() : 0;
    }

    public boolean on() {
        return on;
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
