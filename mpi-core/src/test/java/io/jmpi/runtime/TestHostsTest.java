package io.jmpi.runtime;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The test setting testHosts: one label per world rank, appended to the real host identity. */
class TestHostsTest {
    @Test
    void labelsMakeDistinctHostsAndEmptyKeepsTheRealOne() {
        assertEquals("boot", RankRuntime.testHost("boot", "", 1, 4));
        String a0 = RankRuntime.testHost("boot", "a,a,b", 0, 3);
        assertEquals(a0, RankRuntime.testHost("boot", "a,a,b", 1, 3));
        assertNotEquals(a0, RankRuntime.testHost("boot", "a,a,b", 2, 3));
        assertTrue(a0.startsWith("boot"));
    }

    /** Labels make hosts for transports and collectives, but the cores are the machine's: all its ranks count. */
    @Test
    void localRanksCountEveryLabelOfTheMachine() {
        io.jmpi.bootstrap.Endpoint[] table = new io.jmpi.bootstrap.Endpoint[5];
        for (int r = 0; r < 4; r++) {
            table[r] = new io.jmpi.bootstrap.Endpoint(r, "h", 0, RankRuntime.testHost("boot", "a,a,b,b,c", r, 5), 0);
        }
        table[4] = new io.jmpi.bootstrap.Endpoint(4, "h", 0, "other", 0); // another machine
        assertEquals(4, RankRuntime.localRanks(table, "boot"));
        assertEquals(1, RankRuntime.localRanks(table, "other"));
        table[4] = new io.jmpi.bootstrap.Endpoint(4, "h", 0, "boot", 0); // no label: the same machine
        assertEquals(5, RankRuntime.localRanks(table, "boot"));
    }

    @Test
    void wrongNumberOfLabelsIsAnArgumentError() {
        MpiException e = assertThrows(MpiException.class, () -> RankRuntime.testHost("boot", "a,b", 0, 3));
        assertEquals(ErrorClass.ARG, e.errorClass());
    }
}
