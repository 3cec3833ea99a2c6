package io.jmpi.coll;

/**
 * Reductions: reduce, allreduce, reduce-scatter, scan and exscan. Every algorithm combines the partial result of a
 * run of lower ranks with that of the adjacent run of higher ranks ({@link Combiner}), so results respect
 * non-commutative operations and are bitwise identical on every rank and in every run for a given size.
 * <ul>
 *   <li>allreduce, small: recursive doubling, {@code log2 p} exchanges of the whole vector. With
 *       {@code p = 2^k + rem}, the first {@code 2 rem} ranks fold in pairs first (even sends to odd) and get the
 *       result back at the end.</li>
 *   <li>allreduce, at least {@code collAllreduceLarge} bytes (Rabenseifner): the same fold, then a reduce-scatter by
 *       recursive halving and an allgather by recursive doubling; about {@code 2n} bytes per rank. Halving runs
 *       with increasing distance so each half always holds a contiguous run of ranks.</li>
 *   <li>reduce, small: binomial tree into the root (rooted at the root for commutative operations; rooted at rank
 *       0 and forwarded for non-commutative ones). Large: reduce-scatter as above, then a binomial gather of the
 *       pieces and, if needed, one forward to the root.</li>
 *   <li>reduce-scatter: allreduce then keep the own block for small vectors; pairwise exchange of the blocks with
 *       a combine in rank order at the end for large ones ({@code collReduceScatterLarge}).</li>
 *   <li>scan and exscan: recursive doubling, {@code log2 p} rounds.</li>
 * </ul>
 */
public final class ReduceAlgorithms {
    private static final int TAG_FORWARD = 1000;
    private static final int TAG_GATHER = 600;

    private ReduceAlgorithms() {
    }

    // ------------------------------------------------------------------ reduce

    /** Reduces {@code send} of every rank into {@code recv} of {@code root} (ignored elsewhere). */
    public static void reduce(Schedule s, Combiner op, Block send, Block recv, int root) {
        int p = s.size(), n = send.count;
        long bytes = (long) n * send.type.size;
        if (p > 1 && bytes >= s.tuning().reduceLarge && n / op.grain() >= Integer.highestOneBit(p)) {
            s.algorithm("reduce-scatter + gather (Rabenseifner)");
            Block acc = s.rank() == root ? recv : Block.allocate(send.type, n);
            s.action(() -> Block.copy(send, 0, acc, 0, n));
            Halving h = halving(s, op, null, acc);
            gatherHalves(s, h, acc);
            int holder = h.real(0);
            if (root != holder) {
                if (s.rank() == holder) s.send(root, TAG_FORWARD, acc.buf());
                else if (s.rank() == root) s.recv(holder, TAG_FORWARD, recv.buf());
                s.round();
            }
        } else {
            binomialReduce(s, op, send, recv, root);
        }
    }

    static void binomialReduce(Schedule s, Combiner op, Block send, Block recv, int root) {
        s.algorithm(op.commutative() ? "binomial tree" : "binomial tree from rank 0 (non-commutative)");
        int p = s.size(), r = s.rank(), n = send.count;
        int treeRoot = op.commutative() ? root : 0;
        int vr = Ranks.rel(r, treeRoot, p), top = Ranks.topMask(vr, p);
        int kids = 0;
        for (int m = 1; m <= top; m <<= 1) if (vr + m < p) kids++;
        Block acc = null;
        if (kids == 0 && vr != 0) {
            s.send(Ranks.abs(Ranks.parent(vr), treeRoot, p), 0, send.buf());
            s.round();
        } else {
            Block a = r == root && vr == 0 ? recv : Block.allocate(send.type, n);
            acc = a;
            s.action(() -> Block.copy(send, 0, a, 0, n));
            Block[] parts = new Block[kids];
            for (int m = 1, i = 0; m <= top; m <<= 1) {
                if (vr + m >= p) continue;
                parts[i] = Block.allocate(send.type, n);
                s.recv(Ranks.abs(vr + m, treeRoot, p), 0, parts[i++].buf());
            }
            s.round();
            // children in increasing distance hold increasing runs of ranks right after ours
            s.action(() -> {
                for (Block part : parts) op.combine(a, 0, part, 0, a, 0, n);
            });
            if (vr != 0) {
                s.send(Ranks.abs(Ranks.parent(vr), treeRoot, p), 0, a.buf());
                s.round();
            }
        }
        if (treeRoot != root) {
            if (r == treeRoot) s.send(root, TAG_FORWARD, acc.buf());
            else if (r == root) s.recv(treeRoot, TAG_FORWARD, recv.buf());
            s.round();
        }
    }

