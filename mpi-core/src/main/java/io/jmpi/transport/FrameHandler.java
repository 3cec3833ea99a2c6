package io.jmpi.transport;

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

    /** The connection to {@code peer} ended; {@code graceful} when the peer said goodbye first. */
    void onPeerLost(int peer, boolean graceful, String reason);
}
