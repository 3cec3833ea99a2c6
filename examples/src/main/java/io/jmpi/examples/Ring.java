package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * A token travels around the ring {@code laps} times; each rank adds one as it passes. Prints the time per hop.
 * Arguments: {@code [--laps=N]} (default 1000).
 */
public final class Ring {
    public static void main(String[] args) {
        Args a = new Args("ring", args);
        long laps = a.integer("laps", 1000, 1, 100_000_000);
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int rank = world.rank(), size = world.size();
            int next = (rank + 1) % size, prev = (rank + size - 1) % size;
            long[] token = new long[1];
            double t0 = mpi.wtime();
            for (long lap = 0; lap < laps; lap++) {
                if (rank == 0) {
                    token[0]++;
                    world.send(token, next, 1);
                    world.recv(token, prev, 1);
                } else {
                    world.recv(token, prev, 1);
                    token[0]++;
                    world.send(token, next, 1);
                }
            }
            double t = mpi.wtime() - t0;
            verified = rank != 0 || token[0] == laps * size;
            if (rank == 0) {
                System.out.printf("ring: token=%d after %d laps, %.2f us per hop%n", token[0], laps, t / (laps * size) * 1e6);
            }
            Summary.report(world, "ring", laps + " laps", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }
}
