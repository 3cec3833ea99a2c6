package io.jmpi.launch;

import io.jmpi.MpiException;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.bootstrap.RankEnvironment;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job on this machine: starts the rendezvous server (unless the job is one local-transport JVM), starts
 * every process with its environment, then supervises them on the calling thread until the job is over, as decided
 * by {@link JobState}: all exited 0, a rank failed or aborted, the timeout passed, or the launcher was interrupted.
 * Whatever the outcome, every process still running is stopped ({@link RankProcess#stopAll}), their output is
 * forwarded to its end, the server is closed, and one line says what went wrong. A shutdown hook stops the ranks
 * when the launcher itself is told to stop (Ctrl-C, SIGTERM).
 */
final class JobRunner {
    /** Time the ranks get between SIGTERM and SIGKILL. */
    private static final long STOP_GRACE_MILLIS = 1000;
    /** How long to wait for the last output of stopped processes. */
    private static final long DRAIN_MILLIS = 1000;
    /** Supervision tick: the resolution of the time-based rules of {@link JobState} and of the timeout. */
    private static final long TICK_MILLIS = 50;

    private final JobSpec spec;
    private final OutputForwarder output;
    private final Map<String, String> baseEnvironment;
    private final List<RankProcess> processes = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private boolean signalled;
    private boolean finished;

    /**
     * @param baseEnvironment the environment every process inherits (the launcher's own); job identity variables
     *                        in it are replaced
     */
    JobRunner(JobSpec spec, OutputForwarder output, Map<String, String> baseEnvironment) {
        this.spec = spec;
        this.output = output;
        this.baseEnvironment = Map.copyOf(baseEnvironment);
    }

    /** Runs the job to its end; returns the launcher's exit code. */
    int run() {
        long jobId = HandshakeDescriptor.newJobId();
        byte[] secret = HandshakeDescriptor.newSecret();
        JobState state = new JobState(spec.processes(), spec.local() ? "the local job" : null);
        Thread hook = new Thread(this::onShutdown, "jmpirun-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RendezvousServer server = null;
        JobState.Outcome outcome;
        int stopped;
        try {
            if (!spec.local()) {
                server = new RendezvousServer(InetAddress.getLoopbackAddress(), spec.np(), jobId, secret, new Events());
                server.start();
            }
            outcome = startAll(jobId, secret, server == null ? null : server.address(), state);
            if (outcome == null) outcome = supervise(state);
        } catch (MpiException e) {
            outcome = new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, -1, e.getMessage());
        } finally {
            stopped = RankProcess.stopAll(processes, STOP_GRACE_MILLIS);
            long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
            for (RankProcess p : processes) p.awaitOutput(drainDeadline);
            if (server != null) server.close();
            Map<String, String> rankEnv = new HashMap<>(baseEnvironment);
            rankEnv.putAll(spec.settings());
            String shmDir = io.jmpi.Config.of(rankEnv).get(io.jmpi.Config.SHM_DIR);
            io.jmpi.transport.shm.ShmTransport.removeJobSegments(java.nio.file.Path.of(shmDir), jobId);
        }
        synchronized (lifecycle) {
            finished = true;
            if (signalled) return ExitCodes.INTERRUPTED; // the hook has said it all
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
        if (!outcome.ok()) {
            String more = outcome.exitCode() == ExitCodes.TIMEOUT ? "; stopped " + plural(stopped, "rank") : "";
            output.message(outcome.message() + more);
        }
        return outcome.exitCode();
    }

    /** Starts every process; returns an outcome only when the job cannot go on (a process would not start). */
    private JobState.Outcome startAll(long jobId, byte[] secret, InetSocketAddress launcher, JobState state) {
        List<String> command = spec.command(jobId);
        for (int r = 0; r < spec.processes(); r++) {
            Map<String, String> env = new HashMap<>(baseEnvironment);
            env.keySet().removeAll(RankEnvironment.ALL);
            env.putAll(spec.settings());
            if (launcher != null) {
                env.putAll(new RankEnvironment(r, spec.np(), r, jobId, secret,
                        launcher.getAddress().getHostAddress(), launcher.getPort()).toEnvironment());
            }
            String prefix = spec.tagOutput() && !spec.local() ? "[" + r + "] " : null;
            RankProcess p;
            try {
                p = RankProcess.start(r, command, env, output, prefix);
            } catch (IOException e) {
                return new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, r, "cannot start "
                        + (spec.local() ? "the local job" : "rank " + r) + ": " + e.getMessage());
            }
            synchronized (lifecycle) {
                if (signalled) { // the shutdown hook already stopped the others; this one must not survive
                    p.process().destroyForcibly();
                    processes.add(p);
                    return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
                }
                processes.add(p);
            }
            state.started(r, p.pid());
            int rank = r;
            p.process().onExit().thenAccept(done -> events.add(new JobEvent.Exited(rank, done.exitValue())));
        }
        return null;
    }

    /** Handles events until the job is over. */
    private JobState.Outcome supervise(JobState state) {
        long deadline = spec.timeoutSeconds() > 0
                ? System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds()) : Long.MAX_VALUE;
        while (true) {
            JobEvent e;
            try {
                e = events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
            }
            long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            for (; e != null; e = events.poll()) {
                if (e instanceof JobEvent.Interrupted) return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
                state.apply(e, now);
            }
            JobState.Outcome o = state.evaluate(now);
            if (o != null) return o;
            if (System.nanoTime() - deadline >= 0) {
                return new JobState.Outcome(ExitCodes.TIMEOUT, -1,
                        "job exceeded --timeout " + spec.timeoutSeconds() + " s");
            }
        }
    }

    /** The shutdown hook: the launcher is going away (signal or System.exit), so its ranks must too. */
    private void onShutdown() {
        synchronized (lifecycle) {
            if (finished) return;
            signalled = true;
        }
        events.add(new JobEvent.Interrupted(-1));
        int n = RankProcess.stopAll(processes, STOP_GRACE_MILLIS);
        output.message("interrupted; stopped " + plural(n, "rank"));
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Turns what the rendezvous server sees into job events; refused strangers are only logged. */
    private final class Events implements RendezvousServer.Listener {
        @Override
        public void connected(int rank) {
            events.add(new JobEvent.Connected(rank));
        }

        @Override
        public void endpoint(int rank, Endpoint endpoint) {
            events.add(new JobEvent.EndpointIn(rank));
        }

        @Override
        public void failed(int rank, String reason) {
            events.add(new JobEvent.Failed(rank, reason));
        }

        @Override
        public void aborted(int rank, int code, String reason) {
            events.add(new JobEvent.Aborted(rank, code, reason));
        }

        @Override
        public void bye(int rank) {
            events.add(new JobEvent.Bye(rank));
        }

        @Override
        public void closed(int rank) {
            events.add(new JobEvent.ControlClosed(rank));
        }

        @Override
        public void refused(String from, String reason) {
            output.message("refused connection from " + from + ": " + reason);
        }
    }
}
