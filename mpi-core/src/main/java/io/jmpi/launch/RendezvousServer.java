package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.ControlProtocol;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The launcher's rendezvous and control server (docs/BOOTSTRAP.md). Every rank opens one connection to it. Each
 * connection is served by its own thread: first the authenticated handshake
 * ({@link HandshakeDescriptor#server}, expected toRank -1, with a {@value #HANDSHAKE_TIMEOUT_MILLIS} ms socket
 * timeout so a silent stranger cannot hold a thread), then the {@link ControlProtocol} lines. When every rank has
 * published its {@code ENDPOINT}, the server sends the {@code TABLE} to all of them. Everything else a rank says
 * ({@code FAIL}, {@code ABORT}, {@code BYE}, the end of its connection) goes to the {@link Listener}, which decides
 * what it means for the job.
 *
 * <p>A connection that fails the handshake, claims a rank that is already connected, or is of the wrong kind is
 * refused: closed and reported to {@link Listener#refused}, and the job goes on. The bind address is a parameter:
 * loopback for jobs on this machine, another interface for jobs that span hosts.
 */
public final class RendezvousServer implements AutoCloseable {
    /** Socket timeout of each handshake read. */
    public static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** Connections allowed in the handshake at once; more are refused, so a flood cannot exhaust threads. */
    private static final int MAX_PENDING_HANDSHAKES = 64;

    /** What the server tells its owner. Called from the server's threads; implementations must be thread-safe. */
    public interface Listener {
        /** Rank {@code rank} authenticated. */
        default void connected(int rank) {
        }

        /** Rank {@code rank} authenticated, connecting from {@code from}; by default calls {@link #connected(int)}. */
        default void connected(int rank, InetSocketAddress from) {
            connected(rank);
        }

        /** Rank {@code rank} published its endpoint. */
        default void endpoint(int rank, Endpoint endpoint) {
        }

        /** Every rank has its endpoint table now. */
        default void tableSent() {
        }

        /** The rank reported a failure ({@code FAIL}), or broke the control protocol. */
        default void failed(int rank, String reason) {
        }

        /** The rank asked to abort the job ({@code ABORT}). */
        default void aborted(int rank, int code, String reason) {
        }

        /** The rank said {@code BYE}. */
        default void bye(int rank) {
        }

        /** The rank's control connection ended, after or without {@code BYE}. */
        default void closed(int rank) {
        }

        /** A connection was refused; {@code from} is {@code ip:port}. */
        default void refused(String from, String reason) {
        }
    }

    private final ServerSocket server;
    private final int size;
    private final long jobId;
    private final byte[] secret;
    private final Listener listener;
    private final Channel[] control;
    private final Endpoint[] endpoints;
    private int endpointCount;
    private final Set<Channel> sockets = ConcurrentHashMap.newKeySet();
    private final Semaphore pendingHandshakes = new Semaphore(MAX_PENDING_HANDSHAKES);
    private final java.util.concurrent.atomic.AtomicInteger endpointMessages = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger tableMessages = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    /**
     * Binds (to an ephemeral port of {@code bind}) but does not accept yet; see {@link #start()}.
     *
     * @throws MpiException IO when the address cannot be bound
     */
    public RendezvousServer(InetAddress bind, int size, long jobId, byte[] secret, Listener listener) {
        this.size = size;
        this.jobId = jobId;
        this.secret = secret.clone();
        this.listener = listener;
        this.control = new Channel[size];
        this.endpoints = new Endpoint[size];
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(bind, 0), Math.min(size, 4096) + 16);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "rendezvous: cannot listen on " + bind.getHostAddress() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The address ranks connect to. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Starts accepting connections on a daemon thread. */
    public void start() {
        Thread t = new Thread(this::acceptLoop, "jmpirun-accept");
        t.setDaemon(true);
        t.start();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Channel c = new Channel(s, null, null);
            if (!pendingHandshakes.tryAcquire()) {
                refuse(c, "too many connections in the handshake at once");
                continue;
            }
            sockets.add(c);
            Thread t = new Thread(null, () -> serve(c), "jmpirun-control", 256 * 1024);
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Channel c) {
        Socket s = c.socket;
        try {
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
            SocketAddress from = s.getRemoteSocketAddress();
            serve(c, in, out, from instanceof InetSocketAddress ? (InetSocketAddress) from : null);
        } catch (IOException e) {
            c.close();
            sockets.remove(c);
        }
    }

    /**
     * Serves a rank's control connection relayed by its host's launch agent ({@link AgentLauncher}): the bytes the
     * rank sent (its handshake first) arrive on {@code in}, what is written to {@code out} goes back to it, and
     * {@code onClose} ends the relayed connection. Runs on the calling thread until the connection ends.
     */
    void serveRelayed(java.io.InputStream in, java.io.OutputStream out, Runnable onClose, InetSocketAddress from) {
        Channel c = new Channel(null, out, onClose);
        if (closed || !pendingHandshakes.tryAcquire()) {
            refuse(c, closed ? "the launcher is closing" : "too many connections in the handshake at once");
            return;
        }
        sockets.add(c);
        serve(c, new DataInputStream(new BufferedInputStream(in)), new DataOutputStream(new BufferedOutputStream(out)),
                from);
    }

    private void serve(Channel c, DataInputStream in, DataOutputStream out, InetSocketAddress from) {
        int rank = -1;
        try {
            rank = authenticate(c, in, out);
            if (rank < 0) return;
            if (c.socket != null) c.socket.setSoTimeout(0); // a rank may compute for days without a word
            listener.connected(rank, from);
            readLines(rank, in);
        } catch (IOException | RuntimeException e) {
            // the connection broke; for a rank, closed() below tells the listener
        } finally {
            c.close();
            sockets.remove(c);
            if (rank >= 0) listener.closed(rank);
        }
    }

    /** Runs the handshake; returns the authenticated rank, or -1 after refusing the connection. */
    private int authenticate(Channel s, DataInputStream in, DataOutputStream out) {
        HandshakeDescriptor.Peer peer;
        try {
            peer = HandshakeDescriptor.server(in, out, secret, jobId, -1, size);
        } catch (SocketTimeoutException e) {
            refuse(s, "no handshake within " + HANDSHAKE_TIMEOUT_MILLIS / 1000 + " s");
            return -1;
        } catch (EOFException e) {
            refuse(s, "closed during the handshake");
            return -1;
        } catch (MpiException e) {
            refuse(s, e.getMessage().replaceFirst("^handshake: ", "").replaceFirst("^refused connection:? ?", ""));
            return -1;
        } catch (IOException e) {
            refuse(s, "handshake failed: " + e);
            return -1;
        } finally {
            pendingHandshakes.release();
        }
        if (peer.kind() != HandshakeDescriptor.KIND_LAUNCHER) {
            refuse(s, "rank " + peer.fromRank() + " opened a rank-to-rank connection (kind " + peer.kind()
                    + ") to the launcher");
            return -1;
        }
        synchronized (this) {
            if (closed) {
                s.close();
                return -1;
            }
            if (control[peer.fromRank()] != null) {
                refuse(s, "rank " + peer.fromRank() + " is already connected");
                return -1;
            }
            control[peer.fromRank()] = s;
        }
        return peer.fromRank();
    }

    private void readLines(int rank, DataInputStream in) throws IOException {
        String line;
        while ((line = ControlProtocol.readLine(in)) != null) {
            if (!line(rank, line)) return;
        }
    }

    /** Handles one control line of a rank; false when it broke the protocol (the listener was told). */
    private boolean line(int rank, String line) {
        String verb = ControlProtocol.verb(line);
        String rest = ControlProtocol.rest(line);
        try {
            switch (verb) {
                case ControlProtocol.ENDPOINT:
                    endpointMessages.incrementAndGet();
                    if (record(rank, rest)) sendTable();
                    break;
                case ControlProtocol.FAIL:
                    listener.failed(rank, rest);
                    break;
                case ControlProtocol.ABORT:
                    abort(rank, rest);
                    break;
                case ControlProtocol.BYE:
                    listener.bye(rank);
                    break;
                case ControlProtocol.DIAG: {
                    DiagnosisRound d = diagnosis;
                    if (d != null) d.line(rank, rest);
                    break;
                }
                case ControlProtocol.DIAGEND: {
                    DiagnosisRound d = diagnosis;
                    if (d != null) d.end(rank);
                    break;
                }
                default:
                    break; // a verb of a later protocol version
            }
            return true;
        } catch (MpiException e) {
            listener.failed(rank, "broke the control protocol: " + e.getMessage());
            return false;
        }
    }

    private void abort(int rank, String rest) {
        String codeText = ControlProtocol.verb(rest);
        int code;
        try {
            code = Integer.parseInt(codeText);
        } catch (NumberFormatException e) {
            throw new MpiException(ErrorClass.PROTOCOL, "ABORT code '" + codeText + "' is not an integer");
        }
        listener.aborted(rank, code, ControlProtocol.rest(rest));
    }

    /** Records a rank's endpoint; true when it was the last one (then the caller sends the table). */
    private boolean record(int rank, String text) {
        Endpoint e;
        try {
            e = Endpoint.decode(text);
        } catch (RuntimeException ex) {
            throw new MpiException(ErrorClass.PROTOCOL, "bad ENDPOINT '" + text + "'", ex);
        }
        if (e.rank() != rank) {
            throw new MpiException(ErrorClass.PROTOCOL, "rank " + rank + " published an endpoint for rank " + e.rank());
        }
        boolean last;
        synchronized (this) {
            if (endpoints[rank] != null) {
                throw new MpiException(ErrorClass.PROTOCOL, "rank " + rank + " published its endpoint twice");
            }
            endpoints[rank] = e;
            last = ++endpointCount == size;
        }
        listener.endpoint(rank, e);
        return last;
    }

    /**
     * Sends the table to every rank: to a rank's own connection, or once to each launch agent that holds ranks'
     * connections ({@link AgentLink}). Runs on the thread of the last endpoint, outside the lock.
     */
    private void sendTable() {
        Channel[] all;
        synchronized (this) {
            all = control.clone();
        }
        StringBuilder sb = new StringBuilder(ControlProtocol.TABLE).append(' ').append(size).append('\n');
        for (Endpoint e : endpoints) sb.append(e.encode()).append('\n');
        byte[] table = sb.toString().getBytes(StandardCharsets.UTF_8);
        Set<AgentLink> agents = new java.util.HashSet<>();
        for (Channel s : all) {
            if (s.link != null && !agents.add(s.link)) continue;
            tableMessages.incrementAndGet();
            try {
                if (s.link != null) s.link.table(table);
                else s.write(table);
            } catch (IOException e) {
                s.close(); // its reader sees the end and reports the rank as gone
            }
        }
        listener.tableSent();
    }

    // ---- ranks whose control connections a launch agent holds (hierarchical exchange, AgentControl) ----

    /**
     * A launch agent that serves some ranks' control connections itself ({@link AgentControl}, setting
     * {@code agentExchange}): lines to a rank and its end go through it, the table goes to it once.
     */
    interface AgentLink {
        /** Control-protocol lines (with their newlines) to one of the agent's ranks. */
        void lines(int rank, byte[] lines) throws IOException;

        /** Ends the rank's control connection. */
        void close(int rank);

        /** The whole table, once for all the agent's ranks. */
        void table(byte[] table) throws IOException;
    }

    /** A rank authenticated with its agent ({@code CTRL_OPEN}); false when refused (already connected, closing). */
    boolean heldOpened(int rank, AgentLink link, InetSocketAddress from) {
        Channel c = new Channel(link, rank);
        synchronized (this) {
            if (closed || rank < 0 || rank >= size || control[rank] != null) {
                link.close(rank);
                listener.refused("rank " + rank + " held by a launch agent", closed ? "the launcher is closing"
                        : "the rank is already connected");
                return false;
            }
            control[rank] = c;
        }
        sockets.add(c);
        listener.connected(rank, from);
        return true;
    }

    /** A control line of a rank held by {@code link} ({@code CTRL_LINE}). */
    void heldLine(int rank, AgentLink link, String text) {
        Channel c = held(rank, link);
        if (c != null && !c.isClosed() && !line(rank, text)) c.close();
    }

    /** The control connection of a rank held by {@code link} ended ({@code CTRL_CLOSE}, or the agent is gone). */
    void heldClosed(int rank, AgentLink link) {
        Channel c = held(rank, link);
        if (c == null || !sockets.remove(c)) return;
        c.closed = true;
        listener.closed(rank);
    }

    /**
     * An agent's {@code ENDPOINTS}: one line per rank of its subtree, each a rank it holds. One message, whatever
     * the number of ranks. Lines of ranks the agent does not hold are ignored (those ranks then never get a table
     * and their own exchange times out, naming them).
     */
    void heldEndpoints(AgentLink link, String block) {
        endpointMessages.incrementAndGet();
        boolean last = false;
        for (String line : block.split("\n")) {
            if (line.isEmpty()) continue;
            int rank;
            try {
                rank = Endpoint.decode(line).rank();
            } catch (RuntimeException e) {
                continue; // an agent below sent garbage: those ranks never get their table and time out, named
            }
            Channel c = held(rank, link);
            if (c == null) continue;
            try {
                last |= record(rank, line);
            } catch (MpiException e) {
                listener.failed(rank, "broke the control protocol: " + e.getMessage());
            }
        }
        if (last) sendTable();
    }

    private synchronized Channel held(int rank, AgentLink link) {
        if (rank < 0 || rank >= size) return null;
        Channel c = control[rank];
        return c != null && c.link == link ? c : null;
    }

    /** ENDPOINT lines and agents' ENDPOINTS messages received so far (the hierarchical exchange's counter). */
    public int endpointMessagesReceived() {
        return endpointMessages.get();
    }

    /** TABLE messages sent so far: one per rank connected directly, one per launch agent holding ranks. */
    public int tableMessagesSent() {
        return tableMessages.get();
    }

    private void refuse(Channel s, String reason) {
        String from = s.socket != null ? format(s.socket.getRemoteSocketAddress()) : "a rank relayed by its launch agent";
        s.close();
        sockets.remove(s);
        listener.refused(from, reason);
    }

    private volatile DiagnosisRound diagnosis;
    private final Object diagnosing = new Object();

    /**
     * Hang diagnosis: asks every connected rank ({@code DIAG}) what it is blocked in and waits up to
     * {@code timeoutMillis} for the answers. Returns one list of lines per rank; a rank that did not answer gets a
     * line saying why (not connected, connection gone, no answer in time: e.g. stuck in a long computation that
     * holds no jmpi thread, which cannot happen: the answer comes from the control thread).
     */
    public java.util.List<java.util.List<String>> diagnose(long timeoutMillis) {
        synchronized (diagnosing) {
            DiagnosisRound d = new DiagnosisRound(size);
            Channel[] all;
            synchronized (this) {
                all = control.clone();
            }
            synchronized (d) {
                for (int r = 0; r < size; r++) {
                    if (all[r] != null && !all[r].isClosed()) {
                        d.asked[r] = true;
                        d.waiting++;
                    }
                }
            }
            diagnosis = d;
            byte[] ask = (ControlProtocol.DIAG + "\n").getBytes(StandardCharsets.UTF_8);
            for (int r = 0; r < size; r++) {
                if (!d.asked[r]) continue;
                try {
                    all[r].write(ask);
                } catch (IOException e) {
                    synchronized (d) {
                        d.lines.get(r).add("(cannot ask: " + e.getMessage() + ")");
                    }
                    d.end(r);
                }
            }
            try {
                d.await(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            diagnosis = null;
            java.util.List<java.util.List<String>> out = new java.util.ArrayList<>();
            synchronized (d) {
                for (int r = 0; r < size; r++) {
                    java.util.List<String> l = new java.util.ArrayList<>(d.lines.get(r));
                    if (!d.asked[r]) l.add("(not connected to the launcher: not started, before Mpi.init, or gone)");
                    else if (!d.answered[r]) l.add("(no answer within " + timeoutMillis + " ms)");
                    out.add(l);
                }
            }
            return out;
        }
    }

    /** Stops accepting and closes every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        for (Channel s : sockets) s.close();
    }

    /**
     * A rank's control connection: its own socket, a connection relayed by its host's launch agent, or one the agent
     * holds itself ({@link AgentLink}).
     */
    private static final class Channel {
        final Socket socket;
        private final java.io.OutputStream relayOut;
        private final Runnable relayClose;
        final AgentLink link;
        private final int heldRank;
        volatile boolean closed;

        Channel(Socket socket, java.io.OutputStream relayOut, Runnable relayClose) {
            this.socket = socket;
            this.relayOut = relayOut;
            this.relayClose = relayClose;
            this.link = null;
            this.heldRank = -1;
        }

        Channel(AgentLink link, int rank) {
            this.socket = null;
            this.relayOut = null;
            this.relayClose = null;
            this.link = link;
            this.heldRank = rank;
        }

        synchronized void write(byte[] b) throws IOException {
            if (link != null) {
                link.lines(heldRank, b);
                return;
            }
            java.io.OutputStream o = socket != null ? socket.getOutputStream() : relayOut;
            o.write(b);
            o.flush();
        }

        boolean isClosed() {
            return socket != null ? socket.isClosed() : closed;
        }

        void close() {
            if (socket != null) {
                closeQuietly(socket);
                return;
            }
            if (closed) return;
            closed = true;
            if (link != null) link.close(heldRank);
            else relayClose.run();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    /** {@code ip:port} of a socket address, for log lines. */
    static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }
}
