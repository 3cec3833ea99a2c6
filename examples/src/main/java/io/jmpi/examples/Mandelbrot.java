package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Status;

import java.util.Arrays;

/**
 * The Mandelbrot set, rendered by a master and workers with dynamic load balancing, written to a PNG.
 *
 * <p>The parallel idea: rows near the set cost hundreds of times more than rows far from it, so a fixed split of
 * rows among ranks would leave most ranks waiting for the one with the expensive rows. Instead rank 0 (the master)
 * hands out one row at a time: each worker gets a row ({@link #WORK}), sends back its pixels ({@link #RESULT}) and
 * gets the next row in reply, until the master answers {@link #STOP}. The master receives from
 * {@link Mpi#ANY_SOURCE}, so whichever worker finishes first is served first, and it renders rows itself while no
 * result is waiting ({@code iprobe}), so on a small machine no core sits idle.
 *
 * <p>Verified: every row arrived exactly once, and a sample of rows equals a serial computation on rank 0. The
 * result line has the total iteration count and a fingerprint of the image, identical for any number of ranks.
 * Arguments: {@code [--width=W] [--height=H] [--iterations=MAX] [--png=FILE] [--out=DIR]} (empty FILE: no image).
 */
public final class Mandelbrot {
    static final int WORK = 1, RESULT = 2, STOP = 3;
    private static final double X0 = -2.2, X1 = 0.8, Y0 = -1.2, Y1 = 1.2;

    public static void main(String[] args) {
        Args a = new Args("mandelbrot", args);
        int width = a.integer("width", 1600, 1, 1 << 15);
        int height = a.integer("height", 1280, 1, 1 << 15);
        int maxIter = a.integer("iterations", 1000, 1, 1 << 24);
        String png = a.string("png", "mandelbrot.png");
        String out = a.string("out", ".");
        a.done();
        boolean verified = true;
        try (Mpi mpi = Mpi.init(args)) {
            Comm world = mpi.world();
            double t0 = Summary.start(world);
            int[][] image = world.rank() == 0 ? master(world, width, height, maxIter) : null;
            if (world.rank() != 0) worker(world, width, height, maxIter);
            double t = Summary.stop(world, t0);

            if (world.rank() == 0) {
                // verify: all rows present; a few rows recomputed serially must match exactly
                for (int y = 0; y < height && verified; y++) verified = image[y] != null;
                for (int k = 0; k < 16 && verified; k++) {
                    int y = (int) ((long) k * (height - 1) / 15);
                    verified = Arrays.equals(image[y], row(y, width, height, maxIter));
                }
                long iterations = 0;
                Fingerprint f = new Fingerprint();
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        iterations += image[y][x];
                        f.add((long) y * width + x, image[y][x]);
                    }
                }
                Png.write(Png.in(out, png), width, height, (x, y) -> colour(image[y][x], maxIter));
                System.out.printf("mandelbrot result: iterations=%d fingerprint=%s%n", iterations, f);
            }
            verified = Summary.all(world, verified);
            Summary.report(world, "mandelbrot", width + "x" + height + "x" + maxIter, t, verified);
        }
        System.exit(Summary.exitCode(verified));
    }

    /** Rank 0: deals rows to the workers as they ask, renders rows itself in between, collects the image. */
    private static int[][] master(Comm world, int width, int height, int maxIter) {
        int[][] image = new int[height][];
        int[] rowsBy = new int[world.size()];
        int next = 0, busy = 0;
        int[] task = new int[1];
        for (int w = 1; w < world.size(); w++) {      // one row to each worker to start with
            if (next < height) {
                task[0] = next++;
                world.send(task, w, WORK);
                busy++;
            } else {
                world.send(task, w, STOP);
            }
        }
        int[] result = new int[width + 1];             // [row, pixels...]
        while (busy > 0 || next < height) {
            Status s = world.iprobe(Mpi.ANY_SOURCE, RESULT);
            if (s == null && next < height) {          // nobody is waiting: render a row here
                image[next] = row(next, width, height, maxIter);
                rowsBy[0]++;
                next++;
                continue;
            }
            s = world.recv(result, Mpi.ANY_SOURCE, RESULT);   // whoever finished first
            image[result[0]] = Arrays.copyOfRange(result, 1, width + 1);
            rowsBy[s.source()]++;
            if (next < height) {
                task[0] = next++;
                world.send(task, s.source(), WORK);
            } else {
                world.send(task, s.source(), STOP);
                busy--;
            }
        }
        System.out.println("mandelbrot: rows rendered per rank " + Arrays.toString(rowsBy));
        return image;
    }

    /** Ranks 1..: render the row they are given until told to stop. */
    private static void worker(Comm world, int width, int height, int maxIter) {
        int[] task = new int[1];
        int[] result = new int[width + 1];
        while (world.recv(task, 0, Mpi.ANY_TAG).tag() == WORK) {
            result[0] = task[0];
            System.arraycopy(row(task[0], width, height, maxIter), 0, result, 1, width);
            world.send(result, 0, RESULT);
        }
    }

    /** Iteration counts of one row (maxIter: inside the set). */
    static int[] row(int y, int width, int height, int maxIter) {
        int[] out = new int[width];
        double ci = Y1 - (Y1 - Y0) * y / Math.max(1, height - 1);
        for (int x = 0; x < width; x++) {
            double cr = X0 + (X1 - X0) * x / Math.max(1, width - 1);
            double zr = 0, zi = 0;
            int n = 0;
            while (n < maxIter && zr * zr + zi * zi <= 4) {
                double t = zr * zr - zi * zi + cr;
                zi = 2 * zr * zi + ci;
                zr = t;
                n++;
            }
            out[x] = n;
        }
        return out;
    }

    private static int colour(int n, int maxIter) {
        return n >= maxIter ? 0 : Png.heat(Math.log1p(n) / Math.log1p(maxIter) * 1.4);
    }
}
