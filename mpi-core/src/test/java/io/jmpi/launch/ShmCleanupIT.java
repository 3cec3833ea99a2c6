package io.jmpi.launch;

import io.jmpi.launch.testapps.EngineApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Shared-memory jobs of real JVMs leave nothing in the segment directory, however they end. */
@Timeout(60)
class ShmCleanupIT {
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path shmDir;

    @AfterEach
    void noRankSurvives() {
        ranks.killAll();
    }

    private InProcessJmpirun.Result job(int np, String... appArgs) {
        List<String> args = new java.util.ArrayList<>(List.of("-np", String.valueOf(np), "--transport", "shm",
                "-D", "shmDir=" + shmDir, ranks.jvmArgs(), "-cp", System.getProperty("java.class.path"), EngineApp.class.getName()));
        args.addAll(List.of(appArgs));
        return InProcessJmpirun.run(args.toArray(new String[0]));
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(shmDir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    @Test
    void aCleanJobLeavesNoSegment() throws IOException {
        InProcessJmpirun.Result r = job(4, "ring");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ring ok"), r.out());
        assertEquals(List.of(), leftovers());
        assertTrue(ranks.alive().isEmpty());
    }

    @Test
    void aRankDyingDuringStartUpLeavesNoSegment() throws IOException {
        InProcessJmpirun.Result r = job(3, "die-before-init", "2");
        // 9 is rank 2's own exit code, which it has only once the others' segments existed (EngineApp)
        assertEquals(9, r.code(), r.err());
        assertTrue(r.err().contains("rank 2"), r.err());
        assertEquals(List.of(), leftovers(), "segments left by a job whose rank died during start-up");
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }
}
