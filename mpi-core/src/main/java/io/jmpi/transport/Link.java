package io.jmpi.transport;

import io.jmpi.buffer.Buf;
import io.jmpi.wire.FrameHeader;

/**
 * The sending half of a connection to one peer. Called only by the thread that holds the engine's progress lock.
 */
public interface Link {
    /** The peer's world rank. */
    int peer();

    /**
     * Copies one frame, {@code header} followed by {@code length} bytes of {@code payload} from byte
     * {@code payloadOffset}, into the link's outbound path and starts sending it. Returns false, having copied
     * nothing, when there is no room now (back-pressure: call again after {@link Transport#poll}).
     * {@code header.length} must equal {@code length}; {@code payload} may be null when {@code length == 0}.
     */
    boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length);

    /** Largest payload one frame may carry on this link. */
    int maxPayload();

    /** Whether bytes are still waiting to be written. */
    boolean hasBacklog();

    /**
     * Whether nothing was ever exchanged with the peer through this link and nothing is under way (a transport that
     * connects on first use, and has not). Such a peer needs no goodbye at close: it can have sent this rank nothing.
     */
    default boolean unused() {
        return false;
    }
}
