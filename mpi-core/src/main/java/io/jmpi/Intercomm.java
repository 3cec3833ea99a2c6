package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.DataType;


/**
 * An intercommunicator ({@code MPI_Comm} with two groups), made by {@link Comm#createIntercomm}. Point-to-point
 * calls address the <em>remote</em> group: {@code dest} and {@code source} are ranks of {@link #remoteGroup()},
 * and a receive's {@link Status#source()} is a remote rank; {@link #rank()} and {@link #size()} describe the local
 * group ({@code MPI_Comm_rank}, {@code MPI_Comm_size}), {@link #remoteSize()} the other one.
 *
 * <p>Collectives follow MPI 4.1 section 6.2.2: data flows from one group to the other. Rooted ones ({@link
 * #bcast}, {@link #gather}, {@link #scatter}) are called in the root's group with {@link #ROOT} at the root and
 * {@link Mpi#PROC_NULL} at the others, and in the other group with the root's rank; the all-to-all ones give each
 * group the contributions (or the reduction) of the other group. Every collective is one schedule over both
 * groups on the intercommunicator's collective context: local phases with the intracommunicator algorithms, messages
 * between the two groups' rank 0 (the "leaders") or between the ranks concerned ({@link InterBase},
 * {@code coll.InterAlgorithms}, docs/INTERCOMM.md); typed overloads for every primitive array type and ByteBuffer
 * come from {@link InterCollectives}.
 *
 * <p>Under the communicator layout of {@link AbstractComm}, the inherited rank table is the remote group's, so the
 * point-to-point code translates remote ranks to world ranks and back without knowing it serves an
 * intercommunicator. The local group's table lives in {@link #local}.
 */
public final class Intercomm extends InterCollectives implements AutoCloseable {
    /** The root's own root argument in a rooted intercommunicator collective ({@code MPI_ROOT}). */
    public static final int ROOT = InterBase.ROOT;

    private Intercomm(Comm local, int context, int[] remote, String name) {
        super(local, context, remote, name);
    }

    // ------------------------------------------------------------------ construction (MPI_Intercomm_create)

