package io.jmpi.launch;

import io.jmpi.base.Config;
import io.jmpi.bootstrap.RankEnvironment;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The launcher's side of "one launch agent per host" (setting {@code hostAgents}, on by default for jobs with a
 * remote host; docs/SCALING.md): groups the job's ranks by host, starts one {@link HostAgent} per host (this
 * machine's as a child JVM, another host's over one ssh session of the {@code --launch-agent} command, at most {@value #MAX_STARTS_IN_FLIGHT} starting at once), accepts
 * each agent's one authenticated connection on a server socket of its own, sends it its ranks' START frames and turns
 * its frames into the {@link JobEvent}s and output the direct launch produces: PID is {@code Located}, OUT/ERR go to
 * the {@link OutputForwarder} line by line with the rank's tag, EXIT is {@code Exited}. An agent that ends (its ssh
 * failed, the host vanished) before its ranks' EXIT fails those ranks with its exit status (255 for ssh: "connection
 * lost"). With more remote hosts than {@code agentFanout} the agents form a tree ({@link AgentTree}): an Agent here is
 * one jmpirun starts, with the ranks of its whole subtree. The ranks' control connections go to their agent, which
 * serves them and exchanges endpoints once for all of them ({@link AgentControl}, {@code agentExchange}; jmpirun's
 * side is {@code RendezvousServer}'s "held" ranks), or tunnels them ({@code agentExchange=false}).
 *
 * <p>Inside a Slurm allocation ({@link #viaSlurm}) the agents are the tasks of one srun step, one per node
 * ({@link SlurmAgents}), never a tree; an agent whose connection ends while that step goes on fails its ranks at once.
 */
final class AgentLauncher {
    /** Agents starting at once (sshd's MaxStartups, as {@code JobRunner}'s remote starts). */
    private static final int MAX_STARTS_IN_FLIGHT = 8;
    /** How long an agent's end waits for its connection's last frames before its ranks count as lost. */
    private static final long LAST_FRAMES_MILLIS = 1000;

    private final JobSpec spec;
    private final OutputForwarder output;
    private final Consumer<JobEvent> events;
    private final long jobId;
    private final byte[] secret;
    private final Map<String, String> agentEnvironment;
    private final String tlsPassword;
    private final List<Agent> agents = new ArrayList<>();
    private final Agent[] agentOf;
    private final boolean[] exited;
    private int exitedCount;
    private int rank0Code = -1;
    private ServerSocket server;
    /** Serves the ranks' relayed control connections; null when ranks connect to it directly. */
    private RendezvousServer relayTo;
    private volatile boolean closed;
    /** Setting agentFanout: agents jmpirun (and each agent) starts over ssh at most. */
    private int fanout = Integer.MAX_VALUE;
    /** Setting agentExchange: agents hold their ranks' control connections and gather their endpoints. */
    private boolean exchange;
    /** The host of each rank (null: this machine). */
    private final String[] hostOf;
    /** Placement of a Slurm job whose agents are the tasks of one srun step ({@link SlurmAgents}); null otherwise. */
    private List<Placement.Rank> slurm;

    /** One agent jmpirun starts: a host's, and with a tree ({@link AgentTree}) those it starts in turn. */
    private final class Agent {
        final int index;
        final String host; // null: this machine
        /** The ranks of this agent and of the agents below it. */
        final List<Integer> ranks = new ArrayList<>();
        AgentTree.Node node;
        final HeldLink link = new HeldLink(this);
        final Map<Integer, OutputForwarder.Lines[]> lines = new java.util.HashMap<>();
        volatile Process process;
        volatile Socket socket;
        volatile DataOutputStream out;
        volatile Thread reader;
        final Runnable started;
        /** The launcher's ends of the ranks' relayed control connections, by rank. */
        final Map<Integer, java.io.PipedOutputStream> relays = new java.util.concurrent.ConcurrentHashMap<>();

        Agent(int index, String host, Runnable started) {
            this.index = index;
            this.host = host;
            this.started = started;
        }
    }

    /**
     * @param agentEnvironment the environment of an agent started here (the launcher's, without any job's identity)
     */
    AgentLauncher(JobSpec spec, OutputForwarder output, Consumer<JobEvent> events, long jobId, byte[] secret,
                  Map<String, String> agentEnvironment, String tlsPassword) {
        this.spec = spec;
        this.output = output;
        this.events = events;
        this.jobId = jobId;
        this.secret = secret.clone();
        this.agentEnvironment = Map.copyOf(agentEnvironment);
        this.tlsPassword = tlsPassword;
        this.agentOf = new Agent[spec.np()];
        this.exited = new boolean[spec.np()];
        this.hostOf = new String[spec.np()];
    }

    /** Settings agentFanout and agentExchange (before {@link #start}). */
    void tree(int fanout, boolean exchange) {
        this.fanout = fanout;
        this.exchange = exchange;
    }

    /** jmpirun's side of a rank control connection an agent holds: lines, its end and the table go as frames. */
    private static final class HeldLink implements RendezvousServer.AgentLink {
        private final Agent agent;

        HeldLink(Agent agent) {
            this.agent = agent;
        }

        @Override
        public void lines(int rank, byte[] lines) throws IOException {
            write(AgentFrames.CTRL_LINE, rank, lines);
        }

        @Override
        public void close(int rank) {
            try {
                write(AgentFrames.CTRL_CLOSE, rank, new byte[0]);
            } catch (IOException e) {
                // the agent is gone, and the rank's connection with it
            }
        }

        @Override
        public void table(byte[] table) throws IOException {
            write(AgentFrames.TABLE, -1, table);
        }

        private void write(byte type, int rank, byte[] payload) throws IOException {
            DataOutputStream o = agent.out;
            if (o == null) throw new IOException("launch agent " + agent.index + " is not connected");
            AgentFrames.write(o, type, rank, payload);
        }
    }

    /**
     * Makes the agents the tasks of one srun step, one per node of {@code placement} (inside a Slurm allocation):
     * call before {@link #start}.
     */
    AgentLauncher viaSlurm(List<Placement.Rank> placement) {
        this.slurm = List.copyOf(placement);
        return this;
    }

    /** Where rank r runs: the Slurm placement, the hostfile's, or null (this machine). */
    private Placement.Rank where(int r) {
        if (slurm != null) return slurm.get(r);
        return spec.launch().mode() == Launch.Mode.SSH ? spec.launch().ranks().get(r) : null;
    }

    /** How many launch agents the job has (known after {@link #start}). */
    int agentCount() {
        return agents.size();
    }

    /**
     * Starts the agents; returns an outcome only when the job cannot go on.
     *
     * @param rankCommand the command of rank r run on this machine (with its class-data-sharing options)
     */
    JobState.Outcome start(RendezvousServer rendezvousServer, boolean relay, List<String> command,
                           IntFunction<List<String>> rankCommand, JobState state) {
        InetSocketAddress rendezvous = rendezvousServer.address();
        relayTo = relay ? rendezvousServer : null;
        Launch launch = spec.launch();
        Semaphore inFlight = new Semaphore(MAX_STARTS_IN_FLIGHT);
        Map<String, List<Integer>> byHost = new LinkedHashMap<>();
        for (int r = 0; r < spec.np(); r++) {
            Placement.Rank where = where(r);
            String host = where == null || where.local() ? null : where.host();
            hostOf[r] = host;
            byHost.computeIfAbsent(host == null ? "" : host, h -> new ArrayList<>()).add(r);
            state.started(r, -1);
            if (host != null) state.remote(r, host);
        }
        for (AgentTree.Node root : AgentTree.plan(byHost, slurm != null ? Integer.MAX_VALUE : fanout)) {
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            Agent a = new Agent(agents.size(), root.host().isEmpty() ? null : root.host(), () -> {
                if (once.compareAndSet(false, true)) inFlight.release();
            });
            a.node = root;
            a.ranks.addAll(root.allRanks());
            for (int r : a.ranks) agentOf[r] = a;
            agents.add(a);
        }
        try {
            server = new ServerSocket(0, 128, rendezvous.getAddress());
        } catch (IOException e) {
            return new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, -1, "cannot listen for launch agents on "
                    + rendezvous.getAddress().getHostAddress() + ": " + e.getMessage());
        }
        Thread acceptor = new Thread(() -> accept(rendezvous, command, rankCommand), "jmpirun-agents");
        acceptor.setDaemon(true);
        acceptor.start();
        if (slurm != null) return startStep(command.get(0));
        for (Agent a : agents) {
            try {
                while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (closed) return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new JobState.Outcome(ExitCodes.INTERRUPTED, -1, "interrupted");
            }
            try {
                startAgent(a, command.get(0));
            } catch (IOException e) {
                a.started.run();
                return new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, a.ranks.get(0), "cannot start the launch agent of "
                        + (a.host == null ? "this machine" : a.host + " with " + String.join(" ", launch.agent()))
                        + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** The agent's JVM command: small heap, C1 only (it only copies bytes), the jmpi classes this launcher runs. */
    private List<String> agentCommand(String java, Agent a) {
        long grace = a.host == null ? 1000 : 2000;
        String host = server.getInetAddress().getHostAddress();
        if (slurm == null) return spawn(java, grace, HostAgent.class).command(host, server.getLocalPort(), a.index);
        // a Slurm step's agents (SlurmAgent) find their index from their node's name in the list
        return spawn(java, grace, SlurmAgent.class).command(host, server.getLocalPort(),
                String.join(",", SlurmAgents.nodes(slurm)));
    }

    /** How agents are started: the agent JVM's command (without the launcher's address) and the ssh words. */
    private AgentTree.Spawn spawn(String java, long graceMillis, Class<?> main) {
        String cp;
        try {
            cp = Path.of(HostAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        // the agent resolves the directory on its own host (Platform.shmDir: "" is /dev/shm or java.io.tmpdir there)
        Config settings = Config.of(spec.settings());
        String shmDir = settings.get(Config.SHM_DIR);
        String portable = Boolean.toString(io.jmpi.base.Platform.portable(settings));
        return new AgentTree.Spawn(spec.launch().agent() == null ? List.of() : spec.launch().agent(),
                System.getProperty("user.dir", ""),
                List.of(java, "-Xmx48m", "-Xss512k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp,
                        main.getName()),
                List.of(Long.toHexString(jobId), Long.toString(graceMillis), shmDir, portable));
    }

    /**
     * Starts every agent as a task of one srun step (one per node, {@link SlurmAgents#stepArgv}); the secret and the
     * TLS password go through srun's environment, which srun passes to the tasks. The step's end ends every agent.
     */
    private JobState.Outcome startStep(String java) {
        List<String> argv = SlurmAgents.stepArgv(spec.launch().prefix(), SlurmAgents.nodes(slurm),
                agentCommand(java, agents.get(0)));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(agentEnvironment);
        pb.environment().put(SlurmAgent.SECRET, RankEnvironment.hex(secret));
        if (!tlsPassword.isEmpty()) pb.environment().put(SlurmAgent.TLS_PASSWORD, tlsPassword);
        pb.directory(new java.io.File(System.getProperty("user.dir")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new JobState.Outcome(ExitCodes.CANNOT_LAUNCH, 0, "cannot start the launch agents' step with "
                    + argv.get(0) + ": " + e.getMessage());
        }
        closeStdin(p);
        for (Agent a : agents) {
            a.process = p;
            a.started.run();
        }
        output.pump(p.getInputStream(), false, null, "jmpirun-agents-srun-out");
        output.pump(p.getErrorStream(), true, null, "jmpirun-agents-srun-err");
        p.onExit().thenRun(() -> agents.forEach(this::agentEnded));
        if (closed) p.destroy();
        return null;
    }

    /**
     * A Slurm step's agent whose connection ended (its task died, its node went away) while the step goes on: its
     * ranks without EXIT are lost now, not when the whole step ends.
     */
    private void connectionEnded(Agent a) {
        if (slurm == null || closed) return;
        for (int r : a.ranks) {
            if (isExited(r)) continue;
            events.accept(new JobEvent.Failed(r, "its node's launch agent (a task of the agents' srun step on "
                    + a.host + ") ended before it"));
            exited(r, 255);
        }
    }

    /** Ends a started agent: SIGTERM to srun (which signals the step's tasks; SIGKILL would leave them), else SIGKILL. */
    private void kill(Process p) {
        if (slurm != null) p.destroy();
        else p.destroyForcibly();
    }

    private void startAgent(Agent a, String java) throws IOException {
        List<String> cmd = agentCommand(java, a);
        List<String> argv = a.host == null ? cmd
                : RemoteCommand.agentArgv(spec.launch().agent(), a.host, System.getProperty("user.dir"), cmd);
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(agentEnvironment);
        if (a.host == null) pb.directory(new java.io.File(System.getProperty("user.dir")));
        Process p = pb.start();
        a.process = p;
        try {
            OutputStream in = p.getOutputStream();
            in.write((RankEnvironment.hex(secret) + "\n" + tlsPassword + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            // the agent died at once; its exit code and stderr tell why
        }
        String name = a.host == null ? "local" : a.host;
        output.pump(p.getInputStream(), false, null, "jmpirun-agent-out-" + name);
        output.pump(p.getErrorStream(), true, null, "jmpirun-agent-err-" + name);
        p.onExit().thenRun(() -> agentEnded(a));
        if (closed) p.destroy();
    }

    private void accept(InetSocketAddress rendezvous, List<String> command, IntFunction<List<String>> rankCommand) {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> serve(s, rendezvous, command, rankCommand), "jmpirun-agent-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Authenticates one agent, sends its ranks' START frames, then reads its frames until the end. */
    private void serve(Socket s, InetSocketAddress rendezvous, List<String> command, IntFunction<List<String>> rankCommand) {
        Agent a;
        DataInputStream in;
        try {
            AgentFrames.Accepted acc = AgentFrames.acceptAgent(s, secret, jobId, agents.size());
            in = acc.in();
            DataOutputStream out = acc.out();
            a = agents.get(acc.index());
            synchronized (a) {
                if (a.socket != null) throw new IOException("agent " + a.index + " is already connected");
                a.socket = s;
                a.out = out;
                a.reader = Thread.currentThread();
            }
            a.started.run();
            AgentFrames.write(out, AgentFrames.TREE, -1, AgentFrames.strings(AgentTree.encode(spawn(command.get(0), 2000, HostAgent.class),
                    a.node)));
            for (int r : a.ranks) {
                AgentFrames.write(out, AgentFrames.START, r, AgentFrames.strings(startWords(r, a, rendezvous,
                        a.host == null ? rankCommand.apply(r) : command)));
            }
        } catch (IOException | RuntimeException e) {
            output.message("refused launch agent connection from " + s.getRemoteSocketAddress() + ": " + e.getMessage());
            closeQuietly(s);
            return;
        }
        try {
            AgentFrames.Frame f;
            while ((f = AgentFrames.read(in)) != null) frame(a, f);
        } catch (IOException | RuntimeException e) {
            // the agent or its host is gone: agentEnded decides for its ranks
        } finally {
            for (java.io.PipedOutputStream p : a.relays.values()) closeQuietly(p);
            connectionEnded(a);
            RendezvousServer rs = relayTo;
            if (rs != null) for (int r : a.ranks) rs.heldClosed(r, a.link);
        }
    }

    /** START words: cwd, n, n of NAME=value (settings, identity without the secret, JAVA_HOME), the command. */
    private List<String> startWords(int r, Agent a, InetSocketAddress rendezvous, List<String> command) {
        Placement.Rank where = where(r);
        Map<String, String> env = new java.util.TreeMap<>(spec.settings());
        Map<String, String> identity = new RankEnvironment(r, spec.np(), where != null ? where.localRank() : r, jobId,
                secret, rendezvous.getAddress().getHostAddress(), rendezvous.getPort()).toEnvironment();
        identity.remove(RankEnvironment.SECRET);
        env.putAll(identity);
        if (relayTo != null) env.put(RankEnvironment.LAUNCHER, exchange ? AgentFrames.SERVE_ME : AgentFrames.RELAY_ME);
        String javaHome = agentEnvironment.get("JAVA_HOME");
        if (a.host != null && javaHome != null && !javaHome.isBlank()) env.put("JAVA_HOME", javaHome);
        List<String> words = new ArrayList<>();
        words.add(System.getProperty("user.dir", ""));
        words.add(Integer.toString(env.size()));
        env.forEach((k, v) -> words.add(k + "=" + v));
        words.addAll(command);
        return words;
    }

    private void frame(Agent a, AgentFrames.Frame f) {
        int r = f.rank();
        RendezvousServer rs = relayTo;
        if (f.type() == AgentFrames.ENDPOINTS && rs != null) rs.heldEndpoints(a.link, f.text());
        if (r < 0 || r >= spec.np() || agentOf[r] != a) return;
        switch (f.type()) {
            case AgentFrames.PID -> events.accept(new JobEvent.Located(r, hostOf[r], f.longValue()));
            case AgentFrames.CTRL_OPEN -> {
                if (rs != null) rs.heldOpened(r, a.link, peerAddress(a));
            }
            case AgentFrames.CTRL_LINE -> {
                if (rs != null) rs.heldLine(r, a.link, f.text());
            }
            case AgentFrames.CTRL_CLOSE -> {
                if (rs != null) rs.heldClosed(r, a.link);
            }
            case AgentFrames.OUT, AgentFrames.ERR -> lines(a, r)[f.type() == AgentFrames.OUT ? 0 : 1]
                    .feed(f.payload(), f.payload().length);
            case AgentFrames.FAIL -> events.accept(new JobEvent.Failed(r, f.text()));
            case AgentFrames.RELAY_OPEN -> openRelay(a, r);
            case AgentFrames.RELAY_DATA -> {
                java.io.PipedOutputStream p = a.relays.get(r);
                if (p != null) {
                    try {
                        p.write(f.payload());
                        p.flush(); // wakes the reader now: without it, a PipedInputStream polls once a second
                    } catch (IOException e) {
                        a.relays.remove(r); // the launcher's side ended it
                    }
                }
            }
            case AgentFrames.RELAY_CLOSE -> closeQuietly(a.relays.remove(r));
            case AgentFrames.EXIT -> {
                OutputForwarder.Lines[] l = lines(a, r);
                l[0].end();
                l[1].end();
                exited(r, f.intValue());
            }
            default -> {
                // unknown frames of a newer agent are ignored
            }
        }
    }

    /** A rank's control connection relayed by its agent: served by the rendezvous server on a thread of its own. */
    private void openRelay(Agent a, int r) {
        RendezvousServer rs = relayTo;
        if (rs == null || a.relays.containsKey(r)) return;
        java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream feed;
        try {
            feed = new java.io.PipedOutputStream(in);
        } catch (IOException e) {
            return; // a new pipe connects
        }
        a.relays.put(r, feed);
        OutputStream back = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                DataOutputStream o = a.out;
                if (o == null) throw new IOException("launch agent " + a.index + " is not connected");
                AgentFrames.write(o, AgentFrames.RELAY_DATA, r, b, off, len);
            }
        };
        Runnable close = () -> {
            closeQuietly(a.relays.remove(r));
            DataOutputStream o = a.out;
            if (o == null) return;
            try {
                AgentFrames.write(o, AgentFrames.RELAY_CLOSE, r, new byte[0]);
            } catch (IOException e) {
                // the agent is gone, and the relayed connection with it
            }
        };
        InetSocketAddress from = peerAddress(a);
        Thread t = new Thread(null, () -> {
            try {
                rs.serveRelayed(in, back, close, from);
            } finally {
                closeQuietly(in);
            }
        }, "jmpirun-relayed-" + r, 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    private static InetSocketAddress peerAddress(Agent a) {
        Socket s = a.socket;
        return s != null && s.getRemoteSocketAddress() instanceof InetSocketAddress i ? i : null;
    }

    private OutputForwarder.Lines[] lines(Agent a, int r) {
        return a.lines.computeIfAbsent(r, k -> {
            String prefix = spec.tagOutput() ? "[" + r + "] " : null;
            return new OutputForwarder.Lines[] {output.lines(false, prefix), output.lines(true, prefix)};
        });
    }

    private synchronized void exited(int r, int code) {
        if (exited[r]) return;
        exited[r] = true;
        exitedCount++;
        if (r == 0) rank0Code = hostOf[0] == null ? code : -1;
        events.accept(new JobEvent.Exited(r, code));
        notifyAll();
    }

    /** The agent's process ended: its ranks without an EXIT are lost, with its exit status (255: ssh failed). */
    private void agentEnded(Agent a) {
        a.started.run();
        Thread t = a.reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(LAST_FRAMES_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(a.socket);
        int code;
        try {
            code = a.process.waitFor(1, TimeUnit.SECONDS) ? a.process.exitValue() : 255;
        } catch (InterruptedException e) {
            code = 255;
        }
        for (int r : a.ranks) exited(r, code == 0 ? 255 : code);
    }

    /** True when rank 0 ran on this machine and exited 0. */
    synchronized boolean rank0Succeeded() {
        return rank0Code == 0;
    }

    /**
     * Stops every rank still running: STOP (SIGTERM, then SIGKILL after {@code graceMillis}) to each connected agent,
     * the end of its stdin to an agent not connected yet; waits (bounded) for the ranks' EXIT, and kills the agents
     * whose ranks are still not reported. Returns how many ranks had not exited.
     */
    int stopAll(long graceMillis) {
        int running;
        synchronized (this) {
            running = spec.np() - exitedCount;
        }
        if (running == 0) return 0;
        for (Agent a : agents) {
            DataOutputStream o = a.out;
            boolean sent = false;
            if (o != null) {
                try {
                    AgentFrames.write(o, AgentFrames.STOP, -1, AgentFrames.ofLong(graceMillis));
                    sent = true;
                } catch (IOException e) {
                    // gone: its end reports its ranks
                }
            }
            if (!sent && a.process != null) closeStdin(a.process);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis + 3000);
        awaitExits(deadline);
        for (Agent a : agents) {
            Process p = a.process;
            if (p != null && p.isAlive() && a.ranks.stream().anyMatch(r -> !isExited(r))) kill(p);
        }
        awaitExits(System.nanoTime() + TimeUnit.SECONDS.toNanos(2));
        return running;
    }

    private synchronized boolean isExited(int r) {
        return exited[r];
    }

    private synchronized void awaitExits(long deadlineNanos) {
        while (exitedCount < spec.np()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) return;
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ends the connections (each agent then removes the job's shared-memory files and exits) and the agents. */
    void close() {
        closed = true;
        closeQuietly(server);
        for (Agent a : agents) {
            closeQuietly(a.socket);
            if (a.process != null) closeStdin(a.process);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Agent a : agents) {
            Process p = a.process;
            if (p == null) continue;
            try {
                if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    kill(p);
                    if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    private static void closeStdin(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception e) {
            // closing
        }
    }
}
