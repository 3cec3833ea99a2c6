package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Datatype forms added for the mpiJava adapter: buffered, ready and persistent sends and sendrecvReplace of a
 * datatype, the vector collectives, reduce_scatter and scan on datatypes (counts in elements of the type,
 * displacements in its extents, offsets in base elements), vector-form user operations ({@link Op#ofArrays}), and
 * the object tier's send modes.
 */
@Timeout(60)
class DatatypeVectorsTest {
    @Test
    void arrayFunctionOpCombinesInPlaceInRankOrder() {
        // a non-commutative, associative op on (digits, length) pairs: decimal concatenation shows the operand order
        Op concat = Op.ofArrays((in, io, inout, ioo, n) -> {
            int[] a = (int[]) in, b = (int[]) inout;
            for (int i = 0; i < n; i += 2) {
                b[ioo + i] = a[io + i] * (int) Math.pow(10, b[ioo + i + 1]) + b[ioo + i];
                b[ioo + i + 1] += a[io + i + 1];
            }
        }, false, 2);
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            int[] out = new int[2];
            w.allreduce(new int[]{w.rank() + 1, 1}, out, concat);
            assertArrayEquals(new int[]{1234, 4}, out);
            int[] scan = new int[2];
            w.scan(new int[]{w.rank() + 1, 1}, 0, scan, 0, 1, Datatype.contiguous(2, Datatype.INT).commit(), concat);
            assertEquals(new int[]{1, 12, 123, 1234}[w.rank()], scan[0]);
        });
    }

    @Test
    void arrayFunctionOpIsCalledOnWholeGrains() {
        // a pair op: keeps the pair whose first element is larger; fails if called on half a pair
        Op maxPair = Op.ofArrays((in, io, inout, ioo, n) -> {
            assertEquals(0, n % 2, "called on a split pair");
            double[] a = (double[]) in, b = (double[]) inout;
            for (int i = 0; i < n; i += 2) {
                if (a[io + i] > b[ioo + i]) {
                    b[ioo + i] = a[io + i];
                    b[ioo + i + 1] = a[io + i + 1];
                }
            }
        }, true, 2);
        assertEquals(2, maxPair.grain());
        Mpi.runThreads(5, mpi -> {
            Comm w = mpi.world();
            int n = 40;
            double[] v = new double[2 * n];
            for (int i = 0; i < n; i++) {
                v[2 * i] = (w.rank() * 7 + i) % 5;
                v[2 * i + 1] = w.rank();
            }
            double[] out = new double[2 * n];
            w.allreduce(v, out, maxPair);
            for (int i = 0; i < n; i++) {
                double best = -1;
                int who = -1;
                for (int r = 0; r < 5; r++) {
                    if ((r * 7 + i) % 5 > best) {
                        best = (r * 7 + i) % 5;
                        who = r;
                    }
                }
                assertEquals(best, out[2 * i]);
                assertEquals(who, out[2 * i + 1], "pair " + i);
            }
            MpiException e = assertThrows(MpiException.class, () -> w.allreduce(new double[3], new double[3], maxPair));
            assertEquals("allreduce: op USER(arrays) needs groups of 2 elements: count=3 is not a multiple of 2", e.getMessage());
        });
        MpiException e = assertThrows(MpiException.class, () -> Op.ofArrays((a, b, c, d, n) -> { }, true, 0));
        assertEquals("Op.ofArrays: grain=0 out of range [1, 2147483647]", e.getMessage());
    }

    @Test
    void reduceLocalWithArrayFunction() {
        Op sum = Op.ofArrays((in, io, inout, ioo, n) -> {
            long[] a = (long[]) in, b = (long[]) inout;
            for (int i = 0; i < n; i++) b[ioo + i] += a[io + i];
        }, true);
        long[] inout = {1, 2, 3};
        sum.reduceLocal(new long[]{10, 20, 30}, inout);
        assertArrayEquals(new long[]{11, 22, 33}, inout);
    }

    @Test
    void sendModesAndPersistentSendsOfAVectorColumn() {
        Datatype column = Datatype.vector(3, 1, 4, Datatype.INT).commit(); // column of a 3x4 matrix
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                int[] m = new int[12];
                for (int i = 0; i < 12; i++) m[i] = i;
                mpi.bufferAttach(1024);
                w.bsend(m, 1, 1, column, 1, 1);                      // column 1: 1, 5, 9
                w.ibsend(m, 2, 1, column, 1, 2).await();             // column 2
                w.barrier();                                         // rank 1 has posted tag 3
                w.rsend(m, 3, 1, column, 1, 3);
                w.irsend(m, 0, 1, column, 1, 4).await();
                w.barrier();
                Prequest p = w.sendInit(m, 0, 1, column, 1, 5);
                for (int round = 0; round < 2; round++) {
                    m[0] = 100 + round;
                    p.start().await();
                }
                w.ssendInit(m, 1, 1, column, 1, 6).start().await();
                w.bsendInit(m, 2, 1, column, 1, 7).start().await();
                mpi.bufferDetach();
            } else {
                int[] got = new int[3];
                w.recv(got, 0, 3, 0, 1);
                assertArrayEquals(new int[]{1, 5, 9}, got);
                w.recv(got, 0, 3, 0, 2);
                assertArrayEquals(new int[]{2, 6, 10}, got);
                Request r3 = w.irecv(got, 0, 3, 0, 3);
                int[] got4 = new int[3];
                Request r4 = w.irecv(got4, 0, 3, 0, 4);
                w.barrier();
                r3.await();
                r4.await();
                assertArrayEquals(new int[]{3, 7, 11}, got);
                assertArrayEquals(new int[]{0, 4, 8}, got4);
                w.barrier();
                int[] m = new int[12];
                Prequest p = w.recvInit(m, 0, 1, column, 0, 5);
                for (int round = 0; round < 2; round++) {
                    p.start().await();
                    assertEquals(100 + round, m[0]);
                    assertEquals(8, m[8]);
                }
                w.recv(got, 0, 3, 0, 6);
                assertArrayEquals(new int[]{1, 5, 9}, got);
                w.recv(got, 0, 3, 0, 7);
                assertArrayEquals(new int[]{2, 6, 10}, got);
            }
        });
    }

    @Test
    void sendrecvReplaceOfADatatype() {
        Datatype pair = Datatype.contiguous(2, Datatype.DOUBLE).commit();
        Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % 3, left = (w.rank() + 2) % 3;
            double[] b = {-1, w.rank(), w.rank() * 10, -1};
            Status s = w.sendrecvReplace(b, 1, 1, pair, right, 0, left, 0);
            assertArrayEquals(new double[]{-1, left, left * 10, -1}, b);
            assertEquals(left, s.source());
            assertEquals(1, s.count(pair));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void vectorCollectivesOnPairsWithOffsetsAndDisplacements(int n) {
        Datatype pair = Datatype.contiguous(2, Datatype.INT).commit();
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // rank i contributes i+1 pairs (i, k)
            int[] send = new int[1 + 2 * (me + 1)];
            for (int k = 0; k <= me; k++) {
                send[1 + 2 * k] = me;
                send[2 + 2 * k] = k;
            }
            int[] counts = new int[n], displs = new int[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                counts[i] = i + 1;
                displs[i] = total;
                total += i + 2; // a gap of one pair after each block
            }
            int[] recv = new int[3 + 2 * total];
            w.allgatherv(send, 1, me + 1, pair, recv, 3, counts, displs, pair);
            checkBlocks(recv, 3, counts, displs, n);
            int[] g = new int[3 + 2 * total];
            w.gatherv(send, 1, me + 1, pair, g, 3, counts, displs, pair, n - 1);
            if (me == n - 1) checkBlocks(g, 3, counts, displs, n);
            // scatterv back: rank i gets its own i+1 pairs
            int[] back = new int[2 * (me + 1)];
            w.scatterv(recv, 3, counts, displs, pair, back, 0, me + 1, pair, 0);
            assertArrayEquals(java.util.Arrays.copyOfRange(send, 1, send.length), back);
            // alltoallv: one pair (me, j) to each rank j
            int[] a = new int[2 * n], b = new int[2 * n + 2], ones = new int[n], seq = new int[n];
            for (int j = 0; j < n; j++) {
                a[2 * j] = me;
                a[2 * j + 1] = j;
                ones[j] = 1;
                seq[j] = j;
            }
            w.alltoallv(a, 0, ones, seq, pair, b, 2, ones, seq, pair);
            for (int j = 0; j < n; j++) {
                assertEquals(j, b[2 + 2 * j]);
                assertEquals(me, b[3 + 2 * j]);
            }
        });
    }

    private static void checkBlocks(int[] recv, int offset, int[] counts, int[] displs, int n) {
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < counts[i]; k++) {
                int at = offset + 2 * (displs[i] + k);
                assertEquals(i, recv[at], "rank " + i + " pair " + k);
                assertEquals(k, recv[at + 1]);
            }
        }
    }

    @Test
    void reduceScatterAndScanOfPairTypesWithMinloc() {
        Datatype pair = Datatype.contiguous(2, Datatype.LONG).commit();
        Datatype column = Datatype.vector(2, 1, 2, Datatype.INT).commit(); // every other int, 2 of them
        Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            long[] v = new long[6]; // 3 pairs, values (me - j)^2 at index me
            for (int j = 0; j < 3; j++) {
                v[2 * j] = (long) (me - j) * (me - j);
                v[2 * j + 1] = me;
            }
            long[] mine = new long[2];
            w.reduceScatter(v, 0, mine, 0, new int[]{1, 1, 1}, pair, Op.MINLOC);
            assertArrayEquals(new long[]{0, me}, mine);
            int[] x = {me + 1, -7, me + 1, -7};
            int[] s = {-1, -1, -1, -1, -1};
            w.scan(x, 0, s, 1, 1, column, Op.SUM);
            int prefix = (me + 1) * (me + 2) / 2;
            assertArrayEquals(new int[]{-1, prefix, -1, prefix, -1}, s);
        });
    }

    @Test
    void objectTierSendModes() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                mpi.bufferAttach(ByteBuffer.allocate(4096));
                w.ssendObject("s", 1, 1);
                w.issendObject("is", 1, 2).await();
                w.bsendObject("b", 1, 3);
                w.ibsendObject("ib", 1, 4).await();
                w.barrier();
                w.rsendObject("r", 1, 5);
                w.irsendObject("ir", 1, 6).await();
                mpi.bufferDetach();
            } else {
                for (int t = 1; t <= 4; t++) assertEquals(new String[]{"s", "is", "b", "ib"}[t - 1], w.recvObject(0, t));
                ObjectRequest<String> r5 = w.irecvObject(0, 5), r6 = w.irecvObject(0, 6);
                w.barrier();
                assertEquals("r", r5.object());
                assertEquals("ir", r6.object());
            }
        });
    }

    @Test
    void vectorArgumentErrors() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            MpiException e = assertThrows(MpiException.class, () -> w.allgatherv(new int[1], 0, 1, Datatype.INT,
                    new double[2], 0, new int[]{1, 1}, new int[]{0, 1}, Datatype.DOUBLE));
            assertEquals(ErrorClass.TYPE, e.errorClass());
            assertEquals("allgatherv: sendType INT holds int elements, recvType DOUBLE holds double", e.getMessage());
            e = assertThrows(MpiException.class, () -> w.allgatherv(new int[1], 0, 1, Datatype.INT,
                    new int[2], 0, new int[]{1, 1}, new int[]{0}, Datatype.INT));
            assertEquals("allgatherv: displs.length=1 differs from the communicator size 2", e.getMessage());
        });
    }
}
