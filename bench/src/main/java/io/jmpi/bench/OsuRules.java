package io.jmpi.bench;

import java.util.Arrays;

/**
 * The measurement rules of {@code bench/c/osu.c} in one place, for {@link Osu}: message sizes, iteration and
 * warm-up counts per size, the time-budget calibration and the nearest-rank percentiles. {@code OsuRulesTest}
 * checks these against osu.c's and the standalone Java suites' ({@code bench/mpj/OsuMpj.java},
 * {@code bench/openmpi/OsuOpenMpi.java}) own copies, which cannot share this class (they compile against MPJ
 * Express's or Open MPI's jar alone).
 */
final class OsuRules {
    /** Messages in flight per bw/bibw iteration ({@code WINDOW} in osu.c). */
    static final int WINDOW = 64;
    /** Sizes above this are "large": fewer iterations and warm-up iterations ({@code LARGE} in osu.c). */
    static final long LARGE = 65536;
    /** Upper bound of a calibrated iteration count ({@code MAX_ITERS} in osu.c). */
    static final long MAX_ITERS = 10_000_000L;
    /** Largest message size {@code -m} accepts (1 GiB, as osu.c). */
    static final long MAX_SIZE = 1L << 30;
    /** Longest time budget per size {@code -t} accepts, in seconds (as osu.c). */
    static final double MAX_BUDGET = 3600;

    private OsuRules() {
    }

    /** Timed iterations per size without {@code -i} and {@code -t}: osu.c's {@code default_iters}. */
    static long defaultIters(boolean bandwidth, long size) {
        if (bandwidth) return size > LARGE ? 20 : 100;
        return size > LARGE ? 100 : 1000;
    }

    /** Warm-up iterations per size without {@code -x}: 100, 10 above 64 KiB (osu.c). */
    static long defaultWarmup(long size) {
        return size > LARGE ? 10 : 100;
    }

    /**
     * Parses {@code -m}: {@code MIN:MAX} or {@code MAX} (MIN stays 1), 0 ≤ MIN ≤ MAX ≤ 1 GiB, as osu.c.
     *
     * @return {@code {min, max}}
     * @throws IllegalArgumentException naming the option and the value
     */
    static long[] parseSizes(String value) {
        int colon = value.indexOf(':');
        long min;
        long max;
        try {
            min = colon < 0 ? 1 : Long.parseLong(value.substring(0, colon));
            max = Long.parseLong(colon < 0 ? value : value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("osu: bad value '" + value + "' for -m: expected MIN:MAX or MAX in bytes");
        }
        if (min < 0 || min > max || max > MAX_SIZE) {
            throw new IllegalArgumentException("osu: bad value '" + value + "' for -m: need 0 <= MIN <= MAX <= " + MAX_SIZE);
        }
        return new long[] {min, max};
    }

    /**
     * The sizes a test runs, in order: MIN, 2·MIN, … ≤ MAX (0 is followed by 1), skipping those below
     * {@code element} bytes (reduce/allreduce use floats); a single size 0 for barrier. As osu.c's main loop.
     */
    static long[] sizes(long min, long max, int element, boolean single) {
        if (single) return new long[] {0};
        long[] out = new long[64];
        int n = 0;
        for (long size = min; size <= max; size = size == 0 ? 1 : size * 2) {
            if (size >= element) out[n++] = size;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The iteration count {@code -t} picks on rank 0: the budget over the warm-up's pace ({@code spentSeconds} for
     * {@code done} iterations), at least 1, at most {@link #MAX_ITERS} and at most {@code cap} when {@code -i} was
     * given too ({@code cap} ≤ 0: none).
     */
    static long calibrate(double budget, double spentSeconds, long done, long cap) {
        double per = spentSeconds / done;
        double want = per > 0 ? budget / per : MAX_ITERS;
        long chosen = want < 1 ? 1 : want > MAX_ITERS ? MAX_ITERS : (long) want;
        return cap > 0 ? Math.min(chosen, cap) : chosen;
    }

    /** Nearest-rank percentile of the sorted {@code x[0..n-1]}: {@code x[ceil(q·n)-1]} (osu.c's {@code pct}). */
    static long percentile(long[] x, int n, double q) {
        int i = (int) Math.ceil(q * n) - 1;
        return x[Math.max(0, Math.min(n - 1, i))];
    }
}
