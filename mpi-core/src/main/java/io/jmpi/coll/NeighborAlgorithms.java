package io.jmpi.coll;

/**
 * Neighbourhood collectives ({@code MPI_Neighbor_*}): one round in which every in-edge posts its receive straight
 * into its block of the receive buffer and every out-edge sends its block of the send buffer, both as views of the
 * caller's arrays (no temporary of the message size); edges to this rank itself are local copies, edges to
 * {@code PROC_NULL} do nothing, so their receive blocks stay untouched. Messages carry the edge's tag
 * ({@link Neighborhood}), which keeps two edges between the same pair of ranks apart. Allgather is the special case
 * in which every out-edge sends the same block.
 */
public final class NeighborAlgorithms {
    private static final int PROC_NULL = io.jmpi.engine.Engine.PROC_NULL;

    private NeighborAlgorithms() {
    }

    /** Every out-edge sends {@code send}; in-edge i receives {@code count} elements at {@code i * count} of {@code recv}. */
    public static void allgather(Schedule s, Neighborhood nb, Block send, Block recv, int count) {
        exchange(s, nb, send, null, null, 0, recv, null, null, count);
    }

    /** Every out-edge sends {@code send}; in-edge i receives {@code recvCounts[i]} elements at {@code rdispls[i]}. */
    public static void allgatherv(Schedule s, Neighborhood nb, Block send, Block recv, int[] recvCounts, int[] rdispls) {
        exchange(s, nb, send, null, null, 0, recv, recvCounts, rdispls, send.count);
    }

    /** Out-edge j sends block j, in-edge i receives block i, blocks of {@code count} elements. */
    public static void alltoall(Schedule s, Neighborhood nb, Block send, Block recv, int count) {
        exchange(s, nb, send, null, null, count, recv, null, null, count);
    }

    /**
     * Out-edge j sends {@code sendCounts[j]} elements of {@code send} from {@code sdispls[j]} (relative to the block);
     * in-edge i receives {@code recvCounts[i]} elements into {@code recv} at {@code rdispls[i]}. The caller checked
     * the arrays (lengths, ranges, equal counts on self-edges) and passes copies the schedule may keep.
     */
    public static void alltoallv(Schedule s, Neighborhood nb, Block send, int[] sendCounts, int[] sdispls,
                                 Block recv, int[] recvCounts, int[] rdispls) {
        exchange(s, nb, send, sendCounts, sdispls, 0, recv, recvCounts, rdispls, 0);
    }

    /**
     * Out-edge j sends {@code send[j]}, in-edge i receives into {@code recv[i]}: blocks of their own derived datatypes
     * ({@code MPI_Neighbor_alltoallw}); a self-edge copies through the packed stream.
     */
    public static void alltoallw(Schedule s, Neighborhood nb, Block[] send, Block[] recv) {
        s.algorithm("neighbor exchange");
        int r = s.rank();
        for (int k = 0; k < nb.selfOut.length; k++) {
            Block from = send[nb.selfOut[k]], to = recv[nb.selfIn[k]];
            s.action(() -> Block.copy(from, 0, to, 0, from.count));
        }
        for (int i = 0; i < nb.sources.length; i++) {
            int peer = nb.sources[i];
            if (peer != PROC_NULL && peer != r) s.recv(peer, nb.sourceTags[i], recv[i].buf());
        }
        for (int j = 0; j < nb.destinations.length; j++) {
            int peer = nb.destinations[j];
            if (peer != PROC_NULL && peer != r) s.send(peer, nb.destTags[j], send[j].buf());
        }
        s.round();
    }

    /**
     * The one round. Null count or displacement arrays stand for fixed blocks (count {@code count}, displacement
     * {@code j * sendStride} on the send side and {@code i * count} on the receive side), so the fixed-size
     * collectives allocate no per-edge arrays.
     */
    private static void exchange(Schedule s, Neighborhood nb, Block send, int[] sc, int[] sd, int sendStride,
                                 Block recv, int[] rc, int[] rd, int count) {
        s.algorithm("neighbor exchange");
        int r = s.rank();
        for (int k = 0; k < nb.selfOut.length; k++) {
            int j = nb.selfOut[k], i = nb.selfIn[k];
            int from = sd == null ? j * sendStride : sd[j], to = rd == null ? i * count : rd[i];
            int n = rc == null ? count : rc[i];
            s.action(() -> Block.copy(send, from, recv, to, n));
        }
        for (int i = 0; i < nb.sources.length; i++) {
            int peer = nb.sources[i];
            if (peer == PROC_NULL || peer == r) continue;
            s.recv(peer, nb.sourceTags[i], recv.buf(rd == null ? i * count : rd[i], rc == null ? count : rc[i]));
        }
        for (int j = 0; j < nb.destinations.length; j++) {
            int peer = nb.destinations[j];
            if (peer == PROC_NULL || peer == r) continue;
            s.send(peer, nb.destTags[j], send.buf(sd == null ? j * sendStride : sd[j], sc == null ? count : sc[j]));
        }
        s.round();
    }
}
