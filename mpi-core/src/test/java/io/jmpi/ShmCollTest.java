package io.jmpi;

/** The collective conformance suite over shared-memory rings (ranks as threads, one engine and segment each). */
class ShmCollTest extends CollConformance {
    @Override
    String transport() {
        return "shm";
    }

    @Override
    int[] sizes() {
        return new int[]{2, 3, 4};
    }
}
