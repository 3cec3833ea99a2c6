package io.jmpi.reliability;

import io.jmpi.reliability.apps.SharedWindowApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared-memory windows across rank JVMs of one host ({@link SharedWindowApp}): loads and stores of one process are
 * seen by the others, over the shm transport and over tcp (the window's segments are mapped files either way), and
 * no segment file is left behind.
 */
@Timeout(120)
class SharedWindowIT {
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path shmDir;

    @AfterEach
    void nothingSurvives() {
        ranks.killAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "shm"})
    void storesOfOneJvmAreLoadsOfTheOthers(String transport) throws Exception {
        List<String> args = List.of("-np", "3", "--transport", transport, "-D", "shmDir=" + shmDir, "--timeout", "90",
                "--jvm-args=" + ranks.jvmOptions(""), "-cp", System.getProperty("java.class.path"),
                SharedWindowApp.class.getName());
        LauncherRun run = LauncherRun.start(args);
        int code = run.await(Duration.ofSeconds(100));
        assertEquals(0, code, run.describe());
        assertTrue(run.out.text().contains("shared ok ranks=3 sum=6"), run.describe());
        try (var files = Files.list(shmDir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(f -> f.contains("-w")).toList());
        }
    }
}
