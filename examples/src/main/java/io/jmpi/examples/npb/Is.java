package io.jmpi.examples.npb;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.examples.Args;
import io.jmpi.examples.Partition;
import io.jmpi.examples.Summary;

/**
 * NPB IS (integer sort), written from the NPB specification: rank 2^T integer keys in [0, 2^K), ten times.
 * Key i is floor(2^K / 4 * (r(4i+1) + r(4i+2) + r(4i+3) + r(4i+4))) from the NPB generator with seed 314159265,
 * so keys cluster in the middle of the range. Before iteration i, key[i] is set to i and key[i + 10] to 2^K - i.
 *
 * <p>The parallel idea is a bucket sort. Each rank holds a block of the keys (its share of the generator sequence
 * starts at a computed seed: {@link Randlc#skip}). Every iteration it counts its keys per bucket (the top B bits of
 * a key), an allreduce gives the global bucket sizes, and consecutive buckets are assigned to ranks so that each gets
 * about 2^T / p keys. An alltoall of the counts and an alltoallv of the keys, grouped by bucket, move every key to
 * the rank that owns its bucket, which ranks them locally by counting.
 *
 * <p>Verification, as NPB: each iteration, the ranks of five keys at fixed positions of the initial sequence
 * (the number of keys smaller than each; here a sum over ranks by allreduce) must equal the official values shifted by
 * the iteration as the specification prescribes; after the last iteration the keys must be fully sorted, within
 * ranks and across rank boundaries. 5 x 10 + 1 checks must pass. Mop/s = 10 x 2^T / time / 10^6.
 * Arguments: {@code [--class=S|W|A|B|C]}.
 */
public final class Is {
    private static final int ITERATIONS = 10;
    private static final long SEED = 314_159_265L;

    /** Class: log2 of keys, of the key range and of the buckets; the official test positions and ranks. */
    private record Params(int totalLog, int maxKeyLog, int bucketLog, long[] testIndex, long[] testRank) {
    }

    private static Params params(char cls) {
        return switch (cls) {
            case 'S' -> new Params(16, 11, 9, new long[]{48427, 17148, 23627, 62548, 4431},
                    new long[]{0, 18, 346, 64917, 65463});
            case 'W' -> new Params(20, 16, 10, new long[]{357773, 934767, 875723, 898999, 404505},
                    new long[]{1249, 11698, 1039987, 1043896, 1048018});
            case 'A' -> new Params(23, 19, 10, new long[]{2112377, 662041, 5336171, 3642833, 4250760},
                    new long[]{104, 17523, 123928, 8288932, 8388264});
            case 'B' -> new Params(25, 21, 10, new long[]{41869, 812306, 5102857, 18232239, 26860214},
                    new long[]{33422937, 10244, 59149, 33135281, 99});
            case 'C' -> new Params(27, 23, 10, new long[]{44172927, 72999161, 74326391, 129606274, 21736814},
                    new long[]{61147, 882988, 266290, 133997595, 133525895});
            default -> throw new IllegalArgumentException("class " + cls);
        };
    }

    /** The rank test key {@code i} must have in {@code iteration}: the specification's per-class shift. */
    private static long expectedRank(char cls, long[] testRank, int i, int iteration) {
        boolean up = switch (cls) {
            case 'S', 'A', 'C' -> i <= 2;
            case 'W' -> i < 2;
            case 'B' -> i == 1 || i == 2 || i == 4;
            default -> throw new IllegalArgumentException("class " + cls);
        };
        int shift = switch (cls) {
            case 'W' -> up ? iteration - 2 : iteration;
            case 'A' -> iteration - 1;
            default -> iteration;
        };
        return up ? testRank[i] + shift : testRank[i] - shift;
    }

