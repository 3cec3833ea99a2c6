package io.jmpi.coll;

import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;

import java.util.function.LongConsumer;
import java.util.function.ToLongFunction;

/**
 * The collectives of an intercommunicator (MPI 4.1 section 6.2.2) as one {@link Schedule} over a channel that holds
 * the local group first (channel ranks {@code [0, local)}, this group's ranks) and then the remote group (channel
 * rank {@code local + j} is remote rank j). Local phases run the intracommunicator algorithms unchanged on the first
 * {@code local} ranks ({@link Schedule#span(int)}); the phases between the groups are messages between the two
 * leaders (rank 0 of each group) or between every pair of ranks concerned:
 * <ul>
 *   <li>barrier: local barrier, the leaders swap empty messages, local broadcast of nothing from the leader;</li>
 *   <li>bcast: the root sends to the other group's leader, which broadcasts it in its group;</li>
 *   <li>reduce, allreduce, reduce-scatter(-block): each contributing group reduces to its leader; the leader sends
 *       the result to the root, or the leaders swap results and each broadcasts or scatters the other group's;</li>
 *   <li>allgather: each group gathers to its leader, the leaders swap, each broadcasts the other group's blocks;</li>
 *   <li>gather(v), scatter(v), allgatherv, alltoall(v): direct messages between the ranks concerned, one round.</li>
 * </ul>
 * Rooted collectives start with an {@link #agree agreement}: the leaders swap whether their group passed ROOT or
 * PROC_NULL and broadcast the verdict, so that both or neither group claiming the root fails on every rank of both groups
 * instead of hanging or dropping data. Both groups' schedules post the messages between a pair of ranks in the same
 * order, so the per-pair FIFO matching of the engine keeps the phases apart even where their tag rounds coincide.
 */
public final class InterAlgorithms {
    /** Tag rounds of the messages between the groups (local phases use the intracommunicator algorithms' own). */
    private static final int TAG_LEADERS = 1001, TAG_AGREE = 1002, TAG_DIRECT = 1003;

    private InterAlgorithms() {
    }

    /** Every rank of both groups has entered before any leaves. */
    public static void barrier(Schedule s, int local) {
        s.algorithm("intercomm barrier (local barrier, leaders, local bcast)");
        int all = s.size();
        s.span(local);
        BcastAlgorithms.barrier(s);
        s.span(all);
        if (s.rank() == 0) leaders(s, local, Block.EMPTY, Block.EMPTY);
        s.span(local);
        BcastAlgorithms.bcast(s, Block.EMPTY, 0);
        s.span(all);
    }

    /**
     * An agreement between the groups before a collective moves data: the leaders swap {@code v[0, n)} (this
     * group's values, set by the caller) into {@code v[n, 2n)}, the leader computes a verdict with {@code judge}
     * into {@code v[2n]} and broadcasts {@code v[n, 2n]} locally, and every rank passes a non-zero verdict to {@code fail}, which
     * throws: a disagreement (both groups claiming the root, different counts) fails every rank of both groups
     * instead of hanging one of them. {@code v} has {@code 2n + 1} elements.
     */
    public static void agree(Schedule s, int local, long[] v, int n, ToLongFunction<long[]> judge, LongConsumer fail) {
        int all = s.size();
        if (s.rank() == 0) {
            s.send(local, TAG_AGREE, Block.of(DataType.LONG, v, 0, n).buf());
            s.recv(local, TAG_AGREE, Block.of(DataType.LONG, v, n, n).buf());
            s.round();
            s.action(() -> v[2 * n] = judge.applyAsLong(v));
        }
        s.span(local);
        BcastAlgorithms.bcast(s, Block.of(DataType.LONG, v, n, n + 1), 0); // the other group's values too, for messages
        s.span(all);
        s.action(() -> {
            if (v[2 * n] != 0) fail.accept(v[2 * n]);
        });
    }

    /** At the root ({@code ROOT}): sends {@code buf} to the other group's leader. */
    public static void bcastRoot(Schedule s, int local, Block buf) {
        s.algorithm("intercomm bcast (root to leader, local bcast)");
        s.send(local, TAG_DIRECT, buf.buf());
        s.round();
    }

    /** In the receiving group: the leader receives from remote {@code root} and broadcasts locally. */
    public static void bcastReceive(Schedule s, int local, Block buf, int root) {
        s.algorithm("intercomm bcast (root to leader, local bcast)");
        int all = s.size();
        if (s.rank() == 0) {
            s.recv(local + root, TAG_DIRECT, buf.buf());
            s.round();
        }
        s.span(local);
        BcastAlgorithms.bcast(s, buf, 0);
        s.span(all);
    }

