package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostIdentityTest {
    @Test
    void stableWithinAProcessAndRecomputable() {
        String id = HostIdentity.hostId();
        assertSame(id, HostIdentity.hostId());
        Config c = Config.fromEnvironment();
        assertEquals(id, HostIdentity.compute(Platform.shmDir(c), Platform.portable(c)),
                "recomputing on the same host gives the same id");
    }

    @Test
    void isOneTokenFitForAnEndpointLine() {
        String id = HostIdentity.hostId();
        assertFalse(id.isEmpty());
        assertTrue(id.matches("[A-Za-z0-9._-]+"), id);
    }

    @Test
    void onLinuxItIsBootIdAndShmIdentity() throws Exception {
        Path bootId = Path.of("/proc/sys/kernel/random/boot_id");
        if (!Files.isReadable(bootId)) return; // not Linux: the portable identity is covered below
        String boot = Files.readString(bootId).trim().replace("-", "");
        String id = HostIdentity.hostId(Config.of(Map.of()));
        assertTrue(id.startsWith(boot + "-"), id);
        if (Files.isDirectory(Path.of("/dev/shm"))) {
            assertTrue(id.substring(boot.length() + 1).matches("[0-9a-f]+-[0-9a-f]+"), id);
        }
    }

    /** portable=true: what macOS and Windows compute (no /proc): hostname plus the segment directory's token. */
    @Test
    void thePortableIdentityIsHostnameAndTheDirectorysToken(@TempDir Path dir) throws Exception {
        Config c = Config.of(Map.of("JMPI_PORTABLE", "true", "JMPI_SHM_DIR", dir.toString()));
        String id = HostIdentity.hostId(c);
        String token = Files.readString(dir.resolve(HostIdentity.TOKEN_FILE)).trim();
        assertTrue(token.matches("[0-9a-f]{32}"), token);
        assertTrue(id.startsWith("host-"), id);
        assertTrue(id.endsWith("-" + token), id);
        assertTrue(id.matches("[A-Za-z0-9._-]+"), id);
        assertEquals(id, HostIdentity.compute(dir, true), "a second JVM reading the same directory agrees");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(HostIdentity.TOKEN_FILE)), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void twoDirectoriesThatCannotShareSegmentsGetDifferentIds(@TempDir Path a, @TempDir Path b) {
        assertNotEquals(HostIdentity.compute(a, true), HostIdentity.compute(b, true));
    }

    @Test
    void withoutAWritableDirectoryTheHostnameAlone(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-dir");
        assertEquals("host-" + Platform.hostname(true).replaceAll("[^A-Za-z0-9._-]", "_"),
                HostIdentity.compute(missing, true));
    }

    /** JVMs that start at once race to create the token: every one must read the winner's. */
    @Test
    @Timeout(30)
    void racingCreatorsAllReadOneToken(@TempDir Path dir) throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Callable<String> task = () -> {
                    start.await();
                    return HostIdentity.token(dir);
                };
                ids.add(pool.submit(task));
            }
            start.countDown();
            Set<String> tokens = new HashSet<>();
            for (Future<String> f : ids) tokens.add(f.get());
            assertEquals(1, tokens.size(), tokens.toString());
            assertFalse(tokens.contains(null));
        } finally {
            pool.shutdownNow();
        }
    }
}
