package io.jmpi.io;

import java.util.Arrays;

/**
 * The file regions of one access, in the order of its data stream: a list of {@code (file offset, length)} pairs in
 * bytes, each with the position of its first byte in the packed data stream. Adjacent pieces merge when added, so a
 * contiguous access is one segment whatever its view. The views this package builds are monotonic (MPI requires a
 * filetype's displacements to be non-negative and non-decreasing), so the offsets of one access increase and never
 * overlap: a region of the file can be looked up by binary search.
 */
public final class Segments {
    private long[] off = new long[4];
    private long[] len = new long[4];
    private long[] pos = new long[4];
    private int n;
    private long bytes;

    public int count() { return n; }
    public long offset(int i) { return off[i]; }
    public long length(int i) { return len[i]; }
    /** Position of segment {@code i}'s first byte in the data stream. */
    public long streamPos(int i) { return pos[i]; }
    /** Total bytes of the access. */
    public long bytes() { return bytes; }
    /** Lowest file offset touched; 0 for an empty access. */
    public long lo() { return n == 0 ? 0 : off[0]; }
    /** One past the highest file offset touched; 0 for an empty access. */
    public long hi() { return n == 0 ? 0 : off[n - 1] + len[n - 1]; }

    public void clear() {
        n = 0;
        bytes = 0;
    }

    /** Appends {@code length > 0} bytes at file {@code offset}; merges with the last segment when they touch. */
    public void add(long offset, long length) {
        if (length <= 0) return;
        if (n > 0 && off[n - 1] + len[n - 1] == offset) {
            len[n - 1] += length;
        } else {
            if (n == off.length) {
                off = Arrays.copyOf(off, n * 2);
                len = Arrays.copyOf(len, n * 2);
                pos = Arrays.copyOf(pos, n * 2);
            }
            off[n] = offset;
            len[n] = length;
            pos[n] = bytes;
            n++;
        }
        bytes += length;
    }

    /**
     * Drops every byte at or beyond {@code fileSize} and everything after it in the stream (a read stops at the end
     * of file: what it returns is the stream's prefix up to the first byte beyond it). Returns the bytes kept.
     */
    public long clipAt(long fileSize) {
        for (int i = 0; i < n; i++) {
            if (off[i] + len[i] > fileSize) {
                long keep = Math.max(0, fileSize - off[i]);
                bytes = pos[i] + keep;
                len[i] = keep;
                n = keep > 0 ? i + 1 : i;
                break;
            }
        }
        return bytes;
    }

    /** Index of the first segment that ends after {@code offset} ({@link #count()} if none). */
    public int firstEndingAfter(long offset) {
        int a = 0, b = n;
        while (a < b) {
            int m = (a + b) >>> 1;
            if (off[m] + len[m] <= offset) a = m + 1;
            else b = m;
        }
        return a;
    }

    /** Bytes of this access inside the file region {@code [lo, hi)}. */
    public long bytesIn(long lo, long hi) {
        long sum = 0;
        for (int i = firstEndingAfter(lo); i < n && off[i] < hi; i++) {
            sum += Math.min(hi, off[i] + len[i]) - Math.max(lo, off[i]);
        }
        return sum;
    }

    /** What {@link #forEachIn} reports: a piece at file {@code offset}, {@code length} bytes, stream position {@code streamPos}. */
    @FunctionalInterface
    public interface PieceVisitor {
        void piece(long offset, long length, long streamPos);
    }

    /** Visits the pieces of this access inside {@code [lo, hi)} in increasing file offset; returns their bytes. */
    public long forEachIn(long lo, long hi, PieceVisitor v) {
        long sum = 0;
        for (int i = firstEndingAfter(lo); i < n && off[i] < hi; i++) {
            long a = Math.max(lo, off[i]), b = Math.min(hi, off[i] + len[i]);
            v.piece(a, b - a, pos[i] + (a - off[i]));
            sum += b - a;
        }
        return sum;
    }

    /** The segments as pairs {@code [offset, length, ...]} clipped to {@code [lo, hi)} (what an aggregator is told). */
    public long[] pairsIn(long lo, long hi) {
        int first = firstEndingAfter(lo), last = first;
        while (last < n && off[last] < hi) last++;
        long[] p = new long[2 * (last - first)];
        for (int i = first; i < last; i++) {
            long a = Math.max(lo, off[i]), b = Math.min(hi, off[i] + len[i]);
            p[2 * (i - first)] = a;
            p[2 * (i - first) + 1] = b - a;
        }
        return p;
    }

    /** Segments from pairs {@code [offset, length, ...]} at {@code from}, {@code pairs} of them (stream positions from 0). */
    public static Segments ofPairs(long[] a, int from, int pairs) {
        Segments s = new Segments();
        for (int i = 0; i < pairs; i++) s.add(a[from + 2 * i], a[from + 2 * i + 1]);
        return s;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : ", ").append(off[i]).append('+').append(len[i]);
        return b.append(']').toString();
    }
}
