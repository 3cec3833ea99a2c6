package io.jmpi.launch;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * A planted wildcard race for {@code ExploreIT}: ranks 1 and 2 each send their rank to rank 0, and rank 0, once both
 * messages have arrived, receives from ANY_SOURCE and prints which it took first.
 * MPI allows either; without --explore the first to arrive wins, under --explore a seeded choice does.
 * With argument {@code fixed}, rank 0 receives from rank 1 first: no race, the same output on every run.
 */
public final class WildcardRace {
    private WildcardRace() {
    }

    public static void main(String[] args) {
        boolean fixed = args.length > 0 && args[0].equals("fixed");
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int[] v = new int[1];
            if (w.rank() != 0) {
                v[0] = w.rank();
                w.send(v, 0, 4);
            }
            w.barrier();
            if (w.rank() == 0) {
                // wait until both messages are here (a shared-memory barrier does not order them): the race is only
                // in which one the wildcard receive takes, so a seed replays it exactly
                w.probe(1, 4);
                w.probe(2, 4);
                w.recv(v, fixed ? 1 : Mpi.ANY_SOURCE, 4);
                int first = v[0];
                w.recv(v, fixed ? 2 : Mpi.ANY_SOURCE, 4);
                System.out.println("first message from rank " + first);
            }
        }
    }
}
