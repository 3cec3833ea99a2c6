package io.jmpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/** A failing rank thread ends a thread job at once, and its own exception is the one reported. */
@Timeout(20)
class ThreadJobFailureTest {
    @Test
    void theFailingRanksExceptionIsRethrownAndTheOthersDoNotWait() {
        long t0 = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 1) throw new IllegalStateException("boom in rank 1");
            w.recv(new int[1], 1, 0); // would wait forever without the abort
        }));
        assertEquals("boom in rank 1", e.getMessage());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5_000, "took " + ms + " ms");
    }
}