    /** In the contributing group: reduces {@code send} to the leader ({@code acc}, leader only) and sends it to {@code root}. */
    public static void reduceContribute(Schedule s, int local, Combiner op, Block send, Block acc, int root) {
        s.algorithm("intercomm reduce (local reduce, leader to root)");
        int all = s.size();
        s.span(local);
        ReduceAlgorithms.reduce(s, op, send, acc, 0);
        s.span(all);
        if (s.rank() == 0) {
            s.send(local + root, TAG_DIRECT, acc.buf());
            s.round();
        }
    }

    /** At the root ({@code ROOT}) of a reduce: receives the other group's reduction from its leader. */
    public static void reduceRoot(Schedule s, int local, Block recv) {
        s.algorithm("intercomm reduce (local reduce, leader to root)");
        s.recv(local, TAG_DIRECT, recv.buf());
        s.round();
    }

    /**
     * {@code recv} of every rank gets the reduction of the other group's {@code send}; {@code acc} is the leader's
     * scratch for its own group's reduction (null elsewhere).
     */
    public static void allreduce(Schedule s, int local, Combiner op, Block send, Block acc, Block recv) {
        s.algorithm("intercomm allreduce (local reduce, leaders swap, local bcast)");
        int all = s.size();
        s.span(local);
        ReduceAlgorithms.reduce(s, op, send, acc, 0);
        s.span(all);
        if (s.rank() == 0) leaders(s, local, acc, recv);
        s.span(local);
        BcastAlgorithms.bcast(s, recv, 0);
        s.span(all);
    }

    /**
     * Reduce-scatter: each group reduces its vectors to its leader ({@code acc}), the leaders swap ({@code other}, the
     * other group's result, leader only), and each leader scatters {@code counts[i]} elements from {@code displs[i]}
     * of it to local rank i ({@code counts} null: equal blocks of {@code recv.count}).
     */
    public static void reduceScatter(Schedule s, int local, Combiner op, Block send, Block acc, Block other, Block recv,
                                     int[] counts, int[] displs) {
        s.algorithm("intercomm reduce-scatter (local reduce, leaders swap, local scatter)");
        int all = s.size();
        s.span(local);
        ReduceAlgorithms.reduce(s, op, send, acc, 0);
        s.span(all);
        if (s.rank() == 0) leaders(s, local, acc, other);
        s.span(local);
        if (counts == null) GatherAlgorithms.scatter(s, other, recv, 0);
        else GatherAlgorithms.scatterv(s, other, recv, counts, displs, 0);
        s.span(all);
    }

    /** Allgather: gather to the leader ({@code acc}, leader only), the leaders swap, local broadcast of {@code recv}. */
    public static void allgather(Schedule s, int local, Block send, Block acc, Block recv) {
        s.algorithm("intercomm allgather (local gather, leaders swap, local bcast)");
        int all = s.size();
        s.span(local);
        GatherAlgorithms.gather(s, send, acc, 0);
        s.span(all);
        if (s.rank() == 0) leaders(s, local, acc, recv);
        s.span(local);
        BcastAlgorithms.bcast(s, recv, 0);
        s.span(all);
    }

    /**
     * One round of direct messages: {@code sendCounts[j]} elements at {@code sdispls[j]} of {@code send} to remote
     * rank j and {@code recvCounts[i]} elements at {@code rdispls[i]} of {@code recv} from remote rank i, for every
     * remote rank; a null side sends (or receives) nothing; null counts stand for one block of the whole side
     * (gather's senders, scatter's receivers), sent to (received from) remote rank {@code peer} only.
     */
    public static void direct(Schedule s, int local, int remote, Block send, int[] sendCounts, int[] sdispls,
                              Block recv, int[] recvCounts, int[] rdispls, int peer) {
        s.algorithm("intercomm direct");
        if (recv != null) {
            if (recvCounts == null) {
                s.recv(local + peer, TAG_DIRECT, recv.buf());
            } else {
                for (int i = 0; i < remote; i++) s.recv(local + i, TAG_DIRECT, recv.buf(rdispls[i], recvCounts[i]));
            }
        }
        if (send != null) {
            if (sendCounts == null) {
                s.send(local + peer, TAG_DIRECT, send.buf());
            } else {
                for (int j = 0; j < remote; j++) s.send(local + j, TAG_DIRECT, send.buf(sdispls[j], sendCounts[j]));
            }
        }
        s.round();
    }

    /** Equal blocks: counts {@code n} at displacements {@code i * n}, for {@link #direct}. */
    public static int[][] blocks(int remote, int n) {
        int[] c = new int[remote], d = new int[remote];
        for (int i = 0; i < remote; i++) {
            c[i] = n;
            d[i] = i * n;
        }
        return new int[][]{c, d};
    }

    /** The leaders swap {@code mine} for {@code theirs}, one round. */
    private static void leaders(Schedule s, int local, Block mine, Block theirs) {
        Buf out = mine.buf(), in = theirs.buf();
        s.send(local, TAG_LEADERS, out);
        s.recv(local, TAG_LEADERS, in);
        s.round();
    }
}
