package io.jmpi;

import io.jmpi.buffer.DataType;
import io.jmpi.coll.Block;

/**
 * Hierarchical collectives of a communicator whose ranks run on several hosts, with at least two on some host
 * (docs/COLLECTIVES.md, "Across hosts"): a node communicator per host (its collectives run on the shared-memory
 * component, {@link io.jmpi.coll.ShmCollectives}) and a communicator of the host leaders (the lowest rank of each
 * host; its collectives are point-to-point schedules over the network). Made once, at the first blocking collective
 * that takes this path ({@link CollectiveBase#hierarchy}), by two splits of the parent; freed with it.
 *
 * <ul>
 *   <li>barrier: node barrier, leaders' barrier, node barrier;</li>
 *   <li>bcast: on the root's host a node bcast from the root (when it is not the leader), the leaders' bcast from
 *   the root's host, then a node bcast from the leader on every other host (and on the root's if the root leads);</li>
 *   <li>reduce: node reduce to the leader, the leaders' reduce to the root's host leader, and one message from there
 *   to the root when the root is not its host's leader;</li>
 *   <li>allreduce: node reduce to the leader, the leaders' allreduce in place, node bcast.</li>
 * </ul>
 * Reductions combine host partial results, so they are taken only for commutative operations (the caller checks);
 * floating-point sums then associate differently from the flat schedules (equal bits only where the sums are exact).
 * Every step is a blocking collective of a sub-communicator with the caller's arrays (or a scratch array kept here),
 * so in steady state the sub-communicators' caches and argument blocks make a call allocate nothing.
 */
final class Hierarchy {
    /** Tag of the reduce result's last hop (leader to root) on the node communicator, which carries nothing else. */
    private static final int HOP_TAG = 1;

    /** This rank's host. */
    final Comm node;
    /** One rank per host, the lowest; null on the other ranks. */
    final Comm leaders;
    /** For every rank of the parent: the parent rank of its host's leader. */
    private final int[] leaderOf;
    /** For every rank of the parent: the rank of its host's leader in {@link #leaders}. */
    private final int[] leaderIndex;
    /** For every rank of the parent: its rank in its node communicator. */
    private final int[] nodeRank;
    private final int rank;
    /** The reduce result at a leader that is not the root, kept between calls. */
    private Block scratch;
    /** The status of the reduce result's last hop, reused. */
    private final Status status = new Status();

    private Hierarchy(Comm node, Comm leaders, int[] leaderOf, int[] leaderIndex, int[] nodeRank, int rank) {
        this.node = node;
        this.leaders = leaders;
        this.leaderOf = leaderOf;
        this.leaderIndex = leaderIndex;
        this.nodeRank = nodeRank;
        this.rank = rank;
    }

    /** For each rank of a communicator with these host ids: the lowest rank with the same host id. */
    static int[] leaders(String[] hosts) {
        int[] of = new int[hosts.length];
        for (int i = 0; i < hosts.length; i++) {
            of[i] = i;
            for (int j = 0; j < i; j++) {
                if (hosts[j].equals(hosts[i])) {
                    of[i] = j;
                    break;
                }
            }
        }
        return of;
    }

    /** Whether ranks on these hosts gain from the hierarchy: more than one host, and some host with two ranks. */
    static boolean applies(String[] hosts) {
        int[] of = leaders(hosts);
        int distinct = 0;
        for (int i = 0; i < of.length; i++) if (of[i] == i) distinct++;
        return distinct > 1 && distinct < hosts.length;
    }

    /** Builds the node and leader communicators of {@code parent}: collective over it (two splits). */
    static Hierarchy build(Comm parent, String call) {
        int n = parent.size, me = parent.rank;
        String[] hosts = new String[n];
        for (int i = 0; i < n; i++) hosts[i] = parent.mpi.hostId(parent.toWorld(i));
        int[] of = leaders(hosts);
        int[] index = new int[n], nodeRank = new int[n];
        int leadersSoFar = 0;
        for (int i = 0; i < n; i++) {
            if (of[i] == i) index[i] = leadersSoFar++;
            else index[i] = index[of[i]];
            int k = 0;
            for (int j = 0; j < i; j++) if (of[j] == of[i]) k++;
            nodeRank[i] = k;
        }
        Comm.Derived d = parent.derive(call, of[me], me);
        Comm node = new Comm(parent, d.context(), d.worldRanks(), parent.name + ".node(" + of[me] + ")");
        Comm.Derived l = parent.derive(call, of[me] == me ? 0 : Comm.UNDEFINED, me);
        Comm leaders = l == null ? null : new Comm(parent, l.context(), l.worldRanks(), parent.name + ".leaders");
        return new Hierarchy(node, leaders, of, index, nodeRank, me);
    }

