package io.jmpi.engine;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.Log;
import io.jmpi.base.MpiException;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

import static io.jmpi.wire.FrameDescriptor.BYE;

/**
 * How a rank's messaging ends, in order or not.
 *
 * <p>Close protocol ({@code MPI_Finalize}). A closing rank waits (bounded) until its sends are done, sends BYE to
 * every peer that has not said goodbye, and waits until each live peer has either acknowledged it (a BYE with id
 * {@link #BYE_ACK}, which the peer's engine sends at once, even while its program computes) or said goodbye itself.
 * So no frame in flight is lost when connections close. A peer whose link was never used (a transport that
 * connects on first use, {@link Link#unused}) gets no goodbye and is not waited for.
 *
 * <p>Failure. A peer lost without goodbye fails every operation that involves it, and receives from ANY_SOURCE on
 * communicators it belongs to; the launcher hears of it through the failure listener. {@link #abort} fails every
 * operation, now and later. Only touched under the progress lock, except the volatile flags read by waiters.
 */
final class Lifecycle {
    /** The {@code id} of a BYE frame that acknowledges the peer's goodbye (0: a goodbye). */
    static final long BYE_ACK = 1;

    private final int rank;
    private final ReentrantLock lock;
    private final Transport[] transports;
    private final Link[] links;
    private final Peer[] peers;
    private final MatchQueues match;
    private final HandleTable<Send> sends;
    private final HandleTable<Receive> recvs;
    private final Outbound outbound;
    private final Progress progress;
    private final int closeTimeoutSeconds;
    private volatile MpiException aborted;
    private volatile boolean closed;
    /** A peer was lost without its goodbye: the job is failing, so close does not wait for goodbyes. */
    private volatile boolean peerFailed;
    /** Told of a peer lost without its goodbye (a failure, not a close), once per peer. */
    private volatile BiConsumer<Integer, String> failureListener;

    Lifecycle(int rank, ReentrantLock lock, Transport[] transports, Link[] links, Peer[] peers, MatchQueues match,
              HandleTable<Send> sends, HandleTable<Receive> recvs, Outbound outbound, Progress progress,
              int closeTimeoutSeconds) {
        this.rank = rank;
        this.lock = lock;
        this.transports = transports;
        this.links = links;
        this.peers = peers;
        this.match = match;
        this.sends = sends;
        this.recvs = recvs;
        this.outbound = outbound;
        this.progress = progress;
        this.closeTimeoutSeconds = closeTimeoutSeconds;
    }

    boolean isClosed() { return closed; }
    MpiException aborted() { return aborted; }
    void onPeerFailure(BiConsumer<Integer, String> listener) { this.failureListener = listener; }

    void checkUsable(String call) {
        MpiException a = aborted;
        if (a != null) throw new MpiException(a.errorClass(), call + ": " + a.getMessage(), a);
        if (closed) throw new MpiException(ErrorClass.STATE, call + ": Mpi is closed");
    }

    /** Throws if {@code dest} can receive nothing more. */
    void checkSendable(String call, int dest) {
        Peer ps = peers[dest];
        if (ps.lost && !ps.byeReceived) {
            throw new MpiException(ErrorClass.PROC_FAILED, call + ": rank " + dest + " is gone: " + ps.lostReason);
        }
        if (ps.byeReceived) {
            throw new MpiException(ErrorClass.PROC_FAILED, call + ": rank " + dest + " has closed (Mpi.close) and "
                    + "receives nothing more");
        }
    }

    /** Whether nothing more can come from {@code source} (a world rank, not ANY_SOURCE nor this rank). */
    boolean silent(int source) {
        return source != Engine.ANY_SOURCE && source != rank && peers[source].silent();
    }

    /** A receive or probe from a peer that has closed or is lost: nothing more will come from it. */
    MpiException gone(String call, int peer, RankMap ranks) {
        Peer ps = peers[peer];
        String why = ps.lost && ps.lostReason != null && !ps.byeReceived ? ps.lostReason
                : "rank " + peer + " has closed (Mpi.close) and will send nothing more";
        return new MpiException(ErrorClass.PROC_FAILED, call + ": cannot receive from rank " + ranks.toLocal(peer) + ": " + why);
    }

    /** The peer's goodbye (validated): everything it sent before has been read, it may close without waiting for us. */
    void goodbyeReceived(int peer) {
        peers[peer].byeReceived = true;
        failPostedFrom(peer, "rank " + peer + " has closed (Mpi.close) and will send nothing more");
        outbound.sendControl(peer, BYE, BYE_ACK, 0);
    }

