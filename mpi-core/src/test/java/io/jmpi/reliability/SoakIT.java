package io.jmpi.reliability;

import io.jmpi.reliability.apps.SoakApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short soak of CI: 8 rank JVMs, 2 sending and 2 receiving threads each, 5 communicators, randomized traffic
 * from 0 B to 8 MiB ({@link SoakApp}) for a few seconds over TCP and over shared memory: nothing lost, duplicated,
 * corrupted or reordered, and nothing left behind. The seed is random and printed; {@code -Dsoak.seed=N} replays a
 * run, {@code -Dsoak.seconds=S} lengthens it. The long soak is {@code bin/soak} (docs/RELIABILITY.md).
 */
@Timeout(120)
class SoakIT {
    private static final Pattern TOTALS = Pattern.compile(
            "soak: messages=(\\d+) bytes=(\\d+) lost=(\\d+) duplicated=(\\d+) corrupted=(\\d+) reordered=(\\d+) .*");
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path shmDir;

    @AfterEach
    void nothingSurvives() {
        ranks.killAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "shm"})
    void eightRanksExchangeRandomTrafficWithoutLoss(String transport) throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime() & 0xFFFFFF);
        String seconds = System.getProperty("soak.seconds", "7");
        List<String> args = new ArrayList<>(List.of("-np", "8", "--transport", transport, "-D", "shmDir=" + shmDir,
                "--timeout", String.valueOf(60 + 2 * (int) Double.parseDouble(seconds)),
                "--jvm-args=" + ranks.jvmOptions("-Xmx320m"), "-cp", System.getProperty("java.class.path"),
                SoakApp.class.getName(), "--seconds", seconds, "--seed", String.valueOf(seed), "--round-timeout", "50"));
        long t0 = System.nanoTime();
        LauncherRun run = LauncherRun.start(args);
        int code = run.await(Duration.ofSeconds(110));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Matcher m = TOTALS.matcher(run.out.text());
        System.out.println("SoakIT[" + transport + ", seed " + seed + "] " + ms + " ms: "
                + (m.find() ? m.group() : "no totals\n" + run.describe()));
        assertEquals(0, code, run.describe());
        m.reset();
        assertTrue(m.find(), run.describe());
        assertTrue(Long.parseLong(m.group(1)) >= 1000, "too few messages: " + m.group());
        assertEquals("0 0 0 0", m.group(3) + " " + m.group(4) + " " + m.group(5) + " " + m.group(6), m.group());
        assertTrue(ranks.awaitNone(Duration.ofSeconds(5)), "rank JVMs left behind:\n" + ranks.describeAlive());
        assertEquals(List.of(), RankJvms.files(shmDir), "shared-memory files left behind");
    }
}