    // ------------------------------------------------------------------ allreduce

    /** Reduces {@code send} of every rank into {@code recv} of every rank ({@code send} may be {@code recv}). */
    public static void allreduce(Schedule s, Combiner op, Block send, Block recv) {
        int p = s.size(), n = recv.count;
        long bytes = (long) n * recv.type.size;
        boolean large = p > 1 && bytes >= s.tuning().allreduceLarge && n / op.grain() >= Integer.highestOneBit(p);
        // with 2^k ranks and arrays on both sides the first halving step reads send itself: no copy into recv first
        boolean fromSend = large && Integer.bitCount(p) == 1 && CombiningBuf.usable(op, send, recv);
        if (!fromSend) s.action(() -> Block.copy(send, 0, recv, 0, n));
        if (p == 1) {
            s.algorithm("copy");
        } else if (large) {
            s.algorithm("Rabenseifner (reduce-scatter + allgather)");
            Halving h = halving(s, op, fromSend ? send : null, recv);
            allgatherHalves(s, h, recv);
            unfold(s, h, recv);
        } else {
            s.algorithm("recursive doubling");
            recursiveDoubling(s, op, recv);
        }
    }

    /** Recursive doubling on {@code acc}, which already holds this rank's contribution. */
    static void recursiveDoubling(Schedule s, Combiner op, Block acc) {
        int p = s.size(), r = s.rank(), n = acc.count;
        int pof2 = Integer.highestOneBit(p), rem = p - pof2;
        Block tmp = Block.allocate(acc.type, n);
        int newrank = fold(s, op, acc, tmp, pof2, rem);
        if (newrank >= 0) {
            for (int mask = 1, k = 1; mask < pof2; mask <<= 1, k++) {
                int np = newrank ^ mask;
                int partner = np < rem ? 2 * np + 1 : np + rem;
                s.send(partner, k, acc.buf());
                s.recv(partner, k, tmp.buf());
                s.round();
                if (np < newrank) s.action(() -> op.combine(tmp, 0, acc, 0, acc, 0, n));
                else s.action(() -> op.combine(acc, 0, tmp, 0, acc, 0, n));
            }
        }
        if (r < 2 * rem) {
            if ((r & 1) != 0) s.send(r - 1, TAG_FORWARD, acc.buf());
            else s.recv(r + 1, TAG_FORWARD, acc.buf());
            s.round();
        }
    }

    /** Folds the first {@code 2 rem} ranks in pairs (even into odd); returns the new rank, -1 for ranks that sit out. */
    private static int fold(Schedule s, Combiner op, Block acc, Block tmp, int pof2, int rem) {
        int r = s.rank(), n = acc.count;
        if (r >= 2 * rem) return r - rem;
        if ((r & 1) == 0) {
            s.send(r + 1, 0, acc.buf());
            s.round();
            return -1;
        }
        s.recv(r - 1, 0, tmp.buf(0, n));
        s.round();
        s.action(() -> op.combine(tmp, 0, acc, 0, acc, 0, n));
        return r / 2;
    }

    /** State of a recursive-halving reduce-scatter: the regions (in grains) of every step, for the way back. */
    static final class Halving {
        int rem, newrank = -1, grain, steps;
        int[] lo, mid, hi;
        boolean[] keepLow;

        int real(int nr) {
            return nr < rem ? 2 * nr + 1 : nr + rem;
        }
    }

