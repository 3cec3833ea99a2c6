package io.jmpi.transport.tcp;

import io.jmpi.buffer.Buf;
import io.jmpi.transport.Link;
import io.jmpi.wire.FrameHeader;

/**
 * The engine's link to one peer over TCP, whether or not a connection exists yet. With connections on first use
 * (setting {@code connections=lazy}) the first frame offered to a peer that has none starts a dial (on a thread of
 * its own, so the progress lock is never held across a connect) and is refused, as a full link refuses: the engine
 * keeps the frame queued and offers it again after the next poll, which installs the connection once it is up.
 *
 * <p>Where the pair stands ({@link #state}) is guarded by the transport's pair lock, because the dialling thread, the
 * handshake threads and the progress thread all move it: {@link #NONE} (never connected), {@link #DIALING} (our dial
 * runs), {@link #AWAITING} (our dial lost the tie-break: the peer's own connection is coming), {@link #CLAIMED}
 * (a connection of the pair was accepted, by the peer's verdict or ours; it is or will be installed), {@link #FAILED}.
 * {@link #conn} is written and read only by the progress-lock holder.
 */
final class PeerSlot implements Link {
    static final int NONE = 0, DIALING = 1, AWAITING = 2, CLAIMED = 3, FAILED = 4;

    private final TcpTransport transport;
    private final int peer;
    private final int maxPayload;
    /** The installed connection, or null. Progress lock. */
    TcpConnection conn;
    /** Pair lock. */
    int state = NONE;
    /** Pair lock: when an {@link #AWAITING} pair gives up on the peer's connection (System.nanoTime). */
    long awaitDeadline;

    PeerSlot(TcpTransport transport, int peer, int maxPayload) {
        this.transport = transport;
        this.peer = peer;
        this.maxPayload = maxPayload;
    }

    @Override
    public int peer() {
        return peer;
    }

    @Override
    public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
        TcpConnection c = conn;
        if (c != null) return c.offer(header, payload, payloadOffset, length);
        transport.firstUse(this);
        return false;
    }

    @Override
    public int maxPayload() {
        return maxPayload;
    }

    @Override
    public boolean hasBacklog() {
        TcpConnection c = conn;
        return c != null && c.hasBacklog();
    }

    @Override
    public boolean unused() {
        return transport.neverConnected(this);
    }
}