    public static void main(String[] args) {
        Args a = new Args("npb-is", args);
        char cls = a.choice("class", "S", "S", "W", "A", "B", "C").charAt(0);
        a.done();
        Params p = params(cls);
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            long total = 1L << p.totalLog;
            int maxKey = 1 << p.maxKeyLog;
            if (world.rank() == 0) {
                System.out.printf("%n NAS Parallel Benchmarks (jmpi examples) - IS Benchmark%n%n");
                System.out.printf(" Size:  %d  (class %c)%n Iterations:   %d%n Number of processes:     %d%n%n",
                        total, cls, ITERATIONS, world.size());
            }
            Sorter s = new Sorter(world, p, total, maxKey);

            s.rank(1, null);              // untimed warm-up, as NPB does
            int[] passed = {0};
            double t0 = Summary.start(world);
            for (int it = 1; it <= ITERATIONS; it++) {
                if (world.rank() == 0) System.out.printf("        %d%n", it);
                long[] ranks = s.rank(it, p.testIndex);
                for (int i = 0; i < ranks.length; i++) {
                    long k = s.testKeys[i];
                    if (k > 0 && k <= total - 1) {
                        if (ranks[i] == expectedRank(cls, p.testRank, i, it)) passed[0]++;
                        else if (world.rank() == 0) {
                            System.out.printf(" Failed partial verification: iteration %d, test key %d%n", it, i);
                        }
                    }
                }
            }
            double t = Summary.stop(world, t0);

            if (s.fullyVerified()) passed[0]++;
            verified = Summary.all(world, passed[0] == 5 * ITERATIONS + 1);
            if (world.rank() == 0) {
                System.out.printf(" Verification: %s (%d of %d checks passed)%n", verified ? "SUCCESSFUL" : "UNSUCCESSFUL",
                        passed[0], 5 * ITERATIONS + 1);
            }
            Npb.printResults(world, "IS", cls, Long.toString(total), ITERATIONS, t,
                    (double) ITERATIONS * total / t / 1e6, "keys ranked", verified);
            Summary.result(world, "npb-is", "passed=" + passed[0] + " of " + (5 * ITERATIONS + 1));
            Summary.report(world, "npb-is", "class " + cls, t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** One rank's part of the sort: its block of the keys and, after {@link #rank}, the keys of its buckets. */
    private static final class Sorter {
        final Comm world;
        final int p, shift, buckets, maxKey;
        final long lo, total;
        final int[] keys;
        final long[] testKeys = new long[5];
        int[] received = new int[0];
        int minKey, maxKeyHere;   // the key range of my buckets: [minKey, maxKeyHere)
        int[] rankCount;          // rankCount[k - minKey] = number of my keys <= k

        Sorter(Comm world, Params params, long total, int maxKey) {
            this.world = world;
            this.p = world.size();
            this.maxKey = maxKey;
            this.total = total;
            this.buckets = 1 << params.bucketLog;
            this.shift = params.maxKeyLog - params.bucketLog;
            Partition share = new Partition(total, p);
            lo = share.lo(world.rank());
            keys = new int[share.count(world.rank())];
            // my block of the sequence starts after the 4 lo numbers used by the keys before it
            Randlc r = new Randlc(SEED).skip(4 * lo);
            double k = maxKey / 4;
            for (int i = 0; i < keys.length; i++) {
                double x = r.next();
                x += r.next();
                x += r.next();
                x += r.next();
                keys[i] = (int) (k * x);
            }
            // the five test keys, read by their owners (the positions are beyond 2 x ITERATIONS: never modified)
            for (int i = 0; i < 5; i++) {
                long at = params.testIndex[i];
                if (at >= lo && at < lo + keys.length) testKeys[i] = keys[(int) (at - lo)];
            }
            world.allreduce(testKeys, Op.MAX);
        }

        /** One iteration: modify, redistribute by bucket, rank locally; returns the global ranks of the test keys. */
        long[] rank(int iteration, long[] testIndex) {
            set(iteration, iteration);
            set(iteration + ITERATIONS, maxKey - iteration);

            // 1. bucket sizes, here and in total
            int[] local = new int[buckets];
            for (int key : keys) local[key >> shift]++;
            int[] global = new int[buckets];
            world.allreduce(local, global, Op.SUM);

            // 2. consecutive buckets to each rank, about total / p keys each: bucket b goes to the rank in whose
            //    share of the keys its first key falls. Every rank computes the same assignment.
            int[] owner = new int[buckets];
            long before = 0;
            for (int b = 0; b < buckets; b++) {
                owner[b] = (int) Math.min(p - 1, before * p / total);
                before += global[b];
            }

            // 3. my keys grouped by bucket (a counting sort on the bucket), so each rank's keys are contiguous
            int[] start = new int[buckets + 1];
            for (int b = 0; b < buckets; b++) start[b + 1] = start[b] + local[b];
            int[] grouped = new int[keys.length], fill = start.clone();
            for (int key : keys) grouped[fill[key >> shift]++] = key;
            int[] sendCounts = new int[p], sdispls = new int[p];
            for (int b = 0; b < buckets; b++) sendCounts[owner[b]] += local[b];
            for (int r = 1; r < p; r++) sdispls[r] = sdispls[r - 1] + sendCounts[r - 1];

            // 4. the keys to their bucket's owner
            int[] recvCounts = new int[p], rdispls = new int[p];
            world.alltoall(sendCounts, recvCounts);
            for (int r = 1; r < p; r++) rdispls[r] = rdispls[r - 1] + recvCounts[r - 1];
            received = new int[rdispls[p - 1] + recvCounts[p - 1]];
            world.alltoallv(grouped, sendCounts, sdispls, received, recvCounts, rdispls);

            // 5. rank locally by counting: rankCount[k - minKey] = my keys <= k
            int me = world.rank(), firstBucket = buckets, lastBucket = -1;
            for (int b = 0; b < buckets; b++) {
                if (owner[b] == me) {
                    firstBucket = Math.min(firstBucket, b);
                    lastBucket = b;
                }
            }
            minKey = firstBucket << shift;
            maxKeyHere = Math.max(minKey, (lastBucket + 1) << shift);
            rankCount = new int[maxKeyHere - minKey];
            for (int key : received) rankCount[key - minKey]++;
            for (int k = 1; k < rankCount.length; k++) rankCount[k] += rankCount[k - 1];

            // 6. partial verification: the rank of a test key k is the number of keys < k, summed over ranks
            long[] ranks = new long[5];
            if (testIndex == null) return ranks;
            for (int i = 0; i < 5; i++) ranks[i] = smaller((int) testKeys[i]);
            world.allreduce(ranks, Op.SUM);
            return ranks;
        }

        /** Sets global key {@code index} to {@code value} if this rank holds it. */
        private void set(long index, int value) {
            if (index >= lo && index < lo + keys.length) keys[(int) (index - lo)] = value;
        }

        /** The number of my (received) keys smaller than {@code k}. */
        private long smaller(int k) {
            if (k <= minKey || rankCount.length == 0) return 0;
            if (k > maxKeyHere) return received.length;
            return rankCount[k - 1 - minKey];
        }

        /** Full verification: my keys, put in order by the counts, are sorted, and follow the previous rank's. */
        boolean fullyVerified() {
            int[] sorted = new int[received.length];
            for (int i = received.length - 1; i >= 0; i--) {
                int k = received[i];
                sorted[--rankCount[k - minKey]] = k;
            }
            boolean ok = true;
            for (int i = 1; i < sorted.length; i++) ok &= sorted[i - 1] <= sorted[i];
            // every rank's (count, first, last); non-empty neighbours must be in order
            long[] mine = {sorted.length, sorted.length > 0 ? sorted[0] : 0, sorted.length > 0 ? sorted[sorted.length - 1] : 0};
            long[] all = new long[3 * p];
            world.allgather(mine, all);
            long prev = Long.MIN_VALUE, count = 0;
            for (int r = 0; r < p; r++) {
                count += all[3 * r];
                if (all[3 * r] == 0) continue;
                ok &= prev <= all[3 * r + 1];
                prev = all[3 * r + 2];
            }
            return ok && count == total;
        }
    }
}
