package io.jmpi.examples;

import io.jmpi.CartComm;
import io.jmpi.Comm;
import io.jmpi.Datatype;
import io.jmpi.Mpi;
import io.jmpi.MpiFile;
import io.jmpi.Op;
import io.jmpi.Prequest;
import io.jmpi.Requests;

/**
 * Steady-state heat on a square plate (the 2-D Laplace equation) by Jacobi iteration, with a hot top edge and a
 * warm left edge, on an {@code n x n} grid; writes the final temperature field as a PNG.
 *
 * <p>The parallel ideas:
 * <ul>
 *   <li><b>Domain decomposition</b> on a 2-D Cartesian grid of ranks ({@link Mpi#dimsCreate}, {@link CartComm}); each
 *       rank owns a block plus a one-cell halo holding its neighbours' edge values. {@link CartComm#shift} gives the
 *       neighbours, {@link Mpi#PROC_NULL} at the plate's edges, so edge blocks need no special case.</li>
 *   <li><b>Derived datatypes</b>: a halo row is contiguous, a halo column is a {@link Datatype#vector} with the
 *       block's row stride, so edges go out of and halos come straight into the block: no packing by hand.</li>
 *   <li><b>Persistent requests</b>: the halo exchange is the same eight messages every iteration, so it is set up
 *       once ({@code recvInit}/{@code sendInit}, {@code MPI_Recv_init}/{@code MPI_Send_init}) and only started
 *       ({@link Requests#startAll}) each iteration: arguments are checked once and a restarted receive reuses its
 *       engine operation. The block is double-buffered (u and next swap), so there are two sets, one per array.</li>
 *   <li><b>Overlap</b>: every iteration starts the halo receives and sends, updates the interior cells (which need
 *       no halo) while the messages travel, then waits and updates the rim.</li>
 *   <li><b>Convergence</b>: every {@code check} iterations an allreduce(MAX) of the largest change decides, the same
 *       way on every rank, whether to stop.</li>
 *   <li><b>Checkpoint and restart</b> (MPI-IO, {@link MpiFile}): {@code --checkpoint=FILE} writes the field at the end
 *       with one collective write ({@code MPI_File_write_at_all}): the file holds a 16-byte header (n, iterations) and
 *       the n x n field in row-major order, and each rank's view is a subarray filetype (its block of the global
 *       array) while its memory side is a subarray of its haloed block, so nothing is packed by hand.
 *       {@code --restart=FILE} reads it back the same way and goes on from there: since the verification compares the
 *       result with a serial run of all the iterations from scratch, a verified restart proves that the checkpoint
 *       restored the exact state.</li>
 * </ul>
 * The update {@code (N + S + W + E) / 4} reads only the previous iterate, so the field after k iterations does not
 * depend on the decomposition, and the max-norm is exact in any order: the result, the iteration count and the
 * fingerprint are bit-identical for any number of ranks. Verified: rank 0 gathers the field and it must equal a
 * serial Jacobi run of the same iterations, bit for bit. Arguments: {@code [--n=N] [--iterations=MAX] [--tol=T]
 * [--check=K] [--png=FILE] [--checkpoint=FILE] [--restart=FILE] [--out=DIR]} (--out: the folder of the PNG).
 */
public final class Jacobi {
    private static final int DOWN = 0, UP = 1, RIGHT = 2, LEFT = 3;   // tags: the direction a halo travels
    /** Bytes before the field in a checkpoint file: n and the iteration count, two longs. */
    private static final int HEADER = 16;

