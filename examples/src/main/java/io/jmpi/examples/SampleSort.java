package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;

import java.util.Arrays;

/**
 * Sample sort of {@code n} random 64-bit keys spread over the ranks: afterwards rank 0 holds the smallest keys in
 * order, rank 1 the next ones, and so on.
 *
 * <p>The parallel idea: each rank sorts its keys and picks {@code oversample} evenly spaced samples; an
 * {@code allgather} gives every rank all samples, from which all pick the same {@code p - 1} splitters. Each rank
 * cuts its sorted keys at the splitters (binary search), an {@code alltoall} tells every rank how many keys it will
 * receive from each other rank, and one {@code alltoallv} moves all keys to their destination; each rank then merges
 * the p sorted runs it received. Oversampling keeps the buckets within a few percent of n/p.
 *
 * <p>Key i is a hash of i (SplitMix64), so the input is the same whatever the number of ranks. Verified: every
 * rank's keys are in order, each rank's last key is at most the next non-empty rank's first, and the multiset of
 * keys is unchanged: count, sum and XOR of hashed keys before and after (allreduce). The result line has a
 * fingerprint of the sorted sequence (key and global position, the position from an {@code exscan} of the counts),
 * identical for any number of ranks. Arguments: {@code [--n=N] [--oversample=S] [--seed=SEED]}.
 */
public final class SampleSort {
    public static void main(String[] args) {
        Args a = new Args("samplesort", args);
        long n = a.integer("n", 10_000_000L, 1, 1L << 34);
        int oversample = a.integer("oversample", 64, 1, 1 << 16);
        long seed = a.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int p = world.size(), me = world.rank();
            Partition input = new Partition(n, p);
            long[] keys = new long[input.count(me)];
            for (int i = 0; i < keys.length; i++) keys[i] = Fingerprint.mix(seed + input.lo(me) + i);
            long[] before = multiset(world, keys);

            double t0 = Summary.start(world);
            long[] sorted = sort(world, keys, oversample);
            double t = Summary.stop(world, t0);

            // verify: order within and across ranks, and the same multiset of keys
            boolean ok = true;
            for (int i = 1; i < sorted.length; i++) ok &= sorted[i - 1] <= sorted[i];
            long[] ends = {sorted.length, sorted.length > 0 ? sorted[0] : 0, sorted.length > 0 ? sorted[sorted.length - 1] : 0};
            long[] allEnds = new long[3 * p];
            world.allgather(ends, allEnds);
            long prevLast = Long.MIN_VALUE;
            long min = Long.MAX_VALUE, max = 0;
            for (int r = 0; r < p; r++) {
                long count = allEnds[3 * r];
                min = Math.min(min, count);
                max = Math.max(max, count);
                if (count == 0) continue;
                ok &= prevLast <= allEnds[3 * r + 1];
                prevLast = allEnds[3 * r + 2];
            }
            ok &= Arrays.equals(before, multiset(world, sorted));
            verified = Summary.all(world, ok);

            long[] offset = {sorted.length};
            world.exscan(offset, Op.SUM);             // my first key's global position
            if (me == 0) offset[0] = 0;               // exscan leaves rank 0's buffer as it was
            Fingerprint f = new Fingerprint();
            for (int i = 0; i < sorted.length; i++) f.add(offset[0] + i, sorted[i]);
            String fp = f.combine(world);
            Summary.result(world, "samplesort", String.format("fingerprint=%s keys per rank %d..%d (ideal %d)",
                    fp, min, max, n / p));
            Summary.report(world, "samplesort", n + " keys", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** Sorts the keys of all ranks: returns this rank's share of the global order. */
    static long[] sort(Comm world, long[] keys, int oversample) {
        int p = world.size();
        Arrays.sort(keys);
        if (p == 1) return keys;

        // 1. regular samples of every rank to every rank; all ranks pick the same splitters
        long[] samples = new long[oversample];
        for (int i = 0; i < oversample; i++) {
            samples[i] = keys.length == 0 ? Long.MAX_VALUE : keys[(int) ((long) i * keys.length / oversample)];
        }
        long[] all = new long[oversample * p];
        world.allgather(samples, all);
        Arrays.sort(all);
        long[] splitters = new long[p - 1];
        for (int i = 1; i < p; i++) splitters[i - 1] = all[i * oversample];

        // 2. cut my sorted keys at the splitters: keys <= splitters[d] (and > splitters[d-1]) go to rank d
        int[] sendCounts = new int[p], sdispls = new int[p];
        for (int d = 0, from = 0; d < p; d++) {
            int to = d == p - 1 ? keys.length : upperBound(keys, from, splitters[d]);
            sdispls[d] = from;
            sendCounts[d] = to - from;
            from = to;
        }

        // 3. how much comes from whom, then the keys themselves
        int[] recvCounts = new int[p], rdispls = new int[p];
        world.alltoall(sendCounts, recvCounts);
        for (int s = 1; s < p; s++) rdispls[s] = rdispls[s - 1] + recvCounts[s - 1];
        long[] received = new long[rdispls[p - 1] + recvCounts[p - 1]];
        world.alltoallv(keys, sendCounts, sdispls, received, recvCounts, rdispls);

        // 4. p sorted runs arrived: merge them
        return merge(received, rdispls);
    }

    /** First index in {@code a[from..)} whose key is greater than {@code key}. */
    private static int upperBound(long[] a, int from, long key) {
        int lo = from, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Merges sorted runs {@code a[starts[i], starts[i] + counts[i])} pairwise, doubling the run length each pass. */
    static long[] merge(long[] a, int[] starts) {
        int runs = starts.length;
        int[] bounds = new int[runs + 1];
        for (int i = 0; i < runs; i++) bounds[i] = starts[i];
        bounds[runs] = a.length;
        long[] src = a, dst = new long[a.length];
        for (int width = 1; width < runs; width *= 2) {
            for (int lo = 0; lo < runs; lo += 2 * width) {
                int mid = Math.min(lo + width, runs), hi = Math.min(lo + 2 * width, runs);
                int i = bounds[lo], j = bounds[mid], k = bounds[lo];
                while (i < bounds[mid] && j < bounds[hi]) dst[k++] = src[i] <= src[j] ? src[i++] : src[j++];
                while (i < bounds[mid]) dst[k++] = src[i++];
                while (j < bounds[hi]) dst[k++] = src[j++];
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        return src;
    }

    /** Count, sum and XOR of hashed keys over all ranks: the same values for the same multiset of keys. */
    private static long[] multiset(Comm world, long[] keys) {
        long[] sums = {keys.length, 0}, xor = {0};
        for (long k : keys) {
            long h = Fingerprint.mix(k);
            sums[1] += h;
            xor[0] ^= h;
        }
        world.allreduce(sums, Op.SUM);
        world.allreduce(xor, Op.BXOR);
        return new long[]{sums[0], sums[1], xor[0]};
    }
}
