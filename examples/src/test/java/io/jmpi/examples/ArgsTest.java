package io.jmpi.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArgsTest {
    @Test
    void namedPositionalAndDefaultValues() {
        Args a = new Args("t", new String[]{"--b=2.5", "7", "--c", "x"});
        assertEquals(7, a.integer("a", 1, 0, 10));
        assertEquals(2.5, a.real("b", 0, 0, 10));
        assertEquals("x", a.string("c", "d"));
        assertEquals(3, a.integer("e", 3, 0, 10));
        a.done();
    }

    @Test
    void underscoresAndChoices() {
        Args a = new Args("t", new String[]{"1_000_000", "--class=w"});
        assertEquals(1_000_000L, a.integer("n", 1L, 1, Long.MAX_VALUE));
        assertEquals("W", a.choice("class", "S", "S", "W", "A"));
        a.done();
    }

    @Test
    void emptyValueIsAllowed() {
        Args a = new Args("t", new String[]{"--png="});
        assertEquals("", a.string("png", "x.png"));
        a.done();
    }
}
