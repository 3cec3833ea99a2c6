package io.jmpi.engine;

import java.util.ArrayDeque;

/**
 * What this rank knows of one peer: the frames queued for it (control frames go before data, so a CTS or a CREDIT
 * is never stuck behind a long DATA stream), the credit in both directions, and where the close protocol stands.
 * Only touched under the progress lock.
 */
final class Peer {
    /** Messages (EAGER or RTS frames) sent to and received from this peer: the per-pair numbers of the trace. */
    long sentSeq, recvSeq;

    /**
     * Queued control frames (CTS, CREDIT, BYE acknowledgement): a type and two ids each, no payload, in a growable ring
     * of primitives, so that queueing one allocates nothing in steady state.
     */
    static final class ControlQueue {
        private byte[] types = new byte[16];
        private long[] ids = new long[16], ids2 = new long[16];
        private int head, count;

        boolean isEmpty() {
            return count == 0;
        }

        int size() {
            return count;
        }

        void add(byte type, long id, long id2) {
            if (count == types.length) grow();
            int i = (head + count) & (types.length - 1);
            types[i] = type;
            ids[i] = id;
            ids2[i] = id2;
            count++;
        }

        byte type() { return types[head]; }
        long id() { return ids[head]; }
        long id2() { return ids2[head]; }

        /** Drops the first frame. */
        void poll() {
            head = (head + 1) & (types.length - 1);
            count--;
        }

        void clear() {
            head = count = 0;
        }

        private void grow() {
            int n = types.length;
            byte[] t = new byte[2 * n];
            long[] a = new long[2 * n], b = new long[2 * n];
            for (int k = 0; k < count; k++) {
                int i = (head + k) & (n - 1);
                t[k] = types[i];
                a[k] = ids[i];
                b[k] = ids2[i];
            }
            types = t;
            ids = a;
            ids2 = b;
            head = 0;
        }
    }

    final ControlQueue control = new ControlQueue();
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
