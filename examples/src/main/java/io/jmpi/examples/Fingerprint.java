package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Op;

/**
 * A fingerprint of a distributed array: a hash of every (global index, value bits) pair, combined with XOR and a
 * wrapping sum, which do not depend on the order the pairs are added in. So ranks add their own parts, an allreduce
 * combines them, and the result is the same bits whether 1 or 64 ranks held the array: equal fingerprints across
 * runs on different rank counts mean (with overwhelming probability) bit-identical results.
 */
public final class Fingerprint {
    private long xor, sum;

    /** Adds element {@code index} with the given bits. */
    public void add(long index, long bits) {
        long h = mix(mix(index) ^ bits);
        xor ^= h;
        sum += h;
    }

    /** Adds element {@code index} with value {@code v} (its exact bits). */
    public void add(long index, double v) {
        add(index, Double.doubleToLongBits(v));
    }

    /** Combines the fingerprints of all ranks; every rank gets the result as 32 hex digits. */
    public String combine(Comm world) {
        long[] x = {xor}, s = {sum};
        world.allreduce(x, Op.BXOR);
        world.allreduce(s, Op.SUM);
        return String.format("%016x%016x", x[0], s[0]);
    }

    /** This rank's part alone (the whole fingerprint when one rank holds all the data). */
    @Override
    public String toString() {
        return String.format("%016x%016x", xor, sum);
    }

    /** SplitMix64's finaliser: a cheap, good 64-bit mixing function. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
