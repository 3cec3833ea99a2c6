package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.DataType;
import io.jmpi.coll.Block;
import io.jmpi.coll.NeighborAlgorithms;
import io.jmpi.coll.Neighborhood;
import io.jmpi.coll.Progress;
import io.jmpi.coll.Schedule;
import io.jmpi.engine.Engine;

import java.nio.ByteBuffer;

import static io.jmpi.CollectiveArgs.blocks;
import static io.jmpi.CollectiveArgs.region;

/**
 * The neighbourhood collectives ({@code MPI_Neighbor_*}) on untyped buffers, and the topology query every
 * communicator answers. {@link NeighborCollectives} adds the typed overloads. A communicator without a topology has
 * no neighbourhood and refuses them; {@link CartComm}, {@link GraphComm} and {@link DistGraphComm} supply theirs.
 *
 * <p>Blocks follow the neighbour order of MPI 4.1: receive block i belongs to in-neighbour i and send block j to
 * out-neighbour j; for a Cartesian grid both lists are, per dimension, the source then the destination of
 * {@code shift(d, 1)}; for a graph both are {@link GraphComm#neighbors(int)}; for a distributed graph the sources
 * and destinations. A {@code PROC_NULL} neighbour keeps its block, which is neither sent nor written. There is no
 * in-place form (MPI has none for these collectives): send and receive buffers must not overlap.
 */
abstract class NeighborBase extends DatatypeComm {
    NeighborBase(Mpi mpi, Engine engine, int context, int[] worldRanks, String name, Progress progress) {
        super(mpi, engine, context, worldRanks, name, progress);
    }

    /** The kind of topology of this communicator ({@code MPI_Topo_test}); {@link TopoType#UNDEFINED} for none. */
    public TopoType topoTest() {
        return TopoType.UNDEFINED;
    }

    /** The neighbours the neighbourhood collectives use; communicators without a topology have none. */
    Neighborhood neighborhood(String call) {
        throw raise(ErrorClass.ARG, call + ": communicator " + name + " has no topology (neighbourhood "
                + "collectives need a communicator from cartCreate, graphCreate, distGraphCreate or distGraphCreateAdjacent)");
    }

    // ------------------------------------------------------------------ generic neighbourhood collectives

