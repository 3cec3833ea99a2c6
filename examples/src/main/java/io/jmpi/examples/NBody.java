package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;

import java.util.SplittableRandom;

/**
 * Gravitational n-body simulation, all pairs, leapfrog (kick-drift-kick) time steps, for a rotating ball of stars.
 *
 * <p>The parallel idea: each rank owns a block of bodies (a {@link Partition}) and moves only those, but the force
 * on each needs every body's position; after every drift an {@code allgatherv} gives every rank all positions
 * (3 doubles per body; v-variant because blocks differ by one body when p does not divide n). The O(n^2) force loop
 * is split p ways, the communication is O(n) per step.
 *
 * <p>The force on body i sums the bodies j = 0..n-1 in the same order on any number of ranks, so the trajectory and
 * its fingerprint are bit-identical for any rank count. Verified: total momentum is conserved — Newton's third law
 * holds pair by pair, so |P(end) - P(start)| may only be rounding noise: it must stay below 1e-12 of the momentum
 * scale sum(m |v|). (The momentum sums use allreduce and so can differ between rank counts in the last bits.) The
 * energy drift, which the integrator does not conserve exactly, is printed for information.
 * Arguments: {@code [--n=BODIES] [--steps=S] [--dt=DT] [--seed=SEED]}.
 */
public final class NBody {
    static final double SOFTENING2 = 1e-4;   // (0.01)^2: keeps close encounters finite
    static final double TOLERANCE = 1e-12;

