package io.jmpi.bench.report;

import io.jmpi.Mpi;

/**
 * The empty job of the start-up measurements (bench/scripts/startup-scale.sh): init, one barrier on WORLD, close.
 * The barrier makes every rank wait for the slowest one and, with connections on first use, makes the connections a
 * barrier needs (dissemination: about log2(n) peers per rank).
 */
public final class BarrierJob {
    private BarrierJob() {
    }

    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            mpi.world().barrier();
        }
    }
}
