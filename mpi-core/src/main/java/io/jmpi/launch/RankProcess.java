package io.jmpi.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * One process the launcher started, with the two threads that forward its output: a rank's JVM, the local
 * transport's single JVM, the launch agent ({@code ssh}) of a remote rank, or the one command that starts every rank
 * ({@code srun}, {@code mpirun}). A local process's stdin is closed at once: input is not forwarded, and a rank that
 * reads stdin sees its end instead of blocking forever. A remote rank's stdin carries the job secret and then stays
 * open: closing it is how the launcher stops the rank (see {@link RemoteCommand}).
 */
final class RankProcess {
    /** How long the kill of a remote rank through a second agent connection may take. */
    private static final long BACKSTOP_MILLIS = 6000;

    private final int rank;
    private final Process process;
    private final Thread stdout;
    private final Thread stderr;
    private final Remote remote;
    /**
     * True for the one command that starts every rank (srun, mpirun): it is asked to stop alone, so it can stop its
     * ranks its own way; its descendants are signalled only if they outlive the grace.
     */
    private volatile boolean launcherOfRanks;

    /** What the launcher knows about a remote rank. */
    private static final class Remote {
        final String host;
        final List<String> agent;
        final String jobProperty;
        volatile long pid = -1;

        Remote(String host, List<String> agent, String jobProperty) {
            this.host = host;
            this.agent = List.copyOf(agent);
            this.jobProperty = jobProperty;
        }
    }

    private RankProcess(int rank, Process process, Thread stdout, Thread stderr, Remote remote) {
        this.rank = rank;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.remote = remote;
    }

    /**
     * Starts the process with {@code environment} as its complete environment.
     *
     * @param prefix tag of each forwarded line, or null
     */
    static RankProcess start(int rank, List<String> command, Map<String, String> environment,
                             OutputForwarder output, String prefix) throws IOException {
        return start(rank, command, environment, output, prefix, null, null);
    }

