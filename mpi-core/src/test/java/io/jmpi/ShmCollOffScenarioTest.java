package io.jmpi;

import java.util.Map;

/** Collective scenarios over shm rings with the shared-memory collective component off (point-to-point schedules). */
class ShmCollOffScenarioTest extends CollScenarios {
    @Override
    String transport() {
        return "shm";
    }

    @Override
    int[] sizes() {
        return new int[]{3};
    }

    @Override
    int[] forcedSizes() {
        return new int[]{3};
    }

    @Override
    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, Map.of("JMPI_COLL_SHM", "off"), body);
    }
}