    /** See {@link io.jmpi.transport.FrameHandler#onPeerLost}; idempotent. */
    void onPeerLost(int peer, boolean graceful, String reason) {
        Peer ps = peers[peer];
        if (ps.lost) return;
        // draining may bring in the peer's goodbye (sent through shared memory before its watch connection ended)
        if (!graceful && !ps.byeReceived && !ps.byeAcked) progress.drainOthers(peer);
        ps.lost = true;
        // clean: the peer said goodbye, or acknowledged ours (then we need nothing more from it, and it may close
        // without a goodbye of its own: it skips one to a rank that already said goodbye)
        boolean clean = graceful || ps.byeReceived || ps.byeAcked;
        ps.lostReason = clean ? "rank " + peer + " has closed" : reason;
        if (!clean && !closed && aborted == null) {
            peerFailed = true;
            Log.warn(rank, "lost rank " + peer + ": " + reason);
            BiConsumer<Integer, String> l = failureListener;
            if (l != null) {
                try {
                    l.accept(peer, reason);
                } catch (RuntimeException ignored) {
                    // best effort: the failure is also raised to the program
                }
            }
        }
        MpiException e = new MpiException(ErrorClass.PROC_FAILED, ps.lostReason);
        failPostedFrom(peer, ps.lostReason);
        if (!clean) failAnySourceOf(peer, ps.lostReason);
        for (Receive r : recvs.live()) {
            if (r.msgSource == peer) {
                recvs.remove(r.handle);
                r.fail(e);
            }
        }
        for (Send s : sends.live()) {
            if (s.dest == peer) {
                sends.remove(s.handle);
                if (!s.isDone()) s.fail(e);
            }
        }
        for (Send s : ps.data) if (!s.isDone()) s.fail(e);
        ps.data.clear();
        ps.control.clear();
    }

    /**
     * A peer failed: receives from ANY_SOURCE on communicators it belongs to fail too (as with ULFM), since the message
     * they wait for may have been its; errors being fatal by default, the alternative is a rank waiting forever.
     */
    private void failAnySourceOf(int peer, String why) {
        for (Receive r : match.allPosted()) {
            if (r.source != Engine.ANY_SOURCE || r.ranks.toLocal(peer) < 0) continue;
            match.removePosted(r);
            r.fail(new MpiException(ErrorClass.PROC_FAILED, r.call + ": rank " + r.ranks.toLocal(peer)
                    + ", a possible sender, is gone: " + why));
        }
    }

    private void failPostedFrom(int peer, String why) {
        for (Receive r : match.postedFrom(peer)) {
            match.removePosted(r);
            r.fail(new MpiException(ErrorClass.PROC_FAILED, r.call + ": cannot receive from rank " + r.ranks.toLocal(peer)
                    + ": " + why));
        }
    }

    /** Fails every pending operation and every later one with {@code cause}; the first cause wins. */
    void abort(MpiException cause) {
        lock.lock();
        try {
            if (aborted != null) return;
            aborted = cause;
            for (Receive r : match.allPosted()) {
                match.removePosted(r);
                r.fail(cause);
            }
            for (Receive r : recvs.live()) {
                recvs.remove(r.handle);
                r.fail(cause);
            }
            for (Send s : sends.live()) {
                sends.remove(s.handle);
                if (!s.isDone()) s.fail(cause);
            }
            for (Peer ps : peers) {
                for (Send s : ps.data) if (!s.isDone()) s.fail(cause);
                ps.data.clear();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The close protocol (see the class comment), then the transports close. */
    void close() {
        if (closed) return;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(closeTimeoutSeconds);
        // after a failure (a peer lost without goodbye) errors are fatal: the launcher is ending the job, and waiting
        // here for goodbyes that may never come would only delay that
        if (aborted == null && !peerFailed) {
            progress.waitUntil(() -> sends.live().isEmpty() && queuesEmpty(), deadline);
            lock.lock();
            try {
                for (int p = 0; p < peers.length; p++) {
                    // a peer that has said goodbye may be gone already: it needs no goodbye (nor data) from us
                    if (p == rank || peers[p].silent()) continue;
                    if (links[p].unused()) {
                        // never connected (connections on first use): it can have sent us nothing, nor we it, so
                        // no goodbye is owed either way; it skips us by the same rule
                        peers[p].byeSent = peers[p].byeAcked = true;
                        continue;
                    }
                    peers[p].byeQueued = true;
                    outbound.pump(p);
                }
            } finally {
                lock.unlock();
            }
            boolean ok = progress.waitUntil(this::goodbyesDone, deadline);
            if (!ok && aborted == null) {
                Log.warn(rank, "close: peers did not say goodbye within " + closeTimeoutSeconds + " s: " + missingGoodbyes());
            }
        }
        closed = true;
        progress.stopAgent();
        progress.closeWaitSet();
        lock.lock();
        try {
            for (Transport t : transports) t.close();
        } finally {
            lock.unlock();
        }
    }

    private boolean queuesEmpty() {
        for (int p = 0; p < peers.length; p++) {
            if (p == rank || peers[p].lost) continue;
            if (!outbound.idle(p)) return false;
        }
        return true;
    }

    /** Every live peer has read all this rank sent: it acknowledged our goodbye, or said goodbye itself. */
    private boolean goodbyesDone() {
        for (int p = 0; p < peers.length; p++) {
            if (p == rank) continue;
            Peer ps = peers[p];
            if (ps.silent()) continue;
            if (!ps.byeSent || !ps.byeAcked || outbound.isPending(p) || links[p].hasBacklog()) return false;
        }
        return true;
    }

    private String missingGoodbyes() {
        List<Integer> l = new ArrayList<>();
        for (int p = 0; p < peers.length; p++) if (p != rank && !peers[p].silent() && !peers[p].byeAcked) l.add(p);
        return "no acknowledgement of our goodbye from ranks " + l;
    }
}
