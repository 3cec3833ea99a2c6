package io.jmpi.launch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The agents a launch agent starts in the agent tree ({@link AgentTree}, setting {@code agentFanout}): on the TREE
 * frame ({@link #plan}) it listens on its own address, starts each child's agent over ssh as jmpirun starts its own
 * (the secrets as the first two lines of the child's stdin, which stays open: its end tells the child this agent is
 * gone), accepts each child's one authenticated connection (kind {@code KIND_AGENT}, fromRank = the child's index) and
 * then relays frames: down, a frame about a rank of a child's subtree goes to that child ({@link #down}; queued until
 * the child is connected), STOP and TABLE to every child; up, a child's frames go to this agent's own connection as
 * they are, except its ENDPOINTS, which {@link AgentControl} merges with this agent's own.
 *
 * <p>A child whose agent ends (ssh failed, its host vanished, it was killed) before all its subtree's ranks exited
 * has those ranks reported as failed (FAIL naming the host and who started it, then EXIT with the ssh status) so
 * jmpirun ends the job as for an agent it started itself. When this agent stops it ends its children's connections
 * and stdin and waits (bounded) for their ssh sessions to end, so the tree is torn down from the top.
 */
final class AgentBranch {
    /** Children starting at once (sshd's MaxStartups, as jmpirun's own starts). */
    private static final int MAX_STARTS_IN_FLIGHT = 8;

    private final String secretHex;
    private final String tlsPassword;
    private final byte[] secret;
    private final long jobId;
    private final InetAddress address;
    private final AgentFrames.Up up;
    private final AgentControl control;
    /** This agent's host as jmpirun names it (from the TREE frame), for messages. */
    private volatile String self = "?";
    private final List<Child> children = new ArrayList<>();
    private final Map<Integer, Child> route = new HashMap<>();
    private volatile ServerSocket server;
    private volatile boolean stopping;

    /** One agent this agent starts, with its subtree. */
    private final class Child {
        final int index;
        final AgentTree.Node node;
        final Set<Integer> exited = ConcurrentHashMap.newKeySet();
        final List<AgentFrames.Frame> pending = new ArrayList<>();
        volatile Process process;
        Socket socket;
        DataOutputStream out;
        volatile Thread reader;
        boolean gone;

        Child(int index, AgentTree.Node node) {
            this.index = index;
            this.node = node;
        }

        synchronized void forward(AgentFrames.Frame f) {
            if (gone) return;
            if (out == null) {
                pending.add(f);
                return;
            }
            try {
                AgentFrames.write(out, f.type(), f.rank(), f.payload());
            } catch (IOException e) {
                gone = true; // its process's end reports its ranks
            }
        }
    }

    /** @param address this agent's address toward jmpirun: the children connect to it */
    AgentBranch(String secretHex, String tlsPassword, long jobId, InetAddress address, AgentFrames.Up up,
                AgentControl control) {
        this.secretHex = secretHex;
        this.tlsPassword = tlsPassword;
        this.secret = java.util.HexFormat.of().parseHex(secretHex);
        this.jobId = jobId;
        this.address = address;
        this.up = up;
        this.control = control;
    }

    /** Routes a frame from above: true when it went to a child (and is not this agent's). */
    boolean down(AgentFrames.Frame f) {
        if (f.rank() >= 0) {
            Child c;
            synchronized (this) {
                c = route.get(f.rank());
            }
            if (c == null) return false;
            c.forward(f);
            return true;
        }
        if (f.type() == AgentFrames.STOP || f.type() == AgentFrames.TABLE) {
            for (Child c : snapshot()) c.forward(f);
        }
        return false;
    }

    private synchronized List<Child> snapshot() {
        return new ArrayList<>(children);
    }

    /** The TREE frame: starts this agent's children (none for a leaf). */
    void plan(AgentTree.Decoded tree) throws IOException {
        self = tree.node().host();
        List<AgentTree.Node> kids = tree.node().children();
        if (kids.isEmpty()) return;
        synchronized (this) {
            if (!children.isEmpty()) throw new IOException("a second tree frame");
            for (AgentTree.Node n : kids) {
                Child c = new Child(children.size(), n);
                children.add(c);
                for (int r : n.allRanks()) route.put(r, c);
            }
        }
        spawnOf = tree.spawn();
        server = new ServerSocket(0, 64, address);
        Thread accept = new Thread(this::accept, "agent-branch-accept");
        accept.setDaemon(true);
        accept.start();
        Thread spawner = new Thread(() -> spawnAll(tree.spawn()), "agent-branch-spawn");
        spawner.setDaemon(true);
        spawner.start();
    }

