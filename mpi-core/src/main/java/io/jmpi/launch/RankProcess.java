package io.jmpi.launch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One process the launcher started (a rank's JVM, or the local transport's single JVM) with the two threads that
 * forward its output. Its stdin is closed at once: input is not forwarded, and a rank that reads stdin sees its end
 * instead of blocking forever.
 */
final class RankProcess {
    private final int rank;
    private final Process process;
    private final Thread stdout;
    private final Thread stderr;

    private RankProcess(int rank, Process process, Thread stdout, Thread stderr) {
        this.rank = rank;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts the process with {@code environment} as its complete environment.
     *
     * @param prefix tag of each forwarded line, or null
     */
    static RankProcess start(int rank, List<String> command, Map<String, String> environment,
                             OutputForwarder output, String prefix) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        Thread o = output.pump(p.getInputStream(), false, prefix, "jmpirun-out-" + rank);
        Thread e = output.pump(p.getErrorStream(), true, prefix, "jmpirun-err-" + rank);
        return new RankProcess(rank, p, o, e);
    }

    int rank() {
        return rank;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** Waits until both output streams are forwarded to their end, at most until {@code deadlineNanos}. */
    void awaitOutput(long deadlineNanos) {
        for (Thread t : new Thread[] {stdout, stderr}) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) return;
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops every process of {@code ranks} that still runs, with all its descendants (a rank may have started
     * processes of its own): SIGTERM to all at once, so JVMs run their shutdown hooks; after {@code graceMillis}
     * SIGKILL to whatever is left; then waits (bounded) until they are gone. Returns how many processes were running.
     * Descendants are collected before anything is signalled, because a child whose parent died can no longer be
     * found from it.
     */
    static int stopAll(List<RankProcess> ranks, long graceMillis) {
        List<ProcessHandle> targets = new ArrayList<>();
        int running = 0;
        for (RankProcess r : ranks) {
            ProcessHandle h = r.process.toHandle();
            if (!h.isAlive()) continue;
            running++;
            h.descendants().forEach(targets::add);
            targets.add(h);
        }
        if (targets.isEmpty()) return 0;
        targets.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        awaitExit(targets, deadline);
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle h : targets) {
            if (h.isAlive()) left.add(h);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        awaitExit(left, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        return running;
    }

    private static void awaitExit(List<ProcessHandle> handles, long deadlineNanos) {
        for (ProcessHandle h : handles) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return;
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
