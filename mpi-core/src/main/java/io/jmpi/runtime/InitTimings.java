package io.jmpi.runtime;

import io.jmpi.base.Config;

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
    private final long begin;
    private long initDone;
    /** Phase names and their ends (System.nanoTime), formatted only at the end: a mark must not cost what it measures. */
    private final String[] names = new String[8];
    private final long[] ends = new long[8];
    /** The init thread's CPU time at each mark (ns; -1 where the JVM cannot tell): what the phase cost, not waited. */
    private final long[] cpu = new long[8];
    private final long cpuBegin;
    private int count;
    private String jvmToInit;
    private java.util.function.IntSupplier connections = () -> 0;

    private InitTimings(boolean on) {
        this.on = on;
        if (on) {
            // the JVM's own start time (the kernel's process start time is only as exact as its boot time, to a
            // second): the part of start-up before any jmpi code. Read before the clock of the phases starts, as it
            // loads the management classes (requires static java.management: absent, the figure is "?")
            long now = System.currentTimeMillis();
            try {
                jvmToInit = Long.toString(now - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
            } catch (LinkageError e) {
                jvmToInit = "?";
            }
        }
        begin = System.nanoTime();
        cpuBegin = on ? threadCpu() : -1;
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
        if (!on || count == names.length) return;
        names[count] = name;
        cpu[count] = threadCpu();
        ends[count++] = System.nanoTime();
    }

    /** Init is over: prints its phases. */
    public void initDone(int rank) {
        if (!on) return;
        initDone = System.nanoTime();
        long cpuDone = threadCpu();
        List<String> phases = new ArrayList<>();
        List<String> cpus = new ArrayList<>();
        long last = begin;
        long lastCpu = cpuBegin;
        for (int i = 0; i < count; i++) {
            phases.add(names[i] + " " + ms(ends[i] - last));
            cpus.add(names[i] + " " + (cpu[i] < 0 || lastCpu < 0 ? "?" : ms(cpu[i] - lastCpu)));
            last = ends[i];
            lastCpu = cpu[i];
        }
        System.err.println("jmpi: rank " + rank + ": init ms: jvm start to init " + jvmToInit + ", "
                + String.join(", ", phases) + "; init total " + ms(initDone - begin) + "; cpu of the init thread: "
                + String.join(", ", cpus) + "; total " + (cpuDone < 0 || cpuBegin < 0 ? "?" : ms(cpuDone - cpuBegin))
                + "; process cpu since jvm start " + processCpu());
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

    /** Phases marked so far (tests). */
    int marks() {
        return count;
    }

    /** This thread's CPU time in ns, or -1 (no java.management, or the JVM does not measure it). */
    private static long threadCpu() {
        try {
            java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
            return b.isCurrentThreadCpuTimeSupported() ? b.getCurrentThreadCpuTime() : -1;
        } catch (LinkageError | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The whole JVM's CPU time so far in ms (every thread: the JIT compilers' and the GC's too), or "?". */
    private static String processCpu() {
        try {
            java.lang.management.OperatingSystemMXBean b = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (b instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
                return ms(sun.getProcessCpuTime());
            }
        } catch (LinkageError e) {
            // no jdk.management: unknown
        }
        return "?";
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
