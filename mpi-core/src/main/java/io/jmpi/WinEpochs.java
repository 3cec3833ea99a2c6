package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.engine.Engine;
import io.jmpi.engine.Operation;
import io.jmpi.rma.Pending;
import io.jmpi.rma.RmaEndpoint;
import io.jmpi.rma.RmaMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.jmpi.wire.RmaDescriptor.*;

/**
 * The epochs of one {@link Win} at this rank (MPI 4.1 section 12.5): fence, post/start/complete/wait (PSCW) and the
 * passive-target locks, with the origin-side state they keep (which epoch is open to which target, the posts and
 * completes taken so far, the operations still in flight) and the control messages that open and close them. The
 * window's public methods delegate here; its communication calls ask {@link #checkEpoch} before they send. State is
 * guarded by this object. See docs/RMA.md.
 */
final class WinEpochs {
    private final Win win;
    private final Comm comm;
    private final Engine engine;
    private final RmaEndpoint endpoint;
    private boolean fenceOpen;
    private int fenceRound;
    private boolean[] startTargets;
    private final int[] postsTaken;
    private int[] exposedTo;
    private final int[] completesTaken;
    private final int[] lockType;
    private final boolean[] lockNoCheck;
    private boolean lockAll;
    private final List<Operation> inFlight = new ArrayList<>();

    WinEpochs(Win win, Comm comm, RmaEndpoint endpoint) {
        this.win = win;
        this.comm = comm;
        this.engine = comm.engine;
        this.endpoint = endpoint;
        int n = comm.size();
        postsTaken = new int[n];
        completesTaken = new int[n];
        lockType = new int[n];
        lockNoCheck = new boolean[n];
    }

    /** Whether any epoch is open on this window at this rank (free and fence need none of the others). */
    synchronized boolean anyOpen() {
        return lockAll || anyLock() || startTargets != null || exposedTo != null;
    }

    /** An RMA call to {@code target} needs an access epoch to it (MPI_ERR_RMA_SYNC otherwise). */
    synchronized void checkEpoch(String call, int target) {
        if (fenceOpen || lockAll || lockType[target] != 0 || (startTargets != null && startTargets[target])) return;
        throw comm.raise(ErrorClass.STATE, call + ": no access epoch to target rank " + target + " is open (RMA call "
                + "outside an epoch): call fence, start with a group holding rank " + target + ", lock(" + target + ") or lockAll first");
    }

    synchronized void inFlight(Operation op) {
        inFlight.add(op);
    }

    /** Waits, driving progress, until {@code done}; a lost {@code world} peer (if >= 0) fails the wait. */
    void waitFor(String call, BooleanSupplier done, int world) {
        if (!done.getAsBoolean()) engine.awaitUntil(call, done, world);
    }

    /** Local completion of every send still queued in the engine; then a refusal nobody waited for is raised. */
    void drainLocal(String call) {
        List<Operation> ops;
        synchronized (this) {
            ops = new ArrayList<>(inFlight);
            inFlight.clear();
        }
        try {
            for (Operation op : ops) op.await();
        } catch (MpiException e) {
            throw comm.raise(e);
        }
        waitFor(call, () -> !endpoint.waitingFor(-1), -1);
        MpiException e = endpoint.takeDeferred();
        if (e != null) throw comm.raise(new MpiException(e.errorClass(), call + ": an earlier operation was refused: " + e.getMessage(), e));
    }

    private void sendControl(String call, byte kind, int target, int flags, long id) {
        RmaMessage m = new RmaMessage().start(kind, null, 0, flags, 0, 0, id);
        try {
            Operation op = endpoint.send(call, m, comm.toWorld(target));
            if (op != null) inFlight(op);
        } catch (MpiException e) {
            throw comm.raise(e);
        }
    }

    /** Sends a request answered by ACK to {@code target} and returns what to wait for. */
    private Pending request(String call, byte kind, int target, int flags) {
        long id = endpoint.newRequest();
        Pending p = endpoint.expect(id, comm.toWorld(target), null, 0);
        sendControl(call, kind, target, flags, id);
        return p;
    }

    private void await(String call, Pending p) {
        waitFor(call, p::isDone, p.target());
        if (p.error() != null) throw comm.raise(new MpiException(p.error().errorClass(), call + ": " + p.error().getMessage(), p.error()));
    }

    private void checkRank(String call, String arg, int r) {
        if (r < 0 || r >= comm.size()) throw comm.raise(ErrorClass.ARG, call + ": " + arg + "=" + r + " out of range [0, " + comm.size() + ")");
    }

    private void usable(String call) {
        comm.checkUsable(call);
        win.checkNotFreed(call);
    }

    // ------------------------------------------------------------------ active target: fence

