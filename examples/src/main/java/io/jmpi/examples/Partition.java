package io.jmpi.examples;

/**
 * A block partition of {@code n} items into {@code parts} contiguous blocks whose sizes differ by at most one (the
 * first {@code n % parts} blocks get one more), the usual way to share loop iterations, rows or keys among ranks.
 * Block {@code i} is {@code [lo(i), hi(i))}; {@link #counts()} and {@link #displs()} are ready for the
 * {@code *v} collectives (gatherv, allgatherv, scatterv).
 */
public record Partition(long n, int parts) {
    public Partition {
        if (n < 0 || parts < 1) throw new IllegalArgumentException("Partition: n=" + n + ", parts=" + parts);
    }

    /** First item of block {@code i}. */
    public long lo(int i) {
        return i * (n / parts) + Math.min(i, n % parts);
    }

    /** One past the last item of block {@code i}. */
    public long hi(int i) {
        return lo(i + 1);
    }

    /** Number of items in block {@code i}. */
    public int count(int i) {
        return Math.toIntExact(hi(i) - lo(i));
    }

    /** The block that holds item {@code index}. */
    public int owner(long index) {
        long q = n / parts, r = n % parts;
        long big = r * (q + 1); // items held by the first r blocks, each one larger
        return (int) (index < big ? index / (q + 1) : r + (index - big) / q);
    }

    /** Block sizes, for gatherv/allgatherv/scatterv. */
    public int[] counts() {
        int[] c = new int[parts];
        for (int i = 0; i < parts; i++) c[i] = count(i);
        return c;
    }

    /** Block offsets, for gatherv/allgatherv/scatterv. */
    public int[] displs() {
        int[] d = new int[parts];
        for (int i = 0; i < parts; i++) d[i] = Math.toIntExact(lo(i));
        return d;
    }
}
