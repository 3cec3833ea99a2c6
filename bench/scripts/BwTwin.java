import io.jmpi.*;

/**
 * The bw loop of bench/mpj/OsuMpj.java (every receive of a window into one buffer, as osu.c) written against jmpi's native API: the reference that separates the
 * mpiJava adapter's cost from the harness's (jmpi's own OSU suite lays out and warms its buffers differently and runs
 * faster at 1 MiB over shared memory than this very loop). Usage: jmpirun -np 2 -cp DIR BwTwin ITERATIONS; prints
 * {@code size MB/s} as OsuMpj. Compiled and run by bench/scripts/mpijava-overhead.sh.
 */
public final class BwTwin {
    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm c = mpi.world();
            int rank = c.rank(), size = 1 << 20, W = 64;
            byte[] sbuf = new byte[size], ack = new byte[4];
            byte[] rbuf = new byte[size];
            byte[][] rwin = new byte[W][];
            for (int w = 0; w < W; w++) rwin[w] = rbuf;
            Request[] win = new Request[W];
            long end = System.nanoTime() + 1_000_000_000L;
            int[] more = {1};
            while (more[0] == 1) {
                for (int i = 0; i < 10; i++) once(c, rank, sbuf, rwin, win, ack, size);
                more[0] = System.nanoTime() < end ? 1 : 0;
                c.bcast(more, 0);
            }
            for (int i = 0; i < 10; i++) once(c, rank, sbuf, rwin, win, ack, size);
            c.barrier();
            long t0 = System.nanoTime();
            int n = Integer.parseInt(args[0]);
            for (int i = 0; i < n; i++) once(c, rank, sbuf, rwin, win, ack, size);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (rank == 0) System.out.printf("%d %.2f%n", size, (double) size * W * n / secs / 1e6);
        }
    }

    static void once(Comm c, int rank, byte[] sbuf, byte[][] rwin, Request[] win, byte[] ack, int size) {
        if (rank == 0) {
            for (int w = 0; w < win.length; w++) win[w] = c.isend(sbuf, 0, size, 1, 2);
            Requests.awaitAll(win);
            c.recv(ack, 0, 4, 1, 3);
        } else {
            for (int w = 0; w < win.length; w++) win[w] = c.irecv(rwin[w], 0, size, 0, 2);
            Requests.awaitAll(win);
            c.send(ack, 0, 4, 0, 3);
        }
    }
}