    static Intercomm create(Comm lc, int localLeader, Comm peer, int remoteLeader, int tag) {
        String call = "createIntercomm";
        lc.checkUsable(call);
        if (localLeader < 0 || localLeader >= lc.size) {
            throw lc.raise(new MpiException(ErrorClass.ARG, call + ": localLeader=" + localLeader + " out of range [0, "
                    + lc.size + ")"));
        }
        boolean leader = lc.rank == localLeader;
        // the leader's checks fail the whole local group alike: it broadcasts either the remote group or the error
        Object got = lc.bcastObject(leader ? leaderHandshake(call, lc, peer, remoteLeader, tag) : null, localLeader);
        if (got instanceof String) throw lc.raise(new MpiException(ErrorClass.ARG, (String) got));
        int[] remote = (int[]) got;
        int ctx = ContextAgreement.agree(lc.mpi, v -> {
            lc.finish(lc.startAllreduce(call, false, DataType.INT, v, 0, v, 0, v.length, Op.MAX));
            if (leader) {
                int[] o = new int[v.length];
                peer.sendrecv(v, remoteLeader, tag, o, remoteLeader, tag);
                for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], o[i]);
            }
            lc.finish(lc.startBcast(call, false, DataType.INT, v, 0, v.length, localLeader));
        });
        // not dup(): the user's attribute callbacks are for the user's duplicates, not for this internal one
        Comm.Derived d = lc.derive(call, 0, lc.rank);
        Comm local = new Comm(lc, d.context(), d.worldRanks(), lc.name + ".inter.local");
        return new Intercomm(local, ctx, remote, lc.name + ".inter");
    }

    /** At the local leader: checks its arguments and swaps groups with the remote leader; the group or an error. */
    private static Object leaderHandshake(String call, Comm lc, Comm peer, int remoteLeader, int tag) {
        if (peer == null) return call + ": peerComm is null (it is needed at the local leader)";
        if (peer.freed) return call + ": peerComm " + peer.name + " has been freed";
        if (remoteLeader < 0 || remoteLeader >= peer.size) {
            return call + ": remoteLeader=" + remoteLeader + " out of range [0, " + peer.size + ") of peerComm " + peer.name;
        }
        if (remoteLeader == peer.rank) {
            return call + ": remoteLeader=" + remoteLeader + " is the local leader itself; it must be the other group's leader";
        }
        if (tag < 0) return call + ": tag=" + tag + " out of range [0, " + Mpi.TAG_UB + "]";
        int[] mine = lc.group().worldRanks();
        Request s = peer.isendObject(mine, remoteLeader, tag);
        int[] theirs = peer.recvObject(remoteLeader, tag);
        s.await();
        for (int w : theirs) {
            for (int m : mine) {
                if (w == m) return call + ": world rank " + w + " is in both groups; they must be disjoint";
            }
        }
        return theirs;
    }

    // ------------------------------------------------------------------ queries

    /** This process's rank in the local group ({@code MPI_Comm_rank}). */
    @Override
    public int rank() {
        return local.rank();
    }

    /** Size of the local group ({@code MPI_Comm_size}). */
    @Override
    public int size() {
        return local.size();
    }

    /** Size of the remote group ({@code MPI_Comm_remote_size}). */
    public int remoteSize() {
        return remote.length;
    }

    /** The local group ({@code MPI_Comm_group}). */
    public Group group() {
        return local.group();
    }

    /** The remote group ({@code MPI_Comm_remote_group}). */
    public Group remoteGroup() {
        return new Group(remote.clone(), mpi.rank());
    }

    /** The intercommunicator's name, e.g. {@code WORLD.split(0).inter}. */
    public String name() {
        return name;
    }

    /** The {@link Mpi} this intercommunicator belongs to. */
    public Mpi mpi() {
        return mpi;
    }

    /** Sets what a failing call does ({@code MPI_Comm_set_errhandler}); see {@link Errhandler}. */
    public void setErrhandler(Errhandler handler) {
        local.setErrhandler(handler);
    }

    /** The error handler, inherited from the local communicator it was made from ({@code MPI_Comm_get_errhandler}). */
    public Errhandler errhandler() {
        return local.errhandler();
    }

    @Override
    Errhandler handler() {
        return local.errhandler();
    }

    // ------------------------------------------------------------------ duplicate (MPI_Comm_dup)

    /**
     * A duplicate ({@code MPI_Comm_dup} of an intercommunicator): the same local and remote groups, with the same
     * ranks, on new contexts, so its messages and collectives never meet this one's. Collective over both groups.
     * The error handler is inherited; attributes are not copied (an intercommunicator has none here).
     */
    public Intercomm dup() {
        String call = "dup";
        checkUsable(call);
        Comm.Derived d = local.derive(call, 0, local.rank());
        Comm newLocal = new Comm(local, d.context(), d.worldRanks(), name + ".dup.local");
        int ctx = ContextAgreement.agree(mpi, v -> maxOverBoth(call, v));
        return new Intercomm(newLocal, ctx, remote.clone(), name + ".dup");
    }

    // ------------------------------------------------------------------ merge (MPI_Intercomm_merge)

    /**
     * An intracommunicator of both groups ({@code MPI_Intercomm_merge}); collective over both. The group passing
     * {@code high = false} comes first; if both pass the same value, the group whose rank 0 has the lower world rank
     * comes first. Every rank of a group must pass the same value.
     */
    public Comm merge(boolean high) {
        String call = "merge";
        checkUsable(call);
        int[] theirs = new int[remote.length];
        finish(startAllgather(call, false, DataType.INT, new int[]{high ? 1 : 0}, 0, 1, theirs, 0, 1));
        boolean mine = high;
        boolean localFirst = mine != (theirs[0] == 1) ? !mine : local.toWorld(0) < remote[0];
        int[] ranks = local.group().worldRanks();
        int[] merged = new int[ranks.length + remote.length];
        System.arraycopy(localFirst ? ranks : remote, 0, merged, 0, localFirst ? ranks.length : remote.length);
        System.arraycopy(localFirst ? remote : ranks, 0, merged, localFirst ? ranks.length : remote.length,
                localFirst ? remote.length : ranks.length);
        int ctx = ContextAgreement.agree(mpi, v -> maxOverBoth(call, v));
        return new Comm(local, ctx, merged, name + ".merge(" + high + ")");
    }

    /** Element-wise maximum of {@code v} over both groups, in place; collective over both. */
    private void maxOverBoth(String call, int[] v) {
        int[] o = new int[v.length];
        finish(local.startAllreduce(call, false, DataType.INT, v, 0, v, 0, v.length, Op.MAX));
        finish(startAllreduce(call, false, DataType.INT, v, 0, o, 0, v.length, Op.MAX));
        for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], o[i]);
    }

    // ------------------------------------------------------------------ collectives (MPI 4.1 section 6.2.2)

    /** Returns once every rank of both groups has called it ({@code MPI_Barrier} on an intercommunicator). */
    public void barrier() {
        finish(startBarrier("barrier", false));
    }

    /** Non-blocking barrier on an intercommunicator ({@code MPI_Ibarrier}): completes once every rank of both groups started it. */
    public Request ibarrier() {
        return startBarrier("ibarrier", true);
    }

    /** A persistent barrier on an intercommunicator ({@code MPI_Barrier_init}); each start re-runs one compiled schedule. */
    public Prequest barrierInit() {
        return persistent("barrierInit", () -> buildBarrier("barrierInit"));
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * Marks the intercommunicator freed ({@code MPI_Comm_free}), with its private local communicator: later
     * operations on it fail. Operations in flight complete normally.
     */
    public void free() {
        if (freed) return;
        local.free();
        freed = true;
        collCache.clear();
    }

    /** {@link #free()}. */
    @Override
    public void close() {
        free();
    }

    @Override
    public String toString() {
        return "Intercomm{" + name + ", rank " + rank() + " of " + size() + ", remote size " + remote.length + "}";
    }
}
