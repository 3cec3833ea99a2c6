package mpi;

/** What {@link GraphComm#getDims()} returns: the graph's index and edges arrays. */
public final class GraphParms {
    private final int[] index;
    private final int[] edges;

    GraphParms(int[] index, int[] edges) {
        this.index = index;
        this.edges = edges;
    }

    public int getIndexCount() {
        return index.length;
    }

    public int getIndex(int n) {
        return index[n];
    }

    public int getEdgeCount() {
        return edges.length;
    }

    public int getEdge(int n) {
        return edges[n];
    }
}
