package io.jmpi.coll;

/**
 * Gather, scatter and allgather (and their v-variants).
 * <ul>
 *   <li>gather/scatter, blocks below {@code collGatherLarge} bytes on 3+ ranks: binomial tree; a rank forwards the
 *       contiguous blocks of its subtree in one message, {@code ceil(log2 p)} rounds. Larger blocks: linear (every
 *       rank sends to / receives from the root directly, no intermediate copies).</li>
 *   <li>gatherv/scatterv: linear (counts are known only at the root).</li>
 *   <li>allgather(v), total below {@code collAllgatherLarge} bytes on 3+ ranks: Bruck, {@code ceil(log2 p)} rounds
 *       for any p, then a local rotation. Larger (or 2 ranks): ring, {@code p - 1} rounds straight into the receive
 *       buffer, each rank moving its share once.</li>
 * </ul>
 */
public final class GatherAlgorithms {
    private GatherAlgorithms() {
    }

    /** Gathers {@code n}-element blocks into {@code recv} of {@code root}: block i at {@code recv[i n]}. */
    public static void gather(Schedule s, Block send, Block recv, int root) {
        int p = s.size(), r = s.rank(), n = send.count;
        if (p >= 3 && (long) n * send.type.size < s.tuning().gatherLarge) {
            binomialGather(s, send, recv, root);
            return;
        }
        s.algorithm("linear");
        if (r == root) {
            s.action(() -> Block.copy(send, 0, recv, root * n, n));
            for (int k = 1; k < p; k++) {
                int i = (root + k) % p;
                s.recv(i, 0, recv.buf(i * n, n));
            }
        } else {
            s.send(root, 0, send.buf());
        }
        s.round();
    }

    static void binomialGather(Schedule s, Block send, Block recv, int root) {
        s.algorithm("binomial tree");
        int p = s.size(), r = s.rank(), n = send.count;
        int vr = Ranks.rel(r, root, p), sub = Ranks.subtree(vr, p), top = Ranks.topMask(vr, p);
        int parent = Ranks.abs(Ranks.parent(vr), root, p);
        if (sub == 1 && vr != 0) {
            s.send(parent, 0, send.buf());
            s.round();
            return;
        }
        // blocks of relative ranks [vr, vr + sub), in relative order; the root's own buffer if no rotation is needed
        Block tmp = vr == 0 && root == 0 ? recv : Block.allocate(send.type, sub * n);
        s.action(() -> Block.copy(send, 0, tmp, 0, n));
        for (int m = 1; m <= top; m <<= 1) {
            int c = vr + m;
            if (c < p) s.recv(Ranks.abs(c, root, p), 0, tmp.buf(m * n, Math.min(m, p - c) * n));
        }
        s.round();
        if (vr != 0) {
            s.send(parent, 0, tmp.buf(0, sub * n));
            s.round();
        } else if (root != 0) {
            int head = (p - root) * n;
            s.action(() -> {
                Block.copy(tmp, 0, recv, root * n, head);
                Block.copy(tmp, head, recv, 0, root * n);
            });
        }
    }

    /** Gathers blocks of different sizes: block i ({@code counts[i]} elements) at {@code recv[displs[i]]}. */
    public static void gatherv(Schedule s, Block send, Block recv, int[] counts, int[] displs, int root) {
        s.algorithm("linear");
        int p = s.size(), r = s.rank();
        if (r == root) {
            s.action(() -> Block.copy(send, 0, recv, displs[root], send.count));
            for (int k = 1; k < p; k++) {
                int i = (root + k) % p;
                s.recv(i, 0, recv.buf(displs[i], counts[i]));
            }
        } else {
            s.send(root, 0, send.buf());
        }
        s.round();
    }

    /** Scatters {@code n}-element blocks of {@code send} of {@code root}: block i to rank i. */
    public static void scatter(Schedule s, Block send, Block recv, int root) {
        int p = s.size(), r = s.rank(), n = recv.count;
        if (p >= 3 && (long) n * recv.type.size < s.tuning().gatherLarge) {
            binomialScatter(s, send, recv, root);
            return;
        }
        s.algorithm("linear");
        if (r == root) {
            for (int k = 1; k < p; k++) {
                int i = (root + k) % p;
                s.send(i, 0, send.buf(i * n, n));
            }
            s.action(() -> Block.copy(send, root * n, recv, 0, n));
        } else {
            s.recv(root, 0, recv.buf());
        }
        s.round();
    }

