package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.coll.Neighborhood;

import java.util.Arrays;

/**
 * A communicator with a graph topology ({@code MPI_Graph_create}): every rank knows the whole graph, given in MPI's
 * compressed form. Node i's neighbours are {@code edges[index[i - 1] .. index[i])} (with {@code index[-1] = 0}), in
 * that order, which is also the order of the blocks of the neighbourhood collectives. An edge may repeat (a
 * multigraph) or lead back to its node; the k-th edge from a rank to another matches the k-th edge back.
 *
 * <pre>{@code
 * // a ring of 4: node i is joined to i - 1 and i + 1
 * GraphComm ring = world.graphCreate(new int[]{2, 4, 6, 8}, new int[]{3, 1, 0, 2, 1, 3, 2, 0}, false);
 * ring.neighborAlltoall(send, recv);
 * }</pre>
 */
public final class GraphComm extends Comm {
    /** Size of the graph ({@code MPI_Graphdims_get}). */
    public record Dims(int nnodes, int nedges) {
    }

    private final int[] index;
    private final int[] edges;
    private final Neighborhood neighborhood;

    GraphComm(Comm parent, int context, int[] worldRanks, String name, int[] index, int[] edges) {
        super(parent, context, worldRanks, name);
        this.index = index;
        this.edges = edges;
        int[] mine = neighbors(rank);
        this.neighborhood = Neighborhood.graph(rank, mine, mine);
    }

    /**
     * The graph communicator of {@code parent}; collective. Ranks {@code 0 .. index.length - 1} become the nodes,
     * the others get null. {@code reorder} is accepted and ignored: jmpi keeps the identity order, which MPI allows.
     */
    static GraphComm create(Comm parent, int[] index, int[] edges, boolean reorder) {
        String call = "graphCreate";
        parent.checkUsable(call);
        int nedges = check(call, index, edges, parent.size());
        Derived d = parent.derive(call, parent.rank() < index.length ? 0 : UNDEFINED, parent.rank());
        return d == null ? null : new GraphComm(parent, d.context(), d.worldRanks(), parent.name() + ".graph",
                index.clone(), Arrays.copyOf(edges, nedges));
    }

    /** The rank this rank would have in the graph ({@code MPI_Graph_map}): its own, or UNDEFINED beyond the nodes. */
    static int map(Comm parent, int[] index, int[] edges) {
        String call = "graphMap";
        parent.checkUsable(call);
        check(call, index, edges, parent.size());
        return parent.rank() < index.length ? parent.rank() : UNDEFINED;
    }

    /** Validates a graph in compressed form for a communicator of {@code size} ranks; returns the number of edges. */
    static int check(String call, int[] index, int[] edges, int size) {
        if (index == null) throw new MpiException(ErrorClass.ARG, call + ": index is null");
        if (edges == null) throw new MpiException(ErrorClass.ARG, call + ": edges is null");
        int nnodes = index.length;
        if (nnodes > size) {
            throw new MpiException(ErrorClass.ARG, call + ": index.length=" + nnodes + " (nnodes) out of range [0, " + size
                    + "] (the communicator size)");
        }
        for (int i = 0; i < nnodes; i++) {
            int lo = i == 0 ? 0 : index[i - 1];
            if (index[i] < lo) {
                throw new MpiException(ErrorClass.ARG, call + ": index[" + i + "]=" + index[i] + (i == 0 ? " is negative"
                        : " is less than index[" + (i - 1) + "]=" + lo) + " (index must be non-decreasing from 0)");
            }
        }
        int nedges = nnodes == 0 ? 0 : index[nnodes - 1];
        if (nedges > edges.length) {
            throw new MpiException(ErrorClass.ARG, call + ": index[" + (nnodes - 1) + "]=" + nedges
                    + " (the number of edges) exceeds edges.length=" + edges.length);
        }
        for (int k = 0; k < nedges; k++) {
            if (edges[k] < 0 || edges[k] >= nnodes) {
                throw new MpiException(ErrorClass.ARG, call + ": edges[" + k + "]=" + edges[k] + " out of range [0, " + nnodes + ") (nnodes)");
            }
        }
        return nedges;
    }

    @Override
    public TopoType topoTest() {
        return TopoType.GRAPH;
    }

    @Override
    Neighborhood neighborhood(String call) {
        return neighborhood;
    }

    /** Number of nodes and edges ({@code MPI_Graphdims_get}). */
    public Dims dims() {
        return new Dims(index.length, edges.length);
    }

    /** The cumulative degrees, as passed to {@link Comm#graphCreate} ({@code MPI_Graph_get}). */
    public int[] index() {
        return index.clone();
    }

    /** The edges, as passed to {@link Comm#graphCreate} ({@code MPI_Graph_get}). */
    public int[] edges() {
        return edges.clone();
    }

    /** Number of neighbours of {@code rank} ({@code MPI_Graph_neighbors_count}); repeated edges count each time. */
    public int neighborsCount(int rank) {
        checkNode("neighborsCount", rank);
        return index[rank] - (rank == 0 ? 0 : index[rank - 1]);
    }

    /** This rank's number of neighbours. */
    public int neighborsCount() {
        return neighborsCount(rank);
    }

    /** The neighbours of {@code rank} in edge order ({@code MPI_Graph_neighbors}). */
    public int[] neighbors(int rank) {
        checkNode("neighbors", rank);
        return Arrays.copyOfRange(edges, rank == 0 ? 0 : index[rank - 1], index[rank]);
    }

    /** This rank's neighbours, in the order of the blocks of the neighbourhood collectives. */
    public int[] neighbors() {
        return neighbors(rank);
    }

    private void checkNode(String call, int r) {
        if (r < 0 || r >= size) throw new MpiException(ErrorClass.ARG, call + ": rank=" + r + " out of range [0, " + size + ")");
    }

    /** A duplicate with the same topology ({@code MPI_Comm_dup}); collective. */
    @Override
    public GraphComm dup() {
        Derived d = derive("dup", 0, rank);
        return new GraphComm(this, d.context(), d.worldRanks(), name + ".dup", index, edges);
    }

    @Override
    public String toString() {
        return "GraphComm{" + name + ", rank " + rank + " of " + size + ", " + edges.length + " edges}";
    }
}
