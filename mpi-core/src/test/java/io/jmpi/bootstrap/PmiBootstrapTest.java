package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks of a PMI job (as started by srun --mpi=pmi2), in one JVM against the fake PMI server. */
@Timeout(30)
class PmiBootstrapTest {
    private static Map<String, String> slurmEnv(int rank, int size) {
        return Map.of("PMI_RANK", Integer.toString(rank), "PMI_SIZE", Integer.toString(size),
                "SLURM_LOCALID", Integer.toString(rank % 2), "SLURM_STEP_NODELIST", "thishost",
                "SLURMD_NODENAME", "thishost");
    }

    @Test
    void threeRanksShareOneSecretAndJobIdAndExchangeEndpoints() throws Exception {
        int n = 3;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try (FakePmiServer server = new FakePmiServer(n)) {
            List<CompletableFuture<PmiBootstrap>> joining = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                PmiClient c = server.client();
                int rank = r;
                joining.add(CompletableFuture.supplyAsync(() -> new PmiBootstrap(c, Config.of(Map.of()),
                        slurmEnv(rank, n)), pool));
            }
            List<PmiBootstrap> ranks = new ArrayList<>();
            for (CompletableFuture<PmiBootstrap> f : joining) ranks.add(f.get());
            for (PmiBootstrap b : ranks) {
                assertEquals(32, b.secret().length);
                assertArrayEquals(ranks.get(0).secret(), b.secret());
                assertEquals(ranks.get(0).jobId(), b.jobId());
                assertEquals(n, b.size());
                // the step runs on one node (SLURM_STEP_NODELIST is this node): loopback suffices
                assertEquals(InetAddress.getLoopbackAddress(), b.advertiseAddress());
            }
            assertEquals(1, ranks.get(1).localRank());
            List<CompletableFuture<Endpoint[]>> tables = new ArrayList<>();
            for (PmiBootstrap b : ranks) {
                Endpoint mine = new Endpoint(b.rank(), "127.0.0.1", 4000 + b.rank(), "host-x", 100 + b.rank());
                tables.add(CompletableFuture.supplyAsync(() -> b.exchange(mine), pool));
            }
            Endpoint[] expected = new Endpoint[n];
            for (int r = 0; r < n; r++) expected[r] = new Endpoint(r, "127.0.0.1", 4000 + r, "host-x", 100 + r);
            for (CompletableFuture<Endpoint[]> t : tables) assertEquals(Arrays.asList(expected), Arrays.asList(t.get()));
            for (PmiBootstrap b : ranks) b.close();
            assertEquals(2, server.barriers, "two fences: the job identity, then the endpoints");
            // only rank 0 published the secret; the endpoint values have no spaces
            assertEquals(1, server.requests.stream().filter(l -> l.contains("key=jmpi-job ")).count());
            assertTrue(server.requests.stream().filter(l -> l.startsWith("cmd=put") && l.contains("jmpi-ep-"))
                    .allMatch(l -> l.matches("cmd=put kvsname=42\\.0 key=jmpi-ep-\\d value=\\d,127\\.0\\.0\\.1,\\d+,host-x,\\d+")),
                    String.join("\n", server.requests));
            assertEquals(n, server.requests.stream().filter(l -> l.equals("cmd=finalize")).count());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTaskThatNeverArrivesTimesOutNamingTheBarrier() throws Exception {
        try (FakePmiServer server = new FakePmiServer(2)) {
            MpiException e = assertThrows(MpiException.class, () -> new PmiBootstrap(server.client(),
                    Config.of(Map.of("JMPI_CONNECT_TIMEOUT", "1")), slurmEnv(0, 2)));
            assertEquals(ErrorClass.TIMEOUT, e.errorClass());
            assertEquals("bootstrap: rank 0: PMI barrier did not complete within 1 s (connectTimeout); a task did not "
                    + "start or did not reach init", e.getMessage());
        }
    }

    @Test
    void identityComesFromPmiOrSlurmVariables() throws Exception {
        try (FakePmiServer server = new FakePmiServer(1)) {
            PmiBootstrap b = new PmiBootstrap(server.client(), Config.of(Map.of()),
                    Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "1"));
            assertEquals(0, b.rank());
            assertEquals(1, b.size());
            b.close();
        }
        try (FakePmiServer server = new FakePmiServer(1)) {
            MpiException e = assertThrows(MpiException.class, () -> new PmiBootstrap(server.client(),
                    Config.of(Map.of()), Map.of("PMI_SIZE", "2", "PMI_RANK", "2")));
            assertEquals("bootstrap: PMI_RANK=2 out of range [0, 1]", e.getMessage());
            MpiException none = assertThrows(MpiException.class, () -> new PmiBootstrap(server.client(),
                    Config.of(Map.of()), Map.of()));
            assertEquals("bootstrap: neither PMI_SIZE nor SLURM_NTASKS is set (start the job with srun --mpi=pmi2)",
                    none.getMessage());
        }
    }

    @Test
    void theAdvertisedAddressLooksTowardAnotherNodeOfTheStep() {
        assertEquals(InetAddress.getLoopbackAddress(), PmiBootstrap.defaultAddress(Map.of(), 1));
        assertEquals(InetAddress.getLoopbackAddress(), PmiBootstrap.defaultAddress(
                Map.of("SLURM_STEP_NODELIST", "n[1-1]", "SLURMD_NODENAME", "n1"), 4));
        // "localhost" is another node name here; the route toward it is loopback
        assertTrue(PmiBootstrap.defaultAddress(Map.of("SLURM_STEP_NODELIST", "n1,localhost", "SLURMD_NODENAME", "n1"), 4)
                .isLoopbackAddress());
    }
}