    /**
     * Fold, then reduce-scatter by recursive halving with increasing distance on {@code acc}. With {@code first}
     * non-null (2^k ranks, no fold) the first step reads this rank's contribution from {@code first} instead of
     * {@code acc}, which need not hold it. Where {@link CombiningBuf#usable} the received halves are combined as they
     * arrive; otherwise they land in scratch and are combined after the step.
     */
    static Halving halving(Schedule s, Combiner op, Block first, Block acc) {
        int p = s.size(), g = op.grain(), n = acc.count, units = n / g;
        int pof2 = Integer.highestOneBit(p);
        Halving h = new Halving();
        h.rem = p - pof2;
        h.grain = g;
        boolean folds = s.rank() < 2 * h.rem && (s.rank() & 1) != 0;
        boolean onArrival = CombiningBuf.usable(op, acc, acc) && (first == null || CombiningBuf.usable(op, first, acc));
        Block tmp = onArrival && !folds ? null : Block.allocate(acc.type, folds ? n : (units + 1) / 2 * g);
        h.newrank = fold(s, op, acc, tmp, pof2, h.rem);
        if (h.newrank < 0) return h;
        int steps = Integer.numberOfTrailingZeros(pof2);
        h.steps = steps;
        h.lo = new int[steps];
        h.mid = new int[steps];
        h.hi = new int[steps];
        h.keepLow = new boolean[steps];
        int lo = 0, hi = units;
        for (int k = 0; k < steps; k++) {
            int mask = 1 << k;
            int partner = h.real(h.newrank ^ mask);
            int mid = lo + (hi - lo) / 2;
            boolean low = (h.newrank & mask) == 0;
            h.lo[k] = lo;
            h.mid[k] = mid;
            h.hi[k] = hi;
            h.keepLow[k] = low;
            Block src = k == 0 && first != null ? first : acc;
            // keep [lo, mid) (this rank's part is the lower operand) or [mid, hi) (the partner's is)
            int keepLo = low ? lo : mid, keepHi = low ? mid : hi;
            int at = keepLo * g, len = (keepHi - keepLo) * g;
            if (low) s.send(partner, 1 + k, src.buf(mid * g, (hi - mid) * g));
            else s.send(partner, 1 + k, src.buf(lo * g, (mid - lo) * g));
            if (onArrival) {
                s.recv(partner, 1 + k, new CombiningBuf(op, src, at, acc, at, len, !low));
                s.round();
            } else {
                s.recv(partner, 1 + k, tmp.buf(0, len));
                s.round();
                if (low) s.action(() -> op.combine(src, at, tmp, 0, acc, at, len));
                else s.action(() -> op.combine(tmp, 0, src, at, acc, at, len));
            }
            lo = keepLo;
            hi = keepHi;
        }
        return h;
    }

    /** Allgather by recursive doubling: the halving steps backwards, exchanging the kept halves. */
    static void allgatherHalves(Schedule s, Halving h, Block acc) {
        int g = h.grain;
        for (int k = h.steps - 1; k >= 0; k--) {
            int partner = h.real(h.newrank ^ (1 << k));
            int lo = h.lo[k] * g, mid = h.mid[k] * g, hi = h.hi[k] * g;
            if (h.keepLow[k]) {
                s.send(partner, TAG_GATHER + k, acc.buf(lo, mid - lo));
                s.recv(partner, TAG_GATHER + k, acc.buf(mid, hi - mid));
            } else {
                s.send(partner, TAG_GATHER + k, acc.buf(mid, hi - mid));
                s.recv(partner, TAG_GATHER + k, acc.buf(lo, mid - lo));
            }
            s.round();
        }
    }

