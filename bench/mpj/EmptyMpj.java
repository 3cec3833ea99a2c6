import mpi.MPI;

/** An empty MPJ Express program (MPI.Init + MPI.Finalize): bench/compare.sh times its start-up. */
public final class EmptyMpj {
    private EmptyMpj() {
    }

    public static void main(String[] args) throws Exception {
        MPI.Init(args);
        MPI.Finalize();
    }
}
