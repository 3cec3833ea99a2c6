package io.jmpi.launch;

import io.jmpi.launch.testapps.HangApp;
import io.jmpi.testing.Await;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jmpirun --diagnose PID} on a running job ({@link ControlSocket}): a second jmpirun asks the first for a hang
 * diagnosis at any moment and prints it; the job goes on; the control socket goes when the job ends.
 */
@Timeout(120)
class DiagnoseOnDemandIT {
    private final RankJvms ranks = new RankJvms();
    private Process launcher;

    @AfterEach
    void cleanUp() {
        if (launcher != null) launcher.destroyForcibly();
        ranks.killAll();
    }

    @Test
    void aSecondJmpirunGetsTheDiagnosisOfARunningJob() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(script().toString(), "-np", "3", ranks.jvmArgs(),
                "-cp", System.getProperty("java.class.path"), HangApp.class.getName(), "recv-first");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        launcher = pb.start();
        launcher.getOutputStream().close();
        BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
        drain(launcher.getInputStream(), stdout::add);
        for (int i = 0; i < 3; i++) {
            String line = stdout.poll(30, TimeUnit.SECONDS);
            assertTrue(line != null && line.startsWith("ready "), "rank not ready: " + line);
        }
        long pid = launcher.pid(); // bin/jmpirun execs the launcher's JVM
        Path socket = ControlSocket.pathOf(pid);
        assertTrue(Files.exists(socket), "no control socket " + socket);

        // "ready" comes just before the ranks block: ask until every rank is seen blocked
        AtomicReference<String> report = new AtomicReference<>("");
        Await.until(() -> {
            report.set(diagnose(pid));
            return report.get().contains("DEADLOCK");
        }, Duration.ofSeconds(30), "a diagnosis naming the deadlock");
        List<String> lines = report.get().lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("jmpirun: hang diagnosis (requested by jmpirun --diagnose)")).count(),
                report.get());
        assertTrue(lines.contains("jmpirun:     rank 0 waits for rank 1 (recv on WORLD, tag 7)"), report.get());
        assertTrue(lines.contains("jmpirun:     rank 1 waits for rank 0 (recv on WORLD, tag 7)"), report.get());
        assertTrue(lines.stream().anyMatch(l -> l.matches("jmpirun:     rank 2 waits for rank \\d in barrier on WORLD")),
                report.get());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("jmpirun:     DEADLOCK: rank 0 -> rank 1 -> rank 0")),
                report.get());

        assertTrue(launcher.isAlive(), "the job goes on after a diagnosis");
        launcher.toHandle().destroy(); // SIGTERM: the launcher stops its ranks and removes its socket
        assertTrue(launcher.waitFor(15, TimeUnit.SECONDS));
        assertTrue(ranks.awaitNone(Duration.ofSeconds(10)), ranks.describeAlive());
        assertFalse(Files.exists(socket), "control socket left behind: " + socket);
    }

    @Test
    void askingAPidWithoutAJobSaysSo() throws Exception {
        Process p = new ProcessBuilder(script().toString(), "--diagnose", "1").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCodes.USAGE, p.exitValue(), out);
    }

    /** What {@code bin/jmpirun --diagnose PID} prints. */
    private static String diagnose(long pid) {
        try {
            Process p = new ProcessBuilder(script().toString(), "--diagnose", Long.toString(pid))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void drain(InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) sink.accept(line);
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private static Path script() {
        return ReadmeIT.home().resolve("bin/jmpirun");
    }
}
