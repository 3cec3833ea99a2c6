package io.jmpi.examples.npb;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.examples.Args;
import io.jmpi.examples.Partition;
import io.jmpi.examples.Summary;

/**
 * NPB EP ("embarrassingly parallel"), written from the NPB specification: 2^(M+1) uniform numbers of the NPB
 * generator (seed 271828183) become pairs (x, y) in (-1, 1)^2; each pair inside the unit circle yields two Gaussian
 * deviates by the Marsaglia polar method, X = x sqrt(-2 ln t / t), Y = y sqrt(-2 ln t / t) with t = x^2 + y^2. The
 * benchmark reports the sums sx, sy of all X, Y and counts the pairs by annulus l = floor(max(|X|, |Y|)).
 *
 * <p>The parallel idea: the numbers are cut into batches of 2^17 (2^16 pairs). Batch b starts at element
 * 2^17 b of the sequence, a seed any rank computes directly ({@link Randlc#skip}), so each rank takes a block of
 * batches and nothing is communicated until the end. There the per-batch sums go to rank 0 in batch order
 * (gatherv) and are added in that order, so sx and sy are bit-identical for any number of ranks, and the integer
 * counts are reduced exactly.
 *
 * <p>Verification, as NPB: |sx - sx_ref| / |sx_ref| and |sy - sy_ref| / |sy_ref| at most 1e-8, the reference values of
 * the class. Mop/s = 2^(M+1) / time / 10^6. Arguments: {@code [--class=S|W|A|B|C]}.
 */
public final class Ep {
    private static final int MK = 16, NK = 1 << MK, NQ = 10;
    private static final long SEED = 271_828_183L;

    /** Class: M, and the official sx, sy. */
    private record Params(int m, double sx, double sy) {
    }

    private static Params params(char cls) {
        return switch (cls) {
            case 'S' -> new Params(24, -3.247834652034740e+3, -6.958407078382297e+3);
            case 'W' -> new Params(25, -2.863319731645753e+3, -6.320053679109499e+3);
            case 'A' -> new Params(28, -4.295875165629892e+3, -1.580732573678431e+4);
            case 'B' -> new Params(30, 4.033815542441498e+4, -2.660669192809235e+4);
            case 'C' -> new Params(32, 4.764367927995374e+4, -8.084072988043731e+4);
            default -> throw new IllegalArgumentException("class " + cls);
        };
    }

    public static void main(String[] args) {
        Args a = new Args("npb-ep", args);
        char cls = a.choice("class", "S", "S", "W", "A", "B", "C").charAt(0);
        a.done();
        Params p = params(cls);
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int batches = 1 << (p.m - MK);
            Partition share = new Partition(batches, world.size());
            int first = (int) share.lo(world.rank()), mine = share.count(world.rank());
            if (world.rank() == 0) {
                System.out.printf("%n NAS Parallel Benchmarks (jmpi examples) - EP Benchmark%n%n");
                System.out.printf(" Number of random numbers generated: %15d%n", 1L << (p.m + 1));
                System.out.printf(" Number of active processes:         %15d%n%n", world.size());
            }

            double t0 = Summary.start(world);
            double[] sums = new double[2 * mine];          // (sx, sy) of each of my batches
            long[] q = new long[NQ];
            double[] x = new double[2 * NK];
            for (int b = 0; b < mine; b++) {
                new Randlc(SEED).skip(2L * NK * (first + b)).next(x, 2 * NK);
                double sx = 0, sy = 0;
                for (int i = 0; i < NK; i++) {
                    double x1 = 2 * x[2 * i] - 1, x2 = 2 * x[2 * i + 1] - 1;
                    double t = x1 * x1 + x2 * x2;
                    if (t <= 1) {
                        double f = Math.sqrt(-2 * Math.log(t) / t);
                        double gx = x1 * f, gy = x2 * f;
                        q[(int) Math.max(Math.abs(gx), Math.abs(gy))]++;
                        sx += gx;
                        sy += gy;
                    }
                }
                sums[2 * b] = sx;
                sums[2 * b + 1] = sy;
            }
            // batch sums to rank 0 in batch order (bit-identical on any number of ranks); exact integer counts
            int[] counts = share.counts(), displs = share.displs();
            for (int r = 0; r < counts.length; r++) {
                counts[r] *= 2;
                displs[r] *= 2;
            }
            double[] all = world.rank() == 0 ? new double[2 * batches] : null;
            world.gatherv(sums, all, counts, displs, 0);
            world.allreduce(q, Op.SUM);
            double sx = 0, sy = 0;
            if (world.rank() == 0) {
                for (int b = 0; b < batches; b++) {
                    sx += all[2 * b];
                    sy += all[2 * b + 1];
                }
            }
            double tm = Summary.stop(world, t0);

            long pairs = 0;
            for (long c : q) pairs += c;
            double errX = Math.abs((sx - p.sx) / p.sx), errY = Math.abs((sy - p.sy) / p.sy);
            verified = Summary.all(world, world.rank() != 0 || (errX <= 1e-8 && errY <= 1e-8));
            if (world.rank() == 0) {
                System.out.printf(" EP Benchmark Results:%n%n");
                System.out.printf(" CPU Time = %10.4f%n", tm);
                System.out.printf(" N = 2^%5d%n", p.m);
                System.out.printf(" No. Gaussian Pairs = %15d%n", pairs);
                System.out.printf(" Sums = %25.15e %25.15e%n", sx, sy);
                System.out.printf(" Counts:%n");
                for (int i = 0; i < NQ; i++) System.out.printf("%3d%15d%n", i, q[i]);
                System.out.printf(" Verification: %s (relative errors %.3e %.3e, epsilon 1e-8)%n",
                        verified ? "SUCCESSFUL" : "UNSUCCESSFUL", errX, errY);
            }
            Npb.printResults(world, "EP", cls, Long.toString(1L << (p.m + 1)), 0, tm,
                    Math.pow(2, p.m + 1) / tm / 1e6, "Random numbers generated", verified);
            Summary.result(world, "npb-ep", String.format("sx=%.17g sy=%.17g pairs=%d", sx, sy, pairs));
            Summary.report(world, "npb-ep", "class " + cls, tm, verified);
        }
        System.exit(Summary.exitCode(verified));
    }
}
