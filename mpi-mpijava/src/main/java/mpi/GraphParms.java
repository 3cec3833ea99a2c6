package mpi;

/** What {@link Graphcomm#Get()} returns ({@code MPI_Graph_get}): the graph's index and edges arrays. */
public class GraphParms {
    public int[] index;
    public int[] edges;

    public GraphParms() {
    }
}
