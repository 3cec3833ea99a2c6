package io.jmpi.transport.tcp;

import io.jmpi.base.MpiException;
import io.jmpi.transport.FrameHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A {@link TcpConnection} whose bytes travel through TLS ({@code SSLEngine}, set up by {@link TlsSetup}). Frames are
 * built in the plaintext buffer {@code out} exactly as without TLS ({@link TcpConnection#offer} is inherited);
 * {@link #flush} wraps them into TLS records (at most 16 KiB each, so a 1 MiB frame becomes 64 records) in
 * {@link #netOut} and writes those. Inbound, {@link #poll} reads records into {@link #netIn} and unwraps them into
 * the plaintext buffer {@code in}, which the inherited {@link TcpConnection#dispatch} parses as without TLS.
 *
 * <p>A TLS error (a record that fails authentication, a fatal alert) is reported as a lost peer with the reason,
 * like a read failure; so is the peer's {@code close_notify}, like an end of stream. {@link #close} sends
 * {@code close_notify} when the socket takes it at once.
 */
final class TlsTcpConnection extends TcpConnection {
    /** Largest network buffers: a few hundred KiB per system call keeps large messages fast. */
    private static final int NET_FULL = 512 * 1024;

    private final SSLEngine engine;
    private final int packetSize;
    private final int appSize;
    /** Records waiting to be written: {@code [0, position)}. */
    private ByteBuffer netOut;
    /** Records read and not yet unwrapped: {@code [0, position)}. */
    private ByteBuffer netIn;
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    /** Whether {@link #netIn} may hold whole records not yet unwrapped (bytes read during the handshake). */
    private boolean recordsPending;

    private TlsTcpConnection(int peer, SocketChannel channel, int maxPayload, TlsSetup.Session session) {
        super(peer, channel, maxPayload);
        this.engine = session.engine();
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.appSize = engine.getSession().getApplicationBufferSize();
        int initial = Math.max(4 * packetSize, 64 * 1024);
        this.netOut = direct(initial);
        this.netIn = direct(Math.max(initial, session.leftover().remaining()));
        netIn.put(session.leftover());
        recordsPending = netIn.position() > 0;
    }

    /**
     * The TLS connection for a channel whose TLS handshake is done. Declared as returning the base class so that
     * {@link TcpTransport} does not load this class unless TLS is on.
     */
    static TcpConnection create(int peer, SocketChannel channel, int maxPayload, Object session) {
        return new TlsTcpConnection(peer, channel, maxPayload, (TlsSetup.Session) session);
    }

    /** The negotiated protocol, e.g. TLSv1.3 (tests). */
    String protocol() {
        return engine.getSession().getProtocol();
    }

    /** The negotiated cipher suite (tests). */
    String cipherSuite() {
        return engine.getSession().getCipherSuite();
    }

    @Override
    long bufferBytes() {
        return super.bufferBytes() + netIn.capacity() + netOut.capacity();
    }

    @Override
    public boolean hasBacklog() {
        return out.position() > outStart || netOut.position() > 0;
    }

    /**
     * Wraps pending plaintext {@code out[outStart, position)} into records and writes them, until everything is
     * written or the socket takes no more. Returns bytes written to the socket.
     */
    @Override
    int flush() {
        if (closed) return 0;
        int written = 0;
        try {
            while (true) {
                wrapPending();
                if (netOut.position() == 0) return written;
                netOut.flip();
                int n;
                try {
                    n = channel.write(netOut);
                } finally {
                    netOut.compact();
                }
                written += n;
                if (netOut.position() > 0) return written; // the socket is full: the rest goes on the next poll
                if (out.position() == outStart && !needsWrap()) return written;
            }
        } catch (IOException e) {
            writeFailure = "lost connection to rank " + peer() + " while writing"
                    + (e instanceof SSLException ? " (TLS): " : ": ") + e.getMessage();
            close();
            return written;
        }
    }

    private boolean needsWrap() {
        return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP;
    }

    /** Wraps as much pending plaintext as {@link #netOut} holds (and any TLS message the engine wants to send). */
    private void wrapPending() throws SSLException {
        int end = out.position();
        // large messages: let each system call move more records
        if (out.capacity() > INITIAL && netOut.capacity() < NET_FULL) netOut = grow(netOut, 0, NET_FULL);
        while ((outStart < end || needsWrap()) && netOut.remaining() >= packetSize) {
            SSLEngineResult r;
            if (outStart < end) {
                out.limit(end).position(outStart);
                try {
                    r = engine.wrap(out, netOut);
                } finally {
                    outStart = out.position();
                    out.limit(out.capacity()).position(end);
                }
            } else {
                r = engine.wrap(empty, netOut); // a post-handshake message (a key update's answer)
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("TLS is closed");
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) break; // write first
            runTasks(r);
        }
        if (outStart == end) {
            out.clear();
            outStart = 0;
        }
    }

    private void runTasks(SSLEngineResult r) {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            Runnable t;
            while ((t = engine.getDelegatedTask()) != null) t.run();
        }
    }

    @Override
    int poll(FrameHandler handler) {
        if (closed) {
            if (writeFailure != null && !lostReported) {
                lostReported = true;
                handler.onPeerLost(peer(), false, writeFailure);
                return -1;
            }
            return 0;
        }
        int work = 0;
        try {
            work += flush();
            if (closed) {
                lostReported = true;
                handler.onPeerLost(peer(), false, writeFailure);
                return -1;
            }
            int n = channel.read(netIn);
            if (n < 0) {
                unwrapAndDispatch(handler); // records read before the end
                lost(handler, "connection closed by rank " + peer());
                return -1;
            }
            if (n == 0 && !recordsPending) return work;
            recordsPending = false;
            work += n;
            if (!netIn.hasRemaining() && netIn.capacity() < NET_FULL) netIn = grow(netIn, 0, NET_FULL);
            int frames = unwrapAndDispatch(handler);
            if (frames < 0) {
                lost(handler, "connection closed by rank " + peer() + " (TLS close_notify)");
                return -1;
            }
            work += frames;
        } catch (SSLException e) {
            lost(handler, "lost connection to rank " + peer() + ": TLS: " + e.getMessage());
            return -1;
        } catch (IOException e) {
            lost(handler, "lost connection to rank " + peer() + ": " + e.getMessage());
            return -1;
        } catch (MpiException e) {
            if (e.errorClass() == io.jmpi.base.ErrorClass.PROTOCOL) {
                lost(handler, "closed connection to rank " + peer() + ": " + e.getMessage());
                return -1;
            }
            throw e;
        }
        return work;
    }

    /**
     * Unwraps every whole record of {@link #netIn} into {@code in} and dispatches the frames, making room in
     * {@code in} as needed. Returns frames dispatched, or -1 when the peer closed TLS ({@code close_notify}).
     */
    private int unwrapAndDispatch(FrameHandler handler) throws SSLException {
        int frames = 0;
        boolean produced = false;
        boolean peerClosed = false;
        netIn.flip();
        try {
            while (netIn.hasRemaining()) {
                SSLEngineResult r = engine.unwrap(netIn, in);
                runTasks(r);
                SSLEngineResult.Status st = r.getStatus();
                if (r.bytesProduced() > 0) produced = true;
                if (st == SSLEngineResult.Status.OK) {
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) break; // nothing to do (never seen)
                    continue;
                }
                if (st == SSLEngineResult.Status.BUFFER_UNDERFLOW) break; // a partial record: read more
                if (st == SSLEngineResult.Status.CLOSED) {
                    peerClosed = true;
                    break;
                }
                // BUFFER_OVERFLOW: hand the frames decrypted so far to the engine, then make room
                int free = in.capacity() - in.position();
                if (produced) {
                    frames += dispatch(handler);
                    produced = false;
                }
                if (in.capacity() - in.position() < appSize && inStart > 0) {
                    compact(in, inStart);
                    inStart = 0;
                }
                if (in.capacity() - in.position() <= free) { // no room made: a bigger buffer (rare)
                    in = grow(in, inStart, in.capacity() + 2 * appSize);
                    inStart = 0;
                }
            }
        } finally {
            netIn.compact();
        }
        if (produced) frames += dispatch(handler);
        if (needsWrap()) flush();
        return peerClosed ? -1 : frames;
    }

    @Override
    void close() {
        if (closed) return;
        try {
            // best effort close_notify: one non-blocking attempt, never waiting for the peer's
            engine.closeOutbound();
            netOut.clear();
            engine.wrap(empty, netOut);
            netOut.flip();
            channel.write(netOut);
        } catch (IOException | RuntimeException ignored) {
            // closing anyway
        }
        super.close();
    }
}
