package mpi;

/**
 * A communicator with a graph or, as in Open MPI's Java API, a distributed-graph topology
 * ({@link #getDistGraphNeighbors()}).
 */
public final class GraphComm extends Intracomm {
    GraphComm(io.jmpi.Comm c) {
        super(c);
    }

    @Override
    public GraphComm dup() throws MPIException {
        Object o = n("dup");
        if (o instanceof io.jmpi.GraphComm) return new GraphComm(Errors.run(((io.jmpi.GraphComm) o)::dup));
        return new GraphComm(Errors.run(((io.jmpi.DistGraphComm) o)::dup));
    }

    /** {@code MPI_Comm_dup_with_info}: the topology is kept; jmpi takes no hints for it. */
    @Override
    public GraphComm dupWithInfo(Info info) throws MPIException {
        return dup();
    }

    /** {@code MPI_Comm_idup}: jmpi duplicates a topology communicator at once (its request is complete). */
    @Override
    public GraphComm iDup() throws MPIException {
        GraphComm d = dup();
        d.pending(java.util.concurrent.CompletableFuture.completedFuture(null));
        return d;
    }

    @Override
    public GraphComm clone() {
        try {
            return dup();
        } catch (MPIException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    private io.jmpi.GraphComm gc(String call) throws MPIException {
        Object o = n(call);
        if (!(o instanceof io.jmpi.GraphComm)) throw new MPIException(call + ": not a graph communicator", MPI.ERR_TOPOLOGY, null);
        return (io.jmpi.GraphComm) o;
    }

    /** {@code MPI_Graph_get}. */
    public GraphParms getDims() throws MPIException {
        io.jmpi.GraphComm g = gc("getDims");
        return new GraphParms(g.index(), g.edges());
    }

    /** {@code MPI_Graph_neighbors}. */
    public int[] getNeighbors(int rank) throws MPIException {
        io.jmpi.GraphComm g = gc("getNeighbors");
        return Errors.run(() -> g.neighbors(rank));
    }

    /** {@code MPI_Dist_graph_neighbors}. */
    public DistGraphNeighbors getDistGraphNeighbors() throws MPIException {
        Object o = n("getDistGraphNeighbors");
        if (!(o instanceof io.jmpi.DistGraphComm)) throw new MPIException("getDistGraphNeighbors: not a distributed-graph communicator", MPI.ERR_TOPOLOGY, null);
        io.jmpi.DistGraphComm d = (io.jmpi.DistGraphComm) o;
        return new DistGraphNeighbors(d.inNeighbors(), d.inWeights(), d.outNeighbors(), d.outWeights(), d.isWeighted());
    }

    /** {@code MPI_Graph_map}. */
    public int map(int[] index, int[] edges) throws MPIException {
        io.jmpi.Comm c = c("map");
        int r = Errors.run(() -> c.graphMap(index, edges));
        return r == io.jmpi.Comm.UNDEFINED ? MPI.UNDEFINED : r;
    }
}
