package io.jmpi.transport.tcp;

import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * One authenticated, non-blocking TCP connection to a peer rank. Outbound frames are encoded straight into a
 * direct buffer (the only copy: user array to direct memory, which a heap-buffer write would make anyway) and
 * written at once; what the socket does not take waits for the next poll. Inbound bytes land in a direct buffer
 * that always holds at least one whole frame of the largest allowed size, so the engine reads payloads in place.
 *
 * <p>With TLS ({@link TlsTcpConnection}, chosen once when the connection is set up) these buffers hold the plaintext
 * frames exactly as here, and the subclass replaces {@link #flush}, {@link #poll}, {@link #hasBacklog} and
 * {@link #close} to move them through an {@code SSLEngine}; without TLS that class is never loaded, so the JIT sees
 * this class alone and compiles the plain path as before.
 */
class TcpConnection implements Link {
    private final int peer;
    final SocketChannel channel;
    /** Both buffers start small and grow to their full size on the first frame that needs it (see constructor). */
    ByteBuffer out;
    ByteBuffer in;
    private final int outFull;
    private final int inFull;
    private final FrameHeader inHeader = new FrameHeader();
    private final int maxPayload;
    int outStart;
    int inStart;
    boolean closed;
    /** Why a write failed; reported to the engine by the next {@link #poll} (writes have no handler at hand). */
    String writeFailure;
    boolean lostReported;
    /** Hybrid polling ({@link TcpTransport#poll}): in the hot set; fruitless polls since it last had data. */
    boolean hot;
    int quiet;
    /** This connection's key in the rank's wait set (OP_READ, plus OP_WRITE while a sleeper waits on a backlog). */
    java.nio.channels.SelectionKey waitKey;

    TcpConnection(int peer, SocketChannel channel, int maxPayload) {
        this.peer = peer;
        this.channel = channel;
        this.maxPayload = maxPayload;
        int frame = FrameDescriptor.HEADER_LENGTH + maxPayload;
        // Full sizes keep several of the largest frames in flight. They are reached lazily: a connection that only
        // carries small messages (or only watches a shared-memory peer's liveness) keeps INITIAL bytes each way, so
        // direct memory per rank is 2 x INITIAL x (n - 1) plus the full sizes for peers that move large data.
        this.outFull = Math.max(2 * frame, 256 * 1024);
        this.inFull = Math.max(4 * frame, 1024 * 1024);
        this.out = direct(Math.min(INITIAL, outFull));
        this.in = direct(Math.min(INITIAL, inFull));
    }

    /** Initial size of each direct buffer: one largest eager frame (64 KiB payload) with its header, twice. */
    static final int INITIAL = 2 * (64 * 1024 + FrameDescriptor.HEADER_LENGTH);

    static ByteBuffer direct(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Replaces {@code b} by a buffer of {@code capacity} holding {@code b[from, position)} at its front. */
    static ByteBuffer grow(ByteBuffer b, int from, int capacity) {
        ByteBuffer g = direct(capacity);
        int end = b.position();
        b.limit(end).position(from);
        g.put(b);
        return g;
    }

    /** Direct bytes held by this connection's buffers (for tests and diagnostics). */
    long bufferBytes() {
        return (long) in.capacity() + out.capacity();
    }

    @Override
    public final int peer() {
        return peer;
    }

    @Override
    public final int maxPayload() {
        return maxPayload;
    }

    @Override
    public final boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
        if (closed) return false; // lost: poll() tells the engine, which then fails what waits for this peer
        int need = FrameDescriptor.HEADER_LENGTH + length;
        if (need > out.capacity() / 2 && out.capacity() < outFull) {
            out = grow(out, outStart, outFull);
            outStart = 0;
        }
        if (out.capacity() - out.position() < need) {
            flush();
            if (out.capacity() - out.position() < need) {
                int pending = out.position() - outStart;
                // move what is left to the front only when it is small: never re-copy a large partial frame
                if (pending > out.capacity() / 4 || out.capacity() - pending < need) return false;
                compact(out, outStart);
                outStart = 0;
            }
        }
        header.encode(out);
        if (length > 0) payload.copyOut(payloadOffset, out, length);
        flush();
        return true;
    }

    @Override
    public boolean hasBacklog() {
        return out.position() > outStart;
    }

    /** Writes what is pending; returns bytes written. Pending bytes are {@code out[outStart, position)}. */
    int flush() {
        int end = out.position();
        if (end == outStart || closed) return 0;
        out.limit(end).position(outStart);
        int n;
        try {
            n = channel.write(out);
        } catch (IOException e) {
            // the peer reset the connection (or its host vanished) while data was queued: close now, and let the
            // next poll() report the loss like one seen while reading
            writeFailure = "lost connection to rank " + peer + " while writing: " + e.getMessage();
            close();
            return 0;
        } finally {
            outStart = out.position();
            out.limit(out.capacity()).position(end);
        }
        if (outStart == end) {
            out.clear();
            outStart = 0;
        }
        return n;
    }

    /**
     * Reads and dispatches every complete frame. Returns work done, or -1 when the connection ended (EOF or error),
     * after telling the handler. Unread bytes are {@code in[inStart, position)}; they are moved to the front only
     * when the current frame would not fit behind them, so a large frame is copied once, not once per read.
     */
    int poll(FrameHandler handler) {
        if (closed) {
            if (writeFailure != null && !lostReported) {
                lostReported = true;
                handler.onPeerLost(peer, false, writeFailure);
                return -1;
            }
            return 0;
        }
        int work = 0;
        try {
            work += flush();
            int n = channel.read(in);
            if (n < 0) {
                lost(handler, "connection closed by rank " + peer);
                return -1;
            }
            if (n == 0) return work;
            work += n;
            work += dispatch(handler);
        } catch (IOException e) {
            lost(handler, "lost connection to rank " + peer + ": " + e.getMessage());
            return -1;
        } catch (MpiException e) {
            if (e.errorClass() == io.jmpi.base.ErrorClass.PROTOCOL) {
                lost(handler, "closed connection to rank " + peer + ": " + e.getMessage());
                return -1;
            }
            throw e;
        }
        return work;
    }

    final int dispatch(FrameHandler handler) {
        int frames = 0;
        int end = in.position();
        int need = FrameDescriptor.HEADER_LENGTH;
        while (end - inStart >= FrameDescriptor.HEADER_LENGTH) {
            int p = inStart;
            inHeader.decode(in, p);
            int len = inHeader.length;
            if (len < 0 || len > maxPayload) {
                throw new MpiException(io.jmpi.base.ErrorClass.PROTOCOL, "frame of " + len
                        + " bytes out of range [0, " + maxPayload + "]: " + inHeader);
            }
            int frameEnd = p + FrameDescriptor.HEADER_LENGTH + len;
            if (frameEnd > end) {
                need = FrameDescriptor.HEADER_LENGTH + len;
                break;
            }
            in.limit(frameEnd).position(p + FrameDescriptor.HEADER_LENGTH);
            // consumed before it is dispatched: a frame whose handling throws is never dispatched again
            inStart = frameEnd;
            frames++;
            try {
                handler.onFrame(peer, inHeader, in);
            } finally {
                in.limit(in.capacity()).position(end);
            }
        }
        if (inStart == end) {
            in.clear();
            inStart = 0;
        } else if (need > in.capacity() / 2 && in.capacity() < inFull) {
            in = grow(in, inStart, inFull);
            inStart = 0;
        } else if (in.capacity() - inStart < need) {
            compact(in, inStart);
            inStart = 0;
        }
        return frames;
    }

    /** Moves {@code b[from, position)} to the front; position becomes the moved length. */
    static void compact(ByteBuffer b, int from) {
        int end = b.position();
        b.limit(end).position(from);
        b.compact();
        b.limit(b.capacity());
    }

    final void lost(FrameHandler handler, String reason) {
        close();
        lostReported = true;
        handler.onPeerLost(peer, false, reason);
    }

    final boolean isClosed() {
        return closed;
    }

    void close() {
        if (closed) return;
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
