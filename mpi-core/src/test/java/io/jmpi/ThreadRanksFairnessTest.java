package io.jmpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many thread ranks on few cores (16 on the 2 of a laptop or CI runner) must share them: a waiting rank yields, then
 * parks (thread ranks pass {@code localRanks = size} to their idle strategy, so they do not spin when the job
 * oversubscribes the cores), and every rank keeps moving. A starved rank would stall its ring neighbours and every
 * allreduce, and the job would hit the timeout.
 */
class ThreadRanksFairnessTest {
    private static final int RANKS = 16;
    private static final int ROUNDS = 200;

    @Test
    @Timeout(120)
    void sixteenThreadRanksDoTwoHundredRoundsOfRingAndAllreduce() {
        AtomicIntegerArray done = new AtomicIntegerArray(RANKS);
        Mpi.runThreads(RANKS, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % RANKS, left = (me + RANKS - 1) % RANKS;
            long[] token = new long[1], got = new long[1], sum = new long[1];
            for (int i = 0; i < ROUNDS; i++) {
                token[0] = (long) i * RANKS + me;
                w.sendrecv(token, right, 1, got, left, 1);
                if (got[0] != (long) i * RANKS + left) fail("rank " + me + " round " + i + ": ring gave " + got[0]);
                sum[0] = me + i;
                w.allreduce(sum, Op.SUM);
                long expected = (long) RANKS * (RANKS - 1) / 2 + (long) RANKS * i;
                if (sum[0] != expected) fail("rank " + me + " round " + i + ": allreduce gave " + sum[0]);
                done.incrementAndGet(me);
            }
        });
        for (int r = 0; r < RANKS; r++) assertEquals(ROUNDS, done.get(r), "rounds of rank " + r);
    }
}
