package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Op#ofArrays}: vector user operations with operands of several elements, in collectives and reduceLocal. */
class OpArraysTest {
    /** Non-commutative on (a, b) records: (a1, b1) o (a2, b2) = (a1 * a2, b1 * a2 + b2), affine maps composed. */
    private static final Op AFFINE = Op.ofArrays(Datatype.LONG, 2, (in, io, inout, ioo, n) -> {
        long[] x = (long[]) in, y = (long[]) inout;
        for (int i = 0; i < n; i += 2) {
            long a = x[io + i] * y[ioo + i], b = x[io + i + 1] * y[ioo + i] + y[ioo + i + 1];
            y[ioo + i] = a;
            y[ioo + i + 1] = b;
        }
    }, false);

    @Test
    void reduceLocalAppliesInThenInout() {
        long[] inout = {3, 4};
        AFFINE.reduceLocal(new long[]{2, 5}, inout);
        assertArrayEquals(new long[]{6, 19}, inout);
        MpiException e = assertThrows(MpiException.class, () -> AFFINE.reduceLocal(new long[3], new long[3]));
        assertEquals("reduceLocal: op USER(long) combines operands of 2 elements: in.length=3 is not a multiple of 2", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void allreduceAndScanKeepRecordsWholeAndInRankOrder(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int r = w.rank();
            int records = 700; // large enough for the segmented algorithms
            long[] send = new long[2 * records];
            for (int i = 0; i < records; i++) {
                send[2 * i] = r + 2;
                send[2 * i + 1] = r + i;
            }
            long[] out = new long[send.length];
            w.allreduce(send, out, AFFINE);
            long[] expect = expected(send.length, n, records);
            assertArrayEquals(expect, out);
            long[] scan = new long[send.length];
            w.scan(send, scan, AFFINE);
            assertArrayEquals(expected(send.length, r + 1, records), scan);
            MpiException e = assertThrows(MpiException.class, () -> w.allreduce(new long[3], new long[3], AFFINE));
            assertEquals(ErrorClass.ARG, e.errorClass());
        });
    }

    private static long[] expected(int length, int ranks, int records) {
        long[] e = new long[length];
        for (int i = 0; i < records; i++) {
            long a = 2, b = i;
            for (int q = 1; q < ranks; q++) {
                long a2 = q + 2, b2 = q + i;
                b = b * a2 + b2;
                a = a * a2;
            }
            e[2 * i] = a;
            e[2 * i + 1] = b;
        }
        return e;
    }

    @Test
    void badArgumentsAreNamed() {
        MpiException e = assertThrows(MpiException.class, () -> Op.ofArrays(Datatype.INT, 0, (a, b, c, d, n) -> { }, true));
        assertEquals("Op.ofArrays: grain=0 out of range [1, 2147483647]", e.getMessage());
        Datatype v = Datatype.contiguous(2, Datatype.INT).commit();
        e = assertThrows(MpiException.class, () -> Op.ofArrays(v, 1, (a, b, c, d, n) -> { }, true));
        assertEquals(ErrorClass.ARG, e.errorClass());
    }
}
