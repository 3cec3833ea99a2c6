package io.jmpi.reliability;

import io.jmpi.reliability.apps.RingApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared memory shared with strangers: the segment directory already holds garbage and the segments of other jobs
 * (named like jmpi's, with random contents or a copied header). A job of real JVMs over shared memory must run
 * correctly, attach only to its own segments, and leave every foreign file exactly as it was, however it ends.
 */
@Timeout(60)
class ForeignShmSegmentsIT {
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path shmDir;

    @AfterEach
    void nothingSurvives() {
        ranks.killAll();
    }

    @Test
    void anotherJobsSegmentsAndGarbageAreNeitherUsedNorTouched() throws Exception {
        Random rnd = new Random(7);
        Map<String, byte[]> foreign = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String name = switch (i % 4) {
                case 0 -> "jmpi-" + Long.toHexString(rnd.nextLong() & Long.MAX_VALUE) + "-" + rnd.nextInt(4);
                case 1 -> "jmpi-" + Long.toHexString(rnd.nextLong() & Long.MAX_VALUE) + "-" + rnd.nextInt(4) + ".tmp";
                case 2 -> "jmpi--" + i;
                default -> "not-jmpi-" + i;
            };
            byte[] content = new byte[rnd.nextInt(64 * 1024)];
            rnd.nextBytes(content);
            if (i % 4 == 0 && content.length >= 8) { // looks like a segment: our magic, another job
                java.nio.ByteBuffer.wrap(content).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putLong(0, io.jmpi.transport.shm.ShmSegmentDescriptor.MAGIC);
            }
            Files.write(shmDir.resolve(name), content);
            foreign.put(name, content);
        }
        LauncherRun run = LauncherRun.start(List.of("-np", "4", "--transport", "shm", "-D", "shmDir=" + shmDir,
                "--timeout", "40", "--jvm-args=" + ranks.jvmOptions("-Xmx128m"), "-cp", System.getProperty("java.class.path"),
                RingApp.class.getName(), "--max-laps", "200", "--big", "100000"));
        assertEquals(0, run.await(Duration.ofSeconds(50)), run.describe());
        assertTrue(run.out.text().contains("ring ok laps=200"), run.describe());
        assertEquals(List.copyOf(foreign.keySet()), RankJvms.files(shmDir), "the job removed or left files");
        for (Map.Entry<String, byte[]> e : foreign.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(shmDir.resolve(e.getKey())), e.getKey() + " was modified");
        }
        assertTrue(ranks.awaitNone(Duration.ofSeconds(5)), ranks.describeAlive());
    }
}
