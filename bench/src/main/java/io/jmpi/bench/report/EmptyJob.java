package io.jmpi.bench.report;

import io.jmpi.Mpi;

/**
 * An empty jmpi program (init + close, nothing else): {@code bench/compare.sh} times
 * {@code bin/jmpirun -np 2 -cp BENCH_JAR io.jmpi.bench.report.EmptyJob} against {@code mpirun -np 2} of an empty C MPI
 * program and {@code mpjrun.sh -np 2} of an empty MPJ Express one.
 */
public final class EmptyJob {
    private EmptyJob() {
    }

    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            mpi.world();
        }
    }
}
