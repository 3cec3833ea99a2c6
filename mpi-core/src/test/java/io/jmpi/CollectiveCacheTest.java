package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Blocking collectives re-run their cached schedule ({@link CollectiveCache}) when called again with the same
 * arrays: the results must follow the arrays' new contents, every algorithm (small and large, power of two or not),
 * also when some ranks hit the cache and others build a new schedule; and the recycling of non-blocking requests
 * must keep a completed request's answer.
 */
@Timeout(120)
class CollectiveCacheTest {
    static final int ROUNDS = 6;

    @ParameterizedTest
    @CsvSource({"local, 3", "local, 4", "tcp, 3", "shm, 4", "local, 9"})
    void reRunCollectivesFollowTheArraysContents(String transport, int n) {
        Jobs.run(transport, n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            double[] one = new double[1], sum = new double[1];
            double[] big = new double[20_000], bigSum = new double[20_000]; // Rabenseifner
            long[] scan = new long[2], scanOut = new long[2], exOut = new long[2];
            int[] gIn = new int[2], gOut = new int[2 * n], sOut = new int[2];
            int[] a2a = new int[n], a2aOut = new int[n];
            byte[] bc = new byte[200_000]; // scatter + allgather broadcast (3+ ranks)
            ByteBuffer bb = ByteBuffer.allocate(16);
            long[] red = new long[3], redOut = new long[3];
            for (int round = 0; round < ROUNDS; round++) {
                // a rank that allocates fresh arrays misses the cache while the others hit it: tags must still agree
                boolean fresh = me == 1 && round % 2 == 1;
                if (fresh) {
                    one = new double[1];
                    sum = new double[1];
                    gOut = new int[2 * n];
                }
                int k = round * 100;
                one[0] = k + me;
                w.allreduce(one, sum, Op.SUM);
                assertEquals(n * k + n * (n - 1) / 2.0, sum[0], "allreduce round " + round);
                for (int i = 0; i < big.length; i++) big[i] = k + me + i;
                w.allreduce(big, bigSum, Op.SUM);
                for (int i = 0; i < big.length; i += 997) assertEquals(n * (k + i) + n * (n - 1) / 2.0, bigSum[i], "big " + i);
                scan[0] = k;
                scan[1] = me + 1;
                w.scan(scan, scanOut, Op.SUM);
                assertEquals((long) k * (me + 1), scanOut[0]);
                assertEquals((long) (me + 1) * (me + 2) / 2, scanOut[1]);
                exOut[0] = exOut[1] = -7;
                w.exscan(scan, exOut, Op.SUM);
                if (me > 0) {
                    assertEquals((long) k * me, exOut[0], "exscan round " + round);
                    assertEquals((long) me * (me + 1) / 2, exOut[1]);
                }
                gIn[0] = k + me;
                gIn[1] = -me;
                int root = round % n;
                w.gather(gIn, gOut, root);
                if (me == root) for (int r = 0; r < n; r++) assertEquals(k + r, gOut[2 * r], "gather from " + r);
                w.scatter(gOut, sOut, root);
                if (me == root) assertEquals(k + me, sOut[0], "scatter");
                w.allgather(gIn, gOut);
                for (int r = 0; r < n; r++) assertEquals(-r, gOut[2 * r + 1], "allgather from " + r);
                for (int j = 0; j < n; j++) a2a[j] = k + 10 * me + j;
                w.alltoall(a2a, a2aOut);
                for (int j = 0; j < n; j++) assertEquals(k + 10 * j + me, a2aOut[j], "alltoall from " + j);
                if (me == root) for (int i = 0; i < bc.length; i += 1001) bc[i] = (byte) (round + i);
                w.bcast(bc, root);
                for (int i = 0; i < bc.length; i += 1001) assertEquals((byte) (round + i), bc[i], "bcast " + i);
                bb.clear();
                if (me == root) bb.putLong(0, k).putLong(8, -k);
                w.bcast(bb, root);
                assertEquals(k, bb.getLong(0));
                red[0] = k;
                red[1] = me;
                red[2] = 1;
                w.reduce(red, redOut, Op.MAX, root);
                if (me == root) assertArrayEquals(new long[]{k, n - 1, 1}, redOut);
                w.barrier();
            }
        });
    }

    /**
     * Calls that run the typed collectives on scratch arrays of their own (Datatype reductions and scan, communicator
     * creation) keep no entry: a new array never hits, and its entry would evict the caller's compiled collectives
     * and keep the scratch alive.
     */
    @Test
    void scratchArraysOfDatatypeReductionsAndCommCreationAreNotCached() {
        Jobs.run("local", 3, mpi -> {
            Comm w = mpi.world();
            double[] a = {w.rank()}, b = new double[1];
            w.allreduce(a, b, Op.SUM);
            assertEquals(1, w.collCache.filled());
            Datatype col = Datatype.vector(4, 1, 3, Datatype.DOUBLE).commit();
            double[] m = new double[12], out = new double[12];
            Arrays.fill(m, 1.0);
            for (int i = 0; i < 10; i++) {
                w.allreduce(m, 1, out, 1, 1, col, Op.SUM);
                w.reduce(m, 1, out, 2, 1, col, Op.SUM, 0);
                w.scan(m, 0, out, 0, 1, col, Op.SUM);
                w.dup().free();
            }
            assertEquals(3.0, out[10]); // column 1: the allreduce of three ranks
            assertEquals(1, w.collCache.filled());
            w.allreduce(a, b, Op.SUM);
            assertEquals(3.0, b[0]);
            assertEquals(1, w.collCache.filled());
        });
    }

    @Test
    void aFailedCachedCollectiveIsRebuiltAndTheNextCallWorks() {
        Jobs.run("local", 2, mpi -> {
            Comm w = mpi.world();
            int[] a = new int[4], b = new int[4];
            for (int round = 0; round < 3; round++) {
                a[0] = round;
                w.allreduce(a, 0, b, 0, 1, Op.SUM);
                assertEquals(2 * round, b[0]);
            }
            // rank 1 passes a different count: the collective fails on both ranks (sizes differ)
            int count = w.rank() == 0 ? 1 : 2;
            MpiException e = assertThrows(MpiException.class, () -> w.allreduce(a, 0, b, 0, count, Op.SUM));
            assertTrue(e.errorClass() == ErrorClass.COLLECTIVE || e.errorClass() == ErrorClass.TRUNCATE, e.toString());
            w.barrier();
            a[0] = 21;
            w.allreduce(a, 0, b, 0, 1, Op.SUM);
            assertEquals(42, b[0]);
        });
    }

    @Test
    void aCompletedRequestKeepsItsStatusAfterItsOperationIsRecycled() {
        Jobs.run("tcp", 2, mpi -> {
            Comm w = mpi.world();
            int peer = 1 - w.rank();
            int[] in = new int[3], out = {1, 2, 3};
            Request first = w.irecv(in, 0, 2, peer, 5);
            w.send(out, 0, 2, peer, 5);
            Status s1 = first.await();
            assertEquals(2, s1.count());
            assertEquals(5, s1.tag());
            // the next irecv takes the recycled operation; the old request must not see it
            Request second = w.irecv(in, 0, 3, peer, 6);
            assertTrue(first.isDone());
            Status again = first.await();
            assertEquals(5, again.tag());
            assertEquals(2, again.count());
            assertNotNull(first.test());
            assertFalse(first.cancel());
            w.send(out, 0, 3, peer, 6);
            Status into = new Status();
            assertSame(into, second.await(into));
            assertEquals(6, into.tag());
            assertEquals(3, into.count());
            assertEquals(peer, into.source());
            assertEquals(5, first.await().tag());
        });
    }

    @Test
    void aStatusJmpiReturnedCannotBeFilled() {
        Jobs.run("local", 2, mpi -> {
            Comm w = mpi.world();
            int peer = 1 - w.rank();
            int[] buf = new int[1];
            w.send(buf, peer, 1);
            Status returned = w.recv(buf, peer, 1);
            w.send(buf, peer, 1);
            MpiException e = assertThrows(MpiException.class, () -> w.recv(buf, peer, 1, returned));
            assertEquals(ErrorClass.ARG, e.errorClass());
            assertTrue(e.getMessage().contains("new Status()"), e.getMessage());
            Status mine = new Status();
            assertEquals(Mpi.PROC_NULL, mine.source());
            assertSame(mine, w.recv(buf, peer, 1, mine));
            assertEquals(peer, mine.source());
            assertEquals(1, mine.tag());
        });
    }
}
