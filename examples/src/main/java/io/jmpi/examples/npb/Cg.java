package io.jmpi.examples.npb;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.examples.Args;
import io.jmpi.examples.Partition;
import io.jmpi.examples.Summary;

import java.util.Arrays;

/**
 * NPB CG (conjugate gradient), written from the NPB specification: the inverse power method estimates the smallest
 * eigenvalue of a sparse symmetric positive definite matrix A of order n. Each of {@code niter} outer iterations
 * solves A z = x approximately with 25 CG steps, then sets zeta = shift + 1 / (x . z) and x = z / ||z||.
 *
 * <p>A is the NPB random matrix: for i = 1..n a sparse vector v_i with {@code nonzer} random entries (values and
 * positions from the NPB generator, seed 314159265) plus 0.5 at position i, and
 * A = sum_i rcond^((i-1)/n) v_i v_i^T + (rcond - shift) I with rcond = 0.1.
 *
 * <p>The parallel idea: a 1-D row-block decomposition (the NPB MPI reference uses a 2-D grid with transposes; the
 * 1-D form is shorter and shows the same two patterns). Each rank builds and owns a block of rows of A and the same
 * block of every vector. The sparse matrix-vector product needs the whole of p: an {@code allgatherv} assembles it
 * before each product. Every dot product is a local sum plus an {@code allreduce(SUM)}; the norms that need two
 * dot products reduce both in one call. The reduction order depends on the rank count, so zeta may differ in the last
 * bits between rank counts, far inside NPB's tolerance.
 *
 * <p>Verification, as NPB: |zeta - zeta_ref| / zeta_ref at most 1e-10 for the class. Mop/s as NPB counts it:
 * 2 niter n (3 + nonzer(nonzer+1) + 25 (5 + nonzer(nonzer+1)) + 3) / time / 10^6.
 * Arguments: {@code [--class=S|W|A|B|C]}.
 */
public final class Cg {
    private static final double RCOND = 0.1;
    private static final int CG_STEPS = 25;
    private static final long SEED = 314_159_265L;

    /** Class: order n, nonzeros per generated vector, outer iterations, shift, official zeta. */
    private record Params(int n, int nonzer, int niter, double shift, double zeta) {
    }

    private static Params params(char cls) {
        return switch (cls) {
            case 'S' -> new Params(1400, 7, 15, 10, 8.5971775078648);
            case 'W' -> new Params(7000, 8, 15, 12, 10.362595087124);
            case 'A' -> new Params(14000, 11, 15, 20, 17.130235054029);
            case 'B' -> new Params(75000, 13, 75, 60, 22.712745482631);
            case 'C' -> new Params(150000, 15, 75, 110, 28.973605592845);
            default -> throw new IllegalArgumentException("class " + cls);
        };
    }

