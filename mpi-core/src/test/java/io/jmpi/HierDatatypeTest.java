package io.jmpi;

import java.util.Map;

/**
 * The derived-datatype conformance suite on one machine made to look like hosts of two ranks (testHosts; transport
 * auto: shm within a "host", TCP across), so that communicators of 3 or more ranks take the hierarchical collectives,
 * including the mixed-form bcast/reduce/allreduce (a Datatype at some ranks, a plain array at others).
 */
class HierDatatypeTest extends DatatypeConformance {
    @Override
    String transport() {
        return "auto";
    }

    @Override
    void run(int n, Mpi.RankMain body) {
        Jobs.run("auto", n, Map.of("JMPI_TEST_HOSTS", HierCollTest.hostsOfTwo(n)), body);
    }
}
