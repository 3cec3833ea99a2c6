package io.jmpi;

import java.util.Map;

/**
 * The collective conformance suite on one machine made to look like hosts of two ranks each (testHosts; transport
 * auto: shm within a "host", TCP across): the blocking barrier, bcast, reduce and allreduce of communicators of 3 or
 * more ranks take the hierarchical path, the rest the flat schedules over the mixed links.
 */
class HierCollTest extends CollConformance {
    @Override
    String transport() {
        return "auto";
    }

    @Override
    int[] sizes() {
        return new int[]{3, 4, 5};
    }

    @Override
    void run(int n, Mpi.RankMain body) {
        Jobs.run("auto", n, Map.of("JMPI_TEST_HOSTS", hostsOfTwo(n)), body);
    }

    /** h0,h0,h1,h1,... : n ranks on hosts of two. */
    static String hostsOfTwo(int n) {
        StringBuilder hosts = new StringBuilder();
        for (int r = 0; r < n; r++) hosts.append(r == 0 ? "" : ",").append("h").append(r / 2);
        return hosts.toString();
    }
}
