package io.jmpi;

/**
 * The collective conformance suite over shared memory (ranks as threads, one engine and segment each), with the
 * shared-memory collective component on (the default): blocking barrier, bcast, reduce, allreduce, gather and
 * allgather run on it, the rest and the non-blocking forms on point-to-point schedules over shm rings.
 */
class ShmCollTest extends CollConformance {
    @Override
    String transport() {
        return "shm";
    }

    @Override
    int[] sizes() {
        return new int[]{1, 2, 3, 4, 5, 8};
    }
}
