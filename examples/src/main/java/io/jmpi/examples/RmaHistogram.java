package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.Win;

import java.util.SplittableRandom;

/**
 * A distributed histogram with one-sided communication: {@code --buckets} counters spread over the ranks (bucket
 * b lives on rank {@code b % p} at index {@code b / p}, in a {@link Win} over a {@code long[]}), filled from
 * {@code --keys} random keys without the owners taking part.
 *
 * <p>The parallel idea: the keys come in fixed chunks (chunk c is drawn from its own stream, seed + c), handed out
 * dynamically by a shared ticket counter on rank 0 ({@link Win#fetchAndOp} SUM 1: each ticket is one chunk, so a
 * fast rank takes more); a rank counts its chunk locally, then adds each owner's share to the owner's counters with
 * one {@link Win#accumulate} (SUM) per owner, all inside one passive-target epoch ({@link Win#lockAll}). The owners
 * compute (or wait) meanwhile; their progress agents apply the accumulates.
 *
 * <p>Verified: rank 0 regenerates every chunk and counts serially; the distributed counters, gathered, must equal
 * that count exactly, and the tickets handed out must be exactly 0..chunks+p-1 (each rank stops at its first ticket
 * past the last chunk). The result is identical on any rank count. Arguments:
 * {@code [--keys=N] [--buckets=B] [--chunk=C] [--seed=S]}.
 */
public final class RmaHistogram {
    public static void main(String[] args) {
        Args a = new Args("rma-histogram", args);
        long keys = a.integer("keys", 4_000_000L, 1, 1L << 40);
        int buckets = (int) a.integer("buckets", 1000, 1, 1 << 24);
        int chunk = (int) a.integer("chunk", 1 << 16, 1, 1 << 26);
        long seed = a.integer("seed", 42, 0, Long.MAX_VALUE);
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int p = world.size(), me = world.rank();
            long chunks = (keys + chunk - 1) / chunk;
            long[] counters = new long[(buckets + p - 1) / p];  // my buckets: me, me + p, me + 2p, ...
            long[] ticket = new long[1];                        // rank 0's ticket counter (others' unused)
            long[] local = new long[buckets];
            long[][] share = new long[p][counters.length];
            long myChunks = 0;

            double t0 = Summary.start(world);
            try (Win hist = Win.create(world, counters); Win tickets = Win.create(world, ticket)) {
                hist.lockAll(0);
                tickets.lockAll(0);
                long[] one = {1}, got = new long[1];
                while (true) {
                    tickets.fetchAndOp(one, 0, got, 0, 0, 0, Op.SUM);
                    long c = got[0];
                    if (c >= chunks) break;
                    myChunks++;
                    java.util.Arrays.fill(local, 0);
                    countChunk(c, chunk, keys, seed, buckets, local);
                    for (int o = 0; o < p; o++) {
                        long[] s = share[o];
                        int n = 0;
                        for (int b = o; b < buckets; b += p) s[n++] = local[b];
                        if (n > 0) hist.accumulate(s, 0, n, o, 0, Op.SUM);
                    }
                    hist.flushLocalAll(); // the share arrays are reused for the next chunk
                }
                tickets.unlockAll();
                hist.unlockAll(); // every accumulate of this rank is applied at its owner
                world.barrier();  // ... and every other rank's too: the counters are final
            }
            double t = Summary.stop(world, t0);

            // verification: gather the counters in bucket order, compare with a serial count on rank 0
            long[] all = me == 0 ? new long[counters.length * p] : null;
            world.gather(counters, all, 0);
            long[] handed = new long[1];
            world.reduce(new long[]{myChunks}, handed, Op.SUM, 0);
            boolean ok = true;
            String text = "";
            if (me == 0) {
                long[] serial = new long[buckets];
                for (long c = 0; c < chunks; c++) countChunk(c, chunk, keys, seed, buckets, serial);
                long total = 0, hash = 0;
                for (int b = 0; b < buckets; b++) {
                    long v = all[(b % p) * counters.length + b / p];
                    ok &= v == serial[b];
                    total += v;
                    hash ^= Fingerprint.mix(b * 0x9E3779B97F4A7C15L + v);
                }
                ok &= total == keys && handed[0] == chunks;
                text = String.format("%d keys in %d buckets, %d chunks, fingerprint %016x", total, buckets, chunks, hash);
            }
            verified = Summary.all(world, ok);
            Summary.result(world, "rma-histogram", text);
            Summary.report(world, "rma-histogram", keys + " keys", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** Adds the bucket counts of chunk {@code c}'s keys (its own stream: seed + c) to {@code counts}. */
    static void countChunk(long c, int chunk, long keys, long seed, int buckets, long[] counts) {
        SplittableRandom r = new SplittableRandom(seed + c);
        long n = Math.min(chunk, keys - c * chunk);
        for (long i = 0; i < n; i++) counts[r.nextInt(buckets)]++;
    }
}
