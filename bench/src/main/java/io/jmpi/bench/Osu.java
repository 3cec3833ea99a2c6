package io.jmpi.bench;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Request;
import io.jmpi.Requests;
import io.jmpi.Status;
import io.jmpi.Win;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.ByteBuffer;
import java.util.concurrent.Callable;

/**
 * OSU-style micro-benchmarks over jmpi: {@code jmpirun -np 2 --bench latency}. Output matches the project's C
 * reference ({@code bench/c/osu.c}) so {@code bench/compare.sh} can put them side by side:
 * <pre>
 * # jmpi-osu latency system=jmpi-tcp np=2
 * # size avg_us p50_us p99_us max_us
 * 1 9.81 9.70 12.1 40.2
 * </pre>
 * Bandwidth tests print {@code size MB/s} (MB = 1e6 bytes). Iteration counts are calibrated per size to a time
 * budget after a warm-up; rank 0 decides and tells the others so every rank runs the same count.
 */
@Command(name = "osu", mixinStandardHelpOptions = true,
        description = "OSU-style benchmarks: latency, bw, bibw, multi_lat, barrier, bcast, reduce, allreduce, allgather, alltoall, "
                + "put_latency, get_latency (one-sided: lock once, then put/get + flush per sample, as osu_put_latency), "
                + "shm_store (stores into a neighbour's shared-window segment, MB/s)")
public final class Osu implements Callable<Integer> {
    @Parameters(index = "0", description = "test: ${COMPLETION-CANDIDATES}")
    Test test;

    @Option(names = "-m", description = "message sizes MIN:MAX in bytes (powers of two), default ${DEFAULT-VALUE}")
    String sizes = "1:4194304";

    @Option(names = "-t", description = "time budget per size in seconds, default ${DEFAULT-VALUE}")
    double budget = 0.2;

    @Option(names = "-x", description = "warm-up iterations per size (scaled down for large sizes), default ${DEFAULT-VALUE}")
    int warmup = 200;

    @Option(names = "--jit-warmup", description = "seconds of warm-up before the first size, so the JIT has compiled the "
            + "paths before measuring, default ${DEFAULT-VALUE}")
    double jitWarmup = 1.0;

    @Option(names = "-i", description = "fixed iteration count (overrides the time budget)")
    int iterations = 0;

    @Option(names = "-s", description = "system name printed in the header, default jmpi-$JMPI_TRANSPORT")
    String system;

    @Option(names = "--buffer", description = "array|direct|object, default ${DEFAULT-VALUE}")
    BufferKind buffer = BufferKind.array;

    @Option(names = "--window", description = "messages in flight for bw/bibw, default ${DEFAULT-VALUE}")
    int window = 64;

    enum Test { latency, bw, bibw, multi_lat, barrier, bcast, reduce, allreduce, allgather, alltoall, put_latency, get_latency, shm_store }

    enum BufferKind { array, direct, object }

    private Mpi mpi;
    private Comm world;
    /** The window of put_latency/get_latency (allocated, rank 1's is the target) and shm_store (shared). */
    private Win win;
    private ByteBuffer segment;
    private final byte[] ack = new byte[4];
    private final byte[] ackIn = new byte[4];

