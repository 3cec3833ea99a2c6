package io.jmpi.launch;

import io.jmpi.transport.shm.ShmTransport;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One host's launch agent (docs/SCALING.md, "One launch agent per host"): {@code jmpirun} with setting
 * {@code hostAgents} (on by default for jobs with a remote host) starts one of these per host (this machine's with
 * {@code ProcessBuilder}, another host's over one ssh session, a Slurm node's as a task of one srun step through
 * {@link SlurmAgent}), instead of one process or ssh session per rank.
 * The agent:
 * <ol>
 *   <li>reads the job secret (hex) and the TLS keystore password (possibly empty) as the first two lines of its stdin,
 *       which then stays open: its end means the launcher (or its ssh) is gone;</li>
 *   <li>connects to the launcher's agent server with the authenticated handshake (kind {@code KIND_AGENT}, the
 *       agent's index as fromRank) and speaks {@link AgentFrames} on that one connection;</li>
 *   <li>starts each rank of a START frame ({@code ProcessBuilder}, its own environment plus the frame's variables plus
 *       the secret, which never travels on this connection or a command line), answers PID, forwards the rank's stdout
 *       and stderr as OUT/ERR chunks and, once both ended, its EXIT;</li>
 *   <li>stops everything when the connection or stdin ends, or on STOP: SIGTERM to every rank and its descendants,
 *       SIGKILL to what is left after the grace, then removes the job's shared-memory files on this host and
 *       exits.</li>
 * </ol>
 * With the hierarchical exchange ({@code agentExchange}) it also serves its ranks' control connections
 * ({@link AgentControl}); in an agent tree ({@code agentFanout}) it starts the agents of its slice of the hosts and
 * relays their frames ({@link AgentBranch}); LAUNCHER_HOST PORT is then the address of the agent that started it.
 * usage: {@code java -cp <jmpi> io.jmpi.launch.HostAgent LAUNCHER_HOST PORT INDEX JOB_ID_HEX GRACE_MS SHM_DIR PORTABLE}
 * (SHM_DIR: the setting {@code shmDir}, empty for this host's default; PORTABLE: the setting {@code portable})
 */
public final class HostAgent {
    /** Exit status when the arguments or the stdin lines are wrong. */
    static final int USAGE_EXIT = 2;

    private final long jobId;
    private final long graceMillis;
    private final Path shmDir;
    private final String secretHex;
    private final String tlsPassword;
    private final Map<Integer, Process> ranks = new ConcurrentHashMap<>();
    /** Ranks a START was received for: only they may open a relayed control connection. */
    private final java.util.Set<Integer> started = ConcurrentHashMap.newKeySet();
    /** Relayed control connections of this host's ranks, by rank. */
    private final Map<Integer, Socket> relays = new ConcurrentHashMap<>();
    private volatile java.net.ServerSocket relayServer;
    private java.net.InetAddress relayAddress;
    private final Object stopLock = new Object();
    private boolean stopping;
    private DataOutputStream out;
    /** The ranks' control connections when the agent serves them (hierarchical exchange); null before connecting. */
    private volatile AgentControl control;
    /** The agents this one starts in the agent tree; null before connecting. */
    private volatile AgentBranch branch;

    private HostAgent(long jobId, long graceMillis, Path shmDir, String secretHex, String tlsPassword) {
        this.jobId = jobId;
        this.graceMillis = graceMillis;
        this.shmDir = shmDir;
        this.secretHex = secretHex;
        this.tlsPassword = tlsPassword;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: HostAgent LAUNCHER_HOST PORT INDEX JOB_ID_HEX GRACE_MS SHM_DIR PORTABLE");
            System.exit(USAGE_EXIT);
        }
        InputStream stdin = System.in;
        String secret = readLine(stdin);
        String tls = readLine(stdin);
        if (secret == null || tls == null) System.exit(RemoteCommand.NO_SECRET_EXIT);
        run(args, secret, tls, stdin);
    }

    /**
     * Runs the agent to its end (the process exits). {@code stdin}: watched, its end stops the agent; null when
     * nothing watches it (an agent of a Slurm step, whose stdin is /dev/null: {@link SlurmAgent}).
     */
    static void run(String[] args, String secret, String tls, InputStream stdin) {
        HostAgent agent = new HostAgent(Long.parseUnsignedLong(args[3], 16), Long.parseLong(args[4]),
                io.jmpi.base.Platform.shmDir(args[5], Boolean.parseBoolean(args[6])), secret, tls);
        Thread watch = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // nothing is sent after the secrets; only the end matters
                }
            } catch (IOException e) {
                // same as the end
            }
            agent.tellRunningRanks("its host's launch agent lost jmpirun: the agent's standard input ended (ssh session "
                    + "gone?); stopping the host's ranks");
            agent.stopAndExit(0);
        }, "agent-stdin");
        watch.setDaemon(true);
        if (stdin != null) watch.start();
        int code = agent.run(new InetSocketAddress(args[0], Integer.parseInt(args[1])), Integer.parseInt(args[2]));
        agent.stopAndExit(code);
    }

    /** One line of stdin, read byte by byte so nothing after it is buffered away from the watcher. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.append((char) c);
        if (c < 0 && b.length() == 0) return null;
        return b.toString();
    }

    /** Connects, then serves frames until the connection ends; returns the exit code of the agent. */
    private int run(InetSocketAddress launcher, int index) {
        byte[] secret = HexFormat.of().parseHex(secretHex);
        try (Socket s = new Socket()) {
            s.connect(launcher, 10_000);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            s.setSoTimeout(RendezvousServer.HANDSHAKE_TIMEOUT_MILLIS);
            HandshakeDescriptor.client(in, out, secret, jobId, HandshakeDescriptor.KIND_AGENT, index, -1);
            s.setSoTimeout(0);
            relayAddress = s.getLocalAddress();
            control = new AgentControl(secret, jobId, started, this::send);
            branch = new AgentBranch(secretHex, tlsPassword, jobId, relayAddress, this::send, control);
            AgentFrames.Frame f;
            while ((f = AgentFrames.read(in)) != null) {
                if (branch.down(f)) continue; // a frame for a rank of an agent this one started
                switch (f.type()) {
                    case AgentFrames.TREE -> {
                        AgentTree.Decoded tree = AgentTree.decode(AgentFrames.strings(f.payload()));
                        control.expect(tree.node().total());
                        branch.plan(tree);
                    }
                    case AgentFrames.TABLE -> control.table(f.payload());
                    case AgentFrames.CTRL_LINE -> control.lineDown(f.rank(), f.payload());
                    case AgentFrames.CTRL_CLOSE -> control.close(f.rank());
                    case AgentFrames.START -> start(f.rank(), AgentFrames.strings(f.payload()));
                    case AgentFrames.SIGNAL -> signal(ranks.get(f.rank()), f.intValue() == 9);
                    case AgentFrames.RELAY_DATA -> relayWrite(f.rank(), f.payload());
                    case AgentFrames.RELAY_CLOSE -> closeQuietly(relays.remove(f.rank()));
                    case AgentFrames.STOP -> {
                        long grace = f.longValue();
                        Thread t = new Thread(() -> stopRanks(grace), "agent-stop");
                        t.setDaemon(true);
                        t.start();
                    }
                    default -> throw new IOException("unknown frame type " + f.type());
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            System.err.println("jmpi host agent " + index + ": " + e.getMessage());
            return 1;
        }
    }

    /** Starts one rank. Payload words: cwd, n, n of NAME=value, then the command. */
    private void start(int rank, List<String> words) throws IOException {
        synchronized (stopLock) {
            if (stopping) return;
        }
        String cwd = words.get(0);
        int n = Integer.parseInt(words.get(1));
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(words.subList(2 + n, words.size())));
        Map<String, String> env = pb.environment();
        for (int i = 0; i < n; i++) {
            String kv = words.get(2 + i);
            int eq = kv.indexOf('=');
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        started.add(rank);
        if (AgentFrames.SERVE_ME.equals(env.get("JMPI_LAUNCHER"))) {
            java.net.ServerSocket server = control.listener(relayAddress);
            env.put("JMPI_LAUNCHER", io.jmpi.bootstrap.RankEnvironment.formatHostPort(
                    server.getInetAddress().getHostAddress(), server.getLocalPort()));
        } else if (AgentFrames.RELAY_ME.equals(env.get("JMPI_LAUNCHER"))) {
            java.net.ServerSocket relay = relayServer();
            env.put("JMPI_LAUNCHER", io.jmpi.bootstrap.RankEnvironment.formatHostPort(
                    relay.getInetAddress().getHostAddress(), relay.getLocalPort()));
        }
        env.put("JMPI_SECRET", secretHex);
        if (tlsPassword.isEmpty()) env.remove("JMPI_TLS_PASSWORD");
        else env.put("JMPI_TLS_PASSWORD", tlsPassword);
        if (!cwd.isEmpty() && new File(cwd).isDirectory()) pb.directory(new File(cwd));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            send(AgentFrames.FAIL, rank, ("cannot start: " + e.getMessage()).getBytes(StandardCharsets.UTF_8));
            send(AgentFrames.EXIT, rank, AgentFrames.ofInt(127));
            return;
        }
        p.getOutputStream().close();
        ranks.put(rank, p);
        send(AgentFrames.PID, rank, AgentFrames.ofLong(p.pid()));
        Thread o = pump(rank, p.getInputStream(), AgentFrames.OUT);
        Thread e = pump(rank, p.getErrorStream(), AgentFrames.ERR);
        Thread w = new Thread(null, () -> {
            int code = waitFor(p);
            join(o);
            join(e);
            send(AgentFrames.EXIT, rank, AgentFrames.ofInt(code));
        }, "agent-wait-" + rank, 128 * 1024);
        w.setDaemon(true);
        w.start();
        synchronized (stopLock) {
            if (stopping) signal(p, true);
        }
    }

    /**
     * The listener of the ranks' relayed control connections, started on first use, on the address of this agent's
     * connection to the launcher: a rank advertises the local address of its control connection as its own, so it
     * must be the host's address toward the launcher, not loopback.
     */
    private synchronized java.net.ServerSocket relayServer() throws IOException {
        if (relayServer != null) return relayServer;
        java.net.ServerSocket server = new java.net.ServerSocket(0, 256, relayAddress);
        relayServer = server;
        Thread t = new Thread(() -> {
            while (true) {
                Socket rank;
                try {
                    rank = server.accept();
                } catch (IOException e) {
                    return;
                }
                Thread c = new Thread(null, () -> relay(rank), "agent-relay", 128 * 1024);
                c.setDaemon(true);
                c.start();
            }
        }, "agent-relay-accept");
        t.setDaemon(true);
        t.start();
        return server;
    }

    /** Tunnels one rank's control connection: its HELLO names the rank; then bytes both ways until either end. */
    private void relay(Socket s) {
        int rank = -1;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(RendezvousServer.HANDSHAKE_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            byte[] hello = new byte[HandshakeDescriptor.HELLO_LENGTH];
            new DataInputStream(in).readFully(hello);
            int r = java.nio.ByteBuffer.wrap(hello, 8, 4).getInt();
            if (!started.contains(r) || relays.putIfAbsent(r, s) != null) {
                closeQuietly(s);
                return;
            }
            rank = r;
            s.setSoTimeout(0);
            if (!send(AgentFrames.RELAY_OPEN, rank, new byte[0]) || !send(AgentFrames.RELAY_DATA, rank, hello)) return;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (!send(AgentFrames.RELAY_DATA, rank, buf, n)) return;
            }
        } catch (IOException e) {
            // the rank's end or a stranger's
        } finally {
            closeQuietly(s);
            if (rank >= 0 && relays.remove(rank, s)) send(AgentFrames.RELAY_CLOSE, rank, new byte[0]);
        }
    }

    private void relayWrite(int rank, byte[] payload) {
        Socket s = relays.get(rank);
        if (s == null) return;
        try {
            synchronized (s) {
                s.getOutputStream().write(payload);
                s.getOutputStream().flush();
            }
        } catch (IOException e) {
            closeQuietly(s); // its relay thread sees the end and says RELAY_CLOSE
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    private Thread pump(int rank, InputStream src, byte type) {
        Thread t = new Thread(null, () -> {
            byte[] buf = new byte[8192];
            try (src) {
                int n;
                while ((n = src.read(buf)) > 0) {
                    if (!send(type, rank, buf, n)) return;
                }
            } catch (IOException e) {
                // the rank is gone
            }
        }, "agent-" + (char) type + "-" + rank, 128 * 1024);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private boolean send(byte type, int rank, byte[] payload) {
        return send(type, rank, payload, payload.length);
    }

    /** Sends a frame; false when the connection is gone (then everything stops). */
    private boolean send(byte type, int rank, byte[] payload, int len) {
        DataOutputStream o = out;
        if (o == null) return false;
        try {
            AgentFrames.write(o, type, rank, payload, 0, len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int waitFor(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // keep waiting: the exit must be reported
            }
        }
    }

    private static void join(Thread t) {
        if (t == null) return;
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (or SIGKILL) to the rank's descendants and the rank; null-safe. */
    private static void signal(Process p, boolean kill) {
        if (p == null) return;
        ProcessHandle h = p.toHandle();
        List<ProcessHandle> all = new ArrayList<>();
        h.descendants().forEach(all::add);
        all.add(h);
        for (ProcessHandle x : all) {
            if (kill) x.destroyForcibly();
            else x.destroy();
        }
    }

    /** SIGTERM to every rank, SIGKILL after {@code grace}; returns when none is left (or after the kill). */
    private void stopRanks(long grace) {
        synchronized (stopLock) {
            stopping = true;
        }
        List<Process> all = new ArrayList<>(ranks.values());
        for (Process p : all) if (p.isAlive()) signal(p, false);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace);
        for (Process p : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) break;
            } catch (InterruptedException e) {
                break;
            }
        }
        for (Process p : all) if (p.isAlive()) signal(p, true);
        for (Process p : all) {
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    /** Sends FAIL with {@code reason} for every rank still running (the connection may still be up). */
    private void tellRunningRanks(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<Integer, Process> e : ranks.entrySet()) {
            if (e.getValue().isAlive()) send(AgentFrames.FAIL, e.getKey(), b);
        }
    }

    /** The launcher is gone or done: stop every rank, remove the job's shared-memory files here, exit. */
    private void stopAndExit(int code) {
        AgentBranch b = branch;
        Thread children = null;
        if (b != null) { // the agents this one started stop theirs meanwhile
            children = new Thread(() -> b.stop(graceMillis + 3000), "agent-stop-children");
            children.start();
        }
        stopRanks(graceMillis);
        if (children != null) {
            try {
                children.join(graceMillis + 4000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ShmTransport.removeJobSegments(shmDir, jobId);
        System.out.flush();
        Runtime.getRuntime().halt(code);
    }
}
