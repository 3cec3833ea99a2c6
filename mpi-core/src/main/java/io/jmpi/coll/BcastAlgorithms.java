package io.jmpi.coll;

import io.jmpi.buffer.Buf;

/**
 * Barrier and broadcast.
 * <ul>
 *   <li>Barrier: dissemination, {@code ceil(log2 p)} rounds of empty messages to {@code rank + 2^k}.</li>
 *   <li>Broadcast, small (or fewer than 3 ranks): binomial tree, {@code ceil(log2 p)} hops.</li>
 *   <li>Broadcast, at least {@code collBcastLarge} bytes on 3+ ranks (van de Geijn): binomial scatter of p chunks,
 *       then a ring allgather of the chunks; each rank moves about {@code 2n} bytes instead of the root sending
 *       {@code n log p}. Ring steps skip chunks the receiver already holds from the scatter.</li>
 * </ul>
 */
public final class BcastAlgorithms {
    private BcastAlgorithms() {
    }

    public static void barrier(Schedule s) {
        int p = s.size(), r = s.rank();
        s.algorithm("dissemination");
        Buf empty = Block.EMPTY.buf();
        for (int k = 0, d = 1; d < p; d <<= 1, k++) {
            s.send((r + d) % p, k, empty);
            s.recv((r - d + p) % p, k, empty);
            s.round();
        }
    }

    public static void bcast(Schedule s, Block buf, int root) {
        long bytes = (long) buf.count * buf.type.size;
        if (s.size() >= 3 && bytes >= s.tuning().bcastLarge && buf.count >= s.size()) {
            scatterAllgather(s, buf, root);
        } else {
            binomial(s, buf, root);
        }
    }

    static void binomial(Schedule s, Block buf, int root) {
        s.algorithm("binomial tree");
        int p = s.size(), vr = Ranks.rel(s.rank(), root, p);
        Buf b = buf.buf();
        if (vr != 0) {
            s.recv(Ranks.abs(Ranks.parent(vr), root, p), 0, b);
            s.round();
        }
        for (int m = Ranks.topMask(vr, p); m > 0; m >>= 1) {
            if (vr + m < p) s.send(Ranks.abs(vr + m, root, p), 0, b);
        }
        s.round();
    }

    static void scatterAllgather(Schedule s, Block buf, int root) {
        s.algorithm("scatter + ring allgather");
        int p = s.size(), vr = Ranks.rel(s.rank(), root, p), n = buf.count;
        int cs = (n + p - 1) / p;
        if (vr != 0) {
            s.recv(Ranks.abs(Ranks.parent(vr), root, p), 0, chunks(buf, cs, vr, vr + Ranks.subtree(vr, p)));
            s.round();
        }
        for (int m = Ranks.topMask(vr, p); m > 0; m >>= 1) {
            int c = vr + m;
            if (c < p) s.send(Ranks.abs(c, root, p), 0, chunks(buf, cs, c, c + Math.min(m, p - c)));
        }
        s.round();
        int right = (vr + 1) % p, left = (vr - 1 + p) % p;
        for (int k = 0; k < p - 1; k++) {
            int sc = Ranks.mod(vr - k, p), rc = Ranks.mod(vr - k - 1, p);
            if (!holds(right, sc, p)) s.send(Ranks.abs(right, root, p), 1 + k, chunks(buf, cs, sc, sc + 1));
            if (!holds(vr, rc, p)) s.recv(Ranks.abs(left, root, p), 1 + k, chunks(buf, cs, rc, rc + 1));
            s.round();
        }
    }

    /** Whether relative rank {@code q} received chunk {@code c} in the scatter (its subtree's chunks). */
    private static boolean holds(int q, int c, int p) {
        return c >= q && c < q + Ranks.subtree(q, p);
    }

    private static Buf chunks(Block buf, int cs, int first, int end) {
        int a = Ranks.chunkStart(first, cs, buf.count), b = Ranks.chunkStart(end, cs, buf.count);
        return buf.buf(a, b - a);
    }
}
