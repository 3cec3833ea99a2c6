package io.jmpi.launch;

import io.jmpi.launch.testapps.StaticsApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/jmpirun --transport local} as a user runs it: a program's statics are per rank (a class loader per rank
 * thread), so it prints what it prints with a JVM per rank ({@code --transport tcp}), tagged per rank by
 * {@code --tag-output} in both; and a rank's {@code System.exit(3)} ends the job with 3 either way.
 */
@Timeout(180)
class ThreadRanksIT {
    private final RankJvms ranks = new RankJvms();

    @AfterEach
    void cleanUp() {
        ranks.killAll();
    }

    @Test
    void staticsArePerRankAsWithAJvmPerRank() throws Exception {
        Run tcp = jmpirun("tcp");
        Run local = jmpirun("local");
        assertEquals(0, tcp.code, tcp.toString());
        assertEquals(0, local.code, local.toString());
        List<String> expected = new ArrayList<>();
        for (int r = 0; r < 4; r++) expected.add("[" + r + "] rank " + r + " counter 10 myRank " + r + " fresh true");
        assertEquals(expected, tcp.sortedOut(), tcp.toString());
        assertEquals(tcp.sortedOut(), local.sortedOut(), local.toString());
    }

    @Test
    void systemExitOfOneRankEndsTheJobWithItsCode() throws Exception {
        Run local = jmpirun("local", "exit", "2", "3");
        assertEquals(3, local.code, local.toString());
        Run tcp = jmpirun("tcp", "exit", "2", "3");
        assertEquals(3, tcp.code, tcp.toString());
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    private record Run(int code, List<String> out, String err) {
        List<String> sortedOut() {
            return out.stream().sorted().toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout:\n" + String.join("\n", out) + "\nstderr:\n" + err;
        }
    }

    private Run jmpirun(String transport, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(script().toString(), "-np", "4", "--transport", transport,
                "--tag-output", "--timeout", "90", ranks.jvmArgs(), "-cp", System.getProperty("java.class.path"),
                StaticsApp.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("threads-it", ".out"), err = Files.createTempFile("threads-it", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("jmpirun --transport " + transport + " did not end:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** bin/jmpirun of this checkout: under {@code jmpi.home} (set by failsafe), else above the working directory. */
    private static Path script() {
        String home = System.getProperty("jmpi.home");
        for (Path p = Path.of(home != null ? home : "").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("bin/jmpirun");
            if (Files.isExecutable(s)) return s;
        }
        throw new IllegalStateException("bin/jmpirun not found above " + Path.of("").toAbsolutePath());
    }
}
