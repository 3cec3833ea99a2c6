package mpi;

/** A communicator with a Cartesian topology. */
public final class CartComm extends Intracomm {
    CartComm(io.jmpi.CartComm c) {
        super(c);
    }

    private io.jmpi.CartComm cc(String call) throws MPIException {
        return (io.jmpi.CartComm) n(call);
    }

    @Override
    public CartComm dup() throws MPIException {
        io.jmpi.CartComm c = cc("dup");
        return new CartComm(Errors.run(c::dup));
    }

    /** {@code MPI_Comm_dup_with_info}: the topology is kept; jmpi takes no hints for it. */
    @Override
    public CartComm dupWithInfo(Info info) throws MPIException {
        return dup();
    }

    /** {@code MPI_Comm_idup}: jmpi duplicates a topology communicator at once (its request is complete). */
    @Override
    public CartComm iDup() throws MPIException {
        CartComm d = dup();
        d.pending(java.util.concurrent.CompletableFuture.completedFuture(null));
        return d;
    }

    @Override
    public CartComm clone() {
        try {
            return dup();
        } catch (MPIException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    /** {@code MPI_Cart_get}. */
    public CartParms getTopo() throws MPIException {
        io.jmpi.CartComm c = cc("getTopo");
        return new CartParms(c.dims(), c.periods(), c.coords());
    }

    /** {@code MPI_Cart_rank}. */
    public int getRank(int[] coords) throws MPIException {
        io.jmpi.CartComm c = cc("getRank");
        return Errors.run(() -> c.rank(coords));
    }

    /** {@code MPI_Cart_coords}. */
    public int[] getCoords(int rank) throws MPIException {
        io.jmpi.CartComm c = cc("getCoords");
        return Errors.run(() -> c.coords(rank));
    }

    /** {@code MPI_Cart_shift}. */
    public ShiftParms shift(int direction, int disp) throws MPIException {
        io.jmpi.CartComm c = cc("shift");
        io.jmpi.CartComm.Shift s = Errors.run(() -> c.shift(direction, disp));
        return new ShiftParms(s.source(), s.dest());
    }

    /** {@code MPI_Cart_sub}. */
    public CartComm sub(boolean[] remainDims) throws MPIException {
        io.jmpi.CartComm c = cc("sub");
        return new CartComm(Errors.run(() -> c.cartSub(remainDims)));
    }

    /** {@code MPI_Cart_map}. */
    public int map(int[] dims, boolean[] periods) throws MPIException {
        io.jmpi.CartComm c = cc("map");
        int r = Errors.run(() -> c.cartMap(dims, periods));
        return r == io.jmpi.Comm.UNDEFINED ? MPI.UNDEFINED : r;
    }

    /** {@code MPI_Dims_create}: fills the zero entries of {@code dims}. */
    public static void createDims(int nnodes, int[] dims) throws MPIException {
        int[] d = Errors.run(() -> io.jmpi.Mpi.dimsCreate(nnodes, dims));
        System.arraycopy(d, 0, dims, 0, dims.length);
    }
}
