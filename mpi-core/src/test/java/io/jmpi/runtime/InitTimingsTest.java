package io.jmpi.runtime;

import io.jmpi.base.Config;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up timings record phases only when asked for, and never more than they have room for. */
class InitTimingsTest {
    @Test
    void offByDefaultAndThenRecordsNothing() {
        InitTimings t = InitTimings.start(Config.of(Map.of()));
        assertFalse(t.on());
        t.mark("bootstrap");
        assertEquals(0, t.marks());
    }

    @Test
    void onRecordsEveryPhaseBoundedly() {
        InitTimings t = InitTimings.start(Config.of(Map.of("JMPI_INIT_TIMINGS", "true")));
        assertTrue(t.on());
        for (String p : new String[]{"bootstrap", "listen", "exchange", "connect", "engine"}) t.mark(p);
        assertEquals(5, t.marks());
        for (int i = 0; i < 20; i++) t.mark("more");
        assertEquals(8, t.marks(), "bounded by its arrays");
    }
}
