package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.DataType;
import io.jmpi.coll.Neighborhood;

import java.util.Arrays;

/**
 * A communicator with a distributed graph topology ({@code MPI_Dist_graph_create(_adjacent)}): each rank knows only
 * its own in-neighbours (sources, the receive blocks of the neighbourhood collectives, in order) and out-neighbours
 * (destinations, the send blocks), each edge with an optional weight. The k-th edge from a rank to another matches
 * the k-th edge into that rank from it, so repeated edges stay apart.
 *
 * <p>Weights: pass {@link #UNWEIGHTED} (the array itself, compared by identity) for a graph without weights, on every
 * rank for both directions; any other array, even an empty one ({@code MPI_WEIGHTS_EMPTY}), makes the graph weighted.
 * jmpi does not use weights to place ranks.
 *
 * <p>{@code reorder} is accepted and ignored: ranks keep their order in the parent, which MPI allows.
 */
public final class DistGraphComm extends Comm {
    /** The weights argument of an unweighted graph ({@code MPI_UNWEIGHTED}); also what the weight queries return then. */
    public static final int[] UNWEIGHTED = new int[0];

    private final int[] sources;
    private final int[] sourceWeights;
    private final int[] destinations;
    private final int[] destWeights;
    private final boolean weighted;
    private final Neighborhood neighborhood;

    private DistGraphComm(Comm parent, int context, int[] worldRanks, String name, int[] sources, int[] sourceWeights,
                          int[] destinations, int[] destWeights, boolean weighted) {
        super(parent, context, worldRanks, name);
        this.sources = sources;
        this.sourceWeights = sourceWeights;
        this.destinations = destinations;
        this.destWeights = destWeights;
        this.weighted = weighted;
        this.neighborhood = Neighborhood.graph(rank, sources, destinations);
    }

    /** {@link Comm#distGraphCreateAdjacent}: every rank passes its own in- and out-edges; collective. */
    static DistGraphComm createAdjacent(Comm parent, int[] sources, int[] sourceWeights, int[] destinations,
                                        int[] destWeights, boolean reorder) {
        String call = "distGraphCreateAdjacent";
        parent.checkUsable(call);
        int size = parent.size();
        ranks(call, "sources", sources, sources == null ? 0 : sources.length, size);
        ranks(call, "destinations", destinations, destinations == null ? 0 : destinations.length, size);
        boolean weighted = sourceWeights != UNWEIGHTED;
        if (weighted != (destWeights != UNWEIGHTED)) {
            throw new MpiException(ErrorClass.ARG, call + ": sourceWeights is " + (weighted ? "not " : "") + "UNWEIGHTED but "
                    + "destWeights is" + (weighted ? "" : " not") + " (pass UNWEIGHTED for both or neither)");
        }
        if (weighted) {
            weights(call, "sourceWeights", sourceWeights, sources.length, "sources.length");
            weights(call, "destWeights", destWeights, destinations.length, "destinations.length");
        }
        Derived d = parent.derive(call, 0, parent.rank());
        return new DistGraphComm(parent, d.context(), d.worldRanks(), parent.name() + ".distGraph", sources.clone(),
                weighted ? sourceWeights.clone() : UNWEIGHTED, destinations.clone(),
                weighted ? destWeights.clone() : UNWEIGHTED, weighted);
    }

    /**
     * {@link Comm#distGraphCreate}: every rank passes any edges of the graph, {@code degrees[i]} edges from
     * {@code sources[i]} to the next entries of {@code destinations}; collective. One all-to-all of counts and one
     * of edges tell each rank the edges that start or end at it, which it lists in the order of the rank that passed
     * them, then in that rank's argument order.
     */
    static DistGraphComm create(Comm parent, int[] sources, int[] degrees, int[] destinations, int[] weights, boolean reorder) {
        String call = "distGraphCreate";
        parent.checkUsable(call);
        int size = parent.size();
        if (sources == null) throw new MpiException(ErrorClass.ARG, call + ": sources is null");
        int n = sources.length;
        ranks(call, "sources", sources, n, size);
        if (degrees == null) throw new MpiException(ErrorClass.ARG, call + ": degrees is null");
        if (degrees.length != n) {
            throw new MpiException(ErrorClass.ARG, call + ": degrees.length=" + degrees.length + " differs from sources.length=" + n);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (degrees[i] < 0) {
                throw new MpiException(ErrorClass.ARG, call + ": degrees[" + i + "]=" + degrees[i] + " out of range [0, " + size + "]");
            }
            total += degrees[i];
        }
        if (destinations == null) throw new MpiException(ErrorClass.ARG, call + ": destinations is null");
        if (total > destinations.length) {
            throw new MpiException(ErrorClass.ARG, call + ": sum(degrees)=" + total + " exceeds destinations.length=" + destinations.length);
        }
        int m = (int) total;
        ranks(call, "destinations", destinations, m, size);
        boolean weighted = weights != UNWEIGHTED;
        if (weighted) weights(call, "weights", weights, m, "sum(degrees)");

        // records of 3 ints (direction, other end, weight), grouped by the rank that gets them
        int[] sendCounts = new int[size];
        for (int i = 0, k = 0; i < n; i++) {
            for (int e = 0; e < degrees[i]; e++, k++) {
                sendCounts[sources[i]] += 3;
                sendCounts[destinations[k]] += 3;
            }
        }
        int[] sdispls = displacements(sendCounts);
        int[] fill = sdispls.clone();
        int[] records = new int[2 * 3 * m];
        for (int i = 0, k = 0; i < n; i++) {
            for (int e = 0; e < degrees[i]; e++, k++) {
                int w = weighted ? weights[k] : 1;
                put(records, fill, sources[i], OUT, destinations[k], w);
                put(records, fill, destinations[k], IN, sources[i], w);
            }
        }
        int[] recvCounts = new int[size];
        parent.finish(parent.startAlltoall(call, false, DataType.INT, sendCounts, 0, recvCounts, 0, 1));
        int[] rdispls = displacements(recvCounts);
        int[] in = new int[rdispls[size - 1] + recvCounts[size - 1]];
        parent.finish(parent.startAlltoallv(call, false, DataType.INT, records, sendCounts, sdispls, in, recvCounts, rdispls));

        int indeg = 0, outdeg = 0;
        for (int r = 0; r < in.length; r += 3) {
            if (in[r] == IN) indeg++;
            else outdeg++;
        }
        int[] src = new int[indeg], srcW = new int[indeg], dst = new int[outdeg], dstW = new int[outdeg];
        for (int r = 0, a = 0, b = 0; r < in.length; r += 3) {
            if (in[r] == IN) {
                src[a] = in[r + 1];
                srcW[a++] = in[r + 2];
            } else {
                dst[b] = in[r + 1];
                dstW[b++] = in[r + 2];
            }
        }
        Derived d = parent.derive(call, 0, parent.rank());
        return new DistGraphComm(parent, d.context(), d.worldRanks(), parent.name() + ".distGraph", src,
                weighted ? srcW : UNWEIGHTED, dst, weighted ? dstW : UNWEIGHTED, weighted);
    }