    /** Frees the sub-communicators (with the parent). */
    void free() {
        node.free();
        if (leaders != null) leaders.free();
    }

    void barrier(String call) {
        node.finish(node.startBarrier(call, false));
        if (leaders != null) leaders.finish(leaders.startBarrier(call, false));
        node.finish(node.startBarrier(call, false));
    }

    void bcast(String call, DataType t, Object buf, int offset, int count, int root) {
        int rootLeader = leaderOf[root];
        boolean rootHost = leaderOf[rank] == rootLeader;
        if (rootHost && root != rootLeader) {
            node.finish(node.startBcast(call, false, t, buf, offset, count, nodeRank[root]));
        }
        if (leaders != null) leaders.finish(leaders.startBcast(call, false, t, buf, offset, count, leaderIndex[root]));
        if (!rootHost || root == rootLeader) node.finish(node.startBcast(call, false, t, buf, offset, count, 0));
    }

    /**
     * {@link #bcast(String, DataType, Object, int, int, int)} of a derived {@link Datatype}: the same steps with the
     * sub-communicators' Datatype bcast, so that ranks of one bcast may pass either form (MPI asks only for matching
     * type signatures; every step's choice of component depends on the packed bytes alone).
     */
    void bcast(Object buf, int offset, int count, Datatype type, int root) {
        int rootLeader = leaderOf[root];
        boolean rootHost = leaderOf[rank] == rootLeader;
        if (rootHost && root != rootLeader) node.bcast(buf, offset, count, type, nodeRank[root]);
        if (leaders != null) leaders.bcast(buf, offset, count, type, leaderIndex[root]);
        if (!rootHost || root == rootLeader) node.bcast(buf, offset, count, type, 0);
    }

    /** Reduce to {@code root}; {@code rb} is the receive block there (null elsewhere). */
    void reduce(String call, DataType t, Object send, int sendOffset, Object recv, int recvOffset, Block rb, int count,
                Op op, int root) {
        int rootLeader = leaderOf[root];
        boolean leads = leaders != null;
        Object acc = recv;
        int accAt = recvOffset;
        if (leads && rank != root) {
            Block s = scratch;
            if (s == null || s.type != t || s.count < count) scratch = s = Block.allocate(t, count);
            acc = s.array();
            accAt = 0;
        }
        node.finish(node.startReduce(call, false, t, send, sendOffset, leads ? acc : null, accAt, count, op, 0));
        if (leads) {
            leaders.finish(leaders.startReduce(call, false, t, acc, accAt, acc, accAt, count, op, leaderIndex[root]));
            if (rank == rootLeader && root != rank) {
                node.sendArray(call, t, acc, accAt, count, nodeRank[root], HOP_TAG, false);
            }
        } else if (rank == root) {
            // from the leader (node rank 0); an array receives in place, other forms through the scratch
            Object into = rb.array();
            if (into != null) {
                node.recvArray(call, t, into, rb.offset, count, 0, HOP_TAG, status);
            } else {
                Block s = scratch;
                if (s == null || s.type != t || s.count < count) scratch = s = Block.allocate(t, count);
                node.recvArray(call, t, s.array(), 0, count, 0, HOP_TAG, status);
                Block.copy(s, 0, rb, 0, count);
            }
        }
    }

    void allreduce(String call, DataType t, Object send, int sendOffset, Object recv, int recvOffset, int count, Op op) {
        node.finish(node.startReduce(call, false, t, send, sendOffset, recv, recvOffset, count, op, 0));
        if (leaders != null) {
            leaders.finish(leaders.startAllreduce(call, false, t, recv, recvOffset, recv, recvOffset, count, op));
        }
        node.finish(node.startBcast(call, false, t, recv, recvOffset, count, 0));
    }
}
