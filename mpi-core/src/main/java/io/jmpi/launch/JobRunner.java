package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.base.Platform;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.BindAddress;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.bootstrap.RankEnvironment;
import io.jmpi.transport.shm.ShmTransport;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one job: starts the rendezvous server (unless the job is one local-transport JVM), starts the processes
 * ({@link Launch.Mode}: rank JVMs here, remote ranks through the launch agent, or one srun/wrapped command for all),
 * then supervises them on the calling thread until the job is over, as decided by {@link JobState}: all exited 0, a
 * rank failed or aborted, the timeout passed, or the launcher was interrupted. Whatever the outcome, every process
 * still running is stopped ({@link RankProcess#stopAll}), their output is forwarded to its end, the server is closed,
 * and one line says what went wrong. A shutdown hook stops the ranks when the launcher itself is told to stop
 * (Ctrl-C, SIGTERM).
 *
 * <p>The server listens on loopback for a job on this machine, else on the address chosen by {@code --bind}/
 * {@code --iface}, else on this machine's address toward the first remote host (the route the ranks' connections
 * will take back).
 */
final class JobRunner {
    /** Time the ranks get between SIGTERM and SIGKILL. */
    private static final long STOP_GRACE_MILLIS = 1000;
    /** Remote ranks get longer: the stop request and the exit travel over the agent's connection. */
    private static final long REMOTE_STOP_GRACE_MILLIS = 3000;
    /** How long to wait for the last output of stopped processes. */
    private static final long DRAIN_MILLIS = 1000;
    /** Supervision tick: the resolution of the time-based rules of {@link JobState} and of the timeout. */
    private static final long TICK_MILLIS = 50;
    /**
     * Remote starts in flight at once: sshd drops new connections beyond {@code MaxStartups} (default 10) that have not
     * authenticated yet, so a big job must not open them all at once. A start is done when its pid line arrives.
     */
    private static final int MAX_STARTS_IN_FLIGHT = 8;

    private final JobSpec spec;
    private final OutputForwarder output;
    private final Map<String, String> baseEnvironment;
    private final List<RankProcess> processes = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();
    private final Object lifecycle = new Object();
    private boolean signalled;
    private boolean finished;
    private volatile RendezvousServer server;
    /** The diagnosis socket: closed (and its file removed) by the job's end or by the shutdown hook, whichever runs. */
    private volatile ControlSocket control;
    /** The launch agents of the job (setting hostAgents), or null when ranks are started directly. */
    private volatile AgentLauncher agents;
    /** The ranks start through launch agents (setting hostAgents): decided once, before the start. */
    private boolean viaAgents;
    /** One external command (srun, mpirun) starts every rank and the launcher sees only its end. */
    private boolean external;
    /** Class-data sharing of the local rank JVMs (setting cds). */
    private ClassDataSharing cds;
    /** How long a hang diagnosis waits for the ranks' answers. */
    private static final long DIAGNOSE_WAIT_MILLIS = 3000;

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
        viaAgents = useAgents();
        external = spec.external() && !viaAgents;
        JobState state = new JobState(spec.processes(), spec.local() ? "the local job" : null);
        if (external) state.external(spec.launch().externalName());
        Thread hook = new Thread(this::onShutdown, "jmpirun-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        RendezvousServer server = null;
        ControlSocket control = null;
        JobState.Outcome outcome;
        int stopped;
        cds = ClassDataSharing.plan(spec, baseEnvironment, jobId);
        try {
            if (!spec.local()) {
                server = new RendezvousServer(serverAddress(), spec.np(), jobId, secret, new Events());
                this.server = server;
                server.start();
            }
            control = ControlSocket.open(reply -> events.add(new JobEvent.DiagnoseRequested(reply)));
            this.control = control;
            InetSocketAddress launcher = server == null ? null : server.address();
            outcome = viaAgents ? startAgents(jobId, secret, launcher, state)
                    : external ? startExternal(jobId, secret, launcher)
                    : startAll(jobId, secret, launcher, state);
            if (outcome == null) outcome = supervise(state);
        } catch (MpiException e) {
            outcome = new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, -1, e.getMessage());
        } finally {
            stopped = RankProcess.stopAll(processes, spec.launch().mode() == Launch.Mode.LOCAL ? STOP_GRACE_MILLIS
                    : REMOTE_STOP_GRACE_MILLIS);
            AgentLauncher a = agents;
            if (a != null) stopped += a.stopAll(spec.launch().mode() == Launch.Mode.LOCAL ? STOP_GRACE_MILLIS
                    : REMOTE_STOP_GRACE_MILLIS);
            long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
            for (RankProcess p : processes) p.awaitOutput(drainDeadline);
            if (a != null) a.close();
            if (server != null) server.close();
            if (server != null && initTimings()) {
                // the hierarchical exchange's counters (docs/SCALING.md): one message each way per agent, not per rank
                output.message("endpoint exchange: " + server.endpointMessagesReceived() + " messages received, "
                        + server.tableMessagesSent() + " tables sent (" + spec.np() + " ranks, "
                        + (a == null ? 0 : a.agentCount()) + " launch agents started by jmpirun)");
            }
            if (control != null) control.close();
            Map<String, String> rankEnv = new HashMap<>(baseEnvironment);
            rankEnv.putAll(spec.settings());
            ShmTransport.removeJobSegments(Platform.shmDir(Config.of(rankEnv)), jobId);
            cds.jobEnded(rank0Succeeded());
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
            if (outcome.exitCode() == ExitCodes.TIMEOUT && external) {
                more = "; stopped " + spec.launch().externalName();
            }
            output.message(outcome.message() + more);
        }
        return outcome.exitCode();
    }

    /** The address the rendezvous server listens on (see the class comment). */
    private InetAddress serverAddress() {
        Launch launch = spec.launch();
        if (!launch.bind().isEmpty()) return BindAddress.select(launch.bind(), null);
        switch (launch.mode()) {
            case SSH:
                for (Placement.Rank r : launch.ranks()) {
                    if (!r.local()) return towardHost(r.host());
                }
                return InetAddress.getLoopbackAddress();
            case SLURM:
                for (String node : new LinkedHashSet<>(launch.peerHosts())) {
                    if (!Placement.isThisMachine(node)) return towardHost(node);
                }
                return InetAddress.getLoopbackAddress();
            case WRAP:
                // The wrapped command may start ranks anywhere: the first address of an interface that is up.
                for (InetAddress a : localAddresses()) {
                    if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && a instanceof Inet4Address) return a;
                }
                return InetAddress.getLoopbackAddress();
            default:
                return InetAddress.getLoopbackAddress();
        }
    }

    private static List<InetAddress> localAddresses() {
        List<InetAddress> all = new ArrayList<>();
        try {
            for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp()) all.addAll(java.util.Collections.list(ni.getInetAddresses()));
            }
        } catch (java.net.SocketException e) {
            // none then
        }
        return all;
    }

    private static InetAddress towardHost(String host) {
        InetAddress remote;
        try {
            remote = InetAddress.getByName(host);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "cannot resolve host " + host + ": " + e.getMessage(), e);
        }
        try {
            return BindAddress.toward(remote);
        } catch (MpiException e) {
            throw new MpiException(ErrorClass.IO, "host " + host + " (" + remote.getHostAddress() + ") is not reachable "
                    + "from this machine: no route; choose the interface with --bind or --iface", e);
        }
    }

    /** The environment of a process that is not a rank itself: the launcher's own, without any job's identity. */
    private Map<String, String> neutralEnvironment() {
        Map<String, String> env = new HashMap<>(baseEnvironment);
        env.keySet().removeAll(RankEnvironment.ALL);
        return env;
    }

    /** Starts every process; returns an outcome only when the job cannot go on (a process would not start). */
    private JobState.Outcome startAll(long jobId, byte[] secret, InetSocketAddress launcher, JobState state) {
        List<String> command = spec.command(jobId);
        Launch launch = spec.launch();
        Semaphore inFlight = new Semaphore(MAX_STARTS_IN_FLIGHT);
        for (int r = 0; r < spec.processes(); r++) {
            Placement.Rank where = launch.mode() == Launch.Mode.SSH ? launch.ranks().get(r) : null;
            int localRank = where != null ? where.localRank() : r;
            String prefix = spec.tagOutput() && !spec.local() ? "[" + r + "] " : null;
            RankProcess p;
            try {
                if (where == null || where.local()) {
                    Map<String, String> env = neutralEnvironment();
                    env.putAll(spec.settings());
                    if (launcher != null) {
                        env.putAll(new RankEnvironment(r, spec.np(), localRank, jobId, secret,
                                launcher.getAddress().getHostAddress(), launcher.getPort()).toEnvironment());
                    }
                    p = RankProcess.start(r, cds.command(command, r), env, output, prefix);
                } else {
                    if (!acquire(inFlight)) return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
                    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
                    Runnable release = () -> {
                        if (started.compareAndSet(false, true)) inFlight.release();
                    };
                    try {
                        p = startRemote(r, where, jobId, secret, launcher, command, prefix, release);
                    } catch (IOException e) {
                        release.run();
                        throw e;
                    }
                    p.process().onExit().thenRun(release);
                    state.remote(r, where.host());
                }
            } catch (IOException e) {
                return new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, r, "cannot start "
                        + (spec.local() ? "the local job" : "rank " + r) + (where != null && !where.local()
                        ? " on " + where.host() + " with " + String.join(" ", launch.agent()) : "") + ": " + e.getMessage());
            }
            synchronized (lifecycle) {
                if (signalled) { // the shutdown hook already stopped the others; this one must not survive
                    processes.add(p);
                    RankProcess.stopAll(List.of(p), STOP_GRACE_MILLIS);
                    return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
                }
                processes.add(p);
            }
            state.started(r, p.isRemote() ? -1 : p.pid());
            int rank = r;
            p.process().onExit().thenAccept(done -> events.add(new JobEvent.Exited(rank, done.exitValue())));
        }
        return null;
    }

    private boolean initTimings() {
        Map<String, String> env = new HashMap<>(baseEnvironment);
        env.putAll(spec.settings());
        return Config.of(env).get(Config.INIT_TIMINGS);
    }

    /**
     * Whether the ranks start through one launch agent per host (setting hostAgents; {@link AgentLauncher}): auto is
     * on for a hostfile job with a remote host and inside a Slurm allocation (one srun task per node,
     * {@link SlurmAgents}). Never for the local transport (one JVM) or {@code --wrap}.
     */
    private boolean useAgents() {
        return usesAgents(spec, baseEnvironment);
    }

    /** {@link #useAgents} of a job planned in the launcher's environment {@code environment} (also for --dry-run). */
    static boolean usesAgents(JobSpec spec, Map<String, String> environment) {
        Launch launch = spec.launch();
        if (spec.local() || launch.mode() == Launch.Mode.WRAP) return false;
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(spec.settings());
        String choice = Config.of(env).get(Config.HOST_AGENTS);
        if (!choice.equals("auto")) return choice.equals("on");
        return launch.mode() == Launch.Mode.SLURM
                || launch.mode() == Launch.Mode.SSH && launch.ranks().stream().anyMatch(r -> !r.local());
    }

    /** Starts the ranks through their hosts' launch agents. */
    private JobState.Outcome startAgents(long jobId, byte[] secret, InetSocketAddress launcher, JobState state) {
        AgentLauncher a = new AgentLauncher(spec, output, events::add, jobId, secret, neutralEnvironment(),
                baseEnvironment.getOrDefault("JMPI_TLS_PASSWORD", ""));
        if (spec.launch().mode() == Launch.Mode.SLURM) {
            a.viaSlurm(SlurmAgents.place(baseEnvironment, spec.launch().prefix(), spec.np()));
        }
        synchronized (lifecycle) {
            if (signalled) return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
            agents = a;
        }
        List<String> command = spec.command(jobId);
        Map<String, String> env = new HashMap<>(baseEnvironment);
        env.putAll(spec.settings());
        Config settings = Config.of(env);
        a.tree(settings.get(Config.AGENT_FANOUT), settings.get(Config.AGENT_EXCHANGE));
        return a.start(server, settings.get(Config.AGENT_RELAY), command, r -> cds.command(command, r), state);
    }

    /** Whether rank 0 ran here and exited 0 (then an archive it dumped at exit is whole). */
    private boolean rank0Succeeded() {
        if (agents != null) return agents.rank0Succeeded();
        for (RankProcess p : processes) {
            if (p.rank() == 0 && !p.isRemote()) return !p.process().isAlive() && p.process().exitValue() == 0;
        }
        return false;
    }

    private boolean acquire(Semaphore inFlight) {
        try {
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                synchronized (lifecycle) {
                    if (signalled) return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts one rank through the launch agent. Its JMPI_* variables, except the secret, are words of the remote
     * command; the secret is the first line of the agent's stdin (see {@link RemoteCommand}). The agent's own
     * environment is the launcher's, without any job's identity.
     */
    private RankProcess startRemote(int r, Placement.Rank where, long jobId, byte[] secret, InetSocketAddress launcher,
                                    List<String> command, String prefix, Runnable started) throws IOException {
        Map<String, String> rankEnv = new HashMap<>(spec.settings());
        Map<String, String> identity = new RankEnvironment(r, spec.np(), where.localRank(), jobId, secret,
                launcher.getAddress().getHostAddress(), launcher.getPort()).toEnvironment();
        // stdin of the agent: the job secret, then the TLS keystore password (empty line when none): secrets never
        // travel as arguments, which any user of the remote host could read
        String tlsPassword = baseEnvironment.getOrDefault("JMPI_TLS_PASSWORD", "");
        if (tlsPassword.indexOf('\n') >= 0 || tlsPassword.indexOf('\r') >= 0) {
            throw new MpiException(io.jmpi.base.ErrorClass.ARG, "JMPI_TLS_PASSWORD contains a line break; it cannot be forwarded "
                    + "to remote ranks");
        }
        String secretLine = identity.remove(RankEnvironment.SECRET) + "\n" + tlsPassword;
        rankEnv.putAll(identity);
        String javaHome = baseEnvironment.get("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) rankEnv.put("JAVA_HOME", javaHome);
        String segments = ShmTransport.segmentPath(Platform.shmDir(Config.of(spec.settings())), jobId, 0).toString();
        segments = segments.substring(0, segments.length() - 1); // jmpi-<job>-: every rank's segment of this job
        List<String> argv = RemoteCommand.argv(spec.launch().agent(), where.host(), System.getProperty("user.dir"),
                rankEnv, command, segments);
        String jobProperty = JobSpec.JOB_PROPERTY + "=" + Long.toHexString(jobId);
        return RankProcess.startRemote(r, argv, neutralEnvironment(), secretLine, output, prefix, where.host(),
                spec.launch().agent(), jobProperty, pid -> {
                    started.run();
                    events.add(new JobEvent.Located(r, where.host(), pid));
                });
    }

    /**
     * Starts the one command that starts every rank (srun, or the command of {@code --wrap}) with the job's identity
     * in its environment: launcher address, size, job id, secret, and where each rank finds its number
     * ({@code JMPI_RANK_FROM}). srun passes its environment to the tasks; for Open MPI's mpirun the variables are
     * also listed in {@code OMPI_MCA_mca_base_env_list}, which makes mpirun forward them (as {@code -x} would) to
     * ranks on other hosts. The secret is in the environment only, never in an argument.
     */
    private JobState.Outcome startExternal(long jobId, byte[] secret, InetSocketAddress launcher) {
        Launch launch = spec.launch();
        Map<String, String> env = neutralEnvironment();
        env.putAll(spec.settings());
        Map<String, String> identity = new RankEnvironment(0, spec.np(), 0, jobId, secret,
                launcher.getAddress().getHostAddress(), launcher.getPort()).toEnvironment();
        identity.remove(RankEnvironment.RANK);
        identity.remove(RankEnvironment.LOCAL_RANK);
        identity.put(RankEnvironment.RANK_FROM, launch.rankFrom());
        identity.put(RankEnvironment.LOCAL_RANK_FROM, launch.localRankFrom());
        env.putAll(identity);
        if (launch.mode() == Launch.Mode.WRAP) {
            Set<String> names = new LinkedHashSet<>(identity.keySet());
            names.addAll(spec.settings().keySet());
            String old = env.get("OMPI_MCA_mca_base_env_list");
            env.put("OMPI_MCA_mca_base_env_list", (old == null || old.isBlank() ? "" : old + ";")
                    + String.join(";", names));
        }
        List<String> command = new ArrayList<>(launch.prefix());
        command.addAll(spec.command(jobId));
        SrunOutput srun = launch.mode() == Launch.Mode.SLURM ? new SrunOutput(spec.np(), spec.tagOutput(), events::add) : null;
        RankProcess p;
        try {
            p = RankProcess.start(-1, command, env, output, null,
                    srun != null && spec.tagOutput() ? srun::labelled : null, srun != null ? srun::stderrLine : null)
                    .launcherOfRanks();
        } catch (IOException e) {
            return new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, -1, "cannot start " + launch.externalName() + ": "
                    + e.getMessage());
        }
        synchronized (lifecycle) {
            processes.add(p);
            if (signalled) {
                RankProcess.stopAll(List.of(p), STOP_GRACE_MILLIS);
                return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
            }
        }
        p.process().onExit().thenAccept(done -> events.add(new JobEvent.LauncherExited(done.exitValue())));
        return null;
    }

    /** Handles events until the job is over. */
    private JobState.Outcome supervise(JobState state) {
        long deadline = spec.timeoutSeconds() > 0
                ? System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.timeoutSeconds()) : Long.MAX_VALUE;
        long diagnoseAt = spec.diagnoseAfterSeconds() > 0
                ? System.nanoTime() + TimeUnit.SECONDS.toNanos(spec.diagnoseAfterSeconds()) : Long.MAX_VALUE;
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
                if (e instanceof JobEvent.DiagnoseRequested) {
                    ((JobEvent.DiagnoseRequested) e).reply().complete(report(state, "requested by jmpirun --diagnose"));
                    continue;
                }
                state.apply(e, now);
            }
            JobState.Outcome o = state.evaluate(now);
            if (o != null) return o;
            if (System.nanoTime() - diagnoseAt >= 0) {
                diagnoseAt = Long.MAX_VALUE;
                diagnose(state, "the job still runs after --diagnose-after " + spec.diagnoseAfterSeconds() + " s");
            }
            if (System.nanoTime() - deadline >= 0) {
                diagnose(state, "the job exceeded --timeout " + spec.timeoutSeconds() + " s");
                return new JobState.Outcome(ExitCodes.TIMEOUT, -1,
                        "job exceeded --timeout " + spec.timeoutSeconds() + " s");
            }
        }
    }

    /** Asks every rank what it is blocked in and prints the answers with a who-waits-for-whom summary. */
    private void diagnose(JobState state, String why) {
        for (String line : report(state, why)) output.message(line);
    }

    /** The hang diagnosis: every rank's answer and the who-waits-for-whom summary ({@link HangReport}). */
    private List<String> report(JobState state, String why) {
        RendezvousServer s = server;
        if (s == null) return List.of("hang diagnosis (" + why + "): not available for --transport local jobs");
        List<List<String>> answers = s.diagnose(DIAGNOSE_WAIT_MILLIS);
        List<String> names = new java.util.ArrayList<>();
        for (int r = 0; r < answers.size(); r++) names.add(state.who(r));
        return HangReport.format(why, answers, names);
    }

    /** The shutdown hook: the launcher is going away (signal or System.exit), so its ranks must too. */
    private void onShutdown() {
        synchronized (lifecycle) {
            if (finished) return;
            signalled = true;
        }
        events.add(new JobEvent.Interrupted(-1));
        int n = RankProcess.stopAll(processes, spec.launch().mode() == Launch.Mode.LOCAL ? STOP_GRACE_MILLIS
                : REMOTE_STOP_GRACE_MILLIS);
        AgentLauncher a = agents;
        if (a != null) {
            n += a.stopAll(spec.launch().mode() == Launch.Mode.LOCAL ? STOP_GRACE_MILLIS : REMOTE_STOP_GRACE_MILLIS);
            a.close();
        }
        output.message("interrupted; stopped " + (external ? spec.launch().externalName() : plural(n, "rank")));
        // the JVM may halt before run()'s finally gets here: remove the socket now (close is idempotent)
        ControlSocket c = control;
        if (c != null) c.close();
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** Turns what the rendezvous server sees into job events; refused strangers are only logged. */
    private final class Events implements RendezvousServer.Listener {
        @Override
        public void connected(int rank, InetSocketAddress from) {
            events.add(new JobEvent.Connected(rank));
            if (external && from != null && from.getAddress() != null) {
                events.add(new JobEvent.Located(rank, from.getAddress().getHostAddress(), -1));
            }
        }

        @Override
        public void endpoint(int rank, Endpoint endpoint) {
            events.add(new JobEvent.EndpointIn(rank));
            if (external) events.add(new JobEvent.Located(rank, null, endpoint.pid()));
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
