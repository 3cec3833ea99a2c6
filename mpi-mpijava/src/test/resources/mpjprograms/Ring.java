import mpi.MPI;
import mpi.Status;

/**
 * Every rank's value travels once round the ring with Sendrecv; each rank adds up what passes through, so after
 * size steps every rank holds the sum of all ranks, size*(size-1)/2. Rank 0 prints it.
 */
public class Ring {
    public static void main(String[] args) throws Exception {
        MPI.Init(args);
        int rank = MPI.COMM_WORLD.Rank();
        int size = MPI.COMM_WORLD.Size();
        int right = (rank + 1) % size;
        int left = (rank + size - 1) % size;
        int[] pass = {rank};
        int[] in = new int[1];
        int sum = 0;
        for (int step = 0; step < size; step++) {
            sum += pass[0];
            Status st = MPI.COMM_WORLD.Sendrecv(pass, 0, 1, MPI.INT, right, 7, in, 0, 1, MPI.INT, left, 7);
            if (st.source != left || st.Get_count(MPI.INT) != 1) {
                throw new IllegalStateException("Ring: rank " + rank + " got source=" + st.source);
            }
            pass[0] = in[0];
        }
        if (rank == 0) {
            System.out.println("Ring: size=" + size + " sum=" + sum);
        }
        MPI.Finalize();
    }
}
