import mpi.MPI;

/**
 * Computes pi by the midpoint rule on 4/(1+x^2) over [0,1] with n intervals shared round-robin, combined by
 * Reduce(SUM). Rank 0 prints pi to 6 decimals (the same for any number of ranks).
 */
public class Pi {
    public static void main(String[] args) throws Exception {
        MPI.Init(args);
        int rank = MPI.COMM_WORLD.Rank();
        int size = MPI.COMM_WORLD.Size();
        int[] n = {rank == 0 ? 100000 : 0};
        MPI.COMM_WORLD.Bcast(n, 0, 1, MPI.INT, 0);
        double h = 1.0 / n[0];
        double[] part = {0.0};
        for (int i = rank; i < n[0]; i += size) {
            double x = h * (i + 0.5);
            part[0] += 4.0 / (1.0 + x * x);
        }
        part[0] *= h;
        double[] pi = new double[1];
        MPI.COMM_WORLD.Reduce(part, 0, pi, 0, 1, MPI.DOUBLE, MPI.SUM, 0);
        if (rank == 0) {
            System.out.println(String.format(java.util.Locale.ROOT, "Pi: %.6f", pi[0]));
        }
        MPI.Finalize();
    }
}
