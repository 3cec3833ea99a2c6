package io.jmpi.launch;

import io.jmpi.base.Platform;
import io.jmpi.launch.testapps.PortableApp;
import io.jmpi.testing.Await;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher as Windows and macOS users start it (issue 22): {@code java -jar mpi-core/target/jmpi.jar}, with a
 * PATH that holds nothing but {@code java} (no bash, ps, kill, setsid), an environment without JMPI_HOME or JAVA_HOME,
 * and the portable paths selected ({@code -D portable=true}: no /proc, segments and the host token in
 * java.io.tmpdir). Over the shared-memory transport ({@code --transport shm} fails at init unless every rank's
 * portable host identity agrees). Checks exit codes, per-rank output, failure, {@code --timeout}, and the shutdown
 * hook (SIGTERM to the launcher, as Ctrl-C), and that no rank JVM is left.
 */
@Timeout(120)
class PortableLauncherIT {
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path dir;
    private Path bin;
    private Path tmp;
    private Path jar;

    @BeforeEach
    void javaAlone() throws IOException {
        jar = Path.of(System.getProperty("jmpi.home"), "mpi-core", "target", "jmpi.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar + " (mvn package makes it)");
        bin = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        tmp = Files.createDirectories(dir.resolve("tmp"));
    }

    @AfterEach
    void noRankSurvives() {
        ranks.killAll(); // only does something when a test failed half-way
    }

    private record Result(int code, String out, String err) {
    }

    private ProcessBuilder launcher(String... appArgs) {
        List<String> cmd = new ArrayList<>(List.of("java", "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString(),
                "-np", "2", "--transport", "shm", "-D", "portable=true", "-D", "cds=false",
                "--jvm-args=" + ranks.jvmOptions("-Djava.io.tmpdir=" + tmp)));
        cmd.addAll(List.of(appArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", bin.toString());
        pb.environment().put("HOME", dir.toString());
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        return pb;
    }

    private List<String> program(String... args) {
        List<String> p = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), PortableApp.class.getName()));
        p.addAll(List.of(args));
        return p;
    }

    private Result run(String... args) throws Exception {
        Process p = launcher(args).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Result r = new Result(done ? p.exitValue() : -1, read("out.txt"), read("err.txt"));
        assertTrue(done, "launcher did not end: " + r);
        return r;
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
    }

    private List<String> leftoverSegments() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("jmpi-") && !n.equals("jmpi-host-token")).toList();
        }
    }

    @Test
    void aJobRunsWithJavaAloneOverSharedMemoryInTheTempDirectory() throws Exception {
        Result r = run(program("ring", "200").toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        String host = Platform.hostname(true);
        for (int rank = 0; rank < 2; rank++) {
            assertTrue(r.out().contains("portable " + rank + " of 2 host " + host + " shmDir " + tmp + "\n"), r.toString());
            assertTrue(r.out().contains("rank " + rank + " rounds 200 sum 1\n"), r.toString());
        }
        assertEquals(4, r.out().lines().count(), r.out());
        assertTrue(Files.isRegularFile(tmp.resolve("jmpi-host-token")), "the portable host identity's token");
        assertEquals(List.of(), leftoverSegments());
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    @Test
    void aFailingRanksExitCodeEndsTheJob() throws Exception {
        Result r = run(program("exit", "1", "3").toArray(new String[0]));
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("jmpirun: rank 1 (pid "), r.err());
        assertEquals(List.of(), leftoverSegments());
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    @Test
    void theTimeoutEndsAHangingJob() throws Exception {
        List<String> args = new ArrayList<>(List.of("--timeout", "3"));
        args.addAll(program("sleep"));
        Result r = run(args.toArray(new String[0]));
        assertEquals(ExitCodes.TIMEOUT, r.code(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("portable ")).count(), r.out());
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    /** SIGTERM to the launcher (what Ctrl-C amounts to): its shutdown hook stops every rank. */
    @Test
    void stoppingTheLauncherStopsTheRanks() throws Exception {
        Process p = launcher(program("sleep").toArray(new String[0])).start();
        p.getOutputStream().close();
        try {
            Await.until(() -> ranks.alive().size() == 2 && lines("out.txt") == 2, Duration.ofSeconds(60),
                    "2 ranks started and printed their line");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the launcher did not end after SIGTERM");
            Await.until(() -> ranks.alive().isEmpty(), Duration.ofSeconds(10), "no rank left");
            assertFalse(p.isAlive());
        } finally {
            p.destroyForcibly();
        }
    }

    private long lines(String name) {
        try {
            return read(name).lines().count();
        } catch (IOException e) {
            return 0;
        }
    }
}
