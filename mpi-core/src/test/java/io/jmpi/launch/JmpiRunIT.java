package io.jmpi.launch;

import io.jmpi.launch.testapps.ExchangeApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jmpirun run in-process ({@link JmpiRun#run}) on real rank JVMs that only use the bootstrap
 * ({@link ExchangeApp}). Each test checks the exit code, the launcher's message, and that no rank JVM is left.
 */
@Timeout(60)
class JmpiRunIT {
    private static final long MAX_FAILURE_TO_EXIT_MILLIS = 4000;
    private final RankJvms ranks = new RankJvms();

    @AfterEach
    void noRankSurvivesATest() {
        ranks.killAll(); // only does something when a test failed half-way
    }

    /** Options given to every job before the test's own ({@link JmpiRunAgentIT}: the launch agent). */
    List<String> launcherOptions() {
        return List.of();
    }

    private InProcessJmpirun.Result job(String... options) {
        List<String> args = new ArrayList<>(launcherOptions());
        args.addAll(Arrays.asList(options));
        int program = args.indexOf("--");
        args.remove(program);
        args.addAll(program, List.of(ranks.jvmArgs(), "-cp", System.getProperty("java.class.path"),
                ExchangeApp.class.getName()));
        return InProcessJmpirun.run(args.toArray(new String[0]));
    }

    private void assertNothingLeft(InProcessJmpirun.Result r) {
        assertTrue(ranks.alive().isEmpty(), "rank JVMs left behind:\n" + ranks.describeAlive() + "\n" + r.err());
    }

    /** Milliseconds from the failing rank's "failing at" line to now (the launcher just returned). */
    private static long sinceFailure(InProcessJmpirun.Result r) {
        Matcher m = Pattern.compile("failing at (\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        long ms = System.currentTimeMillis() - Long.parseLong(m.group(1));
        System.out.println("JmpiRunIT: rank failure to launcher exit: " + ms + " ms");
        return ms;
    }

    @Test
    void fourRanksExitingCleanlyEndTheJobWithZeroAndTaggedOutput() {
        long t0 = System.nanoTime();
        InProcessJmpirun.Result r = job("-np", "4", "--tag-output", "--", "ok");
        System.out.println("JmpiRunIT: 4-rank job took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        for (int rank = 0; rank < 4; rank++) {
            assertTrue(r.out().contains("[" + rank + "] ready " + rank + " of 4\n"), r.out());
            assertTrue(r.out().contains("[" + rank + "] hello from rank " + rank + " on 127.0.0.1\n"), r.out());
            assertTrue(r.err().contains("[" + rank + "] stderr of rank " + rank + "\n"), r.err());
        }
        assertTrue(r.out().lines().allMatch(l -> l.matches("\\[[0-3]] (ready|hello) .*")), r.out());
        assertTrue(r.err().lines().allMatch(l -> l.matches("\\[[0-3]] stderr of rank [0-3]")), r.err());
        assertNothingLeft(r);
    }

    @Test
    void aRankExitingNonZeroEndsTheJobWithItsCode() {
        InProcessJmpirun.Result r = job("-np", "4", "--", "exit", "2", "3");
        assertTrue(sinceFailure(r) < MAX_FAILURE_TO_EXIT_MILLIS);
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().matches("(?s)(.*\\n)?jmpirun: rank 2 \\(pid \\d+\\) failed: exited with code 3\\n"), r.err());
        assertNothingLeft(r);
    }

    @Test
    void anUncaughtExceptionIsReportedWithItsReason() {
        InProcessJmpirun.Result r = job("-np", "3", "--", "throw", "1");
        assertTrue(sinceFailure(r) < MAX_FAILURE_TO_EXIT_MILLIS);
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("Exception in thread \"main\" java.lang.IllegalStateException: boom from rank 1"),
                r.err());
        assertTrue(r.err().matches("(?s).*\\njmpirun: rank 1 \\(pid \\d+\\) failed: exited with code 1; it reported: "
                + "uncaught java.lang.IllegalStateException: boom from rank 1 in thread \"main\"\\n"), r.err());
        assertNothingLeft(r);
    }

    @Test
    void theTimeoutEndsAHangingJob() {
        long t0 = System.nanoTime();
        InProcessJmpirun.Result r = job("-np", "2", "--timeout", "2", "--", "sleep");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("JmpiRunIT: --timeout 2 job ended after " + ms + " ms");
        assertEquals(ExitCodes.TIMEOUT, r.code(), r.err());
        assertTrue(r.err().endsWith("jmpirun: job exceeded --timeout 2 s; stopped 2 ranks\n"), r.err());
        assertTrue(ms >= 2000 && ms < 8000, ms + " ms");
        assertNothingLeft(r);
    }

    @Test
    void abortEndsTheJobWithTheAbortCode() {
        InProcessJmpirun.Result r = job("-np", "3", "--", "abort", "1", "7");
        assertTrue(sinceFailure(r) < MAX_FAILURE_TO_EXIT_MILLIS);
        assertEquals(7, r.code(), r.err());
        assertTrue(r.err().matches("(?s)(.*\\n)?jmpirun: rank 1 \\(pid \\d+\\) called abort with code 7: rank 1 gives up\\n"),
                r.err());
        assertNothingLeft(r);
    }
}
