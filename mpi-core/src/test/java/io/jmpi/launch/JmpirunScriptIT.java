package io.jmpi.launch;

import io.jmpi.launch.testapps.ExchangeApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/jmpirun} as a user runs it, in its own process: what happens to the ranks when the launcher is
 * signalled (SIGTERM: it stops them) or killed outright (SIGKILL: they notice and halt by themselves).
 */
@Timeout(60)
class JmpirunScriptIT {
    private final RankJvms ranks = new RankJvms();
    private final StringBuffer stderr = new StringBuffer();
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private Process launcher;
    private Thread stderrReader;

    @BeforeEach
    void startTwoSleepingRanks() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(script().toString(), "-np", "2", ranks.jvmArgs(),
                "-cp", System.getProperty("java.class.path"), ExchangeApp.class.getName(), "sleep");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        launcher = pb.start();
        launcher.getOutputStream().close();
        drain(launcher.getInputStream(), line -> stdout.add(line));
        stderrReader = drain(launcher.getErrorStream(), line -> stderr.append(line).append('\n'));
        for (int i = 0; i < 2; i++) {
            String line = stdout.poll(30, TimeUnit.SECONDS);
            assertTrue(line != null && line.startsWith("ready "), "rank not ready: " + line + "\n" + stderr);
        }
        assertEquals(2, ranks.alive().size(), ranks.describeAlive());
    }

    @AfterEach
    void cleanUp() {
        if (launcher != null) launcher.destroyForcibly();
        ranks.killAll();
    }

    @Test
    void sigtermToTheLauncherStopsEveryRank() throws Exception {
        // SIGTERM: the launcher's shutdown hook stops the ranks before it exits. Through the handle, because
        // Process.destroy() would also close our end of its pipes and lose its last words.
        launcher.toHandle().destroy();
        assertTrue(launcher.waitFor(15, TimeUnit.SECONDS), "launcher ended");
        assertNotEquals(0, launcher.exitValue());
        assertTrue(ranks.alive().isEmpty(), "ranks outlived their launcher:\n" + ranks.describeAlive());
        stderrReader.join(5000); // the launcher is gone; read its last words
        assertTrue(stderr.toString().contains("jmpirun: interrupted; stopped 2 ranks"),
                "exit " + launcher.exitValue() + ", stderr:\n" + stderr);
    }

    @Test
    void ranksHaltByThemselvesWhenTheLauncherIsKilled() throws Exception {
        long t0 = System.nanoTime();
        launcher.toHandle().destroyForcibly(); // SIGKILL: no hook runs; each rank sees its control connection end
        assertTrue(launcher.waitFor(15, TimeUnit.SECONDS));
        assertTrue(ranks.awaitNone(Duration.ofSeconds(10)), "ranks still alive:\n" + ranks.describeAlive());
        System.out.println("JmpirunScriptIT: ranks gone " + (System.nanoTime() - t0) / 1_000_000
                + " ms after SIGKILL of the launcher");
    }

    private static Thread drain(InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) sink.accept(line);
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** bin/jmpirun of this checkout: under {@code jmpi.home} (set by failsafe), else above the working directory. */
    private static Path script() {
        String home = System.getProperty("jmpi.home");
        for (Path p = Path.of(home != null ? home : "").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("bin/jmpirun");
            if (Files.isExecutable(s)) return s;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("bin/jmpirun");
            if (Files.isExecutable(s)) return s;
        }
        throw new AssertionError("bin/jmpirun not found above " + home + " or " + Path.of("").toAbsolutePath());
    }
}
