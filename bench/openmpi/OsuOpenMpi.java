// OSU-style ping-pong latency and bandwidth written against Open MPI's Java API (package mpi), for measuring what the
// API costs: compile it once against Open MPI's mpi.jar (or jmpi's mpi-openmpi jar) and run the same class files on
// Open MPI (mpirun) and on jmpi (bin/jmpirun --api openmpi). Same output format as jmpi's native suite
// (io.jmpi.bench.Osu) and bench/c/osu.c:
//   # size avg_us p50_us p99_us max_us      (latency: one way, half the round trip)
//   # size MB/s                             (bw: window of 64 iSends of direct buffers, then a 4-byte ack)
// Usage: OsuOpenMpi latency|bw [size bytes, default 8 | 1048576] [seconds per measurement, default 1] [system name]
import mpi.*;

import java.nio.ByteBuffer;
import java.util.Arrays;

public class OsuOpenMpi {
    static final int WINDOW = 64;

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
            System.out.println(bw ? "# size MB/s" : "# size avg_us p50_us p99_us max_us");
        }
        if (bw) bandwidth(world, rank, size, budget);
        else latency(world, rank, size, budget);
        MPI.Finalize();
    }

    static void latency(Intracomm world, int rank, int size, double budget) throws MPIException {
        byte[] buf = new byte[size];
        // JIT warm-up (1 s, rank 0 decides), then calibrate the count to the budget
        int[] more = {1};
        long end = System.nanoTime() + 1_000_000_000L;
        while (more[0] == 1) {
            for (int i = 0; i < 1000; i++) pingPong(world, rank, buf, size);
            more[0] = System.nanoTime() < end ? 1 : 0;
            world.bcast(more, 1, MPI.INT, 0);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) pingPong(world, rank, buf, size);
        int[] iters = {(int) Math.max(100, Math.min(2_000_000, budget / ((System.nanoTime() - t0) / 1e9 / 1000)))};
        world.bcast(iters, 1, MPI.INT, 0);
        long[] samples = new long[iters[0]];
        world.barrier();
        long start = System.nanoTime();
        for (int i = 0; i < iters[0]; i++) {
            long s = System.nanoTime();
            pingPong(world, rank, buf, size);
            samples[i] = System.nanoTime() - s;
        }
        double total = (System.nanoTime() - start) / 1e3;
        if (rank == 0) {
            Arrays.sort(samples);
            int n = samples.length;
            System.out.printf("%d %.2f %.2f %.2f %.2f%n", size, total / n / 2, samples[n / 2] / 2e3,
                    samples[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 2e3, samples[n - 1] / 2e3);
        }
    }

    static void pingPong(Intracomm world, int rank, byte[] buf, int size) throws MPIException {
        if (rank == 0) {
            world.send(buf, size, MPI.BYTE, 1, 1);
            world.recv(buf, size, MPI.BYTE, 1, 1);
        } else {
            world.recv(buf, size, MPI.BYTE, 0, 1);
            world.send(buf, size, MPI.BYTE, 0, 1);
        }
    }

    static void bandwidth(Intracomm world, int rank, int size, double budget) throws MPIException {
        ByteBuffer[] bufs = new ByteBuffer[WINDOW];
        for (int i = 0; i < WINDOW; i++) bufs[i] = MPI.newByteBuffer(size);
        ByteBuffer ack = MPI.newByteBuffer(4);
        Request[] rs = new Request[WINDOW];
        for (int i = 0; i < 10; i++) window(world, rank, bufs, ack, rs, size);
        long t0 = System.nanoTime();
        for (int i = 0; i < 5; i++) window(world, rank, bufs, ack, rs, size);
        int[] iters = {(int) Math.max(5, Math.min(100_000, budget / ((System.nanoTime() - t0) / 1e9 / 5)))};
        world.bcast(iters, 1, MPI.INT, 0);
        world.barrier();
        long start = System.nanoTime();
        for (int i = 0; i < iters[0]; i++) window(world, rank, bufs, ack, rs, size);
        double secs = (System.nanoTime() - start) / 1e9;
        if (rank == 0) System.out.printf("%d %.2f%n", size, (double) size * WINDOW * iters[0] / secs / 1e6);
    }

    static void window(Intracomm world, int rank, ByteBuffer[] bufs, ByteBuffer ack, Request[] rs, int size) throws MPIException {
        for (int i = 0; i < WINDOW; i++) {
            rs[i] = rank == 0 ? world.iSend(bufs[i], size, MPI.BYTE, 1, 100 + i) : world.iRecv(bufs[i], size, MPI.BYTE, 0, 100 + i);
        }
        Request.waitAll(rs);
        if (rank == 0) world.recv(ack, 4, MPI.BYTE, 1, 99);
        else world.send(ack, 4, MPI.BYTE, 0, 99);
    }
}
