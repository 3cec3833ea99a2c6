package mpi;

import io.jmpi.Mpi;

/** Runs a body as the ranks of a thread job; the body's {@code MPI.Init} adopts the rank the job started. */
final class Ranks {
    interface Body {
        void run() throws Exception;
    }

    private Ranks() {
    }

    static void run(int n, Body body) {
        Mpi.runThreads(n, m -> {
            MPI.provide(m);
            try {
                body.run();
            } finally {
                MPI.provide(null);
            }
        });
    }
}
