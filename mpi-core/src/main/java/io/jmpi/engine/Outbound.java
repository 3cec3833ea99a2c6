package io.jmpi.engine;

import io.jmpi.base.MpiException;
import io.jmpi.transport.Link;
import io.jmpi.wire.FrameHeader;

import static io.jmpi.wire.FrameDescriptor.*;

/**
 * The sending half of the protocol, per peer: frames go out in the order control, data, goodbye, as far as the
 * link takes them; a peer whose link is full is marked pending and pumped again on the next round of progress.
 * A frame the link refuses with an exception is that peer's failure ({@link PeerFailure}). Only touched under the
 * progress lock; the one {@link FrameHeader} is reused for every frame, so pumping allocates nothing.
 */
final class Outbound {
    private final int rank;
    private final Link[] links;
    private final Peer[] peers;
    private final HandleTable<Send> sends;
    private final int chunk;
    private final FrameHeader out = new FrameHeader();
    private final boolean[] pendingFlag;
    private final int[] pending;
    private final int[] pendingScratch;
    private int pendingCount;

    Outbound(int rank, Link[] links, Peer[] peers, HandleTable<Send> sends, int chunk) {
        this.rank = rank;
        this.links = links;
        this.peers = peers;
        this.sends = sends;
        this.chunk = chunk;
        this.pendingFlag = new boolean[peers.length];
        this.pending = new int[peers.length];
        this.pendingScratch = new int[peers.length];
    }

    /** Whether frames for {@code p} wait for link room. */
    boolean isPending(int p) {
        return pendingFlag[p];
    }

    boolean anyPending() {
        return pendingCount > 0;
    }

    /** Whether an eager send to {@code p} may go straight into the link, overtaking nothing queued. */
    boolean idle(int p) {
        Peer ps = peers[p];
        return ps.data.isEmpty() && ps.control.isEmpty() && !pendingFlag[p];
    }

    /** An eager message straight into the link, if it takes it now; no queue is touched. */
    boolean offerEager(int p, io.jmpi.buffer.Buf buf, int context, int tag, boolean ready) {
        int total = (int) buf.byteLength();
        out.set(EAGER, buf.type().code, ready ? FLAG_READY : 0, context, rank, tag, total, 0, 0);
        return links[p].offer(out, buf, 0, total);
    }

    /** Pumps every peer marked pending; returns the number drained. */
    int pumpPending() {
        int n = pendingCount;
        System.arraycopy(pending, 0, pendingScratch, 0, n); // pump() may re-mark peers while we walk the list
        for (int i = 0; i < n; i++) pendingFlag[pendingScratch[i]] = false;
        pendingCount = 0;
        int done = 0;
        for (int i = 0; i < n; i++) {
            if (pump(pendingScratch[i])) done++;
        }
        return done;
    }

    private void markPending(int p) {
        if (!pendingFlag[p]) {
            pendingFlag[p] = true;
            pending[pendingCount++] = p;
        }
    }

    /** Emits queued frames to {@code p} while the link takes them; returns true when drained. */
    boolean pump(int p) {
        Peer ps = peers[p];
        if (ps.lost) return true;
        try {
            return drain(p, ps, links[p]);
        } catch (MpiException e) {
            throw PeerFailure.of(p, e);
        }
    }

    private boolean drain(int p, Peer ps, Link l) {
        while (!ps.control.isEmpty()) {
            Peer.ControlQueue c = ps.control;
            out.set(c.type(), (byte) 0, (short) 0, 0, rank, 0, 0, c.id(), c.id2());
            if (!l.offer(out, null, 0, 0)) {
                markPending(p);
                return false;
            }
            ps.control.poll();
        }
        while (!ps.data.isEmpty()) {
            if (!emit(ps.data.peek(), l)) {
                markPending(p);
                return false;
            }
            ps.data.poll();
        }
        if (ps.byeQueued && !ps.byeSent) {
            out.set(BYE, (byte) 0, (short) 0, 0, rank, 0, 0, 0, 0);
            if (!l.offer(out, null, 0, 0)) {
                markPending(p);
                return false;
            }
            ps.byeSent = true;
        }
        if (l.hasBacklog()) markPending(p);
        return true;
    }

