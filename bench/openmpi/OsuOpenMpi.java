// OSU-style ping-pong latency and bandwidth written against Open MPI's Java API (package mpi), for measuring what the
// API costs: compile it once against Open MPI's mpi.jar (or jmpi's mpi-openmpi jar) and run the same class files on
// Open MPI (mpirun) and on jmpi (bin/jmpirun --api openmpi). It follows bench/c/osu.c's rules (bench/c/README.md) for
// its two tests and prints the same format as it and as jmpi's native suite (io.jmpi.bench.Osu):
//   # size avg_us p50_us p99_us max_us      (latency: one way, half the round trip; byte[] buffers)
//   # size MB/s p50_us p99_us max_us        (bw: windows of 64 iSends from one direct buffer, 64 iRecvs into one,
//                                            then a 4-byte ack; percentiles of one window's time)
// Per size: barrier, warm-up (100 iterations, 10 above 64 KiB), iteration count from the warm-up's pace on rank 0
// (budget / seconds per iteration, 1 .. 10^7), barrier, timed loop; mean = sum of the samples / count; nearest-rank
// percentiles. Addition to osu.c: 1 s of JIT warm-up first (rank 0 decides when it is over).
// Usage: OsuOpenMpi latency|bw [size bytes, default 8 | 1048576] [seconds per measurement, default 1] [system name]
import mpi.*;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

public class OsuOpenMpi {
    static final int WINDOW = 64;
    static final long LARGE = 65536;
    static final long MAX_ITERS = 10_000_000L;

    public static void main(String[] args) throws MPIException {
        MPI.Init(args);
        Intracomm world = MPI.COMM_WORLD;
        int rank = world.getRank();
        if (world.getSize() != 2) throw new IllegalArgumentException("OsuOpenMpi needs exactly 2 ranks");
        boolean bw = args.length > 0 && args[0].equals("bw");
        int size = args.length > 1 ? Integer.parseInt(args[1]) : bw ? 1 << 20 : 8;
        double budget = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        String system = args.length > 3 ? args[3] : "openmpi-java";
        if (rank == 0) {
            System.out.println("# openmpi-java-osu " + (bw ? "bw" : "latency") + " system=" + system + " np=2");
            System.out.println(bw ? "# size MB/s p50_us p99_us max_us" : "# size avg_us p50_us p99_us max_us");
        }
        new OsuOpenMpi(world, rank, bw, size).run(budget);
        MPI.Finalize();
    }

    private final Intracomm world;
    private final int rank;
    private final boolean bw;
    private final int size;
    private final ByteBuffer sbuf;
    private final ByteBuffer rbuf;
    private final byte[] sarr;
    private final byte[] rarr;
    private final ByteBuffer ack = MPI.newByteBuffer(4);
    private final Request[] window = new Request[WINDOW];

    OsuOpenMpi(Intracomm world, int rank, boolean bw, int size) {
        this.world = world;
        this.rank = rank;
        this.bw = bw;
        this.size = size;
        sbuf = MPI.newByteBuffer(Math.max(4, size));
        rbuf = MPI.newByteBuffer(Math.max(4, size));
        sarr = new byte[size];
        rarr = new byte[size];
    }

    void run(double budget) throws MPIException {
        int[] more = {1};
        long end = System.nanoTime() + 1_000_000_000L;
        while (more[0] == 1) {
            for (int i = 0; i < 10; i++) once();
            more[0] = System.nanoTime() < end ? 1 : 0;
            world.bcast(more, 1, MPI.INT, 0);
        }
        long warm = size > LARGE ? 10 : 100;
        long[] iters = {bw ? (size > LARGE ? 20 : 100) : (size > LARGE ? 100 : 1000)};
        world.barrier();
        long w0 = System.nanoTime();
        for (long k = 0; k < warm; k++) once();
        if (budget > 0) {
            double per = (System.nanoTime() - w0) / 1e9 / warm;
            double want = per > 0 ? budget / per : MAX_ITERS;
            iters[0] = want < 1 ? 1 : want > MAX_ITERS ? MAX_ITERS : (long) want;
            world.bcast(iters, 1, MPI.LONG, 0);
        }
        int n = (int) iters[0];
        long[] samples = new long[n];
        world.barrier();
        long total = 0;
        long start = System.nanoTime();
        for (int k = 0; k < n; k++) {
            long dt = once();
            samples[k] = dt;
            total += dt;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (rank != 0) return;
        double scale = bw ? 1e-3 : 0.5e-3; // ns -> µs; latency: one way = round trip / 2
        double value = bw ? (double) size * WINDOW * n / elapsed / 1e6 : (double) total / n * scale;
        Arrays.sort(samples);
        System.out.println(size + " " + fmt(value) + " " + fmt(pct(samples, 0.5) * scale) + " "
                + fmt(pct(samples, 0.99) * scale) + " " + fmt(samples[n - 1] * scale));
    }

    /** One iteration; returns its duration on this rank in nanoseconds. */
    long once() throws MPIException {
        long t0 = System.nanoTime();
        if (!bw) {
            if (rank == 0) {
                world.send(sarr, size, MPI.BYTE, 1, 1);
                world.recv(rarr, size, MPI.BYTE, 1, 1);
            } else {
                world.recv(rarr, size, MPI.BYTE, 0, 1);
                world.send(sarr, size, MPI.BYTE, 0, 1);
            }
        } else if (rank == 0) {
            for (int i = 0; i < WINDOW; i++) window[i] = world.iSend(sbuf, size, MPI.BYTE, 1, 2);
            Request.waitAll(window);
            world.recv(ack, 4, MPI.BYTE, 1, 3);
        } else {
            for (int i = 0; i < WINDOW; i++) window[i] = world.iRecv(rbuf, size, MPI.BYTE, 0, 2);
            Request.waitAll(window);
            world.send(ack, 4, MPI.BYTE, 0, 3);
        }
        return System.nanoTime() - t0;
    }

    /** Nearest-rank percentile of sorted x: x[ceil(q*n)-1], as osu.c. */
    static long pct(long[] x, double q) {
        int i = (int) Math.ceil(q * x.length) - 1;
        return x[Math.max(0, Math.min(x.length - 1, i))];
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
