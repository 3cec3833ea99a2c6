// A Cartesian topology through Open MPI's Java API, written for jmpi's side-by-side check (SideBySideIT): a periodic
// 2-D grid from createDims, coordinates, shifts, a neighbour exchange along both dimensions, and row sub-communicators.
// Each rank prints its own line (compared order-insensitively).
import mpi.*;

class CartTopology {
    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank(), size = world.getSize();
        int[] dims = new int[2];
        CartComm.createDims(size, dims);
        CartComm grid = world.createCart(dims, new boolean[]{true, false}, false);
        int me = grid.getRank();
        int[] coords = grid.getCoords(me);
        CartParms parms = grid.getTopo();
        ShiftParms down = grid.shift(0, 1), across = grid.shift(1, 1);

        int[] got = {-1};
        grid.sendRecv(new int[]{me}, 1, MPI.INT, down.getRankDest(), 3, got, 1, MPI.INT, down.getRankSource(), 3);
        // along the non-periodic dimension the ends have MPI.PROC_NULL neighbours: nothing arrives from those (what
        // the buffer holds then is left out: Open MPI's JNI layer copies the send value into it)
        int[] side = {-1};
        grid.sendRecv(new int[]{me}, 1, MPI.INT, across.getRankDest(), 4, side, 1, MPI.INT, across.getRankSource(), 4);
        CartComm row = grid.sub(new boolean[]{false, true});
        int[] rowSum = {me};
        row.allReduce(rowSum, 1, MPI.INT, MPI.SUM);

        System.out.println("rank " + rank + " dims " + dims[0] + "x" + dims[1] + " coords (" + coords[0] + "," + coords[1]
                + ") periodic " + parms.getPeriod(0) + "," + parms.getPeriod(1)
                + " down " + name(down.getRankSource()) + "->" + name(down.getRankDest()) + " got " + got[0]
                + " across " + name(across.getRankSource()) + "->" + name(across.getRankDest())
                + (across.getRankSource() == MPI.PROC_NULL ? "" : " got " + side[0])
                + " row " + row.getRank() + "/" + row.getSize() + " sum " + rowSum[0]
                + " at (" + coords[0] + ",0) " + grid.getRank(new int[]{coords[0], 0}));
        row.free();
        grid.free();
        MPI.Finalize();
    }

    static String name(int rank) {
        return rank == MPI.PROC_NULL ? "none" : Integer.toString(rank);
    }
}
