package io.jmpi.coll;

/**
 * All-to-all.
 * <ul>
 *   <li>blocks of at most {@code collAlltoallSmall} bytes on at least {@code collBruckMinRanks} ranks: Bruck,
 *       {@code ceil(log2 p)} rounds, each moving about half the blocks (packed), plus two local rotations.</li>
 *   <li>blocks of at least {@code collAlltoallLarge} bytes: pairwise exchange, {@code p - 1} rounds, in round k
 *       sending to {@code rank + k} and receiving from {@code rank - k}, so every rank has one message in flight
 *       each way.</li>
 *   <li>otherwise, and for alltoallv: scattered, all {@code 2(p - 1)} messages posted at once in one round.</li>
 * </ul>
 * Every ordered pair of ranks exchanges exactly one message with the same tag in the pairwise and scattered
 * algorithms, so ranks could even choose differently without confusing messages.
 */
public final class AlltoallAlgorithms {
    private AlltoallAlgorithms() {
    }

    /** Block j of {@code send} ({@code n} elements at {@code j n}) goes to rank j, into block {@code rank} of its recv. */
    public static void alltoall(Schedule s, Block send, Block recv, int n) {
        int p = s.size(), r = s.rank();
        long bytes = (long) n * send.type.size;
        if (p >= Math.max(3, s.tuning().bruckMinRanks) && bytes <= s.tuning().alltoallSmall) {
            bruck(s, send, recv, n);
            return;
        }
        int[] counts = new int[p], displs = new int[p];
        for (int i = 0; i < p; i++) {
            counts[i] = n;
            displs[i] = i * n;
        }
        if (bytes >= s.tuning().alltoallLarge) pairwise(s, send, counts, displs, recv, counts, displs);
        else scattered(s, send, counts, displs, recv, counts, displs);
    }

    /** All-to-all with per-pair counts and displacements. */
    public static void alltoallv(Schedule s, Block send, int[] sendCounts, int[] sdispls,
                                 Block recv, int[] recvCounts, int[] rdispls) {
        scattered(s, send, sendCounts, sdispls, recv, recvCounts, rdispls);
    }

    static void scattered(Schedule s, Block send, int[] sc, int[] sd, Block recv, int[] rc, int[] rd) {
        s.algorithm("scattered");
        int p = s.size(), r = s.rank();
        s.action(() -> Block.copy(send, sd[r], recv, rd[r], rc[r]));
        for (int k = 1; k < p; k++) {
            int src = (r - k + p) % p;
            s.recv(src, 0, recv.buf(rd[src], rc[src]));
        }
        for (int k = 1; k < p; k++) {
            int dst = (r + k) % p;
            s.send(dst, 0, send.buf(sd[dst], sc[dst]));
        }
        s.round();
    }

    static void pairwise(Schedule s, Block send, int[] sc, int[] sd, Block recv, int[] rc, int[] rd) {
        s.algorithm("pairwise exchange");
        int p = s.size(), r = s.rank();
        s.action(() -> Block.copy(send, sd[r], recv, rd[r], rc[r]));
        for (int k = 1; k < p; k++) {
            int dst = (r + k) % p, src = (r - k + p) % p;
            s.recv(src, 0, recv.buf(rd[src], rc[src]));
            s.send(dst, 0, send.buf(sd[dst], sc[dst]));
            s.round();
        }
    }

    /**
     * Bruck: rotate so that slot i holds the block for rank {@code r + i}; in the round of distance {@code d}, send
     * the slots whose index has bit d set to {@code r + d} and receive the same slots from {@code r - d}; at the end
     * slot i holds the block from rank {@code r - i}.
     */
    static void bruck(Schedule s, Block send, Block recv, int n) {
        s.algorithm("Bruck");
        int p = s.size(), r = s.rank();
        Block tmp = Block.allocate(send.type, p * n);
        Block out = Block.allocate(send.type, (p + 1) / 2 * n), in = Block.allocate(send.type, (p + 1) / 2 * n);
        s.action(() -> {
            Block.copy(send, r * n, tmp, 0, (p - r) * n);
            Block.copy(send, 0, tmp, (p - r) * n, r * n);
        });
        for (int dist = 1, k = 0; dist < p; dist <<= 1, k++) {
            int d = dist, count = 0;
            for (int i = 0; i < p; i++) if ((i & d) != 0) count++;
            int len = count * n;
            s.action(() -> {
                for (int i = 0, j = 0; i < p; i++) if ((i & d) != 0) Block.copy(tmp, i * n, out, n * j++, n);
            });
            s.send((r + d) % p, k, out.buf(0, len));
            s.recv((r - d + p) % p, k, in.buf(0, len));
            s.round();
            s.action(() -> {
                for (int i = 0, j = 0; i < p; i++) if ((i & d) != 0) Block.copy(in, n * j++, tmp, i * n, n);
            });
        }
        s.action(() -> {
            for (int i = 0; i < p; i++) Block.copy(tmp, i * n, recv, ((r - i + p) % p) * n, n);
        });
    }
}
