package mpi;

/** What {@link Cartcomm#Get()} returns ({@code MPI_Cart_get}): the grid's dimensions, periodicity, and this rank's coordinates. */
public class CartParms {
    public int[] dims;
    public boolean[] periods;
    public int[] coords;

    CartParms(int[] dims, boolean[] periods, int[] coords) {
        this.dims = dims;
        this.periods = periods;
        this.coords = coords;
    }
}