    /** As {@link #start(int, List, Map, OutputForwarder, String)}, with filters for stdout and stderr lines. */
    static RankProcess start(int rank, List<String> command, Map<String, String> environment, OutputForwarder output,
                             String prefix, OutputForwarder.LineFilter outFilter, OutputForwarder.LineFilter errFilter)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p = pb.start();
        p.getOutputStream().close();
        String name = rank >= 0 ? Integer.toString(rank) : "launcher";
        Thread o = output.pump(p.getInputStream(), false, prefix, "jmpirun-out-" + name, outFilter);
        Thread e = output.pump(p.getErrorStream(), true, prefix, "jmpirun-err-" + name, errFilter);
        return new RankProcess(rank, p, o, e, null);
    }

    /**
     * Starts a remote rank through the launch agent: {@code argv} from {@link RemoteCommand#argv}. Writes
     * {@code secretLine} to the agent's stdin and keeps it open. {@code onPid} gets the remote JVM's pid from its
     * first stdout line (which is not forwarded), on the output thread.
     */
    static RankProcess startRemote(int rank, List<String> argv, Map<String, String> environment, String secretLine,
                                   OutputForwarder output, String prefix, String host, List<String> agent,
                                   String jobProperty, LongConsumer onPid) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process p = pb.start();
        Remote remote = new Remote(host, agent, jobProperty);
        try {
            OutputStream in = p.getOutputStream();
            in.write((secretLine + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            // the agent died at once; its exit code and stderr tell why
        }
        OutputForwarder.LineFilter pidLine = new OutputForwarder.LineFilter() {
            private boolean seen;

            @Override
            public String filter(String line) {
                if (seen || !line.startsWith(RemoteCommand.PID_MARK)) return line;
                seen = true;
                try {
                    remote.pid = Long.parseLong(line.substring(RemoteCommand.PID_MARK.length()).trim());
                    onPid.accept(remote.pid);
                } catch (NumberFormatException e) {
                    return line;
                }
                return null;
            }
        };
        Thread o = output.pump(p.getInputStream(), false, prefix, "jmpirun-out-" + rank, pidLine);
        Thread e = output.pump(p.getErrorStream(), true, prefix, "jmpirun-err-" + rank, null);
        return new RankProcess(rank, p, o, e, remote);
    }

    int rank() {
        return rank;
    }

    /** Marks this process as the launcher of every rank (see {@link #stopAll}). */
    RankProcess launcherOfRanks() {
        launcherOfRanks = true;
        return this;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /** True for a rank started through the launch agent. */
    boolean isRemote() {
        return remote != null;
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
     * Stops every process of {@code ranks} that still runs. Local processes, with all their descendants (a rank may
     * have started processes of its own): SIGTERM to all at once, so JVMs run their shutdown hooks; after
     * {@code graceMillis} SIGKILL to whatever is left. Remote ranks: their agent's stdin is closed, so the remote
     * script sends SIGTERM (then SIGKILL) to the JVM and exits; an agent still running after the grace is killed,
     * and the remote JVM is then killed by pid over a second agent connection. That second connection is also made
     * for a remote rank whose agent already ended with 255 (connection lost) while its JVM may live on. Waits
     * (bounded) until they are gone. Returns how many processes were running. Descendants are collected before
     * anything is signalled, because a child whose parent died can no longer be found from it.
     */
    /**
     * The exit code of a process its handle says is dead. The handle learns of the death (kill(pid, 0)) before the
     * JDK's reaper has collected the status, and exitValue() throws until then: wait for the reaper, briefly.
     */
    private static int reapedExitCode(Process p) {
        try {
            return p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int stopAll(List<RankProcess> ranks, long graceMillis) {
        List<ProcessHandle> targets = new ArrayList<>();
        List<ProcessHandle> later = new ArrayList<>();
        List<RankProcess> remotes = new ArrayList<>();
        List<RankProcess> orphaned = new ArrayList<>();
        int running = 0;
        for (RankProcess r : ranks) {
            ProcessHandle h = r.process.toHandle();
            if (!h.isAlive()) {
                if (r.remote != null && r.remote.pid > 0 && reapedExitCode(r.process) == 255) orphaned.add(r);
                continue;
            }
            running++;
            if (r.remote != null) {
                remotes.add(r);
                targets.add(h);
                continue;
            }
            h.descendants().forEach(r.launcherOfRanks ? later::add : targets::add);
            targets.add(h);
        }
        if (targets.isEmpty() && orphaned.isEmpty()) return 0;
        for (RankProcess r : remotes) {
            try {
                r.process.getOutputStream().close();
            } catch (IOException ignored) {
                // the agent is gone already
            }
        }
        for (ProcessHandle h : targets) {
            if (remotes.stream().noneMatch(r -> r.process.pid() == h.pid())) h.destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        awaitExit(targets, deadline);
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle h : targets) {
            if (h.isAlive()) left.add(h);
        }
        for (ProcessHandle h : later) {
            if (h.isAlive()) left.add(h);
        }
        left.forEach(ProcessHandle::destroyForcibly);
        for (RankProcess r : remotes) {
            if (left.stream().anyMatch(h -> h.pid() == r.process.pid())) orphaned.add(r);
        }
        List<Thread> backstops = new ArrayList<>();
        for (RankProcess r : orphaned) {
            if (r.remote.pid <= 0) continue;
            Thread t = new Thread(r::killRemote, "jmpirun-backstop-" + r.rank);
            t.setDaemon(true);
            t.start();
            backstops.add(t);
        }
        awaitExit(left, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        long backstopDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKSTOP_MILLIS);
        for (Thread t : backstops) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(backstopDeadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return running;
    }

    /** Kills the remote JVM by pid through a second agent connection, if that pid is still this job's JVM. */
    private void killRemote() {
        List<String> argv = RemoteCommand.killArgv(remote.agent, remote.host, remote.pid, "-D" + remote.jobProperty);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(BACKSTOP_MILLIS - 500, TimeUnit.MILLISECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            // nothing more we can do from here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