    /**
     * {@code MPI_Win_fence}: completes every operation of the epoch at origin and target (this rank's operations
     * are applied at their targets, and every rank's operations on this rank's window are applied here) and opens
     * the next epoch, unless {@link Win#MODE_NOSUCCEED}. Collective. How: a FENCE marker to every other rank travels
     * behind this rank's operations on each ordered channel; once the markers of all others arrived, everything sent
     * here is applied; a barrier (more than 2 ranks) then makes that true at every rank before any returns.
     */
    void fence(int assertion) {
        String call = "Win.fence";
        usable(call);
        synchronized (this) {
            if (lockAll || anyLock() || startTargets != null || exposedTo != null) {
                throw comm.raise(ErrorClass.STATE, call + ": a lock, start or post epoch is open on this window (close it first)");
            }
        }
        int me = comm.rank();
        // FENCE markers travel behind this rank's operations on each ordered channel: a peer that saw ours has applied them
        for (int r = 0; r < comm.size(); r++) if (r != me) sendControl(call, FENCE, r, 0, 0);
        int round = ++fenceRound;
        for (int r = 0; r < comm.size(); r++) {
            if (r == me) continue;
            int w = comm.toWorld(r);
            waitFor(call, () -> endpoint.fences(w) >= round, w);
        }
        drainLocal(call);
        // every rank has now applied what was sent to it; after the barrier, so has every other rank: a get of the
        // next epoch sees the puts that a third rank made in this one
        if (comm.size() > 2) comm.barrier();
        synchronized (this) {
            fenceOpen = (assertion & Win.MODE_NOSUCCEED) == 0;
        }
    }

    private boolean anyLock() {
        for (int t : lockType) if (t != 0) return true;
        return false;
    }

    // ------------------------------------------------------------------ active target: post/start/complete/wait

    private int[] ranksOf(String call, Group g) {
        if (g == null) throw comm.raise(ErrorClass.ARG, call + ": group is null");
        int[] world = g.worldRanks();
        int[] local = new int[world.length];
        for (int i = 0; i < world.length; i++) {
            local[i] = -1;
            for (int r = 0; r < comm.size(); r++) if (comm.toWorld(r) == world[i]) local[i] = r;
            if (local[i] < 0) throw comm.raise(ErrorClass.ARG, call + ": group rank " + i + " (world rank " + world[i] + ") is not in the window's group");
        }
        return local;
    }

    /** {@code MPI_Win_post}: exposes this rank's window to the origins in {@code group}. */
    void post(Group group, int assertion) {
        String call = "Win.post";
        usable(call);
        int[] origins = ranksOf(call, group);
        synchronized (this) {
            if (exposedTo != null) throw comm.raise(ErrorClass.STATE, call + ": an exposure epoch is already open (call waitFor first)");
            exposedTo = origins;
        }
        for (int r : origins) sendControl(call, POST, r, 0, 0);
    }

    /** {@code MPI_Win_start}: opens an access epoch to the targets in {@code group} (waits for their post). */
    void start(Group group, int assertion) {
        String call = "Win.start";
        usable(call);
        int[] targets = ranksOf(call, group);
        boolean[] set = new boolean[comm.size()];
        for (int r : targets) {
            int w = comm.toWorld(r);
            int want = postsTaken[r] + 1;
            waitFor(call, () -> endpoint.posts(w) >= want, w);
            postsTaken[r] = want;
            set[r] = true;
        }
        synchronized (this) {
            if (startTargets != null) throw comm.raise(ErrorClass.STATE, call + ": an access epoch is already open (call complete first)");
            startTargets = set;
        }
    }

    /** {@code MPI_Win_complete}: ends the start epoch; the targets' waitFor returns once they applied everything. */
    void complete() {
        String call = "Win.complete";
        usable(call);
        boolean[] targets;
        synchronized (this) {
            targets = startTargets;
            if (targets == null) throw comm.raise(ErrorClass.STATE, call + ": no access epoch was started (call start first)");
            startTargets = null;
        }
        for (int r = 0; r < targets.length; r++) if (targets[r]) sendControl(call, COMPLETE, r, 0, 0);
        drainLocal(call);
    }

    /** {@code MPI_Win_wait}: ends the exposure epoch once every origin of the post group completed. */
    void waitFor() {
        String call = "Win.waitFor";
        usable(call);
        int[] origins;
        synchronized (this) {
            origins = exposedTo;
            if (origins == null) throw comm.raise(ErrorClass.STATE, call + ": no exposure epoch was posted (call post first)");
        }
        for (int r : origins) {
            int w = comm.toWorld(r);
            int want = completesTaken[r] + 1;
            waitFor(call, () -> endpoint.completes(w) >= want, w);
        }
        finishExposure(origins);
    }

    /** {@code MPI_Win_test}: {@link #waitFor} if every origin completed, else false at once. */
    boolean test() {
        String call = "Win.test";
        usable(call);
        int[] origins;
        synchronized (this) {
            origins = exposedTo;
            if (origins == null) throw comm.raise(ErrorClass.STATE, call + ": no exposure epoch was posted (call post first)");
        }
        engine.progress();
        for (int r : origins) if (endpoint.completes(comm.toWorld(r)) < completesTaken[r] + 1) return false;
        finishExposure(origins);
        return true;
    }

    private synchronized void finishExposure(int[] origins) {
        for (int r : origins) completesTaken[r]++;
        exposedTo = null;
    }

    // ------------------------------------------------------------------ passive target

