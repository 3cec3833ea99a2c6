package io.jmpi.launch;

import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Open MPI style hostfiles and --host lists. */
class HostfileTest {
    private static List<Hostfile.Host> parse(String text) {
        return Hostfile.parse(text, "--hostfile hf");
    }

    private static void assertBad(String text, String message) {
        assertEquals(message, assertThrows(MpiException.class, () -> parse(text)).getMessage());
    }

    @Test
    void slotsCommentsAndBlankLines() {
        String text = "# the cluster\n"
                + "h1 slots=2\n"
                + "\n"
                + "   h2    slots = 4   # a comment after the host\n"
                + "h3\n"
                + "10.0.0.7 slots=1 max_slots=8\r\n";
        assertEquals(List.of(new Hostfile.Host("h1", 2), new Hostfile.Host("h2", 4), new Hostfile.Host("h3", 1),
                new Hostfile.Host("10.0.0.7", 1)), parse(text));
    }

    @Test
    void aHostNamedTwiceGetsTheSumOfItsSlots() {
        assertEquals(List.of(new Hostfile.Host("h1", 3), new Hostfile.Host("h2", 1)), parse("h1 slots=1\nh2\nh1 slots=2"));
    }

    @Test
    void errorsNameTheFileLineAndValue() {
        assertBad("h1 slots=0", "--hostfile hf line 1: slots=0 out of range [1, 4096]");
        assertBad("\nh1 slots=two", "--hostfile hf line 2: slots=two is not an integer; allowed [1, 4096]");
        assertBad("h1 cores=2", "--hostfile hf line 1: unknown attribute 'cores=2'; expected slots=K or max_slots=M");
        assertBad("h1;rm slots=1", "--hostfile hf line 1: 'h1;rm' is not a host name or address");
        assertBad("# nothing\n\n", "--hostfile hf names no host");
    }

    @Test
    void hostLists() {
        assertEquals(List.of(new Hostfile.Host("h1", 2), new Hostfile.Host("h2", 1), new Hostfile.Host("h3", 4)),
                Hostfile.parseList("h1:2,h2,h3:4"));
        assertEquals("--host h1:x: h1:x=x is not an integer; allowed [1, 4096]",
                assertThrows(MpiException.class, () -> Hostfile.parseList("h1:x")).getMessage());
        assertEquals("--host h1,,h2: empty host name",
                assertThrows(MpiException.class, () -> Hostfile.parseList("h1,,h2")).getMessage());
    }
}
