package io.jmpi.launch;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the rank JVMs of one test by a marker system property the test puts on them ({@code --jvm-args}), even
 * after their launcher died and they were re-parented: the integration tests' way to prove nothing was left behind,
 * and to clean up when a test fails.
 */
final class RankProcesses {
    static final String PROPERTY = "jmpi.test.marker";
    private final String marker = UUID.randomUUID().toString();

    /** The {@code --jvm-args} value that marks this test's ranks (plus flags that make small JVMs start fast). */
    String jvmArgs() {
        return "--jvm-args=-D" + PROPERTY + "=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    }

    /** Marked processes still alive. The launcher's own command line carries the marker only inside --jvm-args=. */
    List<ProcessHandle> alive() {
        String arg = "-D" + PROPERTY + "=" + marker;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(arg)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
    }

    /** Waits until no marked process is alive; true if that happened within {@code limit}. */
    boolean awaitNone(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!alive().isEmpty()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(50);
        }
        return true;
    }

    /** Kills every marked process (cleanup after a failed test). */
    void killAll() {
        for (ProcessHandle p : alive()) p.destroyForcibly();
    }

    String describeAlive() {
        return alive().stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .collect(Collectors.joining("\n"));
    }
}