    private void spawnAll(AgentTree.Spawn spawn) {
        Semaphore inFlight = new Semaphore(MAX_STARTS_IN_FLIGHT);
        for (Child c : snapshot()) {
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            if (stopping) return;
            List<String> argv = RemoteCommand.agentArgv(spawn.agent(), c.node.host(), spawn.cwd(),
                    spawn.command(address.getHostAddress(), server.getLocalPort(), c.index));
            java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) inFlight.release();
            };
            startedSlots.put(c, release);
            try {
                Process p = new ProcessBuilder(argv).start();
                c.process = p;
                try {
                    OutputStream in = p.getOutputStream();
                    in.write((secretHex + "\n" + tlsPassword + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                } catch (IOException e) {
                    // the child died at once; its exit code tells why
                }
                copy(p.getInputStream(), System.out, "agent-branch-out-" + c.index);
                copy(p.getErrorStream(), System.err, "agent-branch-err-" + c.index);
                p.onExit().thenRun(() -> {
                    release.run();
                    ended(c);
                });
                if (stopping) p.destroy();
            } catch (IOException e) {
                startedSlots.remove(c);
                release.run();
                fail(c, 127, "cannot start the launch agent of " + c.node.host() + " from " + self + " with "
                        + String.join(" ", spawn.agent()) + ": " + e.getMessage());
            }
        }
    }

    /** Releases a child's start slot once it connected. */
    private final Map<Child, Runnable> startedSlots = new ConcurrentHashMap<>();

    private void accept() {
        ServerSocket s = server;
        while (!stopping) {
            Socket c;
            try {
                c = s.accept();
            } catch (IOException e) {
                return;
            }
            Thread t = new Thread(null, () -> serve(c), "agent-branch-conn", 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
    }

    /** Authenticates a child, sends it its TREE and the frames queued for it, then relays its frames up. */
    private void serve(Socket s) {
        Child c;
        DataInputStream in;
        try {
            List<Child> all = snapshot();
            AgentFrames.Accepted acc = AgentFrames.acceptAgent(s, secret, jobId, all.size());
            in = acc.in();
            DataOutputStream out = acc.out();
            c = all.get(acc.index());
            synchronized (c) {
                if (c.out != null || c.gone) throw new IOException("agent " + c.index + " is already connected");
                c.socket = s;
                c.reader = Thread.currentThread();
                AgentFrames.write(out, AgentFrames.TREE, -1, AgentFrames.strings(AgentTree.encode(spawnOf, c.node)));
                for (AgentFrames.Frame f : c.pending) AgentFrames.write(out, f.type(), f.rank(), f.payload());
                c.pending.clear();
                c.out = out;
            }
            Runnable release = startedSlots.remove(c);
            if (release != null) release.run();
        } catch (IOException | RuntimeException e) {
            System.err.println("jmpi host agent on " + self + ": refused a launch agent connection from "
                    + s.getRemoteSocketAddress() + ": " + e.getMessage());
            close(s);
            return;
        }
        try {
            AgentFrames.Frame f;
            while ((f = AgentFrames.read(in)) != null) {
                if (f.type() == AgentFrames.ENDPOINTS) {
                    control.merge(f.payload());
                    continue;
                }
                if (f.type() == AgentFrames.EXIT) c.exited.add(f.rank());
                if (!up.send(f.type(), f.rank(), f.payload())) return;
            }
        } catch (IOException | RuntimeException e) {
            // the child or its host is gone: its process's end reports its ranks
        }
    }

    /** How children start (sent down in each child's TREE). */
    private volatile AgentTree.Spawn spawnOf;

    /** A child's ssh session ended: the ranks of its subtree not reported yet failed with its status. */
    private void ended(Child c) {
        Thread t = c.reader;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int code = c.process.exitValue();
        synchronized (c) {
            c.gone = true;
            close(c.socket);
        }
        if (stopping) return;
        fail(c, code == 0 ? 255 : code, "the launch agent of " + c.node.host() + " (started over ssh by the agent on "
                + self + ") ended with code " + code + " before the rank's exit");
    }

    private void fail(Child c, int code, String reason) {
        byte[] why = reason.getBytes(StandardCharsets.UTF_8);
        for (int r : c.node.allRanks()) {
            if (!c.exited.add(r)) continue;
            up.send(AgentFrames.FAIL, r, why);
            up.send(AgentFrames.EXIT, r, AgentFrames.ofInt(code));
        }
    }

    /**
     * This agent is stopping: ends every child's connection and stdin (each then stops its ranks and its own
     * children), waits up to {@code waitMillis} for their ssh sessions to end, and kills what is left.
     */
    void stop(long waitMillis) {
        stopping = true;
        close(server);
        List<Child> all = snapshot();
        for (Child c : all) {
            synchronized (c) {
                c.gone = true;
                close(c.socket);
            }
            Process p = c.process;
            if (p != null) {
                try {
                    p.getOutputStream().close();
                } catch (IOException e) {
                    // gone already
                }
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        for (Child c : all) {
            Process p = c.process;
            if (p == null) continue;
            try {
                if (!p.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    private static void copy(InputStream from, PrintStream to, String name) {
        Thread t = new Thread(null, () -> {
            byte[] b = new byte[8192];
            int n;
            try (from) {
                while ((n = from.read(b)) > 0) {
                    synchronized (to) {
                        to.write(b, 0, n);
                        to.flush();
                    }
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, name, 128 * 1024);
        t.setDaemon(true);
        t.start();
    }

    private static void close(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }
}