    public static void main(String[] args) {
        Args a = new Args("nbody", args);
        int n = a.integer("n", 3000, 2, 1 << 22);
        int steps = a.integer("steps", 20, 1, 1 << 24);
        double dt = a.real("dt", 1e-3, 0, 1);
        long seed = a.integer("seed", 7, Long.MIN_VALUE, Long.MAX_VALUE);
        a.done();
        boolean verified;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            Partition bodies = new Partition(n, world.size());
            int lo = (int) bodies.lo(world.rank()), hi = (int) bodies.hi(world.rank());
            int[] counts = bodies.counts(), displs = bodies.displs();
            for (int r = 0; r < counts.length; r++) {   // 3 coordinates per body
                counts[r] *= 3;
                displs[r] *= 3;
            }
            double[] m = new double[n], x = new double[3 * n], v = new double[3 * n], acc = new double[3 * n];
            initialise(seed, m, x, v);
            double[] p0 = momentum(world, m, v, lo, hi);
            double e0 = energy(world, m, x, v, lo, hi);
            double[] mine = new double[3 * (hi - lo)];

            double t0 = Summary.start(world);
            accelerations(m, x, acc, lo, hi);
            for (int s = 0; s < steps; s++) {
                for (int k = 3 * lo; k < 3 * hi; k++) {
                    v[k] += 0.5 * dt * acc[k];    // kick
                    x[k] += dt * v[k];            // drift
                }
                // everybody's new positions to everybody
                System.arraycopy(x, 3 * lo, mine, 0, mine.length);
                world.allgatherv(mine, x, counts, displs);
                accelerations(m, x, acc, lo, hi);
                for (int k = 3 * lo; k < 3 * hi; k++) v[k] += 0.5 * dt * acc[k];   // kick
            }
            double t = Summary.stop(world, t0);

            double[] p1 = momentum(world, m, v, lo, hi);
            double e1 = energy(world, m, x, v, lo, hi);
            double dp = Math.sqrt(sq(p1[0] - p0[0]) + sq(p1[1] - p0[1]) + sq(p1[2] - p0[2]));
            double drift = dp / p0[3];
            verified = Summary.all(world, drift <= TOLERANCE);
            Fingerprint f = new Fingerprint();
            for (int k = 3 * lo; k < 3 * hi; k++) f.add(k, x[k]);
            String fp = f.combine(world);
            Summary.result(world, "nbody", String.format("fingerprint=%s momentum drift=%.3g (tolerance %.0e) "
                    + "energy drift=%.3g interactions/s=%.3g", fp, drift, TOLERANCE, (e1 - e0) / Math.abs(e0),
                    (double) n * (n - 1) * steps / t));
            Summary.report(world, "nbody", n + " bodies, " + steps + " steps", t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** Accelerations of bodies lo..hi-1 from all bodies (G = 1, softened). */
    static void accelerations(double[] m, double[] x, double[] acc, int lo, int hi) {
        int n = m.length;
        for (int i = lo; i < hi; i++) {
            double xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2], ax = 0, ay = 0, az = 0;
            for (int j = 0; j < n; j++) {
                double dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi;
                double r2 = dx * dx + dy * dy + dz * dz + SOFTENING2;
                double s = m[j] / (r2 * Math.sqrt(r2));   // j == i adds 0: dx = dy = dz = 0
                ax += dx * s;
                ay += dy * s;
                az += dz * s;
            }
            acc[3 * i] = ax;
            acc[3 * i + 1] = ay;
            acc[3 * i + 2] = az;
        }
    }

    /** A ball of radius 1, spinning about z, with its centre of mass at rest; the same on every rank. */
    static void initialise(long seed, double[] m, double[] x, double[] v) {
        int n = m.length;
        double mass = 0, px = 0, py = 0, pz = 0;
        for (int i = 0; i < n; i++) {
            SplittableRandom r = new SplittableRandom(Fingerprint.mix(seed + i));
            double a, b, c;
            do {
                a = 2 * r.nextDouble() - 1;
                b = 2 * r.nextDouble() - 1;
                c = 2 * r.nextDouble() - 1;
            } while (a * a + b * b + c * c > 1);
            m[i] = (0.5 + r.nextDouble()) / n;
            x[3 * i] = a;
            x[3 * i + 1] = b;
            x[3 * i + 2] = c;
            v[3 * i] = -0.5 * b + 0.05 * (r.nextDouble() - 0.5);
            v[3 * i + 1] = 0.5 * a + 0.05 * (r.nextDouble() - 0.5);
            v[3 * i + 2] = 0.05 * (r.nextDouble() - 0.5);
            mass += m[i];
            px += m[i] * v[3 * i];
            py += m[i] * v[3 * i + 1];
            pz += m[i] * v[3 * i + 2];
        }
        for (int i = 0; i < n; i++) {
            v[3 * i] -= px / mass;
            v[3 * i + 1] -= py / mass;
            v[3 * i + 2] -= pz / mass;
        }
    }

    /** Total momentum (px, py, pz) and its scale sum(m |v|), over all ranks. */
    static double[] momentum(Comm world, double[] m, double[] v, int lo, int hi) {
        double[] p = new double[4];
        for (int i = lo; i < hi; i++) {
            p[0] += m[i] * v[3 * i];
            p[1] += m[i] * v[3 * i + 1];
            p[2] += m[i] * v[3 * i + 2];
            p[3] += m[i] * Math.sqrt(sq(v[3 * i]) + sq(v[3 * i + 1]) + sq(v[3 * i + 2]));
        }
        world.allreduce(p, Op.SUM);
        return p;
    }

    /** Kinetic plus (softened) potential energy, over all ranks. */
    static double energy(Comm world, double[] m, double[] x, double[] v, int lo, int hi) {
        double[] e = {0};
        for (int i = lo; i < hi; i++) {
            e[0] += 0.5 * m[i] * (sq(v[3 * i]) + sq(v[3 * i + 1]) + sq(v[3 * i + 2]));
            for (int j = 0; j < m.length; j++) {
                if (j == i) continue;
                double r2 = sq(x[3 * j] - x[3 * i]) + sq(x[3 * j + 1] - x[3 * i + 1]) + sq(x[3 * j + 2] - x[3 * i + 2]);
                e[0] -= 0.5 * m[i] * m[j] / Math.sqrt(r2 + SOFTENING2);
            }
        }
        world.allreduce(e, Op.SUM);
        return e[0];
    }

    private static double sq(double a) {
        return a * a;
    }
}
