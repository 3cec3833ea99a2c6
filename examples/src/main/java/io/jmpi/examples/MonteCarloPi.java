package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;

import java.util.SplittableRandom;

/**
 * pi by Monte Carlo: the fraction of random points of the unit square that fall inside the quarter circle is pi/4.
 *
 * <p>The parallel idea is the random numbers. Ranks must not share a stream (their samples would be correlated) and
 * the estimate should not depend on how many ranks there are. So the samples are cut into a fixed number of chunks
 * and chunk {@code c} draws from the {@code c}-th child stream of one {@link SplittableRandom}: the children of
 * {@code split()} are statistically independent streams, each rank derives exactly the children of its own chunks,
 * and the hit counts are integers, so their {@code reduce(SUM)} is exact. The estimate is the same bits on any number
 * of ranks for a given seed and sample count.
 *
 * <p>Verified: |estimate - pi| is within 6 standard deviations (4 sqrt(p(1-p)/N), p = pi/4); a correct program fails
 * this with probability about 2e-9. Arguments: {@code [--samples=N] [--seed=S] [--chunks=C]}.
 */
public final class MonteCarloPi {
    public static void main(String[] args) {
        Args a = new Args("montecarlo-pi", args);
        long samples = a.integer("samples", 100_000_000L, 1, 1L << 50);
        long seed = a.integer("seed", 20240101L, Long.MIN_VALUE, Long.MAX_VALUE);
        int chunks = (int) Math.min(samples, a.integer("chunks", 1024, 1, 1 << 20));
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            Partition perChunk = new Partition(samples, chunks);
            Partition mine = new Partition(chunks, world.size());
            int first = (int) mine.lo(world.rank()), last = (int) mine.hi(world.rank());

            double t0 = Summary.start(world);
            SplittableRandom root = new SplittableRandom(seed);
            long[] hits = {0};
            for (int c = 0; c < last; c++) {
                SplittableRandom stream = root.split();  // the c-th child: the same stream whichever rank owns c
                if (c < first) continue;
                long in = 0;
                for (long i = perChunk.count(c); i > 0; i--) {
                    double x = stream.nextDouble(), y = stream.nextDouble();
                    if (x * x + y * y < 1) in++;
                }
                hits[0] += in;
            }
            long[] total = {0};
            world.reduce(hits, total, Op.SUM, 0);   // integers: exact in any order
            double t = Summary.stop(world, t0);

            double estimate = 4.0 * total[0] / samples;
            double p = Math.PI / 4, sigma = 4 * Math.sqrt(p * (1 - p) / samples);
            double error = Math.abs(estimate - Math.PI);
            verified = Summary.all(world, world.rank() != 0 || error <= 6 * sigma);
            Summary.result(world, "montecarlo-pi", String.format("%.17g hits=%d error=%.3g sigma=%.3g",
                    estimate, total[0], error, sigma));
            Summary.report(world, "montecarlo-pi", samples + " samples", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }
}
