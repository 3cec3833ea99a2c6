package io.jmpi.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The file domains of a two-phase collective access: the region {@code [lo, hi)} that all ranks touch, cut into one
 * contiguous domain per aggregator, each handled in rounds of at most {@code buffer} bytes. Every rank computes the
 * same domains from the same gathered numbers, so nobody has to announce them.
 *
 * <p>Domain boundaries are rounded to {@code align} bytes (a file-system block) where the region is large enough, so
 * two aggregators never write the same block; the last domain takes the remainder.
 */
public final class FileDomains {
    private final long lo;
    private final long hi;
    private final long[] start;
    private final int[] aggregators;
    private final long buffer;

    /**
     * @param aggregators ranks of the aggregators, domain {@code i} belongs to {@code aggregators[i]}
     * @param buffer      bytes an aggregator handles per round ({@code cb_buffer_size}), {@code > 0}
     * @param align       preferred domain boundary, bytes ({@code > 0})
     */
    public FileDomains(long lo, long hi, int[] aggregators, long buffer, long align) {
        this.lo = lo;
        this.hi = hi;
        this.buffer = buffer;
        int k = aggregators.length;
        long span = Math.max(0, hi - lo);
        long each = (span + k - 1) / k;
        if (each >= 4 * align) each = (each + align - 1) / align * align;
        this.start = new long[k + 1];
        for (int i = 0; i <= k; i++) start[i] = Math.min(hi, lo + i * each);
        start[k] = Math.max(lo, hi);
        this.aggregators = aggregators.clone();
    }

    public int count() { return aggregators.length; }
    public int aggregator(int domain) { return aggregators[domain]; }
    public long domainLo(int domain) { return start[domain]; }
    public long domainHi(int domain) { return start[domain + 1]; }
    public long lo() { return lo; }
    public long hi() { return hi; }

    /** Rounds needed: the largest domain divided by the buffer, rounded up. */
    public int rounds() {
        long r = 0;
        for (int i = 0; i < count(); i++) r = Math.max(r, (domainHi(i) - domainLo(i) + buffer - 1) / buffer);
        return (int) r;
    }

    /** Start of domain {@code d}'s window in round {@code r} (may equal {@link #windowHi} when the domain is done). */
    public long windowLo(int d, int r) {
        return Math.min(domainHi(d), domainLo(d) + r * buffer);
    }

    public long windowHi(int d, int r) {
        return Math.min(domainHi(d), domainLo(d) + (r + 1) * buffer);
    }

    /**
     * Which ranks aggregate: {@code count} of them (clamped to [1, ranks]), the first rank of every host before a
     * second rank of any host, hosts in order of their first rank, so the file traffic spreads over the hosts.
     *
     * @param hostOf host of each rank (any identifier; equal strings mean one host)
     */
    public static int[] chooseAggregators(String[] hostOf, int count) {
        int n = hostOf.length;
        count = Math.max(1, Math.min(n, count));
        Map<String, List<Integer>> byHost = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) byHost.computeIfAbsent(hostOf[r], h -> new ArrayList<>()).add(r);
        int[] out = new int[count];
        int k = 0;
        for (int level = 0; k < count; level++) {
            for (List<Integer> ranks : byHost.values()) {
                if (level < ranks.size() && k < count) out[k++] = ranks.get(level);
            }
        }
        java.util.Arrays.sort(out);
        return out;
    }

    /** Number of distinct hosts (the default number of aggregators, as ROMIO's {@code cb_nodes}). */
    public static int hosts(String[] hostOf) {
        return (int) java.util.Arrays.stream(hostOf).distinct().count();
    }

    /**
     * Whether the ranks' regions {@code [lo[i], hi[i])} overlap (ROMIO's "interleaved" test): if not, each rank can do
     * its own large requests and two-phase aggregation buys nothing. Empty regions ({@code lo >= hi}) are ignored.
     */
    public static boolean interleaved(long[] lo, long[] hi) {
        Integer[] idx = new Integer[lo.length];
        int m = 0;
        for (int i = 0; i < lo.length; i++) if (lo[i] < hi[i]) idx[m++] = i;
        Integer[] live = java.util.Arrays.copyOf(idx, m);
        java.util.Arrays.sort(live, (a, b) -> Long.compare(lo[a], lo[b]));
        long reach = Long.MIN_VALUE;
        for (Integer i : live) {
            if (lo[i] < reach) return true;
            reach = Math.max(reach, hi[i]);
        }
        return false;
    }
}
