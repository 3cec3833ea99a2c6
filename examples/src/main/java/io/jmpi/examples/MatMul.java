package io.jmpi.examples;

import io.jmpi.CartComm;
import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * Dense C = A B of n x n matrices with SUMMA (the Scalable Universal Matrix Multiplication Algorithm) on a 2-D
 * Cartesian grid of ranks.
 *
 * <p>The parallel idea: the grid is {@code pr x pc} ranks ({@link Mpi#dimsCreate}, so any rank count works, 3 ranks
 * being a 3 x 1 grid); each matrix is cut into blocks, rank (i, j) owning block (i, j) of A, B and C. For each panel
 * of k (a few columns of A, the same rows of B), the ranks that own that panel broadcast it along their grid row
 * (the A panel) and grid column (the B panel), and every rank adds the product of the two panels to its C block.
 * The row and column communicators come from {@link CartComm#cartSub}. Panels respect both partitions of k, so
 * rectangular grids need no special case.
 *
 * <p>Verified: every rank recomputes its C block serially, straight from the definition, and it must be
 * <em>bit-identical</em>: both sum the products in increasing k, so no rounding difference is allowed. For the same
 * reason the fingerprint of C is the same on any number of ranks. Arguments: {@code [--n=N] [--panel=NB]}.
 */
public final class MatMul {
    public static void main(String[] args) {
        Args a = new Args("matmul", args);
        int n = a.integer("n", 1000, 1, 1 << 15);
        int nb = a.integer("panel", 64, 1, 1 << 15);
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int[] dims = Mpi.dimsCreate(world.size(), 2);
            CartComm grid = world.cartCreate(dims, new boolean[]{false, false}, false);
            CartComm rowComm = grid.cartSub(new boolean[]{false, true});  // my grid row: ranks (i, 0..pc-1)
            CartComm colComm = grid.cartSub(new boolean[]{true, false});  // my grid column: ranks (0..pr-1, j)
            int[] me = grid.coords();
            Partition rows = new Partition(n, dims[0]), cols = new Partition(n, dims[1]);
            int r0 = (int) rows.lo(me[0]), mr = rows.count(me[0]);   // my rows of A and C, my k-rows of B
            int c0 = (int) cols.lo(me[1]), mc = cols.count(me[1]);   // my columns of B and C, my k-columns of A

            double[] aBlock = new double[mr * mc], bBlock = new double[mr * mc], c = new double[mr * mc];
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < mc; j++) {
                    aBlock[i * mc + j] = a(r0 + i, c0 + j);
                    bBlock[i * mc + j] = b(r0 + i, c0 + j);
                }
            }
            double[] aPanel = new double[mr * nb], bPanel = new double[nb * mc];

            double t0 = Summary.start(world);
            for (int k = 0; k < n; ) {
                // the panel [k, k + w) lies in one grid column's columns of A and one grid row's rows of B
                int aOwner = cols.owner(k), bOwner = rows.owner(k);
                int w = (int) Math.min(Math.min(nb, cols.hi(aOwner) - k), rows.hi(bOwner) - k);
                if (me[1] == aOwner) {           // I own these columns of A: pack them
                    for (int i = 0; i < mr; i++) System.arraycopy(aBlock, i * mc + (k - c0), aPanel, i * w, w);
                }
                if (me[0] == bOwner) {           // I own these rows of B: they are contiguous
                    System.arraycopy(bBlock, (k - r0) * mc, bPanel, 0, w * mc);
                }
                rowComm.bcast(aPanel, 0, mr * w, aOwner);   // along my grid row
                colComm.bcast(bPanel, 0, w * mc, bOwner);   // along my grid column
                for (int i = 0; i < mr; i++) {              // C += A panel x B panel, k increasing
                    for (int kk = 0; kk < w; kk++) {
                        double aik = aPanel[i * w + kk];
                        int bo = kk * mc, co = i * mc;
                        for (int j = 0; j < mc; j++) c[co + j] += aik * bPanel[bo + j];
                    }
                }
                k += w;
            }
            double t = Summary.stop(world, t0);

            // serial reference for my block, from the definition, k increasing
            boolean ok = true;
            double[] ref = new double[mc], aRow = new double[n], bStrip = new double[n * mc];
            for (int k = 0; k < n; k++) for (int j = 0; j < mc; j++) bStrip[k * mc + j] = b(k, c0 + j);
            Fingerprint f = new Fingerprint();
            for (int i = 0; i < mr && ok; i++) {
                java.util.Arrays.fill(ref, 0);
                for (int k = 0; k < n; k++) aRow[k] = a(r0 + i, k);
                for (int k = 0; k < n; k++) {
                    double aik = aRow[k];
                    for (int j = 0; j < mc; j++) ref[j] += aik * bStrip[k * mc + j];
                }
                for (int j = 0; j < mc; j++) {
                    ok &= ref[j] == c[i * mc + j];
                    f.add((long) (r0 + i) * n + c0 + j, c[i * mc + j]);
                }
            }
            verified = Summary.all(world, ok);
            String fp = f.combine(world);
            Summary.result(world, "matmul", String.format("fingerprint=%s grid=%dx%d GFlop/s=%.2f", fp, dims[0], dims[1],
                    2.0 * n * n * (double) n / t / 1e9));
            Summary.report(world, "matmul", n + "x" + n, t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** Element (i, k) of A: a fixed pseudo-random value in [-0.5, 0.5) from its position. */
    static double a(int i, int k) {
        return (Fingerprint.mix(((long) i << 32) | k) >>> 11) * 0x1.0p-53 - 0.5;
    }

    /** Element (k, j) of B. */
    static double b(int k, int j) {
        return (Fingerprint.mix(~(((long) k << 32) | j)) >>> 11) * 0x1.0p-53 - 0.5;
    }
}
