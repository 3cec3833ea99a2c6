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

    @Test
    void wrongNumberOfLabelsIsAnArgumentError() {
        MpiException e = assertThrows(MpiException.class, () -> RankRuntime.testHost("boot", "a,b", 0, 3));
        assertEquals(ErrorClass.ARG, e.errorClass());
    }
}