    private boolean emit(Send op, Link l) {
        switch (op.phase) {
            case Send.EAGER:
                out.set(EAGER, op.buf.type().code, op.ready ? FLAG_READY : 0, op.context, rank, op.tag, (int) op.total, 0, 0);
                if (!l.offer(out, op.buf, 0, (int) op.total)) return false;
                op.phase = Send.DONE;
                op.complete();
                return true;
            case Send.RTS:
                out.set(RTS, op.buf.type().code, (short) ((op.sync ? FLAG_SYNC : 0) | (op.ready ? FLAG_READY : 0)), op.context,
                        rank, op.tag, 0, op.handle, op.total);
                if (!l.offer(out, null, 0, 0)) return false;
                op.phase = Send.WAIT_CTS;
                return true;
            case Send.DATA:
                if (l.lends()) return lend(op, l);
                int max = Math.min(chunk, l.maxPayload() & ~7);
                while (op.sent < op.total) {
                    int n = (int) Math.min(max, op.total - op.sent);
                    out.set(DATA, op.buf.type().code, (short) 0, op.context, rank, op.tag, n, op.recvHandle, op.sent);
                    if (!l.offer(out, op.buf, op.sent, n)) return false;
                    op.sent += n;
                }
                sends.remove(op.handle);
                op.phase = Send.DONE;
                op.complete();
                return true;
            default:
                return true;
        }
    }

    /**
     * DATA on a link that lends (ranks in one JVM): the receiver copies straight from the send buffer, so the frames
     * are as large as the link allows and the send completes only when the last one is given back ({@link #returned}).
     */
    private boolean lend(Send op, Link l) {
        int max = l.maxPayload() & ~7;
        while (op.sent < op.total) {
            int n = (int) Math.min(max, op.total - op.sent);
            out.set(DATA, op.buf.type().code, (short) 0, op.context, rank, op.tag, n, op.recvHandle, op.sent);
            if (!l.lend(out, op.buf, op.sent, op.handle)) return false;
            op.sent += n;
            op.lentOut++;
        }
        return true; // off the data queue; it stays in the send table until given back
    }

    /** A lent DATA payload of send {@code token} was read by its receiver; the send completes with its last one. */
    void returned(long token) {
        Send op = sends.get(token);
        if (op == null || op.lentOut == 0) return; // failed or cancelled meanwhile (its handle is stale)
        if (--op.lentOut == 0 && op.sent == op.total) {
            sends.remove(op.handle);
            op.phase = Send.DONE;
            op.complete();
        }
    }

    /** A control frame to {@code p}: at once if nothing is queued before it, else queued. */
    void sendControl(int p, byte type, long id, long id2) {
        Peer ps = peers[p];
        if (ps.lost) return;
        // a peer that said goodbye needs nothing more (no credit, no CTS: its sends were done before its goodbye), and
        // may have closed its links already; only the acknowledgement of that goodbye still goes
        if (ps.byeReceived && !(type == BYE && id == Lifecycle.BYE_ACK)) return;
        if (ps.control.isEmpty() && !pendingFlag[p]) {
            out.set(type, (byte) 0, (short) 0, 0, rank, 0, 0, id, id2);
            try {
                if (links[p].offer(out, null, 0, 0)) return;
            } catch (MpiException e) {
                throw PeerFailure.of(p, e);
            }
        }
        ps.control.add(type, id, id2);
        markPending(p);
    }

    /** Sends to {@code p} are queued: it is pumped at once. */
    void enqueue(int p, Send op) {
        peers[p].data.add(op);
        pump(p);
    }
}
