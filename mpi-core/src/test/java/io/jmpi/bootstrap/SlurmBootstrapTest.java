package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The srun-without-PMI rendezvous, with tasks as threads of this JVM and the file in a temporary directory. */
@Timeout(30)
class SlurmBootstrapTest {
    @TempDir
    Path home;

    private static Map<String, String> env(int rank, int size, String srunPort) {
        Map<String, String> e = new HashMap<>();
        e.put("SLURM_JOB_ID", "77");
        e.put("SLURM_STEP_ID", "3");
        e.put("SLURM_PROCID", Integer.toString(rank));
        e.put("SLURM_NTASKS", Integer.toString(size));
        e.put("SLURM_LOCALID", Integer.toString(rank));
        e.put("SLURM_SRUN_COMM_HOST", "127.0.0.1");
        e.put("SLURM_SRUN_COMM_PORT", srunPort);
        return e;
    }

    private List<Endpoint[]> runStep(int size, String srunPort) throws Exception {
        Path dir = home.resolve(".jmpi/slurm");
        ExecutorService pool = Executors.newFixedThreadPool(size);
        try {
            List<CompletableFuture<Endpoint[]>> tasks = new ArrayList<>();
            List<SlurmBootstrap> joined = new ArrayList<>();
            for (int r = size - 1; r >= 0; r--) { // the others wait for rank 0's file
                int rank = r;
                tasks.add(CompletableFuture.supplyAsync(() -> {
                    SlurmBootstrap b = new SlurmBootstrap(Config.of(Map.of("JMPI_CONNECT_TIMEOUT", "10")),
                            env(rank, size, srunPort), dir);
                    synchronized (joined) {
                        joined.add(b);
                    }
                    try (b) {
                        assertEquals(rank, b.rank());
                        assertEquals(size, b.size());
                        return b.exchange(new Endpoint(rank, "127.0.0.1", 1000 + rank, "h", rank));
                    }
                }, pool));
            }
            List<Endpoint[]> tables = new ArrayList<>();
            for (CompletableFuture<Endpoint[]> t : tasks) tables.add(t.get());
            SlurmBootstrap first = joined.get(0);
            for (SlurmBootstrap b : joined) {
                assertEquals(first.jobId(), b.jobId());
                assertArrayEquals(first.secret(), b.secret());
            }
            return tables;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyTaskGetsTheSameSecretAndTheWholeTableAndTheFileIsGoneAfterwards() throws Exception {
        List<Endpoint[]> tables = runStep(4, "4000");
        for (Endpoint[] t : tables) {
            assertEquals(4, t.length);
            for (int r = 0; r < 4; r++) assertEquals(1000 + r, t[r].port());
        }
        Path dir = home.resolve(".jmpi/slurm");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertFalse(Files.exists(dir.resolve("77.3")), "the rendezvous file is deleted once every task is in");
    }

    @Test
    void theFileIsPrivateAndAFileOfAnEarlierRunOfTheStepIsNotUsed() throws Exception {
        Path dir = home.resolve(".jmpi/slurm");
        SlurmRendezvousFile f = new SlurmRendezvousFile(dir, "77.3");
        f.write(new SlurmRendezvousFile.Content("77.3 127.0.0.1:3999", 5, new byte[32], "127.0.0.1", 1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path())));
        assertEquals(null, f.readIfCurrent("77.3 127.0.0.1:4000"));
        List<Endpoint[]> tables = runStep(3, "4000"); // a requeued step: new srun port, new file
        assertEquals(3, tables.size());
    }

    @Test
    void aFileThatOthersMayReadIsRefused() {
        Path dir = home.resolve(".jmpi/slurm");
        SlurmRendezvousFile f = new SlurmRendezvousFile(dir, "77.3");
        f.write(new SlurmRendezvousFile.Content("77.3 127.0.0.1:4000", 5, new byte[32], "127.0.0.1", 1));
        try {
            Files.setPosixFilePermissions(f.path(), PosixFilePermissions.fromString("rw-r--r--"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        MpiException e = assertThrows(MpiException.class, () -> new SlurmBootstrap(
                Config.of(Map.of("JMPI_CONNECT_TIMEOUT", "5")), env(1, 2, "4000"), dir));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void aTaskWhoseRankZeroNeverPublishesTimesOut() {
        MpiException e = assertThrows(MpiException.class, () -> new SlurmBootstrap(
                Config.of(Map.of("JMPI_CONNECT_TIMEOUT", "1")), env(1, 2, "4000"), home.resolve(".jmpi/slurm")));
        assertEquals(ErrorClass.TIMEOUT, e.errorClass());
    }

    @Test
    void aBadEnvironmentIsAnArgumentError() {
        Map<String, String> bad = env(5, 2, "4000");
        MpiException e = assertThrows(MpiException.class, () -> new SlurmBootstrap(Config.of(Map.of()), bad,
                home.resolve(".jmpi/slurm")));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertTrue(e.getMessage().contains("SLURM_PROCID=5"), e.getMessage());
    }
}
