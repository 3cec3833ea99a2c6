package mpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The typed fast path of the collectives (predefined type on both sides: {@code Typed} to jmpi's typed collectives)
 * at world sizes 1-6, with non-zero offsets everywhere (the v-forms shift their displacements by the offset), every
 * root, a buffer of the wrong array type, and the datatype path still taken when the receive type is derived.
 */
@Timeout(120)
class TypedCollTest {
    private static final int OFF = 3;

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void rootedAndAllToAllAtOffsets(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            for (int root = 0; root < size; root++) {
                long[] mine = new long[OFF + 2];
                mine[OFF] = 10L * rank;
                mine[OFF + 1] = 10L * rank + 1;
                long[] all = new long[OFF + 2 * size];
                w.Gather(mine, OFF, 2, MPI.LONG, all, OFF, 2, MPI.LONG, root);
                if (rank == root) {
                    for (int r = 0; r < size; r++) {
                        assertEquals(10L * r, all[OFF + 2 * r]);
                        assertEquals(10L * r + 1, all[OFF + 2 * r + 1]);
                    }
                }
                long[] back = new long[OFF + 2];
                w.Scatter(all, OFF, 2, MPI.LONG, back, OFF, 2, MPI.LONG, root);
                assertArrayEquals(mine, back, "Scatter returns what Gather took (root " + root + ")");
            }
            double[] one = new double[OFF + 1];
            one[OFF] = rank + 0.5;
            double[] every = new double[OFF + size];
            w.Allgather(one, OFF, 1, MPI.DOUBLE, every, OFF, 1, MPI.DOUBLE);
            for (int r = 0; r < size; r++) assertEquals(r + 0.5, every[OFF + r]);
            int[] send = new int[OFF + size], recv = new int[OFF + size];
            for (int j = 0; j < size; j++) send[OFF + j] = 100 * rank + j;
            w.Alltoall(send, OFF, 1, MPI.INT, recv, OFF, 1, MPI.INT);
            for (int r = 0; r < size; r++) assertEquals(100 * r + rank, recv[OFF + r], "Alltoall from " + r);
            short[] s = {0, 0, (short) (rank + 1)}, sc = new short[3];
            w.Scan(s, 2, sc, 1, 1, MPI.SHORT, MPI.SUM);
            assertEquals((rank + 1) * (rank + 2) / 2, sc[1]);
            float[] rin = new float[OFF + size], rout = new float[OFF + 1];
            for (int j = 0; j < size; j++) rin[OFF + j] = j + rank;
            int[] ones = new int[size];
            java.util.Arrays.fill(ones, 1);
            w.Reduce_scatter(rin, OFF, rout, OFF, ones, MPI.FLOAT, MPI.SUM);
            assertEquals(size * rank + size * (size - 1) / 2f, rout[OFF]);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void vFormsShiftTheirDisplacementsByTheOffset(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int[] counts = new int[size], displs = new int[size];
            int total = 0;
            for (int r = 0; r < size; r++) {
                counts[r] = r + 1;
                displs[r] = total + r; // one gap after each block
                total += 2 * r + 2;
            }
            int[] displsBefore = displs.clone();
            int root = size - 1;
            char[] mine = new char[1 + rank + 1];
            for (int k = 0; k < rank + 1; k++) mine[1 + k] = (char) ('a' + rank);
            char[] gathered = new char[OFF + total];
            w.Gatherv(mine, 1, rank + 1, MPI.CHAR, gathered, OFF, counts, displs, MPI.CHAR, root);
            if (rank == root) {
                for (int r = 0; r < size; r++) {
                    for (int k = 0; k < r + 1; k++) assertEquals((char) ('a' + r), gathered[OFF + displs[r] + k]);
                    assertEquals(0, gathered[OFF + displs[r] + r + 1], "the gap stays untouched");
                }
            }
            char[] back = new char[2 + rank + 1];
            w.Scatterv(gathered, OFF, counts, displs, MPI.CHAR, back, 2, rank + 1, MPI.CHAR, root);
            if (rank == root) for (int k = 0; k < rank + 1; k++) assertEquals((char) ('a' + rank), back[2 + k]);
            int[] everywhere = new int[OFF + total];
            int[] mineI = new int[rank + 1];
            java.util.Arrays.fill(mineI, rank * 7);
            w.Allgatherv(mineI, 0, rank + 1, MPI.INT, everywhere, OFF, counts, displs, MPI.INT);
            for (int r = 0; r < size; r++) {
                for (int k = 0; k < r + 1; k++) assertEquals(r * 7, everywhere[OFF + displs[r] + k]);
            }
            // Alltoallv: j+1 copies of rank to rank j, at offsets on both sides
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
            long[] sbuf = new long[OFF + st], rbuf = new long[1 + rt];
            for (int j = 0; j < size; j++) for (int k = 0; k < j + 1; k++) sbuf[OFF + sd[j] + k] = 1000L * rank + j;
            w.Alltoallv(sbuf, OFF, sc, sd, MPI.LONG, rbuf, 1, rc, rd, MPI.LONG);
            for (int r = 0; r < size; r++) {
                for (int k = 0; k < rank + 1; k++) assertEquals(1000L * r + rank, rbuf[1 + rd[r] + k], "from " + r);
            }
            assertArrayEquals(displsBefore, displs, "the caller's displacements are not modified");
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 6})
    void derivedTypesTakeTheDatatypePathAndWrongArraysFail(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            Datatype pair = Datatype.Contiguous(2, MPI.INT);
            pair.Commit();
            // every rank a derived type: the datatype path (kept consistent on all ranks)
            int[] mine = {rank, -rank}, all = new int[2 * size];
            w.Allgather(mine, 0, 1, pair, all, 0, 1, pair);
            for (int r = 0; r < size; r++) assertEquals(-r, all[2 * r + 1]);
            // a buffer of the wrong array type: an MPIException on every rank before anything is sent
            assertThrows(MPIException.class, () -> w.Scan(new int[1], 0, new long[1], 0, 1, MPI.INT, MPI.SUM));
            assertThrows(MPIException.class, () -> w.Alltoall(new int[size], 0, 1, MPI.INT, new float[size], 0, 1, MPI.INT));
            w.Barrier();
        });
    }
}