    static void binomialScatter(Schedule s, Block send, Block recv, int root) {
        s.algorithm("binomial tree");
        int p = s.size(), r = s.rank(), n = recv.count;
        int vr = Ranks.rel(r, root, p), sub = Ranks.subtree(vr, p);
        int parent = Ranks.abs(Ranks.parent(vr), root, p);
        if (sub == 1 && vr != 0) {
            s.recv(parent, 0, recv.buf());
            s.round();
            return;
        }
        Block src;
        if (vr == 0) {
            if (root == 0) {
                src = send;
            } else {
                Block t = Block.allocate(recv.type, p * n);
                int head = (p - root) * n;
                s.action(() -> {
                    Block.copy(send, root * n, t, 0, head);
                    Block.copy(send, 0, t, head, root * n);
                });
                src = t;
            }
        } else {
            src = Block.allocate(recv.type, sub * n);
            s.recv(parent, 0, src.buf());
            s.round();
        }
        for (int m = Ranks.topMask(vr, p); m > 0; m >>= 1) {
            int c = vr + m;
            if (c < p) s.send(Ranks.abs(c, root, p), 0, src.buf(m * n, Math.min(m, p - c) * n));
        }
        s.action(() -> Block.copy(src, 0, recv, 0, n));
        s.round();
    }

    /** Scatters blocks of different sizes: {@code counts[i]} elements from {@code send[displs[i]]} to rank i. */
    public static void scatterv(Schedule s, Block send, Block recv, int[] counts, int[] displs, int root) {
        s.algorithm("linear");
        int p = s.size(), r = s.rank();
        if (r == root) {
            for (int k = 1; k < p; k++) {
                int i = (root + k) % p;
                s.send(i, 0, send.buf(displs[i], counts[i]));
            }
            s.action(() -> Block.copy(send, displs[root], recv, 0, recv.count));
        } else {
            s.recv(root, 0, recv.buf());
        }
        s.round();
    }

    /**
     * Every rank's {@code send} ({@code counts[rank]} elements) into {@code recv[displs[i]]} of every rank; equal
     * counts and packed displacements make it a plain allgather.
     */
    public static void allgatherv(Schedule s, Block send, Block recv, int[] counts, int[] displs) {
        int p = s.size();
        long total = 0;
        for (int c : counts) total += c;
        if (p >= 3 && total * send.type.size < s.tuning().allgatherLarge) bruck(s, send, recv, counts, displs);
        else ring(s, send, recv, counts, displs);
    }

    static void ring(Schedule s, Block send, Block recv, int[] counts, int[] displs) {
        s.algorithm("ring");
        int p = s.size(), r = s.rank();
        int right = (r + 1) % p, left = (r - 1 + p) % p;
        s.action(() -> Block.copy(send, 0, recv, displs[r], counts[r]));
        for (int k = 0; k < p - 1; k++) {
            int sb = Ranks.mod(r - k, p), rb = Ranks.mod(r - k - 1, p);
            s.send(right, k, recv.buf(displs[sb], counts[sb]));
            s.recv(left, k, recv.buf(displs[rb], counts[rb]));
            s.round();
        }
    }

    static void bruck(Schedule s, Block send, Block recv, int[] counts, int[] displs) {
        s.algorithm("Bruck");
        int p = s.size(), r = s.rank();
        // tmp holds the blocks of ranks r, r+1, ... (mod p) back to back; o[i] is where block i of that order starts
        int[] o = new int[p + 1];
        for (int i = 0; i < p; i++) o[i + 1] = o[i] + counts[(r + i) % p];
        Block tmp = Block.allocate(send.type, o[p]);
        s.action(() -> Block.copy(send, 0, tmp, 0, counts[r]));
        for (int dist = 1, k = 0; dist < p; dist <<= 1, k++) {
            int c = Math.min(dist, p - dist);
            s.send((r - dist + p) % p, k, tmp.buf(0, o[c]));
            s.recv((r + dist) % p, k, tmp.buf(o[dist], o[dist + c] - o[dist]));
            s.round();
        }
        s.action(() -> {
            for (int i = 0; i < p; i++) {
                int q = (r + i) % p;
                Block.copy(tmp, o[i], recv, displs[q], counts[q]);
            }
        });
    }
}
