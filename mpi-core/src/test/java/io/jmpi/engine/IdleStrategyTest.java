package io.jmpi.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IdleStrategyTest {
    @Test
    void spinsAloneFirstThenYieldsNowAndThenWhileSpinning() {
        IdleStrategy s = new IdleStrategy(20_000, 200, 1_000_000);
        int yields = 0;
        for (int step = 0; step < IdleStrategy.SPIN_ALONE; step++) {
            assertEquals(IdleStrategy.Phase.SPIN, s.phase(step), "step " + step);
        }
        for (int step = IdleStrategy.SPIN_ALONE; step < 20_000; step++) {
            if (s.phase(step) == IdleStrategy.Phase.YIELD) yields++;
            else assertEquals(IdleStrategy.Phase.SPIN, s.phase(step), "step " + step);
        }
        int expected = (20_000 - IdleStrategy.SPIN_ALONE + IdleStrategy.YIELD_EVERY - 1) / IdleStrategy.YIELD_EVERY;
        assertEquals(expected, yields);
    }

    @Test
    void yieldsThenParksAfterTheSpins() {
        IdleStrategy s = new IdleStrategy(100, 5, 1_000_000);
        for (int step = 0; step < 100; step++) assertEquals(IdleStrategy.Phase.SPIN, s.phase(step));
        for (int step = 100; step < 105; step++) assertEquals(IdleStrategy.Phase.YIELD, s.phase(step));
        assertEquals(IdleStrategy.Phase.PARK, s.phase(105));
        assertEquals(IdleStrategy.Phase.PARK, s.phase(Integer.MAX_VALUE));
    }

    @Test
    void anOversubscribedHostYieldsAtOnce() {
        IdleStrategy s = new IdleStrategy(0, 200, 1_000_000);
        assertEquals(IdleStrategy.Phase.YIELD, s.phase(0));
        assertEquals(IdleStrategy.Phase.PARK, s.phase(200));
    }
}
