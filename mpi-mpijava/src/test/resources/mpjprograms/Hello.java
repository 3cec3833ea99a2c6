import mpi.MPI;

/**
 * Hello world for the mpiJava 1.2 API (MPJ Express and jmpi's mpi-mpijava). Every rank checks in with rank 0
 * (a rank's own println would interleave); rank 0 prints one deterministic line.
 */
public class Hello {
    public static void main(String[] args) throws Exception {
        MPI.Init(args);
        int rank = MPI.COMM_WORLD.Rank();
        int size = MPI.COMM_WORLD.Size();
        int[] one = {rank};
        int[] all = new int[size];
        MPI.COMM_WORLD.Gather(one, 0, 1, MPI.INT, all, 0, 1, MPI.INT, 0);
        if (rank == 0) {
            long sum = 0;
            for (int r : all) {
                sum += r;
            }
            System.out.println("Hello: size=" + size + " ranksum=" + sum);
        }
        MPI.Finalize();
    }
}
