package io.jmpi.transport.tcp;

import io.jmpi.MpiException;
import io.jmpi.engine.Buf;
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
 */
final class TcpConnection implements Link {
    private final int peer;
    private final SocketChannel channel;
    private final ByteBuffer out;
    private final ByteBuffer in;
    private final FrameHeader inHeader = new FrameHeader();
    private final int maxPayload;
    private boolean closed;

    TcpConnection(int peer, SocketChannel channel, int maxPayload) {
        this.peer = peer;
        this.channel = channel;
        this.maxPayload = maxPayload;
        int frame = FrameDescriptor.HEADER_LENGTH + maxPayload;
        this.out = ByteBuffer.allocateDirect(Math.max(2 * frame, 256 * 1024)).order(ByteOrder.LITTLE_ENDIAN);
        this.in = ByteBuffer.allocateDirect(Math.max(2 * frame, 256 * 1024)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public int peer() {
        return peer;
    }

    @Override
    public int maxPayload() {
        return maxPayload;
    }

    @Override
    public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
        if (closed) throw new MpiException(io.jmpi.ErrorClass.PROC_FAILED, "connection to rank " + peer + " is closed");
        int need = FrameDescriptor.HEADER_LENGTH + length;
        if (out.remaining() < need) {
            flush();
            if (out.remaining() < need) return false;
        }
        header.encode(out);
        if (length > 0) payload.copyOut(payloadOffset, out, length);
        flush();
        return true;
    }

    @Override
    public boolean hasBacklog() {
        return out.position() > 0;
    }

    /** Writes what is pending; returns bytes written. */
    int flush() {
        if (out.position() == 0 || closed) return 0;
        out.flip();
        int n;
        try {
            n = channel.write(out);
        } catch (IOException e) {
            out.clear();
            closed = true;
            throw new MpiException(io.jmpi.ErrorClass.PROC_FAILED, "lost connection to rank " + peer + ": " + e.getMessage(), e);
        } finally {
            if (!closed) out.compact();
        }
        return n;
    }

    /**
     * Reads and dispatches every complete frame. Returns work done, or -1 when the connection ended (EOF or error),
     * after telling the handler.
     */
    int poll(FrameHandler handler) {
        if (closed) return 0;
        int work = 0;
        try {
            work += flush();
            int n = channel.read(in);
            if (n < 0) {
                lost(handler, "connection closed by rank " + peer);
                return -1;
            }
            if (n == 0 && in.position() < FrameDescriptor.HEADER_LENGTH) return work;
            work += n;
            in.flip();
            try {
                work += dispatch(handler);
            } finally {
                in.compact();
            }
        } catch (IOException e) {
            lost(handler, "lost connection to rank " + peer + ": " + e.getMessage());
            return -1;
        } catch (MpiException e) {
            if (e.errorClass() == io.jmpi.ErrorClass.PROTOCOL) {
                lost(handler, "closed connection to rank " + peer + ": " + e.getMessage());
                return -1;
            }
            throw e;
        }
        return work;
    }

    private int dispatch(FrameHandler handler) {
        int frames = 0;
        while (in.remaining() >= FrameDescriptor.HEADER_LENGTH) {
            int p = in.position();
            inHeader.decode(in, p);
            int len = inHeader.length;
            if (len < 0 || len > maxPayload) {
                throw new MpiException(io.jmpi.ErrorClass.PROTOCOL, "frame of " + len
                        + " bytes out of range [0, " + maxPayload + "]: " + inHeader);
            }
            int end = p + FrameDescriptor.HEADER_LENGTH + len;
            if (end > in.limit()) break;
            int limit = in.limit();
            in.position(p + FrameDescriptor.HEADER_LENGTH).limit(end);
            try {
                handler.onFrame(peer, inHeader, in);
            } finally {
                in.limit(limit).position(end);
            }
            frames++;
        }
        return frames;
    }

    private void lost(FrameHandler handler, String reason) {
        close();
        handler.onPeerLost(peer, false, reason);
    }

    boolean isClosed() {
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
