package mpi;

/**
 * What {@link Cartcomm#Shift(int, int)} returns ({@code MPI_Cart_shift}): the ranks to receive from and send to;
 * {@link MPI#PROC_NULL} beyond an edge of a non-periodic dimension.
 */
public class ShiftParms {
    public int rank_source;
    public int rank_dest;

    ShiftParms(int source, int dest) {
        this.rank_source = source;
        this.rank_dest = dest;
    }
}
