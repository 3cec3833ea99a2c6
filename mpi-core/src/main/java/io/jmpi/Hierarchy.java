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
 *   <li>allreduce: node reduce to the leader, the leaders' allreduce in place, node bcast;</li>
 *   <li>gather and allgather ({@link #gather}): node gather to the leader into its host's slot of a padded buffer
 *   (one slot of {@code maxHost * count} elements per host, so hosts of unequal sizes fit a plain gather), the
 *   leaders' gather (allgather) of the slots, a reorder into rank order (hosts need not hold consecutive ranks:
 *   a,b,a,b), then one message to the root when it does not lead its host (gather) or a node bcast (allgather).</li>
 * </ul>
 * Scatter, alltoall and the v-forms stay flat.
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
    /** Hosts (leaders) and the most ranks on one host: the padded gather buffer's geometry. */
    private final int hosts;
    private final int maxHost;
    /** The reduce result at a leader that is not the root, kept between calls. */
    private Block scratch;
    /** Gather scratch, kept between calls: the padded slots (leaders), the rank-ordered result, a packed send block. */
    private Block padded;
    private Block ordered;
    private Block packed;
    /** The status of the reduce result's last hop, reused. */
    private final Status status = new Status();

    private Hierarchy(Comm node, Comm leaders, int[] leaderOf, int[] leaderIndex, int[] nodeRank, int rank) {
        int h = 0, most = 0;
        for (int i = 0; i < leaderOf.length; i++) {
            if (leaderOf[i] == i) h++;
            most = Math.max(most, nodeRank[i] + 1);
        }
        this.hosts = h;
        this.maxHost = most;
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

    /**
     * Whether a gather of {@code count} elements per rank fits the padded buffer (an array of at most 2^31 - 9
     * elements); the same answer on every rank. When it does not, the flat schedules run.
     */
    boolean fitsGather(long count) {
        return (long) hosts * maxHost * count <= Integer.MAX_VALUE - 8;
    }

    /**
     * Gather to {@code root}, or allgather when {@code root < 0}, of {@code count} elements of {@code t} per rank:
     * {@code sb} this rank's block, {@code rb} the result (every rank's block in rank order; the root's only for a
     * gather, null elsewhere). Blocks of any form: a primitive array goes straight to the node gather and is received
     * in place; a ByteBuffer or derived datatype goes through a packed scratch (copies, and for a derived type a
     * temporary per copy). See the class comment for the steps.
     */
    void gather(String call, DataType t, Block sb, Block rb, int count, int root) {
        int slot = maxHost * count;
        boolean leads = leaders != null;
        Object send = sb.array();
        int sendAt = sb.offset;
        if (send == null) {
            Block p = packed = fit(packed, t, count);
            Block.copy(sb, 0, p, 0, count);
            send = p.array();
            sendAt = 0;
        }
        Block pad = leads ? (padded = fit(padded, t, hosts * slot)) : null;
        int mine = leads ? leaderIndex[rank] * slot : 0;
        node.finish(node.startGather(call, false, t, send, sendAt, count, leads ? pad.array() : null, mine, 0));
        int n = leaderOf.length * count;
        if (root >= 0) {
            if (leads) leaders.finish(leaders.startGather(call, false, t, pad.array(), mine, slot, pad.array(), 0, leaderIndex[root]));
            if (rank == root && leads) {
                unpad(pad, rb, count);
            } else if (leads && rank == leaderOf[root]) {
                Block o = ordered = fit(ordered, t, n);
                unpad(pad, o, count);
                node.sendArray(call, t, o.array(), 0, n, nodeRank[root], HOP_TAG, false);
            } else if (rank == root) {
                Object into = rb.array();
                if (into != null) {
                    node.recvArray(call, t, into, rb.offset, n, 0, HOP_TAG, status);
                } else {
                    Block o = ordered = fit(ordered, t, n);
                    node.recvArray(call, t, o.array(), 0, n, 0, HOP_TAG, status);
                    Block.copy(o, 0, rb, 0, n);
                }
            }
            return;
        }
        // allgather: the result in rank order, in the receive array itself where it is one, then a node bcast of it
        Object out = rb.array();
        Block o = out != null ? rb : (ordered = fit(ordered, t, n));
        if (leads) {
            leaders.finish(leaders.startAllgather(call, false, t, pad.array(), mine, slot, pad.array(), 0));
            unpad(pad, o, count);
        }
        node.finish(node.startBcast(call, false, t, o.array(), o.offset, n, 0));
        if (out == null) Block.copy(o, 0, rb, 0, n);
    }

    /** Copies every rank's block from its host's slot of {@code pad} to its place in rank order in {@code dst}. */
    private void unpad(Block pad, Block dst, int count) {
        int slot = maxHost * count;
        for (int i = 0; i < leaderOf.length; i++) {
            Block.copy(pad, leaderIndex[i] * slot + nodeRank[i] * count, dst, i * count, count);
        }
    }

    /** {@code b} if it is a scratch of type {@code t} with room for {@code count} elements, else a new one. */
    private static Block fit(Block b, DataType t, int count) {
        return b != null && b.type == t && b.count >= count ? b : Block.allocate(t, count);
    }
}