    public static void main(String[] args) {
        int code = new CommandLine(new Osu()).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() {
        try (Mpi m = Mpi.init(new String[0])) {
            mpi = m;
            world = m.world();
            String[] mm = sizes.split(":");
            int min = mm.length == 1 ? 1 : Integer.parseInt(mm[0]);
            int max = Integer.parseInt(mm[mm.length - 1]);
            if (world.rank() == 0) {
                String sys = system != null ? system : "jmpi-" + System.getenv().getOrDefault("JMPI_TRANSPORT", "auto");
                System.out.println("# jmpi-osu " + test + " system=" + sys + " np=" + world.size() + " buffer=" + buffer);
                System.out.println(isBandwidth() ? "# size MB/s" : "# size avg_us p50_us p99_us max_us");
            }
            boolean pt2pt = test == Test.latency || test == Test.bw || test == Test.bibw || rma();
            if (pt2pt && world.size() != 2) throw new IllegalArgumentException(test + " needs exactly 2 ranks");
            if (test == Test.shm_store) {
                win = Win.allocateShared(world, Math.max(8, max), 1);
                segment = win.sharedQuery(1);
            } else if (rma()) {
                win = Win.allocate(world, Math.max(8, max), 1);
                if (world.rank() == 0) win.lock(Win.LOCK_SHARED, 1, 0);
            }
            int small = test == Test.barrier ? 0 : Math.max(4, min);
            warmUpJit(small, test == Test.barrier ? 0 : Math.max(small, Math.min(max, 65536)));
            if (test == Test.barrier) {
                runSize(0); // one row with size 0, as bench/c/osu.c: a barrier carries no message
            } else {
                int first = test == Test.reduce || test == Test.allreduce ? Math.max(4, min) : Math.max(1, min);
                for (long size = first; size <= max; size *= 2) runSize((int) size);
            }
            if (win != null) {
                // the target waits here (point-to-point, as in every other test) while rank 0 measures, as OSU's
                // target waits in MPI_Barrier; then the epoch ends and the window is freed
                Control.barrier(world);
                if (rma() && world.rank() == 0) win.unlock(1);
                win.free();
            }
        }
        return 0;
    }

    private boolean isBandwidth() {
        return test == Test.bw || test == Test.bibw || test == Test.shm_store;
    }

    private boolean rma() {
        return test == Test.put_latency || test == Test.get_latency;
    }

    /** Runs the test on a small and a mid size for {@code jitWarmup} seconds (rank 0's clock decides when to stop). */
    private void warmUpJit(int small, int mid) {
        long end = System.nanoTime() + (long) (jitWarmup * 1e9);
        for (int size : new int[]{small, mid}) {
            Payload p = new Payload(size, buffer, world.size(), isBandwidth() ? window : 0);
            while (true) {
                for (int i = 0; i < 100; i++) once(p, null);
                int more = Control.bcastFromZero(world, System.nanoTime() < end ? 1 : 0);
                if (more == 0) break;
            }
            end = System.nanoTime() + (long) (jitWarmup * 1e9 / 4);
        }
    }

    private void runSize(int size) {
        Payload p = new Payload(size, buffer, world.size(), isBandwidth() ? window : 0);
        // the same count on every rank (they must agree), bounded to about 64 MiB of traffic per size
        long perIteration = (long) Math.max(1, size) * (isBandwidth() && test != Test.shm_store ? window : 1);
        int warm = (int) Math.max(2, Math.min(warmup, (64L << 20) / perIteration));
        for (int i = 0; i < warm; i++) once(p, null);
        int iters = iterations;
        if (iters <= 0) {
            long t0 = System.nanoTime();
            int probe = Math.max(2, warm / 4);
            for (int i = 0; i < probe; i++) once(p, null);
            double per = (System.nanoTime() - t0) / 1e9 / probe;
            iters = (int) Math.max(5, Math.min(1_000_000, budget / Math.max(per, 1e-9)));
        }
        iters = Control.bcastFromZero(world, iters);
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        // the garbage of set-up (this size's buffers and histogram, the JIT warm-up) is collected here, outside the
        // measured phase, which itself allocates nothing: so no GC pause lands in a timed iteration (issue 13's tails;
        // check with --jvm-args=-Xlog:gc)
        System.gc();
        Control.barrier(world);
        long start = System.nanoTime();
        for (int i = 0; i < iters; i++) once(p, h);
        double secs = (System.nanoTime() - start) / 1e9;
        report(size, iters, secs, h);
    }

    private void report(int size, int iters, double secs, Histogram h) {
        if (isBandwidth()) {
            double bytes = (double) size * (test == Test.shm_store ? 1 : window) * iters * (test == Test.bibw ? 2 : 1);
            if (world.rank() == 0) System.out.printf("%d %.2f%n", size, bytes / secs / 1e6);
            return;
        }
        double div = test == Test.latency ? 2.0 : 1.0; // ping-pong: one-way = round trip / 2
        boolean collective = test != Test.latency && test != Test.multi_lat;
        double avg = collective ? h.getMean() / 1e3 : secs / iters * 1e6 / div;
        double worst = Control.maxAtZero(world, avg);
        if (world.rank() == 0) {
            System.out.printf("%d %.2f %.2f %.2f %.2f%n", size, test == Test.latency ? avg : worst,
                    h.getValueAtPercentile(50) / 1e3 / div, h.getValueAtPercentile(99) / 1e3 / div, h.getMaxValue() / 1e3 / div);
        }
    }

    /** One iteration of the test; records its duration in {@code h} when not null. */
    private void once(Payload p, Histogram h) {
        long t0 = System.nanoTime();
        int r = world.rank();
        switch (test) {
            case latency:
                if (r == 0) {
                    p.send(world, 1);
                    p.recv(world, 1);
                } else {
                    p.recv(world, 0);
                    p.send(world, 0);
                }
                break;
            case multi_lat: {
                int half = world.size() / 2;
                int peer = r < half ? r + half : r - half;
                if (peer >= world.size() || (world.size() % 2 == 1 && r == world.size() - 1)) break;
                if (r < half) {
                    p.send(world, peer);
                    p.recv(world, peer);
                } else {
                    p.recv(world, peer);
                    p.send(world, peer);
                }
                break;
            }
            case bw:
            case bibw:
                bandwidth(p, r);
                break;
            case put_latency:
            case get_latency:
                if (r != 0) return; // the target takes no part: its progress agent or its barrier wait answers
                if (test == Test.put_latency) win.put(p.array, 0, p.size, 1, 0);
                else win.get(p.array, 0, p.size, 1, 0);
                win.flush(1);
                break;
            case shm_store:
                if (r == 0) segment.put(0, p.array, 0, p.size); // plain stores into rank 1's mapped segment
                break;
            default:
                Collective.run(test.name(), world, p);
                long t = System.nanoTime() - t0;
                world.barrier(); // untimed, so that iterations do not overlap (as bench/c/osu.c)
                if (h != null) h.recordValue(Math.max(1, t));
                return;
        }
        if (h != null) h.recordValue(Math.max(1, System.nanoTime() - t0));
    }

    private void bandwidth(Payload p, int r) {
        Request[] rs = p.requests;
        boolean sender = r == 0;
        int peer = 1 - r;
        int k = 0;
        if (test == Test.bibw || !sender) for (int i = 0; i < window; i++) rs[k++] = p.irecv(world, peer, i);
        if (test == Test.bibw || sender) for (int i = 0; i < window; i++) rs[k++] = p.isend(world, peer);
        // statuses filled in place, as osu.c's MPI_STATUSES_IGNORE: a measured phase allocates no Status (issue 13's tails)
        Requests.awaitAll(rs, p.statuses);
        if (test == Test.bw) {
            if (sender) world.recv(ack, 0, ack.length, peer, 99, p.status);
            else world.send(ack, peer, 99);
        } else {
            world.sendrecv(ack, peer, 99, ackIn, peer, 99); // closing exchange, as bench/c/osu.c
        }
    }

    /** The message buffers of one size, in the chosen kind. */
    static final class Payload {
        final int size;
        final BufferKind kind;
        final byte[] array;
        final byte[][] windowArrays;
        final ByteBuffer direct;
        final ByteBuffer[] windowDirect;
        final byte[] big;
        final byte[] bigOut;
        final float[] floats;
        final float[] floatsOut;
        /** Reused by every iteration, so that a measured phase allocates as little as the API allows. */
        final Request[] requests;
        final Status[] statuses;
        final Status status = new Status();

        Payload(int size, BufferKind kind, int ranks, int window) {
            this.size = size;
            this.kind = kind;
            this.array = new byte[size];
            boolean direct = kind == BufferKind.direct;
            this.direct = direct ? ByteBuffer.allocateDirect(Math.max(1, size)) : null;
            this.windowArrays = new byte[window][];
            this.windowDirect = new ByteBuffer[window];
            for (int i = 0; i < window; i++) {
                if (direct) windowDirect[i] = ByteBuffer.allocateDirect(Math.max(1, size));
                else windowArrays[i] = new byte[size];
            }
            this.big = new byte[size * ranks];
            this.bigOut = new byte[size * ranks];
            this.floats = new float[Math.max(1, size / 4)];
            this.floatsOut = new float[Math.max(1, size / 4)];
            this.requests = new Request[2 * window];
            this.statuses = new Status[2 * window];
            for (int i = 0; i < statuses.length; i++) statuses[i] = new Status();
        }

        void send(Comm c, int peer) {
            switch (kind) {
                case direct: direct.clear().limit(size); c.send(direct, peer, 1); break;
                case object: c.sendObject(array, peer, 1); break;
                default: c.send(array, 0, size, peer, 1);
            }
        }

        void recv(Comm c, int peer) {
            switch (kind) {
                case direct: direct.clear().limit(size); c.recv(direct, peer, 1, status); break;
                case object: c.recvObject(peer, 1); break;
                default: c.recv(array, 0, size, peer, 1, status);
            }
        }

        Request isend(Comm c, int peer) {
            switch (kind) {
                case direct: direct.clear().limit(size); return c.isend(direct, peer, 2);
                case object: return c.isendObject(array, peer, 2);
                default: return c.isend(array, 0, size, peer, 2);
            }
        }

        Request irecv(Comm c, int peer, int i) {
            switch (kind) {
                case direct: { ByteBuffer b = windowDirect[i % windowDirect.length]; b.clear().limit(size); return c.irecv(b, peer, 2); }
                case object: return c.irecvObject(peer, 2);
                default: return c.irecv(windowArrays[i % windowArrays.length], 0, size, peer, 2);
            }
        }
    }
}
