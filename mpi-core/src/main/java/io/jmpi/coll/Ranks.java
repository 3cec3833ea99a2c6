package io.jmpi.coll;

/**
 * Rank arithmetic of the tree and ring algorithms. Trees are binomial over ranks relative to a root
 * ({@code vr = (rank - root) mod p}): the parent of {@code vr} is {@code vr} with its lowest set bit cleared,
 * its children are {@code vr + m} for powers of two {@code m < lowbit(vr)} (every {@code m < p} for the root), and
 * the subtree of {@code vr} is the contiguous range {@code [vr, vr + lowbit(vr))}, so gathers and scatters move
 * contiguous runs of blocks and reductions combine contiguous runs of ranks.
 */
final class Ranks {
    private Ranks() {
    }

    static int rel(int rank, int root, int p) {
        return rank >= root ? rank - root : rank - root + p;
    }

    static int abs(int vr, int root, int p) {
        int r = vr + root;
        return r >= p ? r - p : r;
    }

    static int mod(int x, int p) {
        int m = x % p;
        return m < 0 ? m + p : m;
    }

    static int parent(int vr) {
        return vr & (vr - 1);
    }

    /** Largest child distance of {@code vr} (0 if it has no children). */
    static int topMask(int vr, int p) {
        if (vr == 0) return p <= 1 ? 0 : Integer.highestOneBit(p - 1);
        return Integer.lowestOneBit(vr) >> 1;
    }

    /** Number of ranks in the subtree of {@code vr}. */
    static int subtree(int vr, int p) {
        return vr == 0 ? p : Math.min(Integer.lowestOneBit(vr), p - vr);
    }

    /** Start (in elements) of chunk {@code j} when {@code n} elements are cut into chunks of {@code cs}. */
    static int chunkStart(int j, int cs, int n) {
        return (int) Math.min(n, (long) j * cs);
    }
}
