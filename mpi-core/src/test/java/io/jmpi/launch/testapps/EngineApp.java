package io.jmpi.launch.testapps;

import io.jmpi.Mpi;
import io.jmpi.base.Config;
import io.jmpi.testing.Await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A rank program on the real engine, for launcher integration tests. Modes: {@code ring} (a token around the ring,
 * prints {@code ring ok}), {@code die-before-init R} (rank R halts before Mpi.init while the others are in it).
 */
public final class EngineApp {
    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "ring";
        int rank = Integer.parseInt(System.getenv().getOrDefault("JMPI_RANK", "0"));
        if (mode.equals("die-before-init") && rank == Integer.parseInt(args[1])) {
            // the others have created their segments and wait in the exchange: there is something to clean up
            int size = Integer.parseInt(System.getenv().getOrDefault("JMPI_SIZE", "1"));
            Path dir = io.jmpi.base.Platform.shmDir(Config.fromEnvironment());
            Await.until(() -> segments(dir) >= size - 1, Duration.ofSeconds(30), (size - 1) + " segments in " + dir);
            Runtime.getRuntime().halt(9);
        }
        try (Mpi mpi = Mpi.init(args)) {
            ClusterApp.ring(mpi.world());
        }
    }

    /** Segment files of this test's job (the test gives the job a directory of its own). */
    private static long segments(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("jmpi-")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