    private static final int IN = 0, OUT = 1;

    private static void put(int[] records, int[] fill, int to, int direction, int other, int weight) {
        int at = fill[to];
        records[at] = direction;
        records[at + 1] = other;
        records[at + 2] = weight;
        fill[to] = at + 3;
    }

    private static int[] displacements(int[] counts) {
        int[] d = new int[counts.length];
        for (int i = 1; i < counts.length; i++) d[i] = d[i - 1] + counts[i - 1];
        return d;
    }

    private static void ranks(String call, String arg, int[] a, int n, int size) {
        if (a == null) throw new MpiException(ErrorClass.ARG, call + ": " + arg + " is null");
        for (int i = 0; i < n; i++) {
            if (a[i] < 0 || a[i] >= size) {
                throw new MpiException(ErrorClass.ARG, call + ": " + arg + "[" + i + "]=" + a[i] + " out of range [0, " + size + ")");
            }
        }
    }

    private static void weights(String call, String arg, int[] w, int n, String lengthArg) {
        if (w == null) {
            throw new MpiException(ErrorClass.ARG, call + ": " + arg + " is null (pass DistGraphComm.UNWEIGHTED for an unweighted graph)");
        }
        if (w.length < n) {
            throw new MpiException(ErrorClass.ARG, call + ": " + arg + ".length=" + w.length + " is less than " + lengthArg + "=" + n);
        }
        for (int i = 0; i < n; i++) {
            if (w[i] < 0) {
                throw new MpiException(ErrorClass.ARG, call + ": " + arg + "[" + i + "]=" + w[i] + " out of range [0, " + Integer.MAX_VALUE + "]");
            }
        }
    }

    @Override
    public TopoType topoTest() {
        return TopoType.DIST_GRAPH;
    }

    @Override
    Neighborhood neighborhood(String call) {
        return neighborhood;
    }

    /** Number of in-neighbours, counting repeated edges ({@code MPI_Dist_graph_neighbors_count}). */
    public int inDegree() {
        return sources.length;
    }

    /** Number of out-neighbours, counting repeated edges ({@code MPI_Dist_graph_neighbors_count}). */
    public int outDegree() {
        return destinations.length;
    }

    /** Whether the graph was created with weights ({@code MPI_Dist_graph_neighbors_count}'s {@code weighted}). */
    public boolean isWeighted() {
        return weighted;
    }

    /** The in-neighbours, in the order of the receive blocks ({@code MPI_Dist_graph_neighbors}). */
    public int[] inNeighbors() {
        return sources.clone();
    }

    /** The out-neighbours, in the order of the send blocks ({@code MPI_Dist_graph_neighbors}). */
    public int[] outNeighbors() {
        return destinations.clone();
    }

    /** Weights of the in-edges ({@code MPI_Dist_graph_neighbors}); {@link #UNWEIGHTED} for an unweighted graph. */
    public int[] inWeights() {
        return weighted ? sourceWeights.clone() : UNWEIGHTED;
    }

    /** Weights of the out-edges ({@code MPI_Dist_graph_neighbors}); {@link #UNWEIGHTED} for an unweighted graph. */
    public int[] outWeights() {
        return weighted ? destWeights.clone() : UNWEIGHTED;
    }

    /** A duplicate with the same topology ({@code MPI_Comm_dup}); collective. */
    @Override
    public DistGraphComm dup() {
        Derived d = derive("dup", 0, rank);
        return new DistGraphComm(this, d.context(), d.worldRanks(), name + ".dup", sources, sourceWeights, destinations,
                destWeights, weighted);
    }

    @Override
    public String toString() {
        return "DistGraphComm{" + name + ", rank " + rank + " of " + size + ", in " + Arrays.toString(sources) + ", out "
                + Arrays.toString(destinations) + "}";
    }
}