    public static void main(String[] args) {
        Args a = new Args("jacobi", args);
        int n = a.integer("n", 200, 1, 1 << 14);
        int maxIter = a.integer("iterations", 50_000, 1, 1 << 30);
        double tol = a.real("tol", 1e-5, 0, 1);
        int check = a.integer("check", 10, 1, 1 << 20);
        String png = a.string("png", "jacobi.png");
        String checkpoint = a.string("checkpoint", null);
        String restart = a.string("restart", null);
        String out = a.string("out", ".");
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            int[] dims = Mpi.dimsCreate(world.size(), 2);
            if (n < dims[0]) throw new IllegalArgumentException("jacobi: --n=" + n + " is smaller than the grid " + dims[0] + "x" + dims[1]);
            CartComm grid = world.cartCreate(dims, new boolean[]{false, false}, false);
            Partition rows = new Partition(n, dims[0]), cols = new Partition(n, dims[1]);
            Block b = new Block(grid, rows, cols, n);

            double t0 = Summary.start(world);
            int iter = restart == null ? 0 : b.restart(restart);
            double[] change = {Double.MAX_VALUE};
            while (iter < maxIter && change[0] > tol) {
                double local = b.step();
                iter++;
                if (iter % check == 0 || iter == maxIter) {
                    change[0] = local;
                    grid.allreduce(change, Op.MAX);  // every rank sees the same value and stops together
                }
            }
            if (checkpoint != null) b.checkpoint(checkpoint, iter);
            double t = Summary.stop(world, t0);

            double[] field = b.gather();   // rank 0: the whole n x n field; others: null
            boolean ok = true;
            String result = "";
            if (grid.rank() == 0) {
                double[] ref = serial(n, iter);
                Fingerprint f = new Fingerprint();
                for (int i = 0; i < n * n; i++) {
                    ok &= Double.doubleToLongBits(field[i]) == Double.doubleToLongBits(ref[i]);
                    ok &= field[i] >= 0 && field[i] <= 1;  // the maximum principle
                    f.add(i, field[i]);
                }
                result = String.format("iterations=%d change=%.6g fingerprint=%s center=%.17g", iter, change[0], f,
                        field[(n / 2) * n + n / 2]);
                Png.write(Png.in(out, png), n, n, (x, y) -> Png.heat(field[y * n + x]));
            }
            verified = Summary.all(world, ok);
            Summary.result(world, "jacobi", result);
            Summary.report(world, "jacobi", n + "x" + n + " grid, " + iter + " iterations", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** The fixed temperature of a cell just outside the plate, at global (row, column). */
    static double boundary(int i, int j, int n) {
        if (i < 0) return 1.0;                          // hot top edge
        if (j < 0) return 1.0 - (i + 0.5) / n;          // left edge cools towards the bottom
        return 0.0;                                     // cold right and bottom edges
    }

    /** The Jacobi update of cell {@code k} of {@code u} (row stride {@code w}): the same expression everywhere. */
    static double update(double[] u, int k, int w) {
        return 0.25 * ((u[k - w] + u[k + w]) + (u[k - 1] + u[k + 1]));
    }

    /** One rank's block with its halo, stored row-major with stride {@code mc + 2}, in two copies (old, new). */
    private static final class Block {
        final CartComm grid;
        final int n, mr, mc, r0, c0, w;
        final int up, down, left, right;
        double[] u, next;
        /** One column of the block (mr cells, row stride w): the left or right edge or halo, by its offset. */
        final Datatype column;
        /** The halo exchange of each array (index 0: the first u, 1: the first next): receives, then sends. */
        final Prequest[][] recvs = new Prequest[2][], sends = new Prequest[2][];
        /** Which of the two arrays u is now. */
        int current;
        final Partition rows, cols;

        Block(CartComm grid, Partition rows, Partition cols, int n) {
            this.grid = grid;
            this.rows = rows;
            this.cols = cols;
            this.n = n;
            int[] me = grid.coords();
            r0 = (int) rows.lo(me[0]);
            mr = rows.count(me[0]);
            c0 = (int) cols.lo(me[1]);
            mc = cols.count(me[1]);
            w = mc + 2;
            CartComm.Shift vertical = grid.shift(0, 1), horizontal = grid.shift(1, 1);
            up = vertical.source();
            down = vertical.dest();
            left = horizontal.source();
            right = horizontal.dest();
            u = new double[(mr + 2) * w];
            // halo cells on the plate's edge hold the boundary values for good (their neighbour is PROC_NULL)
            for (int i = 0; i < mr + 2; i++) {
                for (int j = 0; j < mc + 2; j++) {
                    int gi = r0 + i - 1, gj = c0 + j - 1;
                    if (gi < 0 || gi >= n || gj < 0 || gj >= n) u[i * w + j] = boundary(gi, gj, n);
                }
            }
            next = u.clone();
            column = Datatype.vector(mr, 1, w, Datatype.DOUBLE).commit();
            exchange(0, u);
            exchange(1, next);
        }

        /**
         * The persistent halo exchange of array {@code a}, straight into its halo and out of its edges (rows
         * contiguous, columns as a vector). Only a's edges are read and its halo written while it is in flight, and
         * the sweeps write to the other array, so nothing is touched twice. A PROC_NULL neighbour leaves the boundary
         * halo alone (its requests complete at once).
         */
        private void exchange(int which, double[] a) {
            recvs[which] = new Prequest[]{
                    grid.recvInit(a, 1, mc, up, DOWN), grid.recvInit(a, (mr + 1) * w + 1, mc, down, UP),
                    grid.recvInit(a, w, 1, column, left, RIGHT), grid.recvInit(a, w + mc + 1, 1, column, right, LEFT)};
            sends[which] = new Prequest[]{
                    grid.sendInit(a, w + 1, mc, up, UP), grid.sendInit(a, mr * w + 1, mc, down, DOWN),
                    grid.sendInit(a, w + 1, 1, column, left, LEFT), grid.sendInit(a, w + mc, 1, column, right, RIGHT)};
        }

        /** One Jacobi iteration; returns the largest change of a cell. */
        double step() {
            // 1. start u's halo exchange (receives first, so a neighbour's send finds them posted)
            Prequest[] recvs = this.recvs[current], sends = this.sends[current];
            Requests.startAll(recvs);
            Requests.startAll(sends);

            // 2. while they travel: the interior, which needs no halo
            double change = 0;
            for (int i = 2; i < mr; i++) change = Math.max(change, sweep(i, 2, mc - 1));

            // 3. the halos have arrived: the rim of the block
            Requests.awaitAll(recvs);
            change = Math.max(change, sweep(1, 1, mc));
            if (mr > 1) change = Math.max(change, sweep(mr, 1, mc));
            for (int i = 2; i < mr; i++) {
                change = Math.max(change, sweep(i, 1, 1));
                if (mc > 1) change = Math.max(change, sweep(i, mc, mc));
            }
            Requests.awaitAll(sends);   // u becomes next: its edges are overwritten next iteration
            double[] t = u;
            u = next;
            next = t;
            current ^= 1;
            return change;
        }

        /** Updates row {@code i}, columns {@code j0..j1} (local, 1-based) into {@code next}; the largest change. */
        private double sweep(int i, int j0, int j1) {
            double change = 0;
            for (int j = j0, k = i * w + j0; j <= j1; j++, k++) {
                double v = update(u, k, w);
                change = Math.max(change, Math.abs(v - u[k]));
                next[k] = v;
            }
            return change;
        }

        /** This rank's block of the n x n field in the file (after the header): a subarray of the global array. */
        private Datatype fileBlock() {
            return Datatype.subarray(new int[]{n, n}, new int[]{mr, mc}, new int[]{r0, c0}, Datatype.Order.C, Datatype.DOUBLE).commit();
        }

        /** The block's interior in u (without the halo): a subarray of the (mr + 2) x (mc + 2) array. */
        private Datatype interior() {
            return Datatype.subarray(new int[]{mr + 2, w}, new int[]{mr, mc}, new int[]{1, 1}, Datatype.Order.C, Datatype.DOUBLE).commit();
        }

        /** Writes the header (rank 0) and the field (all ranks, one collective write through their views). */
        void checkpoint(String file, int iter) {
            try (MpiFile f = MpiFile.open(grid, file, MpiFile.MODE_CREATE | MpiFile.MODE_WRONLY)) {
                f.setSize(0);
                if (grid.rank() == 0) f.writeAt(0, new long[]{n, iter}, 0, 2);
                f.setView(HEADER, Datatype.DOUBLE, fileBlock());
                f.writeAtAll(0, u, 0, 1, interior());
            }
        }

        /** Reads a checkpoint into u; returns the iterations it had done. */
        int restart(String file) {
            try (MpiFile f = MpiFile.open(grid, file, MpiFile.MODE_RDONLY)) {
                long[] header = new long[2];
                if (f.readAtAll(0, header, 0, 2).count() != 2 || header[0] != n) {
                    throw new IllegalArgumentException("jacobi: --restart=" + file + " holds no checkpoint of an " + n + " x " + n
                            + " grid (header " + header[0] + ", " + header[1] + ")");
                }
                f.setView(HEADER, Datatype.DOUBLE, fileBlock());
                if (f.readAtAll(0, u, 0, 1, interior()).count(Datatype.DOUBLE) != mr * mc) {
                    throw new IllegalArgumentException("jacobi: --restart=" + file + " is truncated");
                }
                return (int) header[1];
            }
        }

        /** The whole field at rank 0 (a gatherv of the blocks, placed by each rank's grid coordinates). */
        double[] gather() {
            double[] mine = new double[mr * mc];
            for (int i = 0; i < mr; i++) System.arraycopy(u, (i + 1) * w + 1, mine, i * mc, mc);
            int p = grid.size();
            int[] counts = new int[p], displs = new int[p];
            for (int r = 0; r < p; r++) {
                int[] c = grid.coords(r);
                counts[r] = rows.count(c[0]) * cols.count(c[1]);
                if (r > 0) displs[r] = displs[r - 1] + counts[r - 1];
            }
            double[] all = grid.rank() == 0 ? new double[n * n] : null;
            grid.gatherv(mine, all, counts, displs, 0);
            if (grid.rank() != 0) return null;
            double[] field = new double[n * n];
            for (int r = 0; r < p; r++) {
                int[] c = grid.coords(r);
                int rr0 = (int) rows.lo(c[0]), cc0 = (int) cols.lo(c[1]), rc = cols.count(c[1]);
                for (int i = 0; i < rows.count(c[0]); i++) {
                    System.arraycopy(all, displs[r] + i * rc, field, (rr0 + i) * n + cc0, rc);
                }
            }
            return field;
        }
    }

    /** The same iteration on one array, for verification. */
    static double[] serial(int n, int iterations) {
        int w = n + 2;
        double[] u = new double[w * w];
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) {
                if (i == 0 || j == 0 || i == n + 1 || j == n + 1) u[i * w + j] = boundary(i - 1, j - 1, n);
            }
        }
        double[] next = u.clone();
        for (int it = 0; it < iterations; it++) {
            for (int i = 1; i <= n; i++) {
                for (int j = 1, k = i * w + 1; j <= n; j++, k++) next[k] = update(u, k, w);
            }
            double[] t = u;
            u = next;
            next = t;
        }
        double[] field = new double[n * n];
        for (int i = 0; i < n; i++) System.arraycopy(u, (i + 1) * w + 1, field, i * n, n);
        return field;
    }
}
