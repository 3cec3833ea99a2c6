import mpi.MPI;
import mpi.MPIException;

/**
 * MPIException is a checked exception in mpiJava 1.2: a program may catch it explicitly. Every rank sums its
 * rank with Allreduce inside a try/catch; rank 0 prints the sum.
 */
public class ExceptionCatch {
    public static void main(String[] args) {
        try {
            MPI.Init(args);
            int rank = MPI.COMM_WORLD.Rank();
            int size = MPI.COMM_WORLD.Size();
            int[] in = {rank};
            int[] out = new int[1];
            MPI.COMM_WORLD.Allreduce(in, 0, out, 0, 1, MPI.INT, MPI.SUM);
            if (rank == 0) {
                System.out.println("ExceptionCatch: size=" + size + " sum=" + out[0]);
            }
            MPI.Finalize();
        } catch (MPIException e) {
            System.out.println("ExceptionCatch: failed " + e.getMessage());
            System.exit(1);
        }
    }
}
