package io.jmpi;

import io.jmpi.buffer.DataType;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The one-index loops of {@link Reductions} (taken when the three runs start at the same index, which C2 vectorises)
 * give the same bits as the three-offset loops, for every operation they cover, including NaN, -0.0 and infinities
 * for MIN/MAX.
 */
class ReductionsShapeTest {
    private static final double[] SPECIAL = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-310};

    @Test
    void oneIndexLoopsMatchThreeOffsetLoops() {
        Random rnd = new Random(7);
        // many rounds, so that both loop shapes run compiled by C2 (vectorised) before the last comparisons
        for (int round = 0; round < 400; round++) {
            check(rnd, round % 100 == 99);
        }
    }

    private static void check(Random rnd, boolean compare) {
        int n = 3000;
        for (Op op : new Op[]{Op.SUM, Op.PROD, Op.MIN, Op.MAX}) {
            double[] a = new double[n + 1], b = new double[n + 1];
            float[] fa = new float[n + 1], fb = new float[n + 1];
            int[] ia = new int[n + 1], ib = new int[n + 1];
            for (int i = 0; i <= n; i++) {
                a[i] = i % 17 == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextGaussian();
                b[i] = i % 13 == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : rnd.nextGaussian();
                fa[i] = (float) a[i];
                fb[i] = (float) b[i];
                ia[i] = rnd.nextInt();
                ib[i] = rnd.nextInt();
            }
            // same index everywhere (one-index loop) against shifted copies (three-offset loop)
            double[] d1 = new double[n + 1], d2 = new double[n + 2];
            double[] a2 = shift(a), b2 = new double[n + 1];
            System.arraycopy(b, 0, b2, 0, n + 1);
            Reductions.apply(op, DataType.DOUBLE, a, 1, b, 1, d1, 1, n);
            Reductions.apply(op, DataType.DOUBLE, a2, 2, b2, 1, d2, 0, n);
            for (int i = 0; compare && i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(d1[1 + i]), Double.doubleToRawLongBits(d2[i]), op + " double " + i);
            }
            float[] f1 = new float[n + 1], f2 = new float[n];
            float[] fa2 = new float[n + 2];
            System.arraycopy(fa, 0, fa2, 1, n + 1);
            Reductions.apply(op, DataType.FLOAT, fa, 1, fb, 1, f1, 1, n);
            Reductions.apply(op, DataType.FLOAT, fa2, 2, fb, 1, f2, 0, n);
            for (int i = 0; compare && i < n; i++) {
                assertEquals(Float.floatToRawIntBits(f1[1 + i]), Float.floatToRawIntBits(f2[i]), op + " float " + i);
            }
            int[] i1 = new int[n + 1], i2 = new int[n];
            int[] ia2 = new int[n + 2];
            System.arraycopy(ia, 0, ia2, 1, n + 1);
            Reductions.apply(op, DataType.INT, ia, 1, ib, 1, i1, 1, n);
            Reductions.apply(op, DataType.INT, ia2, 2, ib, 1, i2, 0, n);
            for (int i = 0; compare && i < n; i++) assertEquals(i1[1 + i], i2[i], op + " int " + i);
        }
    }

    private static double[] shift(double[] a) {
        double[] s = new double[a.length + 1];
        System.arraycopy(a, 0, s, 1, a.length);
        return s;
    }
}