    public static void main(String[] args) {
        Args a = new Args("npb-cg", args);
        char cls = a.choice("class", "S", "S", "W", "A", "B", "C").charAt(0);
        a.done();
        Params p = params(cls);
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            Partition rows = new Partition(p.n, world.size());
            int lo = (int) rows.lo(world.rank()), m = rows.count(world.rank());
            if (world.rank() == 0) {
                System.out.printf("%n NAS Parallel Benchmarks (jmpi examples) - CG Benchmark%n%n");
                System.out.printf(" Size: %11d%n Iterations: %5d%n Number of active processes: %5d%n", p.n, p.niter, world.size());
                System.out.printf(" Number of nonzeroes per row: %8d%n Eigenvalue shift: %10.3e%n", p.nonzer, p.shift);
            }
            Matrix A = Matrix.make(p.n, p.nonzer, p.shift, lo, lo + m);
            long[] nnz = {A.colidx.length};
            world.allreduce(nnz, Op.SUM);
            if (world.rank() == 0) System.out.printf(" Nonzeroes of A: %d%n%n", nnz[0]);
            Solver s = new Solver(world, A, rows);

            // one untimed iteration, as NPB does, then start again from x = 1
            s.conjGrad();
            s.normalise();
            Arrays.fill(s.x, 1.0);

            double zeta = 0;
            double t0 = Summary.start(world);
            if (world.rank() == 0) System.out.printf("   iteration           ||r||                 zeta%n");
            for (int it = 1; it <= p.niter; it++) {
                double rnorm = s.conjGrad();
                double xz = s.normalise();
                zeta = p.shift + 1 / xz;
                if (world.rank() == 0) System.out.printf("    %5d       %20.14e%20.13f%n", it, rnorm, zeta);
            }
            double t = Summary.stop(world, t0);

            double err = Math.abs(zeta - p.zeta) / p.zeta;
            verified = Summary.all(world, err <= 1e-10);
            if (world.rank() == 0) {
                System.out.printf(" Verification: %s%n Zeta is    %20.13e%n Error is   %20.13e%n",
                        verified ? "SUCCESSFUL" : "UNSUCCESSFUL", zeta, err);
            }
            double nz = p.nonzer * (p.nonzer + 1.0);
            double mops = 2.0 * p.niter * p.n * (3 + nz + 25 * (5 + nz) + 3) / t / 1e6;
            Npb.printResults(world, "CG", cls, Integer.toString(p.n), p.niter, t, mops, "floating point", verified);
            Summary.result(world, "npb-cg", String.format("zeta=%.17g error=%.3g", zeta, err));
            Summary.report(world, "npb-cg", "class " + cls, t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** The distributed CG solver: my rows of A and my block of every vector. */
    private static final class Solver {
        final Comm world;
        final Matrix a;
        final int[] counts, displs;
        final double[] x, z, r, p, q, full;

        Solver(Comm world, Matrix a, Partition rows) {
            this.world = world;
            this.a = a;
            counts = rows.counts();
            displs = rows.displs();
            int m = counts[world.rank()];
            x = new double[m];
            Arrays.fill(x, 1.0);
            z = new double[m];
            r = new double[m];
            p = new double[m];
            q = new double[m];
            full = new double[a.n];
        }

        /** 25 CG steps on A z = x from z = 0; returns ||x - A z||. */
        double conjGrad() {
            Arrays.fill(z, 0);
            System.arraycopy(x, 0, r, 0, x.length);
            System.arraycopy(x, 0, p, 0, x.length);
            double rho = dot(r, r);
            for (int step = 0; step < CG_STEPS; step++) {
                multiply(p, q);                 // q = A p (needs all of p)
                double alpha = rho / dot(p, q);
                for (int i = 0; i < z.length; i++) {
                    z[i] += alpha * p[i];
                    r[i] -= alpha * q[i];
                }
                double rho0 = rho;
                rho = dot(r, r);
                double beta = rho / rho0;
                for (int i = 0; i < p.length; i++) p[i] = r[i] + beta * p[i];
            }
            multiply(z, r);                     // the true residual x - A z
            double[] sum = {0};
            for (int i = 0; i < x.length; i++) sum[0] += (x[i] - r[i]) * (x[i] - r[i]);
            world.allreduce(sum, Op.SUM);
            return Math.sqrt(sum[0]);
        }

        /** x = z / ||z||; returns x . z from before (both dot products in one allreduce). */
        double normalise() {
            double[] d = new double[2];
            for (int i = 0; i < x.length; i++) {
                d[0] += x[i] * z[i];
                d[1] += z[i] * z[i];
            }
            world.allreduce(d, Op.SUM);
            double scale = 1 / Math.sqrt(d[1]);
            for (int i = 0; i < x.length; i++) x[i] = scale * z[i];
            return d[0];
        }

        /** The global dot product of two distributed vectors. */
        private double dot(double[] u, double[] v) {
            double[] s = {0};
            for (int i = 0; i < u.length; i++) s[0] += u[i] * v[i];
            world.allreduce(s, Op.SUM);
            return s[0];
        }

        /** out = A v for my rows: gather all of v first. */
        private void multiply(double[] v, double[] out) {
            world.allgatherv(v, full, counts, displs);
            for (int i = 0; i < out.length; i++) {
                double s = 0;
                for (int k = a.rowstr[i]; k < a.rowstr[i + 1]; k++) s += a.values[k] * full[a.colidx[k]];
                out[i] = s;
            }
        }
    }

    /** Rows {@code lo..hi-1} of the NPB matrix in compressed sparse row form, global column numbers. */
    private static final class Matrix {
        final int n;
        final int[] rowstr, colidx;
        final double[] values;

        private Matrix(int n, int[] rowstr, int[] colidx, double[] values) {
            this.n = n;
            this.rowstr = rowstr;
            this.colidx = colidx;
            this.values = values;
        }

        /**
         * Generates all n sparse vectors (every rank: it is cheap, and the generator is sequential), then sums the
         * outer products into my rows. Duplicates are added in the order of i, as the specification does.
         */
        static Matrix make(int n, int nonzer, double shift, int lo, int hi) {
            Randlc gen = new Randlc(SEED);
            gen.next();                                   // the main program draws one number first
            int nn1 = 1;
            do {
                nn1 *= 2;
            } while (nn1 < n);                            // smallest power of two >= n
            int[][] pos = new int[n][];
            double[][] val = new double[n][];
            int[] iv = new int[nonzer + 1];
            double[] v = new double[nonzer + 1];
            for (int i = 0; i < n; i++) {
                int nzv = 0;
                while (nzv < nonzer) {                    // nonzer distinct random positions in 1..n
                    double value = gen.next();
                    int at = (int) (nn1 * gen.next()) + 1;
                    if (at > n || contains(iv, nzv, at)) continue;
                    v[nzv] = value;
                    iv[nzv++] = at;
                }
                int k = indexOf(iv, nzv, i + 1);          // position i gets 0.5 (added if not drawn)
                if (k < 0) {
                    k = nzv++;
                    iv[k] = i + 1;
                }
                v[k] = 0.5;
                pos[i] = new int[nzv];
                val[i] = Arrays.copyOf(v, nzv);
                for (int e = 0; e < nzv; e++) pos[i][e] = iv[e] - 1;
            }

            // count, then fill, the (duplicated) entries of my rows
            int m = hi - lo;
            int[] start = new int[m + 1];
            for (int i = 0; i < n; i++) for (int row : pos[i]) if (row >= lo && row < hi) start[row - lo + 1] += pos[i].length;
            for (int r = 0; r < m; r++) start[r + 1] += start[r];
            int[] cols = new int[start[m]], fill = start.clone();
            double[] vals = new double[start[m]];
            double ratio = Math.pow(RCOND, 1.0 / n), size = 1.0;
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < pos[i].length; e++) {
                    int row = pos[i][e];
                    if (row < lo || row >= hi) continue;
                    double scale = size * val[i][e];
                    for (int f = 0; f < pos[i].length; f++) {
                        int col = pos[i][f];
                        double va = val[i][f] * scale;
                        if (col == row && row == i) va = va + RCOND - shift;
                        cols[fill[row - lo]] = col;
                        vals[fill[row - lo]++] = va;
                    }
                }
                size *= ratio;
            }

            // per row: sort by column (ties in insertion order) and add up duplicates
            int[] rowstr = new int[m + 1];
            int[] outCols = new int[cols.length];
            double[] outVals = new double[cols.length];
            int out = 0;
            for (int r = 0; r < m; r++) {
                int s = start[r], len = start[r + 1] - s;
                long[] order = new long[len];
                for (int k = 0; k < len; k++) order[k] = ((long) cols[s + k] << 32) | k;
                Arrays.sort(order);
                for (int k = 0; k < len; k++) {
                    int at = s + (int) order[k];
                    if (k > 0 && outCols[out - 1] == cols[at]) {
                        outVals[out - 1] += vals[at];
                    } else {
                        outCols[out] = cols[at];
                        outVals[out++] = vals[at];
                    }
                }
                rowstr[r + 1] = out;
            }
            return new Matrix(n, rowstr, Arrays.copyOf(outCols, out), Arrays.copyOf(outVals, out));
        }

        private static boolean contains(int[] a, int len, int x) {
            return indexOf(a, len, x) >= 0;
        }

        private static int indexOf(int[] a, int len, int x) {
            for (int i = 0; i < len; i++) if (a[i] == x) return i;
            return -1;
        }
    }
}
