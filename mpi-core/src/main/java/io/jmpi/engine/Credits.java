package io.jmpi.engine;

import static io.jmpi.wire.FrameDescriptor.CREDIT;

/**
 * Flow control of eager messages. Each rank may have at most {@code peerCredit} eager bytes (headers included)
 * unreturned at each receiver; the receiver buffers what matches no receive and gives the credit back (CREDIT
 * frames, batched by a quarter of the credit) once the message is consumed. Beyond its credit a sender goes by
 * rendezvous, so unexpected data per peer is bounded. A peer that sends more than its credit, or returns more than
 * this rank spent, breaks the protocol: the {@code check*} methods say so without changing anything, so that a frame
 * is rejected before it is applied. Only touched under the progress lock.
 */
final class Credits {
    private final int rank;
    private final Peer[] peers;
    private final long peerCredit;
    private final long batch;
    private final Outbound outbound;

    Credits(int rank, Peer[] peers, long peerCredit, Outbound outbound) {
        this.rank = rank;
        this.peers = peers;
        this.peerCredit = peerCredit;
        this.batch = Math.max(1, peerCredit / 4);
        this.outbound = outbound;
    }

    /** Spends {@code cost} of the credit for {@code dest} if it holds that much; false (nothing spent) if not. */
    boolean trySpend(int dest, long cost) {
        Peer ps = peers[dest];
        if (cost > ps.sendCredit) return false;
        ps.sendCredit -= cost;
        return true;
    }

    /** Why an eager message of {@code cost} from {@code peer} exceeds its credit, or null if it does not. */
    String checkIncoming(int peer, int cost) {
        if (peer == rank) return null;
        Peer ps = peers[peer];
        if (ps.creditHeld + cost <= peerCredit) return null;
        return "peer exceeded its credit of " + peerCredit + " bytes (" + ps.creditHeld
                + " bytes of its eager messages not yet given back)";
    }

    /** An eager message of {@code cost} from {@code peer} arrived (checked with {@link #checkIncoming}). */
    void holdIncoming(int peer, int cost) {
        if (peer != rank) peers[peer].creditHeld += cost;
    }

    /** Why a CREDIT frame from {@code peer} returning {@code amount} is invalid, or null if it is not. */
    String checkReturned(int peer, long amount) {
        if (amount <= 0) return "bad credit";
        if (amount > peerCredit - peers[peer].sendCredit) {
            return "bad credit: returns " + amount + " bytes, only " + (peerCredit - peers[peer].sendCredit) + " were spent";
        }
        return null;
    }

    /** {@code peer} gave back {@code amount} (checked with {@link #checkReturned}). */
    void returned(int peer, long amount) {
        peers[peer].sendCredit += amount;
    }

    /** A message from {@code p} costing {@code cost} was consumed: its credit goes back, batched. */
    void consumed(int p, int cost) {
        if (p == rank || cost == 0) return;
        Peer ps = peers[p];
        ps.creditOwed += cost;
        if (ps.creditOwed >= batch) {
            ps.creditHeld -= ps.creditOwed;
            long owed = ps.creditOwed;
            ps.creditOwed = 0;
            outbound.sendControl(p, CREDIT, owed, 0);
        }
    }
}
