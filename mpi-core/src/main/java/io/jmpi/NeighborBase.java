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
        if (trace != null) traceBegin(call, async, -1, count, t, null);
        return new EngineRequest(buildNeighborAllgather(call, t, send, sendOffset, count, recv, recvOffset).start(async), this);
    }

    final Schedule buildNeighborAllgather(String call, DataType t, Object send, int sendOffset, int count,
                                         Object recv, int recvOffset) {
        checkUsable(call);
        Neighborhood nb = neighborhood(call);
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, nb.inDegree(), true);
        Schedule s = schedule(call, -1, -1); // counts must agree per edge only, not across the communicator
        NeighborAlgorithms.allgather(s, nb, sb, rb, count);
        return s;
    }

    final Request startNeighborAllgatherv(String call, boolean async, DataType t, Object send, int sendOffset,
                                          int sendCount, Object recv, int[] recvCounts, int[] displs) {
        if (trace != null) traceBegin(call, async, -1, sendCount, t, null);
        return new EngineRequest(buildNeighborAllgatherv(call, t, send, sendOffset, sendCount, recv, recvCounts, displs).start(async), this);
    }

    final Schedule buildNeighborAllgatherv(String call, DataType t, Object send, int sendOffset,
                                          int sendCount, Object recv, int[] recvCounts, int[] displs) {
        checkUsable(call);
        Neighborhood nb = neighborhood(call);
        Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
        Block rb = edges(call, "recv", t, recv, recvCounts, "recvCounts", displs, "displs", nb.inDegree(), "in-degree", true);
        for (int k = 0; k < nb.selfEdges(); k++) {
            sameCount(call, "sendCount", sendCount, "recvCounts[" + nb.selfIn(k) + "]", recvCounts[nb.selfIn(k)]);
        }
        Schedule s = schedule(call, -1, -1);
        NeighborAlgorithms.allgatherv(s, nb, sb, rb, recvCounts.clone(), displs.clone());
        return s;
    }

    final Request startNeighborAlltoall(String call, boolean async, DataType t, Object send, int sendOffset,
                                        Object recv, int recvOffset, int count) {
        if (trace != null) traceBegin(call, async, -1, count, t, null);
        return new EngineRequest(buildNeighborAlltoall(call, t, send, sendOffset, recv, recvOffset, count).start(async), this);
    }

    final Schedule buildNeighborAlltoall(String call, DataType t, Object send, int sendOffset,
                                        Object recv, int recvOffset, int count) {
        checkUsable(call);
        Neighborhood nb = neighborhood(call);
        Block sb = blocks(this, call, "send", "sendOffset", t, send, sendOffset, count, nb.outDegree(), false);
        Block rb = blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, nb.inDegree(), true);
        Schedule s = schedule(call, -1, -1); // counts must agree per edge only, not across the communicator
        NeighborAlgorithms.alltoall(s, nb, sb, rb, count);
        return s;
    }

    final Request startNeighborAlltoallv(String call, boolean async, DataType t, Object send, int[] sendCounts,
                                         int[] sdispls, Object recv, int[] recvCounts, int[] rdispls) {
        if (trace != null) traceBegin(call, async, -1, -1, t, null);
        return new EngineRequest(buildNeighborAlltoallv(call, t, send, sendCounts, sdispls, recv, recvCounts, rdispls).start(async), this);
    }

    final Schedule buildNeighborAlltoallv(String call, DataType t, Object send, int[] sendCounts,
                                         int[] sdispls, Object recv, int[] recvCounts, int[] rdispls) {
        checkUsable(call);
        Neighborhood nb = neighborhood(call);
        Block sb = edges(call, "send", t, send, sendCounts, "sendCounts", sdispls, "sdispls", nb.outDegree(), "out-degree", false);
        Block rb = edges(call, "recv", t, recv, recvCounts, "recvCounts", rdispls, "rdispls", nb.inDegree(), "in-degree", true);
        for (int k = 0; k < nb.selfEdges(); k++) {
            int j = nb.selfOut(k), i = nb.selfIn(k);
            sameCount(call, "sendCounts[" + j + "]", sendCounts[j], "recvCounts[" + i + "]", recvCounts[i]);
        }
        Schedule s = schedule(call, -1, -1);
        NeighborAlgorithms.alltoallv(s, nb, sb, sendCounts.clone(), sdispls.clone(), rb, recvCounts.clone(), rdispls.clone());
        return s;
    }

    /**
     * A persistent neighbourhood collective ({@code MPI_Neighbor_alltoall_init}, ...): the arguments are checked and
     * the schedule built once; each {@link Prequest#start()} re-runs it ({@link Schedule#restart()}), re-tagged, with
     * its steps, buffer views and engine operations reused, so a restart allocates nothing. The schedule is one round
     * (every message posted at start), so it needs no registration with the rank's collective progress to complete
     * while other requests are awaited. A start after a failed run builds the schedule again.
     */
    final Prequest neighborInit(String call, java.util.function.Supplier<Schedule> build) {
        return PersistentSchedule.of(this, call, build, false);
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
     * {@code send} go to out-neighbour j; in-neighbour i's arrive at byte {@code rdispls[i]} of {@code recv}. Each block
     * is raw bytes, so packed data of any element types can travel in one call; for a {@link Datatype} per neighbour
     * see {@link #neighborAlltoallw(Object, int[], int[], Datatype[], Object, int[], int[], Datatype[])}.
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

    // ------------------------------------------------------------------ alltoallw with a datatype per neighbour

    /**
     * {@code MPI_Neighbor_alltoallw}: {@code sendCounts[j]} elements of {@code sendTypes[j]} at {@code sdispls[j]} of
     * {@code send} go to out-neighbour j; in-neighbour i's arrive as {@code recvCounts[i]} elements of
     * {@code recvTypes[i]} at {@code rdispls[i]} of {@code recv}. A displacement is the offset argument of the
     * datatype calls: in units of the type's base element (bytes for a struct type and for byte[], so MPI's byte
     * displacements there). Every edge's arguments are checked, PROC_NULL edges' too (their blocks are neither sent
     * nor written); the two ends of an edge must carry the same primitive elements (type signatures), as in MPI.
     * The types' runs move straight between the buffers and the messages.
     */
    public void neighborAlltoallw(Object send, int[] sendCounts, int[] sdispls, Datatype[] sendTypes,
                                  Object recv, int[] recvCounts, int[] rdispls, Datatype[] recvTypes) {
        finish(new EngineRequest(buildNeighborAlltoallw("neighborAlltoallw", send, sendCounts, sdispls, sendTypes, recv,
                recvCounts, rdispls, recvTypes).start(false), this));
    }

    /** {@code MPI_Ineighbor_alltoallw}: non-blocking {@link #neighborAlltoallw(Object, int[], int[], Datatype[], Object, int[], int[], Datatype[])}. */
    public Request ineighborAlltoallw(Object send, int[] sendCounts, int[] sdispls, Datatype[] sendTypes,
                                      Object recv, int[] recvCounts, int[] rdispls, Datatype[] recvTypes) {
        return new EngineRequest(buildNeighborAlltoallw("ineighborAlltoallw", send, sendCounts, sdispls, sendTypes, recv,
                recvCounts, rdispls, recvTypes).start(true), this);
    }

    /**
     * {@code MPI_Neighbor_alltoallw_init}: a persistent {@link #neighborAlltoallw(Object, int[], int[], Datatype[],
     * Object, int[], int[], Datatype[])}; each start re-runs one compiled schedule (see {@link #neighborInit}).
     */
    public Prequest neighborAlltoallwInit(Object send, int[] sendCounts, int[] sdispls, Datatype[] sendTypes,
                                          Object recv, int[] recvCounts, int[] rdispls, Datatype[] recvTypes) {
        String call = "neighborAlltoallwInit";
        return neighborInit(call, () -> buildNeighborAlltoallw(call, send, sendCounts, sdispls, sendTypes, recv, recvCounts,
                rdispls, recvTypes));
    }

    private Schedule buildNeighborAlltoallw(String call, Object send, int[] sendCounts, int[] sdispls, Datatype[] sendTypes,
                                            Object recv, int[] recvCounts, int[] rdispls, Datatype[] recvTypes) {
        checkUsable(call);
        Neighborhood nb = neighborhood(call);
        Block[] sb = typedEdges(call, "send", send, sendCounts, "sendCounts", sdispls, "sdispls", sendTypes, "sendTypes",
                nb.outDegree(), "out-degree", false);
        Block[] rb = typedEdges(call, "recv", recv, recvCounts, "recvCounts", rdispls, "rdispls", recvTypes, "recvTypes",
                nb.inDegree(), "in-degree", true);
        for (int k = 0; k < nb.selfEdges(); k++) {
            int j = nb.selfOut(k), i = nb.selfIn(k);
            DatatypeArgs.sameSignature(this, call, sendCounts[j], sendTypes[j], recvCounts[i], recvTypes[i]);
        }
        Schedule s = schedule(call, -1, -1);
        NeighborAlgorithms.alltoallw(s, nb, sb, rb);
        return s;
    }

    /** One block per edge: {@code counts[i]} elements of {@code types[i]} at {@code displs[i]} of {@code a}. */
    private Block[] typedEdges(String call, String arg, Object a, int[] counts, String countsArg, int[] displs,
                               String displsArg, Datatype[] types, String typesArg, int degree, String degreeName,
                               boolean write) {
        checkLength(call, countsArg, counts, degree, degreeName);
        checkLength(call, displsArg, displs, degree, degreeName);
        if (types == null) throw raise(ErrorClass.ARG, call + ": " + typesArg + " is null");
        if (types.length != degree) {
            throw raise(ErrorClass.ARG, call + ": " + typesArg + ".length=" + types.length + " differs from the "
                    + degreeName + " " + degree);
        }
        Block[] blocks = new Block[degree];
        for (int i = 0; i < degree; i++) {
            if (displs[i] < 0) {
                throw raise(ErrorClass.ARG, call + ": " + displsArg + "[" + i + "]=" + displs[i] + " is negative");
            }
            String edge = arg + " (" + countsArg + "[" + i + "], " + displsArg + "[" + i + "], " + typesArg + "[" + i + "])";
            blocks[i] = DatatypeArgs.block(this, call, edge, a, displs[i], counts[i], types[i], write);
        }
        return blocks;
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
