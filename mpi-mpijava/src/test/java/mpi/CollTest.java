package mpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/** Every collective of Intracomm on primitive and on MPI.OBJECT buffers, at world sizes 1 to 8, odd ones too. */
@Timeout(120)
class CollTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void rootedCollectivesOnDoublesAndObjects(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int root = size - 1;
            w.Barrier();
            double[] b = new double[3];
            Object[] ob = new Object[3];
            if (rank == root) {
                b = new double[]{0, 1.5, 2.5};
                ob = new Object[]{null, "a", 7};
            }
            w.Bcast(b, 1, 2, MPI.DOUBLE, root);
            w.Bcast(ob, 1, 2, MPI.OBJECT, root);
            assertArrayEquals(new double[]{0, 1.5, 2.5}, b);
            assertArrayEquals(new Object[]{null, "a", 7}, ob);

            // Gather: rank r sends (r, -r) to block r
            double[] g = new double[1 + 2 * size];
            Object[] og = new Object[1 + 2 * size];
            w.Gather(new double[]{rank, -rank}, 0, 2, MPI.DOUBLE, g, 1, 2, MPI.DOUBLE, root);
            w.Gather(new Object[]{"r" + rank, rank}, 0, 2, MPI.OBJECT, og, 1, 2, MPI.OBJECT, root);
            if (rank == root) {
                for (int r = 0; r < size; r++) {
                    assertEquals(r, g[1 + 2 * r]);
                    assertEquals(-r, g[2 + 2 * r]);
                    assertEquals("r" + r, og[1 + 2 * r]);
                    assertEquals(r, og[2 + 2 * r]);
                }
            }
            // Gatherv: rank r sends r+1 values at displacement r*(r+1)/2 + r (one gap per block)
            int[] counts = new int[size], displs = new int[size];
            int total = 0;
            for (int r = 0; r < size; r++) {
                counts[r] = r + 1;
                displs[r] = total;
                total += r + 2;
            }
            double[] mine = new double[rank + 1];
            Object[] omine = new Object[rank + 1];
            java.util.Arrays.fill(mine, rank);
            java.util.Arrays.fill(omine, "v" + rank);
            double[] gv = new double[total];
            Object[] ogv = new Object[total];
            w.Gatherv(mine, 0, rank + 1, MPI.DOUBLE, gv, 0, counts, displs, MPI.DOUBLE, root);
            w.Gatherv(omine, 0, rank + 1, MPI.OBJECT, ogv, 0, counts, displs, MPI.OBJECT, root);
            if (rank == root) {
                for (int r = 0; r < size; r++) {
                    for (int k = 0; k <= r; k++) {
                        assertEquals(r, gv[displs[r] + k]);
                        assertEquals("v" + r, ogv[displs[r] + k]);
                    }
                    assertEquals(0.0, gv[displs[r] + r + 1]);
                    assertNull(ogv[displs[r] + r + 1]);
                }
            }
            // Scatter and Scatterv back
            double[] s = new double[2];
            Object[] os = new Object[2];
            w.Scatter(g, 1, 2, MPI.DOUBLE, s, 0, 2, MPI.DOUBLE, root);
            w.Scatter(og, 1, 2, MPI.OBJECT, os, 0, 2, MPI.OBJECT, root);
            assertArrayEquals(new double[]{rank, -rank}, s);
            assertArrayEquals(new Object[]{"r" + rank, rank}, os);
            double[] sv = new double[rank + 1];
            Object[] osv = new Object[rank + 1];
            w.Scatterv(gv, 0, counts, displs, MPI.DOUBLE, sv, 0, rank + 1, MPI.DOUBLE, root);
            w.Scatterv(ogv, 0, counts, displs, MPI.OBJECT, osv, 0, rank + 1, MPI.OBJECT, root);
            assertArrayEquals(mine, sv);
            assertArrayEquals(omine, osv);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void allCollectivesOnIntsAndObjects(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int[] ag = new int[size];
            Object[] oag = new Object[size];
            w.Allgather(new int[]{rank * 3}, 0, 1, MPI.INT, ag, 0, 1, MPI.INT);
            w.Allgather(new Object[]{rank * 3}, 0, 1, MPI.OBJECT, oag, 0, 1, MPI.OBJECT);
            int[] counts = new int[size], displs = new int[size];
            for (int r = 0; r < size; r++) {
                assertEquals(r * 3, ag[r]);
                assertEquals(r * 3, oag[r]);
                counts[r] = 1;
                displs[r] = size - 1 - r; // reversed order
            }
            int[] agv = new int[size];
            Object[] oagv = new Object[size];
            w.Allgatherv(new int[]{rank}, 0, 1, MPI.INT, agv, 0, counts, displs, MPI.INT);
            w.Allgatherv(new Object[]{rank}, 0, 1, MPI.OBJECT, oagv, 0, counts, displs, MPI.OBJECT);
            for (int r = 0; r < size; r++) {
                assertEquals(r, agv[size - 1 - r]);
                assertEquals(r, oagv[size - 1 - r]);
            }
            // Alltoall: block j of rank i is 100*i + j
            int[] a = new int[size], b = new int[size];
            Object[] oa = new Object[size], ob = new Object[size];
            for (int j = 0; j < size; j++) {
                a[j] = 100 * rank + j;
                oa[j] = "m" + (100 * rank + j);
            }
            w.Alltoall(a, 0, 1, MPI.INT, b, 0, 1, MPI.INT);
            w.Alltoall(oa, 0, 1, MPI.OBJECT, ob, 0, 1, MPI.OBJECT);
            for (int i = 0; i < size; i++) {
                assertEquals(100 * i + rank, b[i]);
                assertEquals("m" + (100 * i + rank), ob[i]);
            }
            // Alltoallv: rank i sends j+1 copies of i to rank j
            int[] sc = new int[size], sd = new int[size], rc = new int[size], rd = new int[size];
            int st = 0, rt = 0;
            for (int j = 0; j < size; j++) {
                sc[j] = j + 1;
                sd[j] = st;
                st += j + 1;
                rc[j] = rank + 1;
                rd[j] = rt;
                rt += rank + 1;
            }
            int[] sbuf = new int[st], rbuf = new int[rt];
            Object[] osbuf = new Object[st], orbuf = new Object[rt];
            java.util.Arrays.fill(sbuf, rank);
            java.util.Arrays.fill(osbuf, rank);
            w.Alltoallv(sbuf, 0, sc, sd, MPI.INT, rbuf, 0, rc, rd, MPI.INT);
            w.Alltoallv(osbuf, 0, sc, sd, MPI.OBJECT, orbuf, 0, rc, rd, MPI.OBJECT);
            for (int i = 0; i < size; i++) {
                for (int k = 0; k <= rank; k++) {
                    assertEquals(i, rbuf[rd[i] + k]);
                    assertEquals(i, orbuf[rd[i] + k]);
                }
            }
        });
    }

    /** Sums Integers of Object[] vectors (an mpiJava user function on MPI.OBJECT). */
    static final User_function OBJECT_SUM = new User_function() {
        @Override
        public void Call(Object invec, int inoffset, Object inoutvec, int inoutoffset, int count, Datatype datatype) {
            Object[] in = (Object[]) invec, io = (Object[]) inoutvec;
            for (int i = 0; i < count; i++) io[inoutoffset + i] = (Integer) in[inoffset + i] + (Integer) io[inoutoffset + i];
        }
    };

    /** A non-commutative user function on ints: keeps the left operand (so every reduction yields rank 0's value). */
    static final User_function FIRST = new User_function() {
        @Override
        public void Call(Object invec, int inoffset, Object inoutvec, int inoutoffset, int count, Datatype datatype) {
            System.arraycopy(invec, inoffset, inoutvec, inoutoffset, count * datatype.size());
        }
    };

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void reductionsWithPredefinedAndUserOps(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int root = size / 2;
            long[] sum = new long[2];
            w.Reduce(new long[]{rank, 1}, 0, sum, 0, 2, MPI.LONG, MPI.SUM, root);
            if (rank == root) assertArrayEquals(new long[]{(long) size * (size - 1) / 2, size}, sum);
            float[] max = new float[1];
            w.Allreduce(new float[]{rank * 0.5f}, 0, max, 0, 1, MPI.FLOAT, MPI.MAX);
            assertEquals((size - 1) * 0.5f, max[0]);
            boolean[] land = new boolean[1];
            w.Allreduce(new boolean[]{rank != 1}, 0, land, 0, 1, MPI.BOOLEAN, MPI.LAND);
            assertEquals(size < 2, land[0]);
            byte[] bor = new byte[1];
            w.Allreduce(new byte[]{(byte) (1 << (rank % 8))}, 0, bor, 0, 1, MPI.BYTE, MPI.BOR);
            assertEquals((byte) ((1 << Math.min(size, 8)) - 1), bor[0]);

            // MINLOC / MAXLOC on pairs: value (rank - 2)^2, index rank; count counts pairs
            int[] pairs = {(rank - 2) * (rank - 2), rank, -rank, rank};
            int[] minloc = new int[4], maxloc = new int[4];
            w.Allreduce(pairs, 0, minloc, 0, 2, MPI.INT2, MPI.MINLOC);
            w.Allreduce(pairs, 0, maxloc, 0, 2, MPI.INT2, MPI.MAXLOC);
            int best = size > 2 ? 2 : size - 1;
            assertArrayEquals(new int[]{(best - 2) * (best - 2), best, -(size - 1), size - 1}, minloc);
            int far = (size - 1 - 2) * (size - 1 - 2) > 4 ? size - 1 : 0;
            assertEquals((far - 2) * (far - 2), maxloc[0]);
            assertEquals(far, maxloc[1]);
            assertArrayEquals(new int[]{0, 0}, new int[]{maxloc[2], maxloc[3]});
            double[] dl = new double[2];
            w.Reduce(new double[]{rank % 3, rank}, 0, dl, 0, 1, MPI.DOUBLE2, MPI.MAXLOC, 0);
            if (rank == 0) assertArrayEquals(new double[]{Math.min(size - 1, 2), Math.min(size - 1, 2)}, dl);

            // Reduce_scatter: rank i keeps i+1 sums
            int[] rc = new int[size];
            int total = 0;
            for (int r = 0; r < size; r++) {
                rc[r] = r + 1;
                total += r + 1;
            }
            int[] in = new int[total];
            Object[] oin = new Object[total];
            for (int k = 0; k < total; k++) {
                in[k] = k;
                oin[k] = k;
            }
            int[] rs = new int[rank + 1];
            Object[] ors = new Object[rank + 1];
            w.Reduce_scatter(in, 0, rs, 0, rc, MPI.INT, MPI.SUM);
            w.Reduce_scatter(oin, 0, ors, 0, rc, MPI.OBJECT, new Op(OBJECT_SUM, true));
            int start = rank * (rank + 1) / 2;
            for (int k = 0; k <= rank; k++) {
                assertEquals((start + k) * size, rs[k]);
                assertEquals((start + k) * size, ors[k]);
            }
            // Scan
            int[] scan = new int[1];
            Object[] oscan = new Object[1];
            w.Scan(new int[]{rank + 1}, 0, scan, 0, 1, MPI.INT, MPI.SUM);
            w.Scan(new Object[]{rank + 1}, 0, oscan, 0, 1, MPI.OBJECT, new Op(OBJECT_SUM, true));
            assertEquals((rank + 1) * (rank + 2) / 2, scan[0]);
            assertEquals((rank + 1) * (rank + 2) / 2, oscan[0]);
            // user ops: object sum, non-commutative FIRST on ints and on INT2 pairs
            Object[] osum = new Object[1];
            w.Allreduce(new Object[]{rank}, 0, osum, 0, 1, MPI.OBJECT, new Op(OBJECT_SUM, true));
            assertEquals(size * (size - 1) / 2, osum[0]);
            Op first = new Op(FIRST, false);
            int[] f = new int[3];
            w.Allreduce(new int[]{rank + 10, rank, rank * 2}, 0, f, 0, 3, MPI.INT, first);
            assertArrayEquals(new int[]{10, 0, 0}, f);
            int[] fp = new int[2];
            w.Reduce(new int[]{rank + 10, rank}, 0, fp, 0, 1, MPI.INT2, first, root);
            if (rank == root) assertArrayEquals(new int[]{10, 0}, fp);
        });
    }
}
