package io.jmpi;

import io.jmpi.buffer.DataType;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jmpi.CollTypes.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every collective, for every element type and operation, checked against a serial computation; written once and
 * run for every transport (subclasses) and world size. Roots other than 0, counts 0, 1 and more, v-variants with
 * uneven and zero counts and scattered displacements, blocking and non-blocking forms (alternating by type).
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CollConformance {
    abstract String transport();

    abstract int[] sizes();

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void reductionsOfEveryTypeAndOp(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            for (int ti = 0; ti < TYPES.length; ti++) {
                DataType t = TYPES[ti];
                for (Op op : ops(t)) checkReductions(w, t, op, ti % 2 == 1);
            }
        });
    }

    static void checkReductions(Comm w, DataType t, Op op, boolean nb) {
        int n = w.size(), me = w.rank();
        String what = t + " " + op + " on " + n + " ranks";
        for (int count : new int[]{0, 2, 6}) {
            List<long[]> all = new ArrayList<>();
            for (int r = 0; r < n; r++) all.add(inputs(t, op, r, count));
            long[] mine = all.get(me);
            long[] total = fold(t, op, all);
            // allreduce, and in place
            Object recv = alloc(t, count);
            coll(w, nb, "allreduce", array(t, mine), recv, op);
            assertArrayEquals(total, values(t, recv), "allreduce " + what);
            Object buf = array(t, mine);
            coll(w, nb, "allreduce", buf, op);
            assertArrayEquals(total, values(t, buf), "allreduce in place " + what);
            // reduce to a root other than 0, with offsets
            int root = n - 1;
            Object padded = alloc(t, count + 3);
            coll(w, nb, "reduce", array(t, concat(new long[2], mine)), 2, padded, 1, count, op, root);
            if (me == root) assertArrayEquals(total, Arrays.copyOfRange(values(t, padded), 1, 1 + count), "reduce " + what);
            // scan and exscan
            Object scan = alloc(t, count);
            coll(w, nb, "scan", array(t, mine), scan, op);
            assertArrayEquals(fold(t, op, all.subList(0, me + 1)), values(t, scan), "scan " + what);
            Object ex = array(t, mine);
            coll(w, nb, "exscan", ex, op);
            long[] expectEx = me == 0 ? mine : fold(t, op, all.subList(0, me));
            assertArrayEquals(expectEx, values(t, ex), "exscan in place " + what);
            // reduce-scatter with equal blocks and with uneven (and zero) blocks
            int blk = count / 2 * 2;
            List<long[]> vecs = new ArrayList<>();
            for (int r = 0; r < n; r++) vecs.add(inputs(t, op, r, blk * n));
            long[] red = fold(t, op, vecs);
            Object rsb = alloc(t, blk);
            coll(w, nb, "reduceScatterBlock", array(t, vecs.get(me)), rsb, op);
            assertArrayEquals(Arrays.copyOfRange(red, me * blk, me * blk + blk), values(t, rsb), "reduceScatterBlock " + what);
            int[] counts = new int[n];
            int sum = 0;
            for (int i = 0; i < n; i++) sum += counts[i] = (i + count) % 3 * 2;
            List<long[]> vv = new ArrayList<>();
            for (int r = 0; r < n; r++) vv.add(inputs(t, op, r, sum));
            long[] rv = fold(t, op, vv);
            int at = 0;
            for (int i = 0; i < me; i++) at += counts[i];
            Object rs = alloc(t, counts[me]);
            coll(w, nb, "reduceScatter", array(t, vv.get(me)), rs, counts, op);
            assertArrayEquals(Arrays.copyOfRange(rv, at, at + counts[me]), values(t, rs), "reduceScatter " + what);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void dataMovementOfEveryType(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            for (int ti = 0; ti < TYPES.length; ti++) checkMovement(w, TYPES[ti], ti % 2 == 0);
        });
    }

    static void checkMovement(Comm w, DataType t, boolean nb) {
        int n = w.size(), me = w.rank();
        String what = t + " on " + n + " ranks";
        for (int count : new int[]{0, 1, 5}) {
            for (int root : new int[]{0, n - 1, n / 2}) {
                // bcast
                Object b = me == root ? array(t, data(t, root, count)) : alloc(t, count);
                coll(w, nb, "bcast", b, root);
                assertArrayEquals(data(t, root, count), values(t, b), "bcast root " + root + " " + what);
                // gather into an offset
                Object g = alloc(t, 2 + n * count);
                coll(w, nb, "gather", array(t, data(t, me, count)), 0, count, g, 2, root);
                if (me == root) {
                    long[] got = values(t, g);
                    for (int r = 0; r < n; r++) {
                        assertArrayEquals(data(t, r, count), Arrays.copyOfRange(got, 2 + r * count, 2 + (r + 1) * count), "gather " + what);
                    }
                }
                // scatter
                long[] src = new long[n * count];
                for (int r = 0; r < n; r++) System.arraycopy(data(t, r, count), 0, src, r * count, count);
                Object sc = alloc(t, count);
                coll(w, nb, "scatter", array(t, src), sc, root);
                assertArrayEquals(data(t, me, count), values(t, sc), "scatter " + what);
            }
            // allgather (whole arrays and in place), alltoall
            long[] expect = new long[n * count];
            for (int r = 0; r < n; r++) System.arraycopy(data(t, r, count), 0, expect, r * count, count);
            Object ag = alloc(t, n * count);
            coll(w, nb, "allgather", array(t, data(t, me, count)), ag);
            assertArrayEquals(expect, values(t, ag), "allgather " + what);
            long[] inPlace = new long[n * count];
            System.arraycopy(data(t, me, count), 0, inPlace, me * count, count);
            Object ip = array(t, inPlace);
            coll(w, nb, "allgather", ip);
            assertArrayEquals(expect, values(t, ip), "allgather in place " + what);
            long[] a2a = new long[n * count];
            for (int j = 0; j < n; j++) for (int k = 0; k < count; k++) a2a[j * count + k] = datum(t, me * n + j, k);
            Object at = alloc(t, n * count);
            coll(w, nb, "alltoall", array(t, a2a), at);
            long[] gotA = values(t, at);
            for (int i = 0; i < n; i++) for (int k = 0; k < count; k++) {
                assertEquals(datum(t, i * n + me, k), gotA[i * count + k], "alltoall " + what);
            }
        }
        checkV(w, t, nb);
    }

    /** v-variants: counts (rank % 3) with zeros, blocks laid out in reverse rank order with gaps. */
    static void checkV(Comm w, DataType t, boolean nb) {
        int n = w.size(), me = w.rank();
        String what = t + " on " + n + " ranks";
        int[] counts = new int[n], displs = new int[n];
        int end = 1;
        for (int i = n - 1; i >= 0; i--) {
            counts[i] = (i + 1) % 3;
            displs[i] = end;
            end += counts[i] + 1;
        }
        int root = n / 2;
        Object g = alloc(t, end);
        coll(w, nb, "gatherv", array(t, data(t, me, counts[me])), g, counts, displs, root);
        Object ag = alloc(t, end);
        coll(w, nb, "allgatherv", array(t, data(t, me, counts[me])), ag, counts, displs);
        for (int r = 0; r < n; r++) {
            if (me == root) {
                assertArrayEquals(data(t, r, counts[r]), Arrays.copyOfRange(values(t, g), displs[r], displs[r] + counts[r]), "gatherv " + what);
            }
            assertArrayEquals(data(t, r, counts[r]), Arrays.copyOfRange(values(t, ag), displs[r], displs[r] + counts[r]), "allgatherv " + what);
        }
        long[] src = new long[end];
        for (int r = 0; r < n; r++) System.arraycopy(data(t, r, counts[r]), 0, src, displs[r], counts[r]);
        Object sv = alloc(t, counts[me] + 2);
        coll(w, nb, "scatterv", array(t, src), counts, displs, sv, 1, counts[me], root);
        assertArrayEquals(data(t, me, counts[me]), Arrays.copyOfRange(values(t, sv), 1, 1 + counts[me]), "scatterv " + what);
        // alltoallv: rank i sends (i + j) % 3 elements to rank j, blocks in reverse order with gaps
        int[] sc = new int[n], sd = new int[n], rc = new int[n], rd = new int[n];
        int se = 0, re = 0;
        for (int j = n - 1; j >= 0; j--) {
            sc[j] = (me + j) % 3;
            sd[j] = se + 1;
            se += sc[j] + 1;
            rc[j] = (j + me) % 3;
            rd[j] = re + 2;
            re += rc[j] + 2;
        }
        long[] out = new long[se];
        for (int j = 0; j < n; j++) for (int k = 0; k < sc[j]; k++) out[sd[j] + k] = datum(t, me * n + j, k);
        Object in = alloc(t, re);
        coll(w, nb, "alltoallv", array(t, out), sc, sd, in, rc, rd);
        long[] got = values(t, in);
        for (int i = 0; i < n; i++) for (int k = 0; k < rc[i]; k++) {
            assertEquals(datum(t, i * n + me, k), got[rd[i] + k], "alltoallv " + what);
        }
    }

    static long[] concat(long[] a, long[] b) {
        long[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
