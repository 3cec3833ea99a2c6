package io.jmpi.transport.tcp;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.base.Log;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TCP between JVMs: one connection per pair of ranks, authenticated by {@link HandshakeDescriptor}. By default a
 * pair connects on first use (setting {@code connections=lazy}): the first frame the engine offers a peer without a
 * connection starts a dial ({@link PeerSlot}) and the frame waits in the engine's queue until the connection is
 * installed; a rank that only receives from a peer waits for that peer to connect. Two ranks may dial each other at
 * once: the server's verdict at the end of the handshake keeps exactly one connection, the one opened by the lower
 * rank (docs/PROTOCOL.md, "Connections on first use"). With {@code connections=eager} every pair connects during
 * {@link #connect} (the higher rank dials the lower one), as before. The listener keeps accepting for the whole job
 * so that a stranger's connection is refused and logged without disturbing the job; handshakes run on short-lived
 * threads with a timeout, at most {@value #MAX_HANDSHAKES} at once (a refused dial is retried). Dials and accepted
 * connections reach the progress-lock holder through one queue, drained by {@link #poll}. After the handshake,
 * channels are non-blocking and polled by the progress-lock holder (busy-polling reads: a kernel wake-up costs
 * 60-180 us on small machines).
 *
 * <p>Polling cost. With at most {@value #HOT} data connections every poll reads each of them (one system call per
 * peer, the ping-pong fast path). With more, a poll reads only the hot set (up to {@value #HOT} connections that had
 * data recently; one that stays quiet for {@value #COOL_AFTER} polls leaves it) and asks a selector which others are
 * readable ({@code selectNow}, one system call whatever the number of peers) every {@value #SELECT_EVERY} polls, or
 * every poll while the hot set is empty. The trade-off: a message from a cold peer may wait up to
 * {@value #SELECT_EVERY} polls longer, against a poll that costs at most {@value #HOT} + 1 system calls rather than
 * one per peer; pending writes are still pushed on every poll (a memory check per connection, a system call only
 * for those with a backlog).
 *
 * <p>Waking. The data connections are registered in the rank's wait set ({@link #registerWakeups}, and as they are
 * installed): a sleeping poller wakes when one becomes readable, or writable while it has a backlog, and when a new
 * connection is queued for installation. Connections that only watch a shared-memory peer are not: their end is
 * noticed by the sleeper's timeout, as before. With connections on first use no watch connection is made: the
 * launcher notices a dead process on the same host and ends the job.
 *
 * <p>With the setting {@code tls}, a TLS 1.3 handshake ({@link TlsSetup}, mutual certificates) follows the HMAC
 * handshake on the same socket, still blocking, and the connection is a {@link TlsTcpConnection}. A TLS failure with
 * a peer that proved the job's secret ends this rank (at init, or at first use) with the reason (a misconfigured
 * job, not a stranger).
 */
public final class TcpTransport implements Transport {
    static final int MAX_HANDSHAKES = 8;
    /** Hybrid polling ({@link HybridPoller}): the most connections read on every poll; polls between two readiness checks; a hot one's patience. */
    static final int HOT = 4;
    static final int SELECT_EVERY = 4;
    static final int COOL_AFTER = 64;
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    /** What a dial or an accept hands to the progress-lock holder: a connection to install, or a failure. */
    private record Arrival(int peer, SocketChannel channel, Object tlsSession, String failure, boolean fatal) {
    }

    private TransportContext ctx;
    private ServerSocketChannel server;
    private Thread acceptor;
    private TcpConnection[] connections;
    private PeerSlot[] slots;
    private Endpoint[] table;
    private boolean lazy;
    /** Peers whose data travels by another transport: a connection to them (eager) only watches liveness. */
    private boolean[] watchOnly;
    private TcpConnection[] active = new TcpConnection[0];
    private TcpConnection[] watched = new TcpConnection[0];
    private long nextWatch;
    /** Guards every {@link PeerSlot#state}. */
    private final Object pairLock = new Object();
    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    /** Arrivals queued and not yet taken: a volatile read tells {@link #poll} whether to look at the queue. */
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger handshakes = new AtomicInteger();
    private volatile boolean closed;
    private int maxPayload;
    private int installed;
    /** TLS keys and trust; null when the setting tls is off (then no TLS class is loaded). */
    private TlsSetup tls;
    /** Polling of more than {@link #HOT} data connections. */
    private final HybridPoller hybrid = new HybridPoller();
    private volatile java.nio.channels.Selector waitSet;

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public int listen(TransportContext ctx) {
        this.ctx = ctx;
        this.connections = new TcpConnection[ctx.size()];
        this.watchOnly = new boolean[ctx.size()];
        this.maxPayload = Math.max(ctx.config().get(Config.EAGER_LIMIT), ctx.config().get(Config.CHUNK_SIZE));
        this.lazy = ctx.config().get(Config.CONNECTIONS).equals("lazy");
        this.slots = new PeerSlot[ctx.size()];
        for (int p = 0; p < slots.length; p++) slots[p] = new PeerSlot(this, p, maxPayload);
        if (ctx.config().get(Config.TLS)) tls = TlsSetup.load(ctx.config()); // bad settings fail here, at init
        try {
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(ctx.bindAddress(), 0), 128);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "tcp: cannot listen on " + ctx.bindAddress() + ": " + e.getMessage(), e);
        }
        acceptor = new Thread(this::acceptLoop, "jmpi-tcp-acceptor-" + ctx.rank());
        acceptor.setDaemon(true);
        acceptor.start();
        return server.socket().getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) Log.warn(ctx.rank(), "tcp: accept failed: " + e.getMessage());
                return;
            }
            if (handshakes.incrementAndGet() > MAX_HANDSHAKES) {
                handshakes.decrementAndGet();
                Log.debug(ctx.rank(), "tcp: refused connection from " + remote(ch) + ": too many handshakes at once");
                closeQuietly(ch);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    handshakeAccepted(ch);
                } finally {
                    handshakes.decrementAndGet();
                }
            }, "jmpi-tcp-handshake");
            t.setDaemon(true);
            t.start();
        }
    }

    private void handshakeAccepted(SocketChannel ch) {
        try {
            Socket s = ch.socket();
            s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            DataInputStream in = new DataInputStream(s.getInputStream()) /* unbuffered: frames may follow at once */;
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            HandshakeDescriptor.Peer p = HandshakeDescriptor.server(in, out, ctx.secret(), ctx.jobId(), ctx.rank(), ctx.size());
            if (p.kind() != HandshakeDescriptor.KIND_RANK) throw new MpiException(ErrorClass.PROTOCOL, "not a rank connection");
            int from = p.fromRank();
            boolean keep = admit(from);
            HandshakeDescriptor.writeVerdict(out, keep ? HandshakeDescriptor.VERDICT_ACCEPTED : HandshakeDescriptor.VERDICT_DUPLICATE);
            if (!keep) {
                Log.debug(ctx.rank(), "tcp: rank " + from + "'s connection is a duplicate (the pair keeps the lower rank's)");
                closeQuietly(ch);
                return;
            }
            Object session = null;
            if (tls != null) {
                try {
                    session = tls.handshake(s, false, tlsDeadline());
                } catch (IOException e) {
                    // the peer proved the job's secret: a TLS failure is the job's misconfiguration, so say it
                    String why = "tcp: TLS handshake with rank " + from + " (" + remote(ch) + ") failed: "
                            + e.getMessage() + tlsHint(from);
                    if (!closed) Log.warn(ctx.rank(), why);
                    closeQuietly(ch);
                    arrive(new Arrival(from, null, null, why, true));
                    return;
                }
            }
            s.setSoTimeout(0);
            arrive(new Arrival(from, ch, session, null, false));
        } catch (IOException | MpiException e) {
            if (!closed) Log.warn(ctx.rank(), "tcp: refused connection from " + remote(ch) + ": " + e.getMessage());
            closeQuietly(ch);
        }
    }

    /**
     * The server's tie-break for rank {@code from}'s connection: kept unless the pair already has one, or this rank
     * is dialling {@code from} itself and is the lower rank of the two (the lower rank's connection wins; the peer's
     * server, seeing the same race, keeps ours).
     */
    private boolean admit(int from) {
        synchronized (pairLock) {
            PeerSlot slot = slots[from];
            if (slot.state == PeerSlot.CLAIMED || slot.state == PeerSlot.FAILED) return false;
            if (slot.state == PeerSlot.DIALING && ctx.rank() < from) return false;
            slot.state = PeerSlot.CLAIMED;
            return true;
        }
    }

    /** Hands a connection or a failure to the progress-lock holder, and wakes a sleeping poller to take it. */
    private void arrive(Arrival a) {
        arrivals.add(a);
        arrived.incrementAndGet();
        if (closed) drainClosed();
        java.nio.channels.Selector w = waitSet;
        if (w != null) w.wakeup();
    }

    @Override
    public void connect(Endpoint[] table, int[] peers) {
        this.table = table;
        if (lazy) return;
        int me = ctx.rank();
        for (int p : peers) {
            if (p >= me) continue; // eager: the higher rank dials, so no pair races
            synchronized (pairLock) {
                slots[p].state = PeerSlot.CLAIMED;
            }
            Arrival a = open(table[p]);
            if (a == null) throw new MpiException(ErrorClass.PROTOCOL, "tcp: rank " + p + " refused our connection as a duplicate");
            install(a);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ctx.config().get(Config.CONNECT_TIMEOUT));
        for (int p : peers) {
            while (connections[p] == null) {
                Arrival a;
                try {
                    a = arrivals.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MpiException(ErrorClass.IO, "tcp: interrupted while waiting for peers");
                }
                if (a == null) {
                    List<Integer> missing = new ArrayList<>();
                    for (int q : peers) if (connections[q] == null) missing.add(q);
                    throw new MpiException(ErrorClass.TIMEOUT, "tcp: ranks " + missing + " did not connect within "
                            + ctx.config().get(Config.CONNECT_TIMEOUT) + " s (setting connectTimeout)");
                }
                arrived.decrementAndGet();
                if (a.channel == null) throw new MpiException(ErrorClass.IO, a.failure);
                install(a);
            }
        }
    }

    /**
     * The engine offered a frame to a peer without a connection ({@link PeerSlot#offer}): the first time, start
     * dialling it; while our dial lost the tie-break, wait for the peer's connection, up to {@code connectTimeout}.
     */
    void firstUse(PeerSlot slot) {
        synchronized (pairLock) {
            switch (slot.state) {
                case PeerSlot.NONE:
                    if (closed || table == null) return;
                    slot.state = PeerSlot.DIALING;
                    break;
                case PeerSlot.AWAITING:
                    if (System.nanoTime() - slot.awaitDeadline < 0) return;
                    slot.state = PeerSlot.FAILED;
                    arrive(new Arrival(slot.peer(), null, null, "tcp: rank " + slot.peer() + " did not connect within "
                            + ctx.config().get(Config.CONNECT_TIMEOUT) + " s (setting connectTimeout)", false));
                    return;
                default:
                    return;
            }
        }
        Thread t = new Thread(() -> dial(slot.peer()), "jmpi-tcp-dial-" + slot.peer());
        t.setDaemon(true);
        t.start();
    }

    /** Whether the pair with {@code slot}'s peer never connected and nothing is under way (no goodbye needed). */
    boolean neverConnected(PeerSlot slot) {
        synchronized (pairLock) {
            return slot.state == PeerSlot.NONE;
        }
    }

    /**
     * Dials {@code peer} (its slot is {@link PeerSlot#DIALING}) and hands the outcome to the progress-lock holder:
     * the connection, a failure, or nothing when the peer's verdict says the pair keeps the peer's own connection.
     */
    private void dial(int peer) {
        Endpoint ep = table[peer];
        Arrival a;
        try {
            a = open(ep);
        } catch (MpiException e) {
            // unreachable until the deadline (cause: the last IOException): the peer is gone; a refusal after the peer
            // answered (a TLS or handshake failure, cause: that MpiException) is the job's misconfiguration
            boolean gone = e.getCause() == null || e.getCause() instanceof IOException;
            a = new Arrival(peer, null, null, e.getMessage(), !gone);
        }
        synchronized (pairLock) {
            PeerSlot slot = slots[peer];
            if (a == null) { // the peer's connection wins; ours was closed
                if (slot.state == PeerSlot.DIALING) {
                    slot.state = PeerSlot.AWAITING;
                    slot.awaitDeadline = System.nanoTime()
                            + TimeUnit.SECONDS.toNanos(ctx.config().get(Config.CONNECT_TIMEOUT));
                }
                return;
            }
            if (a.channel != null) slot.state = PeerSlot.CLAIMED;
            else if (slot.state == PeerSlot.DIALING) slot.state = PeerSlot.FAILED;
            else return; // the peer's connection was accepted meanwhile: our failed dial does not matter
        }
        arrive(a);
    }

    /** Connects and authenticates to {@code ep}; null when the peer keeps its own connection (verdict). */
    private Arrival open(Endpoint ep) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ctx.config().get(Config.CONNECT_TIMEOUT));
        IOException last = null;
        while (System.nanoTime() < deadline && !closed) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                ch.socket().connect(new InetSocketAddress(ep.host(), ep.port()), 5_000);
                Socket s = ch.socket();
                s.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
                DataInputStream in = new DataInputStream(s.getInputStream()) /* unbuffered: frames may follow at once */;
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                HandshakeDescriptor.client(in, out, ctx.secret(), ctx.jobId(), HandshakeDescriptor.KIND_RANK, ctx.rank(), ep.rank());
                if (!HandshakeDescriptor.readVerdict(in)) {
                    closeQuietly(ch);
                    return null;
                }
                Object session = null;
                if (tls != null) {
                    try {
                        session = tls.handshake(s, true, tlsDeadline());
                    } catch (IOException e) {
                        // not transient (the peer is there and proved the secret): no retry
                        throw new MpiException(ErrorClass.IO, "TLS handshake failed: " + e.getMessage()
                                + tlsHint(ep.rank()), e);
                    }
                }
                s.setSoTimeout(0);
                return new Arrival(ep.rank(), ch, session, null, false);
            } catch (IOException e) {
                closeQuietly(ch);
                last = e;
                try {
                    Thread.sleep(20); // the peer's listener was open before the exchange; this is a transient error
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (MpiException e) {
                closeQuietly(ch);
                throw new MpiException(e.errorClass(), "tcp: connecting to rank " + ep.rank() + " at " + ep.host() + ":"
                        + ep.port() + ": " + e.getMessage(), e);
            }
        }
        throw new MpiException(ErrorClass.IO, "tcp: cannot connect to rank " + ep.rank() + " at " + ep.host() + ":"
                + ep.port() + ": " + (last == null ? "timed out" : last.getMessage()), last);
    }

    /** Takes queued arrivals (progress-lock holder): installs connections, reports failures. */
    private int takeArrivals(FrameHandler handler) {
        int work = 0;
        Arrival a;
        while ((a = arrivals.poll()) != null) {
            arrived.decrementAndGet();
            work++;
            if (a.channel != null) {
                install(a);
            } else if (a.fatal) {
                throw new MpiException(ErrorClass.IO, a.failure);
            } else {
                handler.onPeerLost(a.peer, false, a.failure);
            }
        }
        return work;
    }

    /** A connection of the pair with {@code a.peer} is up: it becomes the peer's link (progress-lock holder). */
    private void install(Arrival a) {
        int p = a.peer;
        if (closed || connections[p] != null) { // cannot happen while the pair lock's verdicts hold; be safe
            closeQuietly(a.channel);
            return;
        }
        TcpConnection c = configure(p, a.channel, a.tlsSession);
        connections[p] = c;
        slots[p].conn = c;
        installed++;
        if (watchOnly[p]) {
            watched = append(watched, c);
            return;
        }
        active = append(active, c);
        try {
            hybrid.added(c);
            java.nio.channels.Selector w = waitSet;
            if (w != null) c.waitKey = c.channel.register(w, java.nio.channels.SelectionKey.OP_READ);
        } catch (IOException e) {
            // closed meanwhile: its loss is reported by the next poll
        }
    }

    private static TcpConnection[] append(TcpConnection[] a, TcpConnection c) {
        TcpConnection[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = c;
        return b;
    }

    /** Connections installed so far (data and watch; for tests and diagnostics): about 2 per rank for a ring. */
    public int connectionCount() {
        return installed;
    }

    @Override
    public int connections() {
        return installed;
    }

    private long tlsDeadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(ctx.config().get(Config.CONNECT_TIMEOUT));
    }

    private String tlsHint(int peer) {
        return " (this rank's tlsKeystore=" + tls.keystore() + "; both ranks must trust each other's certificate: "
                + "the same keystore on every rank, or a tlsTruststore holding rank " + peer + "'s certificate or its CA)";
    }

    private TcpConnection configure(int peer, SocketChannel ch, Object tlsSession) {
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            int buffer = ctx.config().get(Config.TCP_BUFFER);
            if (buffer > 0) { // an explicit size turns Linux's autotuning off: only when asked for
                ch.setOption(StandardSocketOptions.SO_SNDBUF, buffer);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, buffer);
            } else {
                // A bounded send buffer (the receive side stays autotuned): a 1 MiB frame is written as the socket
                // drains, from this rank's thread, instead of being queued whole in the kernel (and sent on from
                // whichever CPU handles the next ACK: loopback then reorders segments and retransmits). Measured in
                // bench/results/session6/tcp-large.md: 1 MiB bcast p50 over loopback about halved, bandwidth kept.
                int send = ctx.config().get(Config.TCP_SEND_BUFFER);
                if (send > 0) ch.setOption(StandardSocketOptions.SO_SNDBUF, send);
            }
            ch.configureBlocking(false);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "tcp: configuring connection to rank " + peer + ": " + e.getMessage(), e);
        }
        if (tlsSession != null) return TlsTcpConnection.create(peer, ch, maxPayload, tlsSession);
        return new TcpConnection(peer, ch, maxPayload);
    }

    /**
     * Marks peers whose data travels by another transport (shared memory): a connection to them (made at start-up
     * with connections=eager) only tells that the peer is alive, and is polled about once a millisecond so it costs the
     * data path nothing. With connections on first use none is made for them.
     */
    @Override
    public void watchOnly(int[] peers) {
        List<TcpConnection> a = new ArrayList<>(List.of(active));
        List<TcpConnection> w = new ArrayList<>(List.of(watched));
        for (int p : peers) {
            watchOnly[p] = true;
            TcpConnection c = connections[p];
            if (c != null && a.remove(c)) w.add(c);
        }
        active = a.toArray(new TcpConnection[0]);
        watched = w.toArray(new TcpConnection[0]);
    }

    /** The negotiated TLS protocol of the connection to {@code peer}, or null without TLS (tests). */
    String tlsProtocol(int peer) {
        TcpConnection c = connections[peer];
        return c instanceof TlsTcpConnection ? ((TlsTcpConnection) c).protocol() : null;
    }

    @Override
    public Link link(int peer) {
        return slots[peer];
    }

    @Override
    public int poll(FrameHandler handler) {
        int work = 0;
        if (arrived.get() != 0) work += takeArrivals(handler);
        if (active.length <= HOT) {
            for (TcpConnection c : active) {
                int n = c.poll(handler);
                if (n > 0) work += n;
            }
        } else {
            work += hybrid.poll(active, handler);
        }
        if (watched.length > 0) {
            long now = System.nanoTime();
            if (now - nextWatch >= 0) {
                nextWatch = now + 1_000_000;
                for (TcpConnection c : watched) c.poll(handler);
            }
        }
        return work;
    }

    /** Without TLS (whose engine may hold bytes that the socket no longer shows), a sleeper can block on the sockets. */
    @Override
    public boolean supportsWakeups() {
        return tls == null;
    }

    @Override
    public void registerWakeups(java.nio.channels.Selector waitSet) {
        this.waitSet = waitSet;
        for (TcpConnection c : active) {
            try {
                c.waitKey = c.channel.register(waitSet, java.nio.channels.SelectionKey.OP_READ);
            } catch (IOException e) {
                // closed meanwhile: its loss is reported by the next poll
            }
        }
    }

    /** A sleeper also waits for a connection with a backlog to become writable. */
    @Override
    public void announceSleep(boolean sleeping) {
        for (TcpConnection c : active) {
            java.nio.channels.SelectionKey k = c.waitKey;
            if (k == null || !k.isValid()) continue;
            int want = sleeping && c.hasBacklog() ? java.nio.channels.SelectionKey.OP_READ | java.nio.channels.SelectionKey.OP_WRITE
                    : java.nio.channels.SelectionKey.OP_READ;
            try {
                if (k.interestOps() != want) k.interestOps(want);
            } catch (java.nio.channels.CancelledKeyException e) {
                // closed meanwhile
            }
        }
    }

    @Override
    public void wakeup() {
        java.nio.channels.Selector s = waitSet;
        if (s != null) s.wakeup();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        hybrid.close();
        if (connections != null) for (TcpConnection c : connections) if (c != null) c.close();
        drainClosed();
    }

    /** After close: connections that arrive are closed, never installed. */
    private void drainClosed() {
        Arrival a;
        while ((a = arrivals.poll()) != null) {
            arrived.decrementAndGet();
            closeQuietly(a.channel);
        }
    }

    private static String remote(SocketChannel ch) {
        try {
            return String.valueOf(ch.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
