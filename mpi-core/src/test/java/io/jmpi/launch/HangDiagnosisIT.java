package io.jmpi.launch;

import io.jmpi.launch.testapps.HangApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's hang diagnosis on real rank JVMs ({@link HangApp}): at {@code --timeout} and at
 * {@code --diagnose-after} every rank says what it is blocked in, and the summary names who waits for whom and the
 * deadlock cycle.
 */
@Timeout(120)
class HangDiagnosisIT {
    private final RankJvms ranks = new RankJvms();

    @AfterEach
    void noRankSurvivesATest() {
        ranks.killAll();
    }

    private InProcessJmpirun.Result job(List<String> options, String mode) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of(ranks.jvmArgs(), "-cp", System.getProperty("java.class.path"), HangApp.class.getName(), mode));
        return InProcessJmpirun.run(args.toArray(new String[0]));
    }

    /** How many hang diagnoses jmpirun printed (each begins with this stable header). */
    private static long diagnoses(String err) {
        return err.lines().filter(l -> l.startsWith("jmpirun: hang diagnosis (")).count();
    }

    private static void assertHas(String text, String regex) {
        assertTrue(Pattern.compile(regex, Pattern.MULTILINE).matcher(text).find(), "missing /" + regex + "/ in:\n" + text);
    }

    @Test
    void theClassicDeadlockIsNamedAtTheTimeout() {
        InProcessJmpirun.Result r = job(List.of("-np", "3", "--timeout", "4"), "recv-first");
        assertEquals(ExitCodes.TIMEOUT, r.code(), r.err());
        String e = r.err();
        // the exit code and the process table are the state; the diagnosis itself is only text, so only its
        // stable markers are checked: one diagnosis, the wait-for edges of the summary and the cycle found in them
        assertEquals(1, diagnoses(e), e);
        assertHas(e, "^jmpirun:     rank 0 waits for rank 1 \\(recv on WORLD, tag 7\\)$");
        assertHas(e, "^jmpirun:     rank 1 waits for rank 0 \\(recv on WORLD, tag 7\\)$");
        assertHas(e, "^jmpirun:     rank 2 waits for rank \\d in barrier on WORLD$");
        assertHas(e, "^jmpirun:     DEADLOCK: rank 0 -> rank 1 -> rank 0:");
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    @Test
    void aRankWaitingForOneInABarrierIsSaidSoAndTheJobGoesOnAfterADiagnosis() {
        InProcessJmpirun.Result r = job(List.of("-np", "4", "--diagnose-after", "3", "--timeout", "8"), "barrier");
        assertEquals(ExitCodes.TIMEOUT, r.code(), r.err());
        String e = r.err();
        assertHas(e, "^jmpirun:     rank 2 waits for rank 3 \\(recv on WORLD, tag 7\\)$");
        assertHas(e, "^jmpirun:     rank 3 waits for rank \\d in barrier on WORLD$");
        assertEquals(2, diagnoses(e), e); // after 3 s, and at the timeout
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    @Test
    void aRankComputingOutsideJmpiIsSaidSo() {
        InProcessJmpirun.Result r = job(List.of("-np", "3", "--timeout", "4"), "compute");
        assertEquals(ExitCodes.TIMEOUT, r.code(), r.err());
        assertHas(r.err(), "^jmpirun:     rank 1 is not blocked in jmpi \\(computing, or waiting outside jmpi\\)$");
        assertHas(r.err(), "^jmpirun:     rank 0 waits for rank \\d in barrier on WORLD$");
        assertFalse(r.err().contains("DEADLOCK"), r.err()); // waiting for a computing rank is no deadlock
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }
}
