package io.jmpi.coll;

import io.jmpi.base.Config;

/**
 * The algorithm thresholds of one rank, read once from its {@link Config} (docs/COLLECTIVES.md explains each).
 * Every choice depends only on values all ranks agree on (sizes, counts, rank count), so all ranks pick the same
 * algorithm.
 */
public final class Tuning {
    public final int bcastLarge;
    public final int reduceLarge;
    public final int allreduceLarge;
    public final int reduceScatterLarge;
    public final int allgatherLarge;
    public final int gatherLarge;
    public final int alltoallSmall;
    public final int alltoallLarge;
    public final int bruckMinRanks;
    public final boolean check;
    /** Shared-memory collectives: auto (where available) or off. */
    public final boolean shm;
    /** Bytes of each rank's slot in a communicator's shared-memory collective segment (two banks). */
    public final int shmSlot;
    /** Largest message per rank (bytes) that a blocking collective moves through shared memory. */
    public final int shmMax;
    /** Seconds a rank waits for a communicator's shared-memory segment to appear. */
    public final int shmAttachSeconds;
    /** Longest park of a waiting thread (maxParkMicros), nanoseconds. */
    public final long maxParkNanos;

    private Tuning(Config c) {
        bcastLarge = c.get(Config.COLL_BCAST_LARGE);
        reduceLarge = c.get(Config.COLL_REDUCE_LARGE);
        allreduceLarge = c.get(Config.COLL_ALLREDUCE_LARGE);
        reduceScatterLarge = c.get(Config.COLL_REDUCE_SCATTER_LARGE);
        allgatherLarge = c.get(Config.COLL_ALLGATHER_LARGE);
        gatherLarge = c.get(Config.COLL_GATHER_LARGE);
        alltoallSmall = c.get(Config.COLL_ALLTOALL_SMALL);
        alltoallLarge = c.get(Config.COLL_ALLTOALL_LARGE);
        bruckMinRanks = c.get(Config.COLL_BRUCK_MIN_RANKS);
        check = "on".equals(c.get(Config.COLL_CHECK));
        shm = "auto".equals(c.get(Config.COLL_SHM));
        shmSlot = c.get(Config.COLL_SHM_SLOT);
        shmMax = c.get(Config.COLL_SHM_MAX);
        shmAttachSeconds = c.get(Config.CONNECT_TIMEOUT);
        maxParkNanos = c.get(Config.MAX_PARK_MICROS) * 1000L;
    }

    public static Tuning from(Config c) {
        return new Tuning(c);
    }
}
