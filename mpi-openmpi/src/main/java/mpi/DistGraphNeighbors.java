package mpi;

/** What {@link GraphComm#getDistGraphNeighbors()} returns ({@code MPI_Dist_graph_neighbors}). */
public final class DistGraphNeighbors {
    private final int[] sources, sourceWeights, destinations, destWeights;
    private final boolean weighted;

    DistGraphNeighbors(int[] sources, int[] sourceWeights, int[] destinations, int[] destWeights, boolean weighted) {
        this.sources = sources;
        this.sourceWeights = sourceWeights;
        this.destinations = destinations;
        this.destWeights = destWeights;
        this.weighted = weighted;
    }

    /** Number of edges into this process (Open MPI's name for {@link #getSourceNum()}). */
    public int getInDegree() {
        return sources.length;
    }

    /** Number of edges out of this process (Open MPI's name for {@link #getDestinationNum()}). */
    public int getOutDegree() {
        return destinations.length;
    }

    public int getSourceNum() {
        return sources.length;
    }

    public int getSource(int i) {
        return sources[i];
    }

    public int getSourceWeight(int i) {
        return sourceWeights[i];
    }

    public int getDestinationNum() {
        return destinations.length;
    }

    public int getDestination(int i) {
        return destinations[i];
    }

    public int getDestinationWeight(int i) {
        return destWeights[i];
    }

    public boolean isWeighted() {
        return weighted;
    }
}
