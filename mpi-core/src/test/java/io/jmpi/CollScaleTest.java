package io.jmpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/** A 64-rank in-JVM job (32 ranks per core here) completes barrier, bcast and allreduce, small and large. */
@Timeout(60)
class CollScaleTest {
    @Test
    void sixtyFourRanks() {
        int n = 64;
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            for (int i = 0; i < 3; i++) w.barrier();
            int[] b = me == 63 ? new int[]{1, 2, 3} : new int[3];
            w.bcast(b, 63);
            assertArrayEquals(new int[]{1, 2, 3}, b);
            long[] s = new long[2];
            w.allreduce(new long[]{me, 1}, s, Op.SUM);
            assertArrayEquals(new long[]{n * (n - 1) / 2, n}, s);
            double[] big = new double[8192], sum = new double[8192];
            java.util.Arrays.fill(big, me);
            w.allreduce(big, sum, Op.SUM);
            for (double v : sum) assertEquals(n * (n - 1) / 2.0, v);
            double[] bb = new double[20_000];
            if (me == 5) java.util.Arrays.fill(bb, 4.5);
            w.bcast(bb, 5);
            for (double v : bb) assertEquals(4.5, v);
        });
    }
}