    /** Binomial gather of the halves into new rank 0: at distance {@code 2^k} the ranks with bit k set hand over. */
    static void gatherHalves(Schedule s, Halving h, Block acc) {
        int g = h.grain;
        for (int k = h.steps - 1; k >= 0 && h.newrank >= 0; k--) {
            int mask = 1 << k;
            if (h.newrank >= 2 * mask) continue;
            int partner = h.real(h.newrank ^ mask);
            int lo = h.lo[k] * g, mid = h.mid[k] * g, hi = h.hi[k] * g;
            if ((h.newrank & mask) != 0) {
                s.send(partner, TAG_GATHER + k, acc.buf(mid, hi - mid));
                s.round();
                return;
            }
            s.recv(partner, TAG_GATHER + k, acc.buf(mid, hi - mid));
            s.round();
        }
    }

    /** Returns the result to the ranks that sat out after the fold. */
    static void unfold(Schedule s, Halving h, Block acc) {
        int r = s.rank();
        if (r < 2 * h.rem) {
            if ((r & 1) != 0) s.send(r - 1, TAG_FORWARD, acc.buf());
            else s.recv(r + 1, TAG_FORWARD, acc.buf());
            s.round();
        }
    }

    // ------------------------------------------------------------------ reduce-scatter

    /** Reduces {@code send} (the blocks of all ranks, back to back) and leaves block {@code rank} in {@code recv}. */
    public static void reduceScatter(Schedule s, Combiner op, Block send, Block recv, int[] counts) {
        int p = s.size(), r = s.rank();
        int[] displs = new int[p + 1];
        for (int i = 0; i < p; i++) displs[i + 1] = displs[i] + counts[i];
        int total = displs[p], own = counts[r];
        long bytes = (long) total * send.type.size;
        if (p == 1 || bytes < s.tuning().reduceScatterLarge) {
            s.algorithm("allreduce + copy");
            Block all = Block.allocate(send.type, total);
            allreduce(s, op, send.sub(0, total), all);
            s.action(() -> Block.copy(all, displs[r], recv, 0, own));
            return;
        }
        s.algorithm("pairwise exchange");
        Block parts = Block.allocate(send.type, own * p);
        s.action(() -> Block.copy(send, displs[r], parts, r * own, own));
        for (int k = 1; k < p; k++) {
            int dst = (r + k) % p, src = (r - k + p) % p;
            s.send(dst, k, send.buf(displs[dst], counts[dst]));
            s.recv(src, k, parts.buf(src * own, own));
            s.round();
        }
        s.action(() -> {
            Block.copy(parts, 0, recv, 0, own);
            for (int j = 1; j < p; j++) op.combine(recv, 0, parts, j * own, recv, 0, own);
        });
    }

    // ------------------------------------------------------------------ scan

    /**
     * Inclusive ({@code MPI_Scan}) or exclusive ({@code MPI_Exscan}) prefix reduction by recursive doubling. The
     * exclusive result of rank 0 is undefined in MPI; here {@code recv} of rank 0 is left unchanged.
     */
    public static void scan(Schedule s, Combiner op, Block send, Block recv, boolean exclusive) {
        s.algorithm("recursive doubling");
        int p = s.size(), r = s.rank(), n = send.count;
        Block partial = Block.allocate(send.type, n), tmp = Block.allocate(send.type, n);
        boolean[] have = {!exclusive};
        s.action(() -> {
            have[0] = !exclusive; // a re-run schedule (Schedule#restart) starts over
            Block.copy(send, 0, partial, 0, n);
            if (!exclusive) Block.copy(partial, 0, recv, 0, n);
        });
        for (int mask = 1, k = 0; mask < p; mask <<= 1, k++) {
            int partner = r ^ mask;
            if (partner >= p) continue;
            s.send(partner, k, partial.buf());
            s.recv(partner, k, tmp.buf());
            s.round();
            if (partner < r) {
                s.action(() -> {
                    if (have[0]) {
                        op.combine(tmp, 0, recv, 0, recv, 0, n);
                    } else {
                        Block.copy(tmp, 0, recv, 0, n);
                        have[0] = true;
                    }
                    op.combine(tmp, 0, partial, 0, partial, 0, n);
                });
            } else {
                s.action(() -> op.combine(partial, 0, tmp, 0, partial, 0, n));
            }
        }
    }
}
