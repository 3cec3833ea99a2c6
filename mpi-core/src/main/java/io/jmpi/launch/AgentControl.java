package io.jmpi.launch;

import io.jmpi.bootstrap.ControlProtocol;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's side of the hierarchical endpoint exchange (setting {@code agentExchange}; docs/SCALING.md): the launch
 * agent serves its ranks' control connections itself, as jmpirun's {@link RendezvousServer} would (the same
 * authenticated handshake, kind {@code KIND_LAUNCHER}, with the job secret the agent holds; only ranks it started are
 * accepted), so a rank's code is unchanged. It keeps each {@code ENDPOINT} line; once it holds those of every rank of
 * its subtree (its own and those the agents it started sent up, {@link #merge}) it sends them to jmpirun as one
 * {@link AgentFrames#ENDPOINTS} frame, and writes the {@code TABLE} jmpirun sends it once to each of its ranks
 * ({@link #table}). Every other line of a rank (FAIL, ABORT, BYE, DIAG answers) goes up as a {@code CTRL_LINE} frame,
 * the end of its connection as {@code CTRL_CLOSE}; jmpirun's DIAG comes down as {@code CTRL_LINE}.
 *
 * <p>jmpirun thus does one exchange per agent (H, or the agents it started itself in a tree) instead of one per rank
 * (P), and writes the P-line table H times instead of P times; each rank still receives the whole table (O(P)).
 */
final class AgentControl {
    private final byte[] secret;
    private final long jobId;
    private final Set<Integer> started;
    private final AgentFrames.Up up;
    private final Map<Integer, Socket> connections = new ConcurrentHashMap<>();
    /** ENDPOINT lines gathered, by rank; null once sent up. */
    private Map<Integer, String> gathered = new TreeMap<>();
    /** Endpoints the subtree has: -1 until the TREE frame said. */
    private int expected = -1;
    private ServerSocket server;

    AgentControl(byte[] secret, long jobId, Set<Integer> started, AgentFrames.Up up) {
        this.secret = secret.clone();
        this.jobId = jobId;
        this.started = started;
        this.up = up;
    }

    /** The listener ranks connect their control connections to, started on first use on {@code address}. */
    synchronized ServerSocket listener(InetAddress address) throws IOException {
        if (server != null) return server;
        ServerSocket s = new ServerSocket(0, 256, address);
        server = s;
        Thread t = new Thread(() -> {
            while (true) {
                Socket rank;
                try {
                    rank = s.accept();
                } catch (IOException e) {
                    return;
                }
                Thread c = new Thread(null, () -> serve(rank), "agent-control", 128 * 1024);
                c.setDaemon(true);
                c.start();
            }
        }, "agent-control-accept");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** The TREE frame said how many ranks the subtree has. */
    void expect(int endpoints) {
        synchronized (this) {
            expected = endpoints;
        }
        flushIfComplete();
    }

    /** One rank's control connection: the handshake, then its lines until the end. */
    private void serve(Socket s) {
        int rank = -1;
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(RendezvousServer.HANDSHAKE_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            HandshakeDescriptor.Peer peer = HandshakeDescriptor.server(in, out, secret, jobId, -1, Integer.MAX_VALUE);
            if (peer.kind() != HandshakeDescriptor.KIND_LAUNCHER || !started.contains(peer.fromRank())
                    || connections.putIfAbsent(peer.fromRank(), s) != null) {
                return; // not one of this agent's ranks, or connected already: closed below
            }
            rank = peer.fromRank();
            s.setSoTimeout(0);
            String from = s.getInetAddress().getHostAddress();
            if (!up.send(AgentFrames.CTRL_OPEN, rank, from.getBytes(StandardCharsets.UTF_8))) return;
            readLines(rank, in);
        } catch (IOException | RuntimeException e) {
            // the rank's end, a stranger, or a broken line: the rank is told by the end of its connection
        } finally {
            closeQuietly(s);
            if (rank >= 0) {
                connections.remove(rank, s);
                up.send(AgentFrames.CTRL_CLOSE, rank, new byte[0]);
            }
        }
    }

    private void readLines(int rank, InputStream in) throws IOException {
        String line;
        while ((line = ControlProtocol.readLine(in)) != null) {
            if (ControlProtocol.ENDPOINT.equals(ControlProtocol.verb(line))) {
                String why = endpoint(rank, ControlProtocol.rest(line));
                if (why != null) {
                    up.send(AgentFrames.CTRL_LINE, rank, (ControlProtocol.FAIL + " broke the control protocol: " + why)
                            .getBytes(StandardCharsets.UTF_8));
                    return;
                }
                continue;
            }
            if (!up.send(AgentFrames.CTRL_LINE, rank, line.getBytes(StandardCharsets.UTF_8))) return;
        }
    }

    /** Keeps a rank's ENDPOINT; returns why it is refused, or null. */
    private String endpoint(int rank, String text) {
        Endpoint e;
        try {
            e = Endpoint.decode(text);
        } catch (RuntimeException ex) {
            return "bad ENDPOINT '" + text + "'";
        }
        if (e.rank() != rank) return "rank " + rank + " published an endpoint for rank " + e.rank();
        synchronized (this) {
            if (gathered == null || gathered.containsKey(rank)) return "rank " + rank + " published its endpoint twice";
            gathered.put(rank, e.encode());
        }
        flushIfComplete();
        return null;
    }

    /** An ENDPOINTS frame of an agent this one started: its subtree's lines join this agent's. */
    void merge(byte[] block) {
        String text = new String(block, StandardCharsets.UTF_8);
        synchronized (this) {
            if (gathered == null) return;
            for (String line : text.split("\n")) {
                if (line.isEmpty()) continue;
                try {
                    Endpoint e = Endpoint.decode(line);
                    gathered.putIfAbsent(e.rank(), e.encode());
                } catch (RuntimeException ex) {
                    // an agent below sent garbage: the launcher's check of the block fails those ranks
                }
            }
        }
        flushIfComplete();
    }

    /** Sends the block up once every endpoint of the subtree is in. */
    private void flushIfComplete() {
        String block;
        synchronized (this) {
            if (gathered == null || expected < 0 || gathered.size() < expected) return;
            block = String.join("\n", gathered.values());
            gathered = null;
        }
        up.send(AgentFrames.ENDPOINTS, -1, block.getBytes(StandardCharsets.UTF_8));
    }

    /** jmpirun's TABLE (the whole text): written to each of this agent's ranks. */
    void table(byte[] table) {
        for (Map.Entry<Integer, Socket> e : connections.entrySet()) write(e.getValue(), table);
    }

    /** Control lines from jmpirun to one rank (bytes with their newlines). */
    void lineDown(int rank, byte[] lines) {
        Socket s = connections.get(rank);
        if (s != null) write(s, lines);
    }

    /** jmpirun ended the rank's control connection. */
    void close(int rank) {
        closeQuietly(connections.get(rank)); // its reader sees the end and says CTRL_CLOSE
    }

    private static void write(Socket s, byte[] bytes) {
        try {
            synchronized (s) {
                OutputStream o = s.getOutputStream();
                o.write(bytes);
                o.flush();
            }
        } catch (IOException e) {
            closeQuietly(s); // its reader sees the end and says CTRL_CLOSE
        }
    }

    private static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException e) {
            // closing
        }
    }
}
