package io.jmpi;

/** The kind of virtual topology a communicator carries ({@code MPI_Topo_test}). */
public enum TopoType {
    /** A Cartesian grid ({@code MPI_CART}): {@link CartComm}. */
    CART,
    /** A graph given whole on every rank ({@code MPI_GRAPH}): {@link GraphComm}. */
    GRAPH,
    /** A distributed graph, each rank knowing its own edges ({@code MPI_DIST_GRAPH}): {@link DistGraphComm}. */
    DIST_GRAPH,
    /** No topology ({@code MPI_UNDEFINED}). */
    UNDEFINED
}
