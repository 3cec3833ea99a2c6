package mpi;

import io.jmpi.CartComm;

/** A communicator with a Cartesian grid ({@code MPI_Cart_create}), ranks in row-major order. */
public class Cartcomm extends Intracomm {
    final CartComm cart;

    Cartcomm(CartComm cart) {
        super(cart);
        this.cart = cart;
    }

    /** A duplicate with the same grid ({@code MPI_Comm_dup}). */
    @Override
    public Object clone() throws MPIException {
        return new Cartcomm(MPI.call(cart::dup));
    }

    /** The rank at {@code coords} ({@code MPI_Cart_rank}); periodic dimensions wrap. */
    public int Rank(int[] coords) throws MPIException {
        return MPI.call(() -> cart.rank(coords));
    }

    /** The coordinates of {@code rank} ({@code MPI_Cart_coords}). */
    public int[] Coords(int rank) throws MPIException {
        return MPI.call(() -> cart.coords(rank));
    }

    /**
     * The neighbours {@code disp} steps along {@code direction} ({@code MPI_Cart_shift}): source and destination,
     * {@link MPI#PROC_NULL} beyond the edge of a non-periodic dimension (MPJ Express answers -1 there).
     */
    public ShiftParms Shift(int direction, int disp) throws MPIException {
        CartComm.Shift s = MPI.call(() -> cart.shift(direction, disp));
        return new ShiftParms(s.source(), s.dest());
    }

    /** The sub-grids that keep the dimensions marked in {@code remain_dims} ({@code MPI_Cart_sub}); collective. */
    public Cartcomm Sub(boolean[] remain_dims) throws MPIException {
        return new Cartcomm(MPI.call(() -> cart.cartSub(remain_dims)));
    }

    /** The rank this rank would have in such a grid, or UNDEFINED ({@code MPI_Cart_map}). */
    public int Map(int[] dims, boolean[] periods) throws MPIException {
        return MPI.call(() -> cart.cartMap(dims, periods));
    }

    /** Dimensions, periodicity and this rank's coordinates ({@code MPI_Cart_get}). */
    public CartParms Get() throws MPIException {
        return new CartParms(cart.dims(), cart.periods(), cart.coords());
    }

    /** MPI.CART ({@code MPI_Topo_test}). */
    @Override
    public int Topo_test() throws MPIException {
        return MPI.CART;
    }

    /**
     * Fills the zero entries of {@code dims} with a balanced grid of {@code nnodes} ranks ({@code MPI_Dims_create});
     * positive entries are kept, as the MPI standard says (MPJ Express overwrites them).
     */
    public static void Dims_create(int nnodes, int[] dims) throws MPIException {
        if (dims == null) throw new MPIException("Dims_create: dims is null");
        int[] d = MPI.call(() -> io.jmpi.Mpi.dimsCreate(nnodes, dims));
        System.arraycopy(d, 0, dims, 0, dims.length);
    }
}
