package io.jmpi.examples.npb;

/**
 * The NAS Parallel Benchmarks' pseudo-random number generator ({@code randlc}/{@code vranlc} in the NPB
 * specification): the linear congruential sequence x(k+1) = a x(k) mod 2^46 with a = 5^13, whose k-th number is
 * x(k) 2^-46 in (0, 1). The specification computes it in double precision, splitting the factors into 23-bit halves
 * so that every product is exact; in Java a {@code long} multiplication is exact modulo 2^64, and 2^46 divides
 * 2^64, so {@code (a * x) & (2^46 - 1)} is the same integer.
 *
 * <p>Parallel codes need to start a rank's share of the sequence at element k without generating the k before it:
 * {@link #skip(long)} multiplies the seed by a^k, computed by repeated squaring in O(log k) steps.
 */
public final class Randlc {
    /** 5^13, the multiplier of all NPB kernels. */
    public static final long A = 1_220_703_125L;
    private static final long MASK = (1L << 46) - 1;
    private static final double SCALE = 0x1.0p-46;

    private long x;

    /** A generator whose next number is {@code a * seed mod 2^46} (NPB's seeds are integers below 2^46). */
    public Randlc(long seed) {
        if (seed <= 0 || seed > MASK) throw new IllegalArgumentException("seed " + seed + " out of range [1, 2^46)");
        this.x = seed;
    }

    /** The next number in (0, 1) ({@code randlc(x, a)}). */
    public double next() {
        x = (A * x) & MASK;
        return x * SCALE;
    }

    /** Fills {@code out[0, n)} with the next n numbers ({@code vranlc}). */
    public void next(double[] out, int n) {
        long s = x;
        for (int i = 0; i < n; i++) {
            s = (A * s) & MASK;
            out[i] = s * SCALE;
        }
        x = s;
    }

    /** Skips {@code k} numbers: the seed becomes a^k seed mod 2^46. */
    public Randlc skip(long k) {
        x = (power(A, k) * x) & MASK;
        return this;
    }

    /** The current seed (the integer behind the last number returned). */
    public long seed() {
        return x;
    }

    /** b^k mod 2^46 by repeated squaring. */
    public static long power(long b, long k) {
        if (k < 0) throw new IllegalArgumentException("k=" + k);
        long result = 1, sq = b & MASK;
        while (k > 0) {
            if ((k & 1) != 0) result = (result * sq) & MASK;
            sq = (sq * sq) & MASK;
            k >>>= 1;
        }
        return result;
    }
}
