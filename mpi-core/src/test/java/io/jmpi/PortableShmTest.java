package io.jmpi;

import io.jmpi.base.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shared memory as macOS and Windows run it (issue 22), selected on Linux with {@code portable=true}: segments,
 * doorbells and shared windows in java.io.tmpdir (no /dev/shm), host identity from the token file there (no
 * /proc). {@code transport=shm} fails at init unless every rank's portable identity agrees, so the job itself is
 * the proof that the identities match; the counters prove the traffic.
 */
@Timeout(60)
class PortableShmTest {
    private static final Map<String, String> PORTABLE = Map.of("JMPI_PORTABLE", "true");

    @Test
    void pointToPointCollectivesAndASharedWindowOverTheTempDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<String> before = jmpiFiles(tmp);
        int n = 3;
        AtomicInteger checked = new AtomicInteger();
        Jobs.run("shm", n, PORTABLE, mpi -> {
            Comm w = mpi.world();
            assertEquals(tmp, Platform.shmDir(mpi.config()));
            assertEquals(n, w.splitByHost().size(), "one host for every rank");
            int next = (w.rank() + 1) % n, prev = (w.rank() + n - 1) % n;
            double[] big = new double[300_000]; // 2.4 MB: rendezvous, chunked through the rings
            java.util.Arrays.fill(big, w.rank());
            double[] in = new double[big.length];
            Request r = w.irecv(in, prev, 5);
            w.send(big, next, 5);
            r.await();
            double[] expected = new double[big.length];
            java.util.Arrays.fill(expected, prev);
            assertArrayEquals(expected, in);
            long[] sum = new long[1];
            w.allreduce(new long[] {w.rank() + 1}, sum, Op.SUM);
            assertEquals((long) n * (n + 1) / 2, sum[0]);
            try (Win win = Win.allocateShared(w, 64, 1)) {
                win.fence(0);
                win.sharedQuery(w.rank()).putLong(0, 100 + w.rank());
                win.fence(0);
                assertEquals(100 + next, win.sharedQuery(next).getLong(0));
                win.fence(0);
            }
            checked.incrementAndGet();
        });
        assertEquals(n, checked.get());
        List<String> added = new java.util.ArrayList<>(jmpiFiles(tmp));
        added.removeAll(before);
        assertEquals(List.of(), added, "segment files left in " + tmp);
    }

    /**
     * A segment directory whose path is too long for a UNIX-domain socket address (about 108 bytes on Linux, 104 on
     * macOS; a deep %TEMP% on Windows can get there): the doorbells cannot bind, the ranks poll instead, and the job
     * still runs.
     */
    @Test
    void aPathTooLongForADoorbellFallsBackToPolling(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path deep = Files.createDirectories(dir.resolve("d".repeat(60)).resolve("e".repeat(60)));
        Map<String, String> env = Map.of("JMPI_PORTABLE", "true", "JMPI_SHM_DIR", deep.toString());
        AtomicInteger rounds = new AtomicInteger();
        Jobs.run("shm", 2, env, mpi -> {
            Comm w = mpi.world();
            int other = 1 - w.rank();
            long[] v = new long[1];
            for (int i = 0; i < 50; i++) {
                if (w.rank() == 0) {
                    v[0] = i;
                    w.send(v, other, 1);
                    w.recv(v, other, 2);
                    assertEquals(i + 1, v[0]);
                    rounds.incrementAndGet();
                } else {
                    w.recv(v, other, 1);
                    v[0]++;
                    w.send(v, other, 2);
                }
            }
        });
        assertEquals(50, rounds.get());
        assertEquals(List.of(), jmpiFiles(deep), "segment files left in " + deep);
    }

    /** This job's files would be jmpi-<job>-...; other jobs may run at the same time, so compare what was there. */
    private static List<String> jmpiFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith("jmpi-") && !f.equals("jmpi-host-token")).sorted().toList();
        }
    }
}