    /** {@code MPI_Win_lock}: {@link Win#LOCK_SHARED} or {@link Win#LOCK_EXCLUSIVE} on {@code rank}'s window; waits for the grant. */
    void lock(int lockType, int rank, int assertion) {
        String call = "Win.lock";
        usable(call);
        checkRank(call, "rank", rank);
        if (lockType != Win.LOCK_SHARED && lockType != Win.LOCK_EXCLUSIVE) {
            throw comm.raise(ErrorClass.ARG, call + ": lockType=" + lockType + " is neither Win.LOCK_SHARED (" + Win.LOCK_SHARED
                    + ") nor Win.LOCK_EXCLUSIVE (" + Win.LOCK_EXCLUSIVE + ")");
        }
        synchronized (this) {
            if (this.lockType[rank] != 0 || lockAll) throw comm.raise(ErrorClass.STATE, call + ": rank " + rank + " is already locked by this rank");
            this.lockType[rank] = lockType;
            lockNoCheck[rank] = (assertion & Win.MODE_NOCHECK) != 0;
        }
        if (lockNoCheck[rank]) return;
        try {
            await(call, request(call, LOCK, rank, lockType == Win.LOCK_EXCLUSIVE ? FLAG_EXCLUSIVE : 0));
        } catch (MpiException e) {
            synchronized (this) { this.lockType[rank] = 0; }
            throw e;
        }
    }

    /** {@code MPI_Win_unlock}: completes every operation to {@code rank} at the target, then releases the lock. */
    void unlock(int rank) {
        String call = "Win.unlock";
        usable(call);
        checkRank(call, "rank", rank);
        boolean noCheck;
        synchronized (this) {
            if (lockType[rank] == 0) throw comm.raise(ErrorClass.STATE, call + ": rank " + rank + " is not locked by this rank (call lock first)");
            noCheck = lockNoCheck[rank];
        }
        try {
            await(call, request(call, noCheck ? FLUSH : UNLOCK, rank, 0));
        } finally {
            synchronized (this) { lockType[rank] = 0; }
        }
        drainLocal(call);
    }

    /** {@code MPI_Win_lock_all}: a shared lock on every rank's window. */
    void lockAll(int assertion) {
        String call = "Win.lockAll";
        usable(call);
        synchronized (this) {
            if (lockAll || anyLock()) throw comm.raise(ErrorClass.STATE, call + ": a lock epoch is already open on this window");
            lockAll = true;
        }
        if ((assertion & Win.MODE_NOCHECK) != 0) {
            synchronized (this) { java.util.Arrays.fill(lockNoCheck, true); }
            return;
        }
        Pending[] ps = new Pending[comm.size()];
        for (int r = 0; r < ps.length; r++) ps[r] = request(call, LOCK, r, 0);
        for (Pending p : ps) await(call, p);
    }

    /** {@code MPI_Win_unlock_all}. */
    void unlockAll() {
        String call = "Win.unlockAll";
        usable(call);
        synchronized (this) {
            if (!lockAll) throw comm.raise(ErrorClass.STATE, call + ": no lockAll epoch is open (call lockAll first)");
        }
        boolean noCheck = lockNoCheck[0];
        Pending[] ps = new Pending[comm.size()];
        for (int r = 0; r < ps.length; r++) ps[r] = request(call, noCheck ? FLUSH : UNLOCK, r, 0);
        try {
            for (Pending p : ps) await(call, p);
        } finally {
            synchronized (this) {
                lockAll = false;
                java.util.Arrays.fill(lockNoCheck, false);
            }
        }
        drainLocal(call);
    }

    private synchronized void checkPassive(String call, int rank) {
        if (!lockAll && lockType[rank] == 0) {
            throw comm.raise(ErrorClass.STATE, call + ": rank " + rank + " is not locked by this rank (flush needs a lock or lockAll epoch)");
        }
    }

    /** {@code MPI_Win_flush}: every operation of this rank to {@code rank} is complete at the target. */
    void flush(int rank) {
        String call = "Win.flush";
        usable(call);
        checkRank(call, "rank", rank);
        checkPassive(call, rank);
        await(call, request(call, FLUSH, rank, 0));
        drainLocal(call);
    }

    /** {@code MPI_Win_flush_all}. */
    void flushAll() {
        String call = "Win.flushAll";
        usable(call);
        Pending[] ps = new Pending[comm.size()];
        for (int r = 0; r < ps.length; r++) {
            boolean locked;
            synchronized (this) { locked = lockAll || lockType[r] != 0; }
            if (locked) ps[r] = request(call, FLUSH, r, 0);
        }
        for (Pending p : ps) if (p != null) await(call, p);
        drainLocal(call);
    }

    /** {@code MPI_Win_flush_local}: the origin buffers of every operation to {@code rank} may be reused. */
    void flushLocal(int rank) {
        String call = "Win.flushLocal";
        usable(call);
        checkRank(call, "rank", rank);
        checkPassive(call, rank);
        drainLocal(call);
    }

    /** {@code MPI_Win_flush_local_all}. */
    void flushLocalAll() {
        String call = "Win.flushLocalAll";
        usable(call);
        drainLocal(call);
    }
}
