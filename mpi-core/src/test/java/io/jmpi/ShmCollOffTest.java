package io.jmpi;

import java.util.Map;

/** The collective conformance suite over shm rings with the shared-memory collective component off (collShm=off). */
class ShmCollOffTest extends CollConformance {
    @Override
    String transport() {
        return "shm";
    }

    @Override
    int[] sizes() {
        return new int[]{2, 3, 5};
    }

    @Override
    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, Map.of("JMPI_COLL_SHM", "off"), body);
    }
}
