package io.jmpi.bench;

import io.jmpi.Comm;

/**
 * Benchmark bookkeeping outside the timed region (agreeing on iteration counts, lining ranks up, collecting the
 * slowest rank's figure), over plain point-to-point on a dedicated tag so it never depends on the collectives
 * being measured.
 */
final class Control {
    private static final int TAG = 1_000_001;

    private Control() {
    }

    static int bcastFromZero(Comm c, int value) {
        int[] v = {value};
        if (c.rank() == 0) {
            for (int r = 1; r < c.size(); r++) c.send(v, r, TAG);
        } else {
            c.recv(v, 0, TAG);
        }
        return v[0];
    }

    static void barrier(Comm c) {
        byte[] b = new byte[0];
        if (c.rank() == 0) {
            for (int r = 1; r < c.size(); r++) c.recv(b, r, TAG);
            for (int r = 1; r < c.size(); r++) c.send(b, r, TAG);
        } else {
            c.send(b, 0, TAG);
            c.recv(b, 0, TAG);
        }
    }

    /** The sum of every rank's {@code value} on rank 0 (other ranks get their own value back). */
    static double sumAtZero(Comm c, double value) {
        double[] v = {value};
        if (c.rank() != 0) {
            c.send(v, 0, TAG);
            return value;
        }
        double sum = value;
        for (int r = 1; r < c.size(); r++) {
            c.recv(v, r, TAG);
            sum += v[0];
        }
        return sum;
    }

    /** The sum of every rank's {@code value}, on every rank. */
    static int sumToAll(Comm c, int value) {
        return bcastFromZero(c, (int) sumAtZero(c, value));
    }
}
