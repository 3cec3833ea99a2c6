package io.jmpi.transport;

import io.jmpi.buffer.Buf;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;

/** Receives inbound frames from a transport; implemented by the engine. Called under the progress lock. */
public interface FrameHandler {
    /**
     * One inbound frame from {@code peer}. The payload is {@code header.length} bytes at {@code payload}'s
     * position (little-endian); it is valid only during this call.
     *
     * @throws io.jmpi.base.MpiException PROTOCOL if the frame is invalid; the transport then closes that connection
     */
    void onFrame(int peer, FrameHeader header, ByteBuffer payload);

    /**
     * One inbound frame whose payload a peer of this address space lent ({@link Link#lend}): {@code header.length}
     * bytes of {@code payload}'s message stream from byte {@code offset}, readable only during this call (the
     * transport then gives it back to the sender). Only DATA frames are lent.
     *
     * @throws io.jmpi.base.MpiException PROTOCOL if the frame is invalid
     */
    default void onLentFrame(int peer, FrameHeader header, Buf payload, long offset) {
        throw new UnsupportedOperationException("lent frames are not handled");
    }

    /** The payload this rank lent to {@code peer} with {@code token} ({@link Link#lend}) was read and given back. */
    default void onLentReturned(int peer, long token) {
    }

    /** The connection to {@code peer} ended; {@code graceful} when the peer said goodbye first. */
    void onPeerLost(int peer, boolean graceful, String reason);
}
