package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The hang report's summary: who waits for whom, and wait-for cycles. */
class HangReportTest {
    private static String recv(int from, int tag) {
        return "thread \"main\" blocked in recv on world: waits for a message from rank " + from + " with tag " + tag + ", up to 8 bytes";
    }

    private static String barrier(int from) {
        return "thread \"main\" blocked in barrier on world: waits for a message from rank " + from
                + " (collective #1, message round 0), up to 0 bytes";
    }

    @Test
    void twoRanksReceivingFirstAreADeadlock() {
        List<String> s = HangReport.summary(List.of(List.of(recv(1, 7)), List.of(recv(0, 7)), List.of(barrier(0))));
        assertEquals(List.of("  summary:",
                "    rank 0 waits for rank 1 (recv on world, tag 7)",
                "    rank 1 waits for rank 0 (recv on world, tag 7)",
                "    rank 2 waits for rank 0 in barrier on world",
                "    DEADLOCK: rank 0 -> rank 1 -> rank 0: each waits for the next, none can proceed"), s);
    }

    @Test
    void waitingForAComputingRankIsNoDeadlock() {
        List<String> s = HangReport.summary(List.of(List.of(barrier(1)),
                List.of("not blocked in jmpi (computing, or waiting outside jmpi)"), List.of(barrier(1))));
        assertEquals(List.of("  summary:",
                "    rank 0 waits for rank 1 in barrier on world",
                "    rank 1 is not blocked in jmpi (computing, or waiting outside jmpi)",
                "    rank 2 waits for rank 1 in barrier on world"), s);
    }

    @Test
    void sendsWaitingForAReceiverAndLongerCyclesAreFound() {
        String ssend = "thread \"main\" blocked in ssend on world with tag 3, 8 bytes: waits for rank 2 to post the matching receive";
        List<String> s = HangReport.summary(List.of(List.of(recv(1, 1)), List.of(ssend), List.of(recv(0, 5))));
        assertEquals("    rank 1 waits for rank 2 (ssend on world, tag 3)", s.get(2));
        assertEquals("    DEADLOCK: rank 0 -> rank 1 -> rank 2 -> rank 0: each waits for the next, none can proceed", s.get(4));
    }

    @Test
    void cyclesOnlyAmongBlockedRanks() {
        assertNull(HangReport.findCycle(List.of(Set.of(1), Set.of(0)), new boolean[]{true, false}));
        assertEquals(List.of(1, 2), HangReport.findCycle(List.of(Set.of(1), Set.of(2), Set.of(1)), new boolean[]{true, true, true}));
    }
}
