package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's end-of-job rules, with a hand-driven clock. */
class JobStateTest {
    private static JobState started(int n) {
        JobState s = new JobState(n, null);
        for (int r = 0; r < n; r++) s.started(r, 100 + r);
        return s;
    }

    /** Connected, published, said BYE, closed, exited 0: a rank that did everything right. */
    private static void clean(JobState s, int r, long t) {
        s.apply(new JobEvent.Connected(r), t);
        s.apply(new JobEvent.EndpointIn(r), t);
        s.apply(new JobEvent.Bye(r), t);
        s.apply(new JobEvent.ControlClosed(r), t);
        s.apply(new JobEvent.Exited(r, 0), t);
    }

    @Test
    void everyRankExitingCleanlyIsSuccess() {
        JobState s = started(3);
        clean(s, 0, 0);
        clean(s, 1, 0);
        assertNull(s.evaluate(10), "rank 2 still runs");
        clean(s, 2, 20);
        JobState.Outcome o = s.evaluate(20);
        assertTrue(o.ok());
        assertEquals(ExitCodes.OK, o.exitCode());
    }

    @Test
    void nonZeroExitFailsTheJobWithThatCode() {
        JobState s = started(4);
        s.apply(new JobEvent.Exited(2, 3), 0); // never connected: no control lines to wait for
        JobState.Outcome o = s.evaluate(0);
        assertEquals(3, o.exitCode());
        assertEquals(2, o.rank());
        assertEquals("rank 2 (pid 102) failed: exited with code 3", o.message());
    }

    @Test
    void anExitWaitsBrieflyForTheLastControlLinesSoTheReasonIsKnown() {
        JobState s = started(2);
        s.apply(new JobEvent.Connected(1), 0);
        s.apply(new JobEvent.Exited(1, 1), 100);
        assertNull(s.evaluate(150), "the control connection is still open: its FAIL may be in flight");
        s.apply(new JobEvent.Failed(1, "uncaught java.lang.IllegalStateException: boom"), 160);
        s.apply(new JobEvent.ControlClosed(1), 160);
        assertEquals("rank 1 (pid 101) failed: exited with code 1; it reported: uncaught "
                + "java.lang.IllegalStateException: boom", s.evaluate(160).message());
    }

    @Test
    void theWaitForControlLinesIsBounded() {
        JobState s = started(2);
        s.apply(new JobEvent.Connected(0), 0);
        s.apply(new JobEvent.Exited(0, 9), 0);
        assertNull(s.evaluate(JobState.EXIT_SETTLE_MILLIS - 1));
        assertEquals(9, s.evaluate(JobState.EXIT_SETTLE_MILLIS).exitCode());
    }

    @Test
    void abortEndsTheJobAtOnceWithItsCode() {
        JobState s = started(3);
        s.apply(new JobEvent.Aborted(1, 42, "no convergence"), 0);
        JobState.Outcome o = s.evaluate(0);
        assertEquals(42, o.exitCode());
        assertEquals("rank 1 (pid 101) called abort with code 42: no convergence", o.message());
    }

    @Test
    void abortCodesThatCannotBeExitCodesStillFail() {
        assertEquals(ExitCodes.RANK_FAILED, ExitCodes.forAbort(0));
        assertEquals(ExitCodes.RANK_FAILED, ExitCodes.forAbort(256));
        assertEquals(ExitCodes.RANK_FAILED, ExitCodes.forAbort(-1));
        assertEquals(255, ExitCodes.forAbort(255));
    }

    @Test
    void exitZeroWithoutByeWhileOthersRunIsAFailure() {
        JobState s = started(2);
        s.apply(new JobEvent.Connected(0), 0);
        s.apply(new JobEvent.EndpointIn(0), 0);
        s.apply(new JobEvent.ControlClosed(0), 0);
        s.apply(new JobEvent.Exited(0, 0), 0);
        JobState.Outcome o = s.evaluate(0);
        assertEquals(ExitCodes.RANK_FAILED, o.exitCode());
        assertEquals("rank 0 (pid 100) failed: exited with code 0 without closing jmpi (no BYE) while other ranks "
                + "still run", o.message());
    }

    @Test
    void exitZeroWithoutByeAsTheLastRankIsFine() {
        JobState s = started(2);
        clean(s, 1, 0);
        s.apply(new JobEvent.Connected(0), 0);
        s.apply(new JobEvent.EndpointIn(0), 0);
        s.apply(new JobEvent.ControlClosed(0), 5);
        s.apply(new JobEvent.Exited(0, 0), 5);
        assertTrue(s.evaluate(5).ok());
    }

    @Test
    void programsThatNeverJoinAreFineWhenNobodyWaitsForThem() {
        JobState s = started(2);
        s.apply(new JobEvent.Exited(0, 0), 0);
        assertNull(s.evaluate(0));
        s.apply(new JobEvent.Exited(1, 0), 1);
        assertTrue(s.evaluate(1).ok());
    }

    @Test
    void exitZeroBeforeTheRendezvousFailsOnceAnotherRankWaits() {
        JobState s = started(2);
        s.apply(new JobEvent.Exited(0, 0), 0);
        assertNull(s.evaluate(0));
        s.apply(new JobEvent.Connected(1), 10);
        s.apply(new JobEvent.EndpointIn(1), 10);
        JobState.Outcome o = s.evaluate(10);
        assertEquals("rank 0 (pid 100) failed: exited with code 0 before joining the rendezvous; the other ranks "
                + "would wait for it forever", o.message());
    }

    @Test
    void aReportedFailureWithoutExitFailsAfterTheGrace() {
        JobState s = started(2);
        s.apply(new JobEvent.Connected(0), 0);
        s.apply(new JobEvent.Failed(0, "lost peer 1"), 0);
        assertNull(s.evaluate(JobState.FAIL_GRACE_MILLIS - 1));
        assertEquals("rank 0 (pid 100) failed: reported a failure and did not exit within 2 s; it reported: lost peer 1",
                s.evaluate(JobState.FAIL_GRACE_MILLIS).message());
    }

    @Test
    void aDroppedControlConnectionFailsTheRankAfterTheGrace() {
        JobState s = started(2);
        s.apply(new JobEvent.Connected(1), 0);
        s.apply(new JobEvent.ControlClosed(1), 0);
        assertNull(s.evaluate(JobState.CLOSE_GRACE_MILLIS - 1));
        JobState.Outcome o = s.evaluate(JobState.CLOSE_GRACE_MILLIS);
        assertEquals(ExitCodes.RANK_FAILED, o.exitCode());
        assertEquals("rank 1 (pid 101) failed: closed its control connection without BYE", o.message());
    }

    @Test
    void signalsAreNamedAsTheLikelyCause() {
        assertEquals("exited with code 137 (killed by signal 9?)", JobState.exitText(137));
        assertEquals("exited with code 3", JobState.exitText(3));
    }

    @Test
    void aSingleProcessJobIsNamedAsSuch() {
        JobState s = new JobState(1, "the local job");
        s.started(0, 55);
        s.apply(new JobEvent.Exited(0, 4), 0);
        assertEquals("the local job (pid 55) failed: exited with code 4", s.evaluate(0).message());
    }
}
