package io.jmpi.engine;

import java.util.ArrayDeque;

/**
 * What this rank knows of one peer: the frames queued for it (control frames go before data, so a CTS or a CREDIT
 * is never stuck behind a long DATA stream), the credit in both directions, and where the close protocol stands.
 * Only touched under the progress lock.
 */
final class Peer {
    /** A queued control frame (CTS, CREDIT, BYE acknowledgement): a type and two ids, no payload. */
    record Control(byte type, long id, long id2) {
    }

    final ArrayDeque<Control> control = new ArrayDeque<>();
    final ArrayDeque<Send> data = new ArrayDeque<>();
    /** Eager bytes (with headers) this rank may still send to the peer before it gives some back. */
    long sendCredit;
    /** Eager bytes consumed here and not yet returned to the peer: returned in batches. */
    long creditOwed;
    /** Eager bytes (with headers) received from this peer and not yet given back by CREDIT: at most peerCredit. */
    long creditHeld;
    boolean byeQueued, byeSent, byeReceived, byeAcked, lost;
    String lostReason;

    Peer(long credit) {
        this.sendCredit = credit;
    }

    /** Nothing more will come from this peer: it said goodbye, or it is lost. */
    boolean silent() {
        return lost || byeReceived;
    }
}
