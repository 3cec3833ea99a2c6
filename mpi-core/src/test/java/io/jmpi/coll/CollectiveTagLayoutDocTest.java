package io.jmpi.coll;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/COLLECTIVES.md states the collective tag layout that {@link Schedule} uses. */
class CollectiveTagLayoutDocTest {
    private static final Path DOC = Path.of("..", "docs", "COLLECTIVES.md"); // tests run in mpi-core/

    @Test
    void scheduleComposesTagsAsItsConstantsSay() {
        int seqShift = Schedule.ROUND_BITS + Schedule.SIG_BITS;
        assertEquals(31, seqShift + Schedule.SEQ_BITS, "the three fields fill a non-negative int");
        assertEquals((1 << Schedule.ROUND_BITS) - 1, Schedule.MAX_TAG_ROUND);
        assertEquals(Schedule.MAX_TAG_ROUND, Schedule.tag(0, 0, -1), "round in the low bits");
        assertEquals(1, Schedule.tag(0, 0, Schedule.MAX_TAG_ROUND + 2), "round mod 2^ROUND_BITS");
        assertEquals(1 << Schedule.ROUND_BITS, Schedule.tag(0, 1, 0), "signature above the round");
        assertEquals(0, Schedule.tag(0, 1 << Schedule.SIG_BITS, 0), "signature has SIG_BITS bits");
        assertEquals(1 << seqShift, Schedule.tag(1, 0, 0), "sequence above the signature");
        assertEquals(0, Schedule.tag(1 << Schedule.SEQ_BITS, 0, 0), "sequence mod 2^SEQ_BITS");
        assertEquals(Integer.MAX_VALUE, Schedule.tag(-1, -1, -1), "every field full: the largest tag, never negative");
    }

    @Test
    void docStatesTheLayout() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int r = Schedule.ROUND_BITS, s = Schedule.SIG_BITS, q = Schedule.SEQ_BITS;
        String formula = "`(sequence mod 2^" + q + ") << " + (r + s) + " | signature << " + r + " | (round mod 2^" + r + ")`";
        assertContains(doc, formula);
        assertContains(doc, "| 0–" + (r - 1) + " | round | " + r + " (`ROUND_BITS`) | ");
        assertContains(doc, "(`Schedule.MAX_TAG_ROUND` = " + Schedule.MAX_TAG_ROUND + ";");
        assertContains(doc, "| " + r + "–" + (r + s - 1) + " | signature | " + s + " (`SIG_BITS`) | ");
        assertContains(doc, "| " + (r + s) + "–30 | sequence | " + q + " (`SEQ_BITS` = 31 − " + r + " − " + s + ") | ");
        assertContains(doc, "mod " + (1 << q) + " |");
    }

    private static void assertContains(String doc, String expected) {
        assertTrue(doc.contains(expected), "docs/COLLECTIVES.md (section Schedules, Tags) should say, as "
                + "io.jmpi.coll.Schedule does: " + expected);
    }
}
