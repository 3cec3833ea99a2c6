package io.jmpi.reliability;

import io.jmpi.reliability.apps.LargeMessageApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2.5 GiB message ({@code long[]} of 335 544 320 elements) between two rank JVMs over tcp and over shared memory
 * ({@link LargeMessageApp}): every offset past 2^31 bytes is exercised on the real transports, and every element is
 * checked. 3 GiB of heap per rank with a small young generation (-Xmn64m), so the 2.5 GiB array fits the old one
 * of the serial collector the test JVMs use.
 */
@Timeout(300)
class LargeMessageIT {
    private static final Pattern OK = Pattern.compile("large ok bytes=(\\d+) count=(\\d+) send\\+recv=(\\d+) ms");
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path shmDir;

    @AfterEach
    void nothingSurvives() {
        ranks.killAll();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "shm"})
    void twoAndAHalfGiBBetweenTwoRanks(String transport) throws Exception {
        List<String> args = List.of("-np", "2", "--transport", transport, "-D", "shmDir=" + shmDir, "--timeout", "240",
                "--jvm-args=" + ranks.jvmOptions("-Xmx3g -Xmn64m"), "-cp", System.getProperty("java.class.path"),
                LargeMessageApp.class.getName());
        long t0 = System.nanoTime();
        LauncherRun run = LauncherRun.start(args);
        int code = run.await(Duration.ofSeconds(280));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Matcher m = OK.matcher(run.out.text());
        System.out.println("LargeMessageIT[" + transport + "] job " + ms + " ms: " + (m.find() ? m.group() : "no result"));
        assertEquals(0, code, run.describe());
        m.reset();
        assertTrue(m.find(), run.describe());
        assertEquals(8L * 335_544_320, Long.parseLong(m.group(1)));
        assertEquals(335_544_320L, Long.parseLong(m.group(2)));
    }
}
