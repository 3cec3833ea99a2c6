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
     * Whether this link can lend payloads ({@link #lend}): the peer shares this rank's address space (ranks that are
     * threads of one JVM) and reads a DATA payload straight from the sender's buffer, so the bytes move once. Asked
     * for each rendezvous send's DATA; a link that answers false gets copies ({@link #offer}).
     */
    default boolean lends() {
        return false;
    }

    /**
     * Offers a DATA frame without copying its payload: the peer's engine is handed {@code payload} itself
     * ({@link FrameHandler#onLentFrame}) and copies {@code header.length} bytes from byte {@code payloadOffset} into
     * its receive buffer. The payload belongs to the peer until this rank's handler hears
     * {@link FrameHandler#onLentReturned} with {@code token} (from one of its own {@link Transport#poll}s): only then
     * may the send complete. Frames keep their order with offered ones. Returns false, having lent nothing, when there
     * is no room now. Only when {@link #lends}.
     */
    default boolean lend(FrameHeader header, Buf payload, long payloadOffset, long token) {
        throw new UnsupportedOperationException("link to rank " + peer() + " does not lend payloads");
    }

    /**
     * Whether nothing was ever exchanged with the peer through this link and nothing is under way (a transport that
     * connects on first use, and has not). Such a peer needs no goodbye at close: it can have sent this rank nothing.
     */
    default boolean unused() {
        return false;
    }
}
