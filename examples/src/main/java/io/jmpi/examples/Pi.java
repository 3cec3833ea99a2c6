package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * pi as the integral of 4/(1+x^2) over [0, 1], by the midpoint rule with {@code n} intervals.
 *
 * <p>The parallel idea: the intervals are cut into a fixed number of blocks that does not depend on the number of
 * ranks; each rank sums a contiguous share of the blocks, one partial sum per block, and a gatherv brings all block
 * sums to rank 0 <em>in block order</em>, where they are added in that order. Floating-point addition is not
 * associative, so a plain {@code reduce(SUM)} of one partial sum per rank would give a result whose last bits depend
 * on the number of ranks; this way the answer is bit-identical on 1, 3 or 64 ranks.
 *
 * <p>Verified: the error is within the midpoint rule's bound 1/(3 n^2) (|f''| &le; 8 on [0, 1]) plus a bound on the
 * rounding error of the sums. Arguments: {@code [--n=intervals] [--blocks=B]}.
 */
public final class Pi {
    public static void main(String[] args) {
        Args a = new Args("pi", args);
        long n = a.integer("n", 200_000_000L, 1, 1L << 50);
        int blocks = (int) Math.min(n, a.integer("blocks", 4096, 1, 1 << 20));
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            Partition intervals = new Partition(n, blocks);          // intervals -> blocks (fixed)
            Partition mine = new Partition(blocks, world.size());   // blocks -> ranks
            int first = (int) mine.lo(world.rank());
            double[] blockSums = new double[mine.count(world.rank())];
            double h = 1.0 / n;

            double t0 = Summary.start(world);
            for (int b = 0; b < blockSums.length; b++) {
                double s = 0;
                for (long i = intervals.lo(first + b), end = intervals.hi(first + b); i < end; i++) {
                    double x = (i + 0.5) * h;
                    s += 4 / (1 + x * x);
                }
                blockSums[b] = s * h;
            }
            // every block sum to rank 0, in block order; rank 0 adds them in that fixed order
            double[] all = world.rank() == 0 ? new double[blocks] : null;
            world.gatherv(blockSums, all, mine.counts(), mine.displs(), 0);
            double pi = 0;
            if (world.rank() == 0) for (double s : all) pi += s;
            double t = Summary.stop(world, t0);

            double eps = Math.ulp(1.0);
            double bound = 1.0 / (3.0 * n * (double) n) + 4 * eps * ((double) n / blocks + blocks) + 1e-15;
            double error = Math.abs(pi - Math.PI);
            verified = Summary.all(world, world.rank() != 0 || error <= bound);
            Summary.result(world, "pi", String.format("%.17g error=%.3g bound=%.3g", pi, error, bound));
            Summary.report(world, "pi", n + " intervals", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }
}
