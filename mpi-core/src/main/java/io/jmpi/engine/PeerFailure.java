package io.jmpi.engine;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/**
 * A failure that concerns one peer only: an invalid frame from it (PROTOCOL), or its link refusing a frame. Raised
 * where the peer is known, so that the progress path can fail that peer's operations ({@link Lifecycle#onPeerLost})
 * rather than the whole engine; a caller outside the progress path sees an ordinary {@link MpiException} of the
 * same class and message.
 */
final class PeerFailure extends MpiException {
    private static final long serialVersionUID = 1L;
    final int peer;

    PeerFailure(int peer, ErrorClass errorClass, String message, Throwable cause) {
        super(errorClass, message, cause);
        this.peer = peer;
    }

    /** {@code e} as a failure of {@code peer} (itself if it already is one). */
    static PeerFailure of(int peer, MpiException e) {
        if (e instanceof PeerFailure f) return f;
        return new PeerFailure(peer, e.errorClass(), e.getMessage(), e);
    }
}
