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

    @Test
    void aRemoteRankIsNamedWithItsHostAndRemotePid() {
        JobState s = started(3);
        s.remote(2, "h3");
        s.apply(new JobEvent.Located(2, "h3", 4242), 0);
        s.apply(new JobEvent.Exited(2, 137), 0);
        assertEquals("rank 2 on h3 (pid 4242) failed: exited with code 137 (killed by signal 9?)", s.evaluate(0).message());
    }

    @Test
    void aRemoteShellFailureIsSaidSo() {
        JobState s = started(2);
        s.remote(1, "h2");
        s.apply(new JobEvent.Exited(1, 255), 0);
        JobState.Outcome o = s.evaluate(0);
        assertEquals(255, o.exitCode());
        assertEquals("rank 1 on h2 (pid 101) failed: the remote shell exited with code 255 (host unreachable, login "
                + "refused, or connection lost)", o.message());
    }

    private static JobState external(int n) {
        return new JobState(n, null).external("srun");
    }

    @Test
    void externallyStartedRanksSucceedOnceAllSaidByeAndTheLauncherExitedZero() {
        JobState s = external(2);
        for (int r = 0; r < 2; r++) {
            s.apply(new JobEvent.Connected(r), 0);
            s.apply(new JobEvent.EndpointIn(r), 0);
            s.apply(new JobEvent.Bye(r), 10);
            s.apply(new JobEvent.ControlClosed(r), 10);
        }
        assertNull(s.evaluate(20), "srun still runs");
        s.apply(new JobEvent.LauncherExited(0), 30);
        assertTrue(s.evaluate(30).ok());
    }

    @Test
    void srunsReportOfAFailedTaskNamesRankNodeAndCode() {
        JobState s = external(4);
        for (int r = 0; r < 4; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.Located(3, "10.0.0.2", -1), 0);
        s.apply(new JobEvent.Located(3, null, 777), 0);
        s.apply(new JobEvent.ControlClosed(3), 100);
        s.apply(new JobEvent.Located(3, "n2", -1), 150);
        s.apply(new JobEvent.Exited(3, 7), 150);
        JobState.Outcome o = s.evaluate(150);
        assertEquals(7, o.exitCode());
        assertEquals("rank 3 on n2 (pid 777) failed: exited with code 7", o.message());
    }

    @Test
    void aLauncherThatExitsNonZeroBlamesTheFirstRankThatHungUp() {
        JobState s = external(3);
        for (int r = 0; r < 3; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.ControlClosed(2), 100);
        s.apply(new JobEvent.ControlClosed(0), 300);
        s.apply(new JobEvent.LauncherExited(7), 400);
        assertNull(s.evaluate(400), "other control lines may still come");
        JobState.Outcome o = s.evaluate(100 + JobState.EXIT_SETTLE_MILLIS + 400);
        assertEquals(7, o.exitCode());
        assertEquals("rank 2 failed: closed its control connection without BYE; srun exited with code 7", o.message());
    }

    @Test
    void aLauncherThatStartsNoRankFailsTheJob() {
        JobState s = external(2);
        s.apply(new JobEvent.LauncherExited(1), 0);
        JobState.Outcome o = s.evaluate(JobState.EXIT_SETTLE_MILLIS);
        assertEquals(1, o.exitCode());
        assertEquals(-1, o.rank());
        assertEquals("srun exited with code 1 before any rank connected to the launcher", o.message());
        JobState zero = external(2);
        zero.apply(new JobEvent.Connected(0), 0);
        zero.apply(new JobEvent.Bye(0), 0);
        zero.apply(new JobEvent.ControlClosed(0), 0);
        zero.apply(new JobEvent.LauncherExited(0), 0);
        assertEquals("rank 1 failed: never connected to the launcher; srun exited with code 0",
                zero.evaluate(JobState.EXIT_SETTLE_MILLIS).message());
    }

    @Test
    void theFirstRankToFailIsNamedNotTheOnesThatLostIt() {
        // srun reports the ranks that died of the lost peer (exit 1) before the one that failed (exit 7)
        JobState s = external(4);
        for (int r = 0; r < 4; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.ControlClosed(3), 100);
        s.apply(new JobEvent.ControlClosed(0), 150);
        s.apply(new JobEvent.ControlClosed(1), 160);
        s.apply(new JobEvent.Exited(0, 1), 300);
        s.apply(new JobEvent.Exited(1, 1), 300);
        assertNull(s.evaluate(300), "rank 3 hung up first; its exit is still to come");
        s.apply(new JobEvent.Located(3, "n2", -1), 320);
        s.apply(new JobEvent.Exited(3, 7), 320);
        JobState.Outcome o = s.evaluate(320);
        assertEquals(7, o.exitCode());
        assertEquals("rank 3 on n2 failed: exited with code 7", o.message());
    }

    @Test
    void theWaitForAnEarlierFailureIsBounded() {
        JobState s = started(3);
        for (int r = 0; r < 3; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.ControlClosed(2), 100);  // rank 2 hung up but its process is not reported gone
        s.apply(new JobEvent.ControlClosed(0), 120);
        s.apply(new JobEvent.Exited(0, 1), 130);
        assertNull(s.evaluate(130));
        JobState.Outcome o = s.evaluate(100 + JobState.CLOSE_GRACE_MILLIS);
        assertEquals(2, o.rank());
        assertEquals("rank 2 (pid 102) failed: closed its control connection without BYE", o.message());
    }

    @Test
    void aRankThatReportsLosingAPeerIsNamedAfterThatPeerEvenWhenHeardFirst() {
        JobState s = started(4);
        for (int r = 0; r < 4; r++) s.apply(new JobEvent.Connected(r), 0);
        // rank 1 saw rank 2's connection reset and said so before the launcher saw rank 2's control connection close
        s.apply(new JobEvent.Failed(1, io.jmpi.bootstrap.ControlProtocol.lostPeer(2, "Connection reset")), 100);
        s.apply(new JobEvent.ControlClosed(1), 101);
        s.apply(new JobEvent.Exited(1, 1), 101);
        s.apply(new JobEvent.ControlClosed(2), 105);
        s.apply(new JobEvent.Exited(2, 137), 106);
        JobState.Outcome o = s.evaluate(700);
        assertEquals(2, o.rank(), o.message());
        assertEquals(137, o.exitCode());
    }

    @Test
    void aChainOfLostPeersNamesTheRankAtItsStart() {
        // FaultInjectionIT, session 6: rank 1 was killed; rank 2 lost it and exited, rank 0 lost rank 2, and both said
        // so before the launcher saw rank 1 go
        JobState s = started(4);
        for (int r = 0; r < 4; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.Failed(2, io.jmpi.bootstrap.ControlProtocol.lostPeer(1, "connection closed by rank 1")), 100);
        s.apply(new JobEvent.ControlClosed(2), 101);
        s.apply(new JobEvent.Exited(2, 1), 101);
        s.apply(new JobEvent.Failed(0, io.jmpi.bootstrap.ControlProtocol.lostPeer(2, "connection closed by rank 2")), 102);
        s.apply(new JobEvent.ControlClosed(0), 102);
        s.apply(new JobEvent.Exited(0, 1), 103);
        assertNull(s.evaluate(110), "rank 1's death, at the start of the chain, may not have been seen yet");
        s.apply(new JobEvent.ControlClosed(1), 115);
        s.apply(new JobEvent.Exited(1, 137), 116);
        JobState.Outcome o = s.evaluate(700);
        assertEquals(1, o.rank(), o.message());
        assertEquals(137, o.exitCode());
    }

    @Test
    void twoRanksThatEachLostTheOtherDoNotLoop() {
        JobState s = started(3);
        for (int r = 0; r < 3; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.Failed(0, io.jmpi.bootstrap.ControlProtocol.lostPeer(1, "Connection reset")), 100);
        s.apply(new JobEvent.Failed(1, io.jmpi.bootstrap.ControlProtocol.lostPeer(0, "Connection reset")), 101);
        s.apply(new JobEvent.ControlClosed(0), 102);
        s.apply(new JobEvent.ControlClosed(1), 103);
        s.apply(new JobEvent.Exited(0, 1), 104);
        s.apply(new JobEvent.Exited(1, 1), 104);
        JobState.Outcome o = s.evaluate(700);
        assertEquals(0, o.rank(), "the first to hang up is named: " + o.message());
    }

    @Test
    void aLostPeerReportWaitsBrieflyForThePeersDeathToShow() {
        JobState s = started(3);
        for (int r = 0; r < 3; r++) s.apply(new JobEvent.Connected(r), 0);
        s.apply(new JobEvent.Failed(0, io.jmpi.bootstrap.ControlProtocol.lostPeer(1, "Connection reset")), 100);
        s.apply(new JobEvent.ControlClosed(0), 100);
        s.apply(new JobEvent.Exited(0, 1), 100);
        assertNull(s.evaluate(150), "rank 1's death may not have been seen yet");
        JobState.Outcome o = s.evaluate(100 + JobState.EXIT_SETTLE_MILLIS);
        assertEquals(0, o.rank(), "rank 1 still looks alive: the reporter is named, with what it reported");
        assertTrue(o.message().contains("it reported: lost rank 1: Connection reset"), o.message());
    }

    @Test
    void lostPeerReasonsRoundTrip() {
        assertEquals(7, io.jmpi.bootstrap.ControlProtocol.lostPeerOf(io.jmpi.bootstrap.ControlProtocol.lostPeer(7, "x: y")));
        assertEquals(-1, io.jmpi.bootstrap.ControlProtocol.lostPeerOf("uncaught java.lang.Error: lost rank 3: no"));
        assertEquals(-1, io.jmpi.bootstrap.ControlProtocol.lostPeerOf("lost rank x: y"));
        assertEquals(-1, io.jmpi.bootstrap.ControlProtocol.lostPeerOf(null));
    }
}
