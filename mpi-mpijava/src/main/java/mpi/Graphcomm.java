package mpi;

import io.jmpi.GraphComm;

/** A communicator with a graph topology ({@code MPI_Graph_create}). */
public class Graphcomm extends Intracomm {
    final GraphComm graph;

    Graphcomm(GraphComm graph) {
        super(graph);
        this.graph = graph;
    }

    /** A duplicate with the same graph ({@code MPI_Comm_dup}). */
    @Override
    public Object clone() throws MPIException {
        return new Graphcomm(MPI.call(graph::dup));
    }

    /** The graph's index and edges arrays ({@code MPI_Graph_get}). */
    public GraphParms Get() throws MPIException {
        GraphParms p = new GraphParms();
        p.index = graph.index();
        p.edges = graph.edges();
        return p;
    }

    /** The neighbours of {@code rank} ({@code MPI_Graph_neighbors}). */
    public int[] Neighbours(int rank) throws MPIException {
        return MPI.call(() -> graph.neighbors(rank));
    }

    /** The rank this rank would have in such a graph, or UNDEFINED ({@code MPI_Graph_map}). */
    public int Map(int[] index, int[] edges) throws MPIException {
        return MPI.call(() -> graph.graphMap(index, edges));
    }

    /** MPI.GRAPH ({@code MPI_Topo_test}). */
    @Override
    public int Topo_test() throws MPIException {
        return MPI.GRAPH;
    }
}
