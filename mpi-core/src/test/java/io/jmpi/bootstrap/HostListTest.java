package io.jmpi.bootstrap;

import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Slurm host lists, as in SLURM_STEP_NODELIST. */
class HostListTest {
    @Test
    void singleNamesAndCommaLists() {
        assertEquals(List.of("h1"), HostList.expand("h1"));
        assertEquals(List.of("a1", "b2", "gpu-node.example"), HostList.expand("a1,b2,gpu-node.example"));
        assertEquals(List.of("n1"), HostList.expand(" n1 "));
    }

    @Test
    void rangesAndSingleNumbersInBrackets() {
        assertEquals(List.of("h1", "h2", "h3", "h5"), HostList.expand("h[1-3,5]"));
        assertEquals(List.of("h1", "h2", "h3"), HostList.expand("h[1-3]"));
        assertEquals(List.of("n7"), HostList.expand("n[7]"));
    }

    @Test
    void zeroPaddingFollowsTheLowerBound() {
        assertEquals(List.of("n01", "n02", "n03"), HostList.expand("n[01-03]"));
        assertEquals(List.of("n008", "n009", "n010"), HostList.expand("n[008-010]"));
        assertEquals(List.of("n9", "n10", "n11"), HostList.expand("n[9-11]"));
    }

    @Test
    void bracketGroupsMixWithPlainNamesAndSuffixes() {
        assertEquals(List.of("h1", "h2", "login", "gpu01", "gpu02"), HostList.expand("h[1-2],login,gpu[01-02]"));
        assertEquals(List.of("rack1-n1", "rack1-n2"), HostList.expand("rack1-n[1-2]"));
        assertEquals(List.of("c1-ib", "c2-ib"), HostList.expand("c[1-2]-ib"));
        assertEquals(List.of("r1n1", "r1n2", "r2n1", "r2n2"), HostList.expand("r[1-2]n[1-2]"));
    }

    @Test
    void badListsAreRefusedWithTheReason() {
        assertEquals("hostlist 'h[1-3' is not valid: a '[' is not closed",
                assertThrows(MpiException.class, () -> HostList.expand("h[1-3")).getMessage());
        assertEquals("hostlist 'h[3-1]' is not valid: range 3-1 runs backwards",
                assertThrows(MpiException.class, () -> HostList.expand("h[3-1]")).getMessage());
        assertEquals("hostlist 'h[a-b]' is not valid: 'a' is not a number",
                assertThrows(MpiException.class, () -> HostList.expand("h[a-b]")).getMessage());
        assertEquals("hostlist 'h1,,h2' is not valid: it has an empty entry",
                assertThrows(MpiException.class, () -> HostList.expand("h1,,h2")).getMessage());
        assertEquals("hostlist 'h]1' is not valid: ']' without '[' at position 1",
                assertThrows(MpiException.class, () -> HostList.expand("h]1")).getMessage());
        assertEquals("hostlist 'n[1-99999999]' is not valid: it expands to more than 1048576 names",
                assertThrows(MpiException.class, () -> HostList.expand("n[1-99999999]")).getMessage());
        assertThrows(MpiException.class, () -> HostList.expand(""));
        assertThrows(MpiException.class, () -> HostList.expand("h[]"));
    }
}
