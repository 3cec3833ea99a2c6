package mpi;

import io.jmpi.Mpi;

/**
 * Runs an mpiJava program body as a job of ranks that are threads of this JVM: each thread's rank is lent to
 * {@link MPI}'s per-rank statics ({@link MPI#adopt}), then the body runs between MPI.Init and MPI.Finalize as a
 * program would. A failing rank fails the job (Mpi.runThreads rethrows the first failure).
 */
final class Ranks {
    private Ranks() {
    }

    interface Body {
        void run(int rank, int size) throws Exception;
    }

    static void run(int n, Body body) {
        Mpi.runThreads(n, m -> {
            MPI.adopt(m);
            try {
                MPI.Init(new String[0]);
                body.run(MPI.COMM_WORLD.Rank(), MPI.COMM_WORLD.Size());
                MPI.Finalize();
            } finally {
                MPI.release();
            }
        });
    }
}
