package io.jmpi;

import io.jmpi.engine.Engine;

/**
 * A communicator ({@code MPI_Comm}): a group of ranks with its own message space. Point-to-point traffic and
 * collective traffic travel in separate contexts, so a collective never matches a user's receive.
 * Every operation may be called from any thread (MPI_THREAD_MULTIPLE).
 */
public class Comm extends PointToPoint {
    Comm(Mpi mpi, Engine engine, int context, int[] worldRanks, String name) {
        super(mpi, engine, context, worldRanks, name);
    }

    /** The communicator's name, e.g. {@code WORLD}. */
    public String name() {
        return name;
    }

    /** World rank of rank {@code r} of this communicator. */
    public int worldRank(int r) {
        checkDest("worldRank", "rank", r);
        return toWorld(r);
    }

    /** The {@link Mpi} this communicator belongs to. */
    public Mpi mpi() {
        return mpi;
    }

    @Override
    public String toString() {
        return "Comm{" + name + ", rank " + rank + " of " + size + "}";
    }
}