    final Request startNeighborAllgather(String call, boolean async, DataType t, Object send, int sendOffset, int count,
                                         Object recv, int recvOffset) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, null);
        Neighborhood nb = neighborhood(call);
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, nb.inDegree(), true);
        Schedule s = schedule(call, -1, -1); // counts must agree per edge only, not across the communicator
        NeighborAlgorithms.allgather(s, nb, sb, rb, count);
        return new EngineRequest(s.start(async), this);
    }

    final Request startNeighborAllgatherv(String call, boolean async, DataType t, Object send, int sendOffset,
                                          int sendCount, Object recv, int[] recvCounts, int[] displs) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, sendCount, t, null);
        Neighborhood nb = neighborhood(call);
        Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
        Block rb = edges(call, "recv", t, recv, recvCounts, "recvCounts", displs, "displs", nb.inDegree(), "in-degree", true);
        for (int k = 0; k < nb.selfEdges(); k++) {
            sameCount(call, "sendCount", sendCount, "recvCounts[" + nb.selfIn(k) + "]", recvCounts[nb.selfIn(k)]);
        }
        Schedule s = schedule(call, -1, -1);
        NeighborAlgorithms.allgatherv(s, nb, sb, rb, recvCounts.clone(), displs.clone());
        return new EngineRequest(s.start(async), this);
    }

    final Request startNeighborAlltoall(String call, boolean async, DataType t, Object send, int sendOffset,
                                        Object recv, int recvOffset, int count) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, null);
        Neighborhood nb = neighborhood(call);
        Block sb = blocks(this, call, "send", "sendOffset", t, send, sendOffset, count, nb.outDegree(), false);
        Block rb = blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, nb.inDegree(), true);
        Schedule s = schedule(call, -1, -1); // counts must agree per edge only, not across the communicator
        NeighborAlgorithms.alltoall(s, nb, sb, rb, count);
        return new EngineRequest(s.start(async), this);
    }

    final Request startNeighborAlltoallv(String call, boolean async, DataType t, Object send, int[] sendCounts,
                                         int[] sdispls, Object recv, int[] recvCounts, int[] rdispls) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, t, null);
        Neighborhood nb = neighborhood(call);
        Block sb = edges(call, "send", t, send, sendCounts, "sendCounts", sdispls, "sdispls", nb.outDegree(), "out-degree", false);
        Block rb = edges(call, "recv", t, recv, recvCounts, "recvCounts", rdispls, "rdispls", nb.inDegree(), "in-degree", true);
        for (int k = 0; k < nb.selfEdges(); k++) {
            int j = nb.selfOut(k), i = nb.selfIn(k);
            sameCount(call, "sendCounts[" + j + "]", sendCounts[j], "recvCounts[" + i + "]", recvCounts[i]);
        }
        Schedule s = schedule(call, -1, -1);
        NeighborAlgorithms.alltoallv(s, nb, sb, sendCounts.clone(), sdispls.clone(), rb, recvCounts.clone(), rdispls.clone());
        return new EngineRequest(s.start(async), this);
    }

    /**
     * Count of the blocks of a whole-array neighbour all-to-all: {@code send} cut into one block per out-neighbour
     * (or, with no out-neighbours, {@code recv} into one per in-neighbour).
     */
    final int perEdge(String call, int sendLength, int recvLength) {
        Neighborhood nb = neighborhood(call);
        int degree = nb.outDegree() > 0 ? nb.outDegree() : nb.inDegree();
        int len = nb.outDegree() > 0 ? sendLength : recvLength;
        if (degree == 0) return 0;
        if (len % degree != 0) {
            throw raise(ErrorClass.BUFFER, call + ": " + (nb.outDegree() > 0 ? "send" : "recv") + " length " + len
                    + " is not a multiple of the " + (nb.outDegree() > 0 ? "out-degree " : "in-degree ") + degree);
        }
        return len / degree;
    }

    // ------------------------------------------------------------------ alltoallw over bytes

    /**
     * {@code MPI_Neighbor_alltoallw} over bytes: {@code sendCounts[j]} bytes at byte displacement {@code sdispls[j]} of
     * {@code send} go to out-neighbour j; in-neighbour i's arrive at byte {@code rdispls[i]} of {@code recv}. Until
     * jmpi has derived datatypes, per-neighbour types are expressed by packing: each block is raw bytes, so any
     * mixture of element types can travel in one call.
     */
    public void neighborAlltoallw(byte[] send, int[] sendCounts, int[] sdispls, byte[] recv, int[] recvCounts, int[] rdispls) {
        finish(startNeighborAlltoallv("neighborAlltoallw", false, DataType.BYTE, send, sendCounts, sdispls, recv, recvCounts, rdispls));
    }

    /** {@code MPI_Ineighbor_alltoallw} over bytes: non-blocking {@link #neighborAlltoallw(byte[], int[], int[], byte[], int[], int[])}. */
    public Request ineighborAlltoallw(byte[] send, int[] sendCounts, int[] sdispls, byte[] recv, int[] recvCounts, int[] rdispls) {
        return startNeighborAlltoallv("ineighborAlltoallw", true, DataType.BYTE, send, sendCounts, sdispls, recv, recvCounts, rdispls);
    }

    /**
     * {@code MPI_Neighbor_alltoallw} over the bytes of ByteBuffers (heap or direct; byte displacements count from
     * the position, which stays unchanged).
     */
    public void neighborAlltoallw(ByteBuffer send, int[] sendCounts, int[] sdispls, ByteBuffer recv, int[] recvCounts, int[] rdispls) {
        finish(startNeighborAlltoallv("neighborAlltoallw", false, DataType.BYTE, send, sendCounts, sdispls, recv, recvCounts, rdispls));
    }

    /** {@code MPI_Ineighbor_alltoallw} over the bytes of ByteBuffers. */
    public Request ineighborAlltoallw(ByteBuffer send, int[] sendCounts, int[] sdispls, ByteBuffer recv, int[] recvCounts, int[] rdispls) {
        return startNeighborAlltoallv("ineighborAlltoallw", true, DataType.BYTE, send, sendCounts, sdispls, recv, recvCounts, rdispls);
    }

    // ------------------------------------------------------------------ argument checks

    /** The whole of {@code a}, in which edge i's block is {@code counts[i]} elements at {@code displs[i]}. */
    private Block edges(String call, String arg, DataType t, Object a, int[] counts, String countsArg, int[] displs,
                               String displsArg, int degree, String degreeName, boolean write) {
        Block whole = region(this, call, arg, "offset", "length", t, a, 0, CollectiveArgs.length(a), write);
        int len = whole.count;
        checkLength(call, countsArg, counts, degree, degreeName);
        checkLength(call, displsArg, displs, degree, degreeName);
        for (int i = 0; i < degree; i++) {
            if (counts[i] < 0 || counts[i] > len) {
                throw raise(ErrorClass.ARG, call + ": " + countsArg + "[" + i + "]=" + counts[i] + " out of range [0, " + len + "]");
            }
            if (displs[i] < 0 || displs[i] > len) {
                throw raise(ErrorClass.ARG, call + ": " + displsArg + "[" + i + "]=" + displs[i] + " out of range [0, " + len + "]");
            }
            if ((long) displs[i] + counts[i] > len) {
                throw raise(ErrorClass.BUFFER, call + ": " + displsArg + "[" + i + "]=" + displs[i] + " + " + countsArg
                        + "[" + i + "]=" + counts[i] + " exceeds " + arg + " length " + len);
            }
        }
        return whole;
    }

    private void checkLength(String call, String arg, int[] a, int degree, String degreeName) {
        if (a == null) throw raise(ErrorClass.ARG, call + ": " + arg + " is null");
        if (a.length != degree) {
            throw raise(ErrorClass.ARG, call + ": " + arg + ".length=" + a.length + " differs from the " + degreeName + " " + degree);
        }
    }

    /** An edge from this rank to itself is a local copy: both ends must have the same size. */
    private void sameCount(String call, String sendArg, int send, String recvArg, int recv) {
        if (send != recv) {
            throw raise(ErrorClass.ARG, call + ": " + sendArg + "=" + send + " differs from " + recvArg + "=" + recv
                    + " (both ends of an edge from this rank to itself)");
        }
    }
}
