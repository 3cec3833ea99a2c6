package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Operation;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An intercommunicator ({@code MPI_Comm} with two groups), made by {@link Comm#createIntercomm}. Point-to-point
 * calls address the <em>remote</em> group: {@code dest} and {@code source} are ranks of {@link #remoteGroup()},
 * and a receive's {@link Status#source()} is a remote rank; {@link #rank()} and {@link #size()} describe the local
 * group ({@code MPI_Comm_rank}, {@code MPI_Comm_size}), {@link #remoteSize()} the other one.
 *
 * <p>Collectives follow MPI 4.1 section 6.2.2: data flows from one group to the other. Rooted ones ({@link
 * #bcast}, {@link #gather}, {@link #scatter}) are called in the root's group with {@link #ROOT} at the root and
 * {@link Mpi#PROC_NULL} at the others, and in the other group with the root's rank; the all-to-all ones give each
 * group the contributions (or the reduction) of the other group. They are built from point-to-point messages on
 * the intercommunicator's collective context between the two groups' rank 0 (the "leaders") or between all pairs,
 * plus collectives of a private duplicate of the local group.
 *
 * <p>Under the communicator layout of {@link AbstractComm}, the inherited rank table is the remote group's, so the
 * point-to-point code translates remote ranks to world ranks and back without knowing it serves an
 * intercommunicator. The local group's table lives in {@link #local}.
 */
public final class Intercomm extends PointToPoint implements AutoCloseable {
    /** The root's own root argument in a rooted intercommunicator collective ({@code MPI_ROOT}). */
    public static final int ROOT = -3;

    /** A private duplicate of the local group (its own contexts), for the local phases of collectives. */
    final Comm local;
    final int[] remote;
    /** Context of collective traffic between the groups; matched by a per-collective tag from {@link #seq}. */
    final int collContext;
    private final AtomicInteger seq = new AtomicInteger();

    private Intercomm(Comm local, int context, int[] remote, String name) {
        super(local.mpi, local.engine, context, remote, name);
        this.local = local;
        this.remote = remote;
        this.collContext = context + 1;
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
            finish(lc.startAllreduce(call, false, DataType.INT, v, 0, v, 0, v.length, Op.MAX));
            if (leader) {
                int[] o = new int[v.length];
                peer.sendrecv(v, remoteLeader, tag, o, remoteLeader, tag);
                for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], o[i]);
            }
            finish(lc.startBcast(call, false, DataType.INT, v, 0, v.length, localLeader));
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

    // ------------------------------------------------------------------ merge (MPI_Intercomm_merge)

    /**
     * An intracommunicator of both groups ({@code MPI_Intercomm_merge}); collective over both. The group passing
     * {@code high = false} comes first; if both pass the same value, the group whose rank 0 has the lower world rank
     * comes first. Every rank of a group must pass the same value.
     */
    public Comm merge(boolean high) {
        String call = "merge";
        checkUsable(call);
        int tag = nextTag();
        int[] highs = {high ? 1 : 0, 0};
        if (local.rank == 0) leaderExchange(call, tag, DataType.INT, highs, 0, 1, highs, 1, 1);
        finish(local.startBcast(call, false, DataType.INT, highs, 0, 2, 0));
        boolean localFirst = highs[0] != highs[1] ? highs[0] == 0 : local.toWorld(0) < remote[0];
        int[] mine = local.group().worldRanks();
        int[] merged = new int[mine.length + remote.length];
        System.arraycopy(localFirst ? mine : remote, 0, merged, 0, localFirst ? mine.length : remote.length);
        System.arraycopy(localFirst ? remote : mine, 0, merged, localFirst ? mine.length : remote.length,
                localFirst ? remote.length : mine.length);
        int ctx = ContextAgreement.agree(mpi, v -> maxOverBoth(call, tag, v));
        return new Comm(local, ctx, merged, name + ".merge(" + high + ")");
    }

    /** Element-wise maximum of {@code v} over both groups, in place; collective over both. */
    private void maxOverBoth(String call, int tag, int[] v) {
        finish(local.startAllreduce(call, false, DataType.INT, v, 0, v, 0, v.length, Op.MAX));
        if (local.rank == 0) {
            int[] o = new int[v.length];
            leaderExchange(call, tag, DataType.INT, v, 0, v.length, o, 0, o.length);
            for (int i = 0; i < v.length; i++) v[i] = Math.max(v[i], o[i]);
        }
        finish(local.startBcast(call, false, DataType.INT, v, 0, v.length, 0));
    }

    // ------------------------------------------------------------------ messages between the groups

    int nextTag() {
        return seq.getAndIncrement() & Integer.MAX_VALUE;
    }

    /** The two leaders (local rank 0 of each group) swap buffers on the collective context. */
    void leaderExchange(String call, int tag, DataType t, Object send, int sOff, int sCount, Object recv, int rOff, int rCount) {
        Operation r = collRecv(call, tag, t, recv, rOff, rCount, 0);
        Operation s = collSend(call, tag, t, send, sOff, sCount, 0);
        if (s != null) s.await();
        r.await();
    }

    /** Sends on the collective context to remote rank {@code to}; null if it completed at once. */
    Operation collSend(String call, int tag, DataType t, Object a, int off, int n, int to) {
        return engine.startSend(call, new ArrayBuf(t, a, off, n), remote[to], collContext, tag, false);
    }

    Operation collRecv(String call, int tag, DataType t, Object a, int off, int n, int from) {
        return engine.startRecv(call, new ArrayBuf(t, a, off, n), remote[from], collContext, tag, rankMap);
    }

    static void finish(Request r) {
        r.await();
    }

    // ------------------------------------------------------------------ collectives (MPI 4.1 section 6.2.2)

    /** Returns once every rank of both groups has called it ({@code MPI_Barrier} on an intercommunicator). */
    public void barrier() {
        InterCollectives.barrier(this);
    }

    // ---------------------------------------------------------------- int[]

    /**
     * {@code MPI_Bcast} on an intercommunicator: in the root's group the root passes {@link #ROOT} and its {@code buf}
     * is sent, the others pass {@link Mpi#PROC_NULL} and {@code buf} is ignored (may be null); every rank of the
     * other group passes the root's rank and receives into {@code buf}.
     */
    public void bcast(int[] buf, int root) {
        InterCollectives.bcast(this, "bcast", DataType.INT, buf, root);
    }

    /** {@code MPI_Allreduce} on an intercommunicator: {@code recv} gets the reduction of the other group's {@code send}. */
    public void allreduce(int[] send, int[] recv, Op op) {
        InterCollectives.allreduce(this, "allreduce", DataType.INT, send, recv, op);
    }

    /**
     * {@code MPI_Allgather} on an intercommunicator: {@code recv} gets the other group's {@code send} arrays in its
     * rank order, one block of {@code recv.length / remoteSize()} elements each.
     */
    public void allgather(int[] send, int[] recv) {
        InterCollectives.allgather(this, "allgather", DataType.INT, send, recv);
    }

    /**
     * {@code MPI_Alltoall} on an intercommunicator: block j of {@code send} goes to remote rank j, block i of
     * {@code recv} comes from remote rank i; both arrays hold {@link #remoteSize()} equal blocks.
     */
    public void alltoall(int[] send, int[] recv) {
        InterCollectives.alltoall(this, "alltoall", DataType.INT, send, recv);
    }

    /**
     * {@code MPI_Gather} on an intercommunicator: the root ({@link #ROOT}) receives every remote rank's {@code send}
     * into {@code recv} in rank order ({@link #remoteSize()} equal blocks); its group's other ranks pass
     * {@link Mpi#PROC_NULL}; the other group passes the root's rank and {@code send} ({@code recv} ignored).
     */
    public void gather(int[] send, int[] recv, int root) {
        InterCollectives.gather(this, "gather", DataType.INT, send, recv, root);
    }

    /**
     * {@code MPI_Scatter} on an intercommunicator: the root ({@link #ROOT}) sends block j of {@code send}
     * ({@link #remoteSize()} equal blocks) to remote rank j, which passes the root's rank and receives it into
     * {@code recv}; the root group's other ranks pass {@link Mpi#PROC_NULL}.
     */
    public void scatter(int[] send, int[] recv, int root) {
        InterCollectives.scatter(this, "scatter", DataType.INT, send, recv, root);
    }

    // ---------------------------------------------------------------- long[]

    /**
     * {@code MPI_Bcast} on an intercommunicator: in the root's group the root passes {@link #ROOT} and its {@code buf}
     * is sent, the others pass {@link Mpi#PROC_NULL} and {@code buf} is ignored (may be null); every rank of the
     * other group passes the root's rank and receives into {@code buf}.
     */
    public void bcast(long[] buf, int root) {
        InterCollectives.bcast(this, "bcast", DataType.LONG, buf, root);
    }

    /** {@code MPI_Allreduce} on an intercommunicator: {@code recv} gets the reduction of the other group's {@code send}. */
    public void allreduce(long[] send, long[] recv, Op op) {
        InterCollectives.allreduce(this, "allreduce", DataType.LONG, send, recv, op);
    }

    /**
     * {@code MPI_Allgather} on an intercommunicator: {@code recv} gets the other group's {@code send} arrays in its
     * rank order, one block of {@code recv.length / remoteSize()} elements each.
     */
    public void allgather(long[] send, long[] recv) {
        InterCollectives.allgather(this, "allgather", DataType.LONG, send, recv);
    }

    /**
     * {@code MPI_Alltoall} on an intercommunicator: block j of {@code send} goes to remote rank j, block i of
     * {@code recv} comes from remote rank i; both arrays hold {@link #remoteSize()} equal blocks.
     */
    public void alltoall(long[] send, long[] recv) {
        InterCollectives.alltoall(this, "alltoall", DataType.LONG, send, recv);
    }

    /**
     * {@code MPI_Gather} on an intercommunicator: the root ({@link #ROOT}) receives every remote rank's {@code send}
     * into {@code recv} in rank order ({@link #remoteSize()} equal blocks); its group's other ranks pass
     * {@link Mpi#PROC_NULL}; the other group passes the root's rank and {@code send} ({@code recv} ignored).
     */
    public void gather(long[] send, long[] recv, int root) {
        InterCollectives.gather(this, "gather", DataType.LONG, send, recv, root);
    }

    /**
     * {@code MPI_Scatter} on an intercommunicator: the root ({@link #ROOT}) sends block j of {@code send}
     * ({@link #remoteSize()} equal blocks) to remote rank j, which passes the root's rank and receives it into
     * {@code recv}; the root group's other ranks pass {@link Mpi#PROC_NULL}.
     */
    public void scatter(long[] send, long[] recv, int root) {
        InterCollectives.scatter(this, "scatter", DataType.LONG, send, recv, root);
    }

    // ---------------------------------------------------------------- double[]

    /**
     * {@code MPI_Bcast} on an intercommunicator: in the root's group the root passes {@link #ROOT} and its {@code buf}
     * is sent, the others pass {@link Mpi#PROC_NULL} and {@code buf} is ignored (may be null); every rank of the
     * other group passes the root's rank and receives into {@code buf}.
     */
    public void bcast(double[] buf, int root) {
        InterCollectives.bcast(this, "bcast", DataType.DOUBLE, buf, root);
    }

    /** {@code MPI_Allreduce} on an intercommunicator: {@code recv} gets the reduction of the other group's {@code send}. */
    public void allreduce(double[] send, double[] recv, Op op) {
        InterCollectives.allreduce(this, "allreduce", DataType.DOUBLE, send, recv, op);
    }

    /**
     * {@code MPI_Allgather} on an intercommunicator: {@code recv} gets the other group's {@code send} arrays in its
     * rank order, one block of {@code recv.length / remoteSize()} elements each.
     */
    public void allgather(double[] send, double[] recv) {
        InterCollectives.allgather(this, "allgather", DataType.DOUBLE, send, recv);
    }

    /**
     * {@code MPI_Alltoall} on an intercommunicator: block j of {@code send} goes to remote rank j, block i of
     * {@code recv} comes from remote rank i; both arrays hold {@link #remoteSize()} equal blocks.
     */
    public void alltoall(double[] send, double[] recv) {
        InterCollectives.alltoall(this, "alltoall", DataType.DOUBLE, send, recv);
    }

    /**
     * {@code MPI_Gather} on an intercommunicator: the root ({@link #ROOT}) receives every remote rank's {@code send}
     * into {@code recv} in rank order ({@link #remoteSize()} equal blocks); its group's other ranks pass
     * {@link Mpi#PROC_NULL}; the other group passes the root's rank and {@code send} ({@code recv} ignored).
     */
    public void gather(double[] send, double[] recv, int root) {
        InterCollectives.gather(this, "gather", DataType.DOUBLE, send, recv, root);
    }

    /**
     * {@code MPI_Scatter} on an intercommunicator: the root ({@link #ROOT}) sends block j of {@code send}
     * ({@link #remoteSize()} equal blocks) to remote rank j, which passes the root's rank and receives it into
     * {@code recv}; the root group's other ranks pass {@link Mpi#PROC_NULL}.
     */
    public void scatter(double[] send, double[] recv, int root) {
        InterCollectives.scatter(this, "scatter", DataType.DOUBLE, send, recv, root);
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
