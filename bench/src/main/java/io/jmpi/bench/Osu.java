package io.jmpi.bench;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Request;
import io.jmpi.Requests;
import io.jmpi.Status;
import io.jmpi.Win;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * OSU-style micro-benchmarks over jmpi: {@code jmpirun -np 2 --bench latency}. It follows the project's C reference
 * ({@code bench/c/osu.c}, rules in {@code bench/c/README.md}) loop for loop and prints the same format, so
 * {@code bench/compare.sh} can put them side by side:
 * <pre>
 * # jmpi-osu latency system=jmpi-tcp np=2 buffer=array
 * # sizes=1:4194304 iters=default warmup=default budget_s=0.1 jit_s=1
 * # size avg_us p50_us p99_us max_us
 * 1 9.81 9.70 12.10 40.20
 * </pre>
 * Bandwidth tests print {@code size MB/s p50_us p99_us max_us} (MB = 1e6 bytes; the percentiles are of one window's
 * time on rank 0). The sizes, iteration and warm-up counts and the calibration come from {@link OsuRules}. Additions
 * to osu.c, outside the timed loops: a JIT warm-up before the first size ({@code --jit-warmup}, then on until the JITs are quiet), the buffer kind
 * ({@code --buffer}), the window ({@code --window}) and the tests {@code multi_lat} and {@code shm_store}.
 */
@Command(name = "osu", mixinStandardHelpOptions = true,
        description = "OSU-style benchmarks: latency, bw, bibw, multi_lat, barrier, bcast, reduce, allreduce, allgather, alltoall, "
                + "put_latency, get_latency (one-sided: lock once, then put/get + flush per sample, as osu_put_latency), "
                + "shm_store (stores into a neighbour's shared-window segment, MB/s)")
public final class Osu implements Callable<Integer> {
    @Parameters(index = "0", description = "test: ${COMPLETION-CANDIDATES}")
    Test test;

    @Option(names = "-m", description = "message sizes MIN:MAX in bytes (doubling; MAX alone keeps MIN 1), default ${DEFAULT-VALUE}")
    String sizes = "1:4194304";

    @Option(names = "-t", description = "time budget per size in seconds: calibrates the iteration count from the "
            + "warm-up's pace (at most -i if given); 0 = off, default ${DEFAULT-VALUE}")
    double budget = 0;

    @Option(names = "-x", description = "warm-up iterations per size, default 100 (10 above 64 KiB)")
    long warmup = -1;

    @Option(names = "--jit-warmup", description = "seconds of warm-up before the first size, so the JIT has compiled the "
            + "paths before measuring, then on until no rank's JIT compiled for 0.3 s (at most 10 times as long), "
            + "default ${DEFAULT-VALUE}")
    double jitWarmup = 1.0;

    @Option(names = "-i", description = "timed iterations per size, default 1000 (100 above 64 KiB; bw/bibw 100, 20)")
    long iterations = -1;

    @Option(names = "-s", description = "system name printed in the header, default jmpi-$JMPI_TRANSPORT")
    String system;

    @Option(names = "--buffer", description = "array|direct|object, default ${DEFAULT-VALUE}")
    BufferKind buffer = BufferKind.array;

    @Option(names = "--window", description = "messages in flight for bw/bibw, default ${DEFAULT-VALUE} (as osu.c)")
    int window = OsuRules.WINDOW;

    @Spec
    CommandSpec spec;

    enum Test { latency, bw, bibw, multi_lat, barrier, bcast, reduce, allreduce, allgather, alltoall, put_latency, get_latency, shm_store }

    enum BufferKind { array, direct, object }

    /** Test families, as osu.c's {@code enum kind}. */
    enum Kind { P2P_LAT, P2P_BW, COLL, RMA_LAT }

    long min;
    long max;

    private Comm world;
    /** The window of put_latency/get_latency (allocated, rank 1's is the target) and shm_store (shared). */
    private Win win;
    private ByteBuffer segment;
    private Buffers b;
    private Request[] requests;
    private Status[] statuses;
    private long[] samples = new long[0];
    private final byte[] ack = new byte[4];

    public static void main(String[] args) {
        int code = new CommandLine(new Osu()).execute(args);
        System.exit(code);
    }

    static Kind kind(Test t) {
        switch (t) {
            case latency: case multi_lat: return Kind.P2P_LAT;
            case bw: case bibw: case shm_store: return Kind.P2P_BW;
            case put_latency: case get_latency: return Kind.RMA_LAT;
            default: return Kind.COLL;
        }
    }

    /** Bytes per element: reduce/allreduce use floats, so their sizes start at 4 (osu.c's {@code elem}). */
    static int element(Test t) {
        return t == Test.reduce || t == Test.allreduce ? 4 : 1;
    }

    /** Checks the options as osu.c's {@code parse} does; sets {@link #min} and {@link #max}. */
    void validate() {
        try {
            long[] mm = OsuRules.parseSizes(sizes);
            min = mm[0];
            max = mm[1];
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (iterations != -1 && (iterations < 1 || iterations > OsuRules.MAX_ITERS)) {
            throw bad("-i", iterations, "1.." + OsuRules.MAX_ITERS);
        }
        if (warmup < -1) throw bad("-x", warmup, ">= 0");
        if (budget < 0 || budget > OsuRules.MAX_BUDGET || Double.isNaN(budget)) throw bad("-t", budget, "0 < S <= 3600");
        if (!(jitWarmup >= 0 && jitWarmup <= 600)) throw bad("--jit-warmup", jitWarmup, "0..600");
        if (window < 1 || window > 1024) throw bad("--window", window, "1..1024");
        if (max > Integer.MAX_VALUE / 64) throw bad("-m", max, "<= " + Integer.MAX_VALUE / 64 + " in this suite");
    }

    private ParameterException bad(String option, Object value, String range) {
        return new ParameterException(spec.commandLine(), "osu: bad value '" + value + "' for " + option + ": allowed " + range);
    }

    @Override
    public Integer call() {
        validate();
        try (Mpi m = Mpi.init(new String[0])) {
            world = m.world();
            Kind kind = kind(test);
            if (kind != Kind.COLL && world.size() < 2) {
                if (world.rank() == 0) System.err.println("osu: " + test + " needs at least 2 ranks (np=" + world.size() + ")");
                return 2;
            }
            int cap = (int) Math.max(4, max);
            b = new Buffers(test, buffer, cap, world.size());
            requests = new Request[test == Test.bibw ? 2 * window : window];
            statuses = new Status[requests.length];
            for (int i = 0; i < statuses.length; i++) statuses[i] = new Status(); // filled in place by awaitAll
            if (world.rank() == 0) header();
            if (test == Test.shm_store) {
                win = Win.allocateShared(world, Math.max(8, cap), 1);
                segment = win.sharedQuery(1);
            } else if (kind == Kind.RMA_LAT) {
                win = Win.allocate(world, Math.max(8, cap), 1);
                if (world.rank() == 0) win.lock(Win.LOCK_SHARED, 1, 0);
            }
            long[] all = OsuRules.sizes(min, max, element(test), test == Test.barrier);
            if (all.length > 0) warmUpJit((int) all[0], (int) Math.min(all[all.length - 1], OsuRules.LARGE));
            for (long size : all) runSize((int) size);
            if (win != null) {
                // the target waits here (as in every other test) while rank 0 measures, as osu.c's target waits in
                // MPI_Barrier; then the epoch ends and the window is freed
                Control.barrier(world);
                if (kind == Kind.RMA_LAT && world.rank() == 0) win.unlock(1);
                win.free();
            }
        }
        return 0;
    }

    private void header() {
        String sys = system != null ? system : "jmpi-" + System.getenv().getOrDefault("JMPI_TRANSPORT", "auto");
        System.out.println("# jmpi-osu " + test + " system=" + sys + " np=" + world.size() + " buffer=" + buffer);
        System.out.println("# sizes=" + min + ":" + max + " iters=" + (iterations > 0 ? iterations : "default")
                + " warmup=" + (warmup >= 0 ? warmup : "default") + " budget_s=" + fmtG(budget) + " jit_s=" + fmtG(jitWarmup));
        System.out.println(kind(test) == Kind.P2P_BW ? "# size MB/s p50_us p99_us max_us" : "# size avg_us p50_us p99_us max_us");
        System.out.flush();
    }

    /** Runs the test at a small and a mid size for {@code jitWarmup} seconds in all (rank 0's clock decides). */
    private void warmUpJit(int small, int mid) {
        if (jitWarmup <= 0) return;
        int[] sz = {small, Math.max(small, mid)};
        for (int k = 0; k < 2; k++) {
            b.resize(sz[k]);
            long end = System.nanoTime() + (long) (jitWarmup * 1e9 * (k == 0 ? 0.75 : 0.25));
            while (true) {
                loop(sz[k], 10);
                if (Control.bcastFromZero(world, System.nanoTime() < end ? 1 : 0) == 0) break;
            }
        }
        untilJitQuiet(sz[0]);
    }

    /**
     * Goes on with the small size until no rank's JIT compiled anything for {@link #QUIET_NANOS} (at most
     * {@link #QUIET_MAX} warm-up times more). On 2 cores the compiler threads still ran for hundreds of
     * milliseconds after a one-second warm-up (recompiling as the profile settles); a compile taking a core from one
     * of two spinning ranks made single iterations 1-3 ms and ruined the mean (session 6, docs/BENCHMARKS in
     * bench/README.md). Skipped when the JVM has no compilation bean.
     */
    private void untilJitQuiet(int size) {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean measurable = jit != null && jit.isCompilationTimeMonitoringSupported();
        if (Control.sumToAll(world, measurable ? 0 : 1) > 0) return;
        b.resize(size);
        long deadline = System.nanoTime() + (long) (jitWarmup * QUIET_MAX * 1e9);
        long last = jit.getTotalCompilationTime(), quietSince = System.nanoTime();
        while (true) {
            Control.barrier(world); // as runSize does before its timed loop: its paths (0-byte messages) are
            loop(size, 10);         // profiled now, not deoptimised and recompiled once timing has begun
            long now = System.nanoTime(), t = jit.getTotalCompilationTime();
            if (t != last) {
                last = t;
                quietSince = now;
            }
            int busy = now - quietSince < QUIET_NANOS && now < deadline ? 1 : 0;
            if (Control.sumToAll(world, busy) == 0) break;
        }
    }

    private static final long QUIET_NANOS = 300_000_000L;
    private static final int QUIET_MAX = 10;

    /** One size, as osu.c's main loop: barrier, warm-up, calibration, barrier, timed loop, report. */
    private void runSize(int size) {
        Kind kind = kind(test);
        b.resize(size);
        long iters = iterations > 0 ? iterations : OsuRules.defaultIters(kind == Kind.P2P_BW, size);
        long warm = warmup >= 0 ? warmup : OsuRules.defaultWarmup(size);
        Control.barrier(world);
        long w0 = System.nanoTime();
        loop(size, (int) warm);
        if (budget > 0) {
            long done = warm;
            long spent = System.nanoTime() - w0;
            if (done < 2) {
                w0 = System.nanoTime();
                for (int k = 0; k < 2; k++) once(size);
                spent = System.nanoTime() - w0;
                done = 2;
            }
            long chosen = world.rank() == 0 ? OsuRules.calibrate(budget, spent / 1e9, done, iterations) : 1;
            iters = Control.bcastFromZero(world, (int) chosen);
        }
        int n = (int) iters;
        if (samples.length < n) samples = new long[n];
        Control.barrier(world);
        long start = System.nanoTime();
        long total = loop(size, n);
        long elapsed = System.nanoTime() - start;
        report(size, n, total, elapsed);
    }

    /**
     * The timed loop: {@code n} iterations, each one's time in {@link #samples}; returns their sum. The JIT warm-up
     * runs this same method, so the timed loop starts compiled (a loop of its own was compiled, on-stack, only once
     * timing had begun: 100+ ms of C2 on a core the ranks needed).
     */
    private long loop(int size, int n) {
        if (samples.length < n) samples = new long[n];
        long total = 0;
        for (int k = 0; k < n; k++) {
            long dt = once(size);
            samples[k] = dt;
            total += dt;
        }
        return total;
    }

    private void report(int size, int n, long total, long elapsed) {
        Kind kind = kind(test);
        double value;
        double scale; // ns -> µs per reported unit
        if (kind == Kind.P2P_BW) {
            double bytes = (double) size * (test == Test.shm_store ? 1 : window) * n * (test == Test.bibw ? 2 : 1);
            value = bytes / (elapsed / 1e9) / 1e6;
            scale = 1e-3;
        } else {
            scale = kind == Kind.P2P_LAT ? 0.5e-3 : 1e-3; // ping-pong: one way = round trip / 2
            value = (double) total / n * scale;
            // OSU's "Avg Latency": the mean over ranks of each rank's mean (osu.c's MPI_Reduce SUM / np)
            if (kind == Kind.COLL) value = Control.sumAtZero(world, value) / world.size();
        }
        if (world.rank() != 0) return;
        Arrays.sort(samples, 0, n);
        System.out.println(size + " " + fmt(value) + " " + fmt(OsuRules.percentile(samples, n, 0.5) * scale) + " "
                + fmt(OsuRules.percentile(samples, n, 0.99) * scale) + " " + fmt(samples[n - 1] * scale));
        System.out.flush();
    }

    /** One iteration of the test at {@code size} bytes; returns its duration on this rank in nanoseconds. */
    private long once(int size) {
        long t0 = System.nanoTime();
        int r = world.rank();
        switch (test) {
            case latency:
                if (r == 0) {
                    b.send(world, 1, 1);
                    b.recv(world, 1, 1);
                } else if (r == 1) {
                    b.recv(world, 0, 1);
                    b.send(world, 0, 1);
                }
                break;
            case multi_lat: {
                int half = world.size() / 2;
                if (r < half) {
                    b.send(world, r + half, 1);
                    b.recv(world, r + half, 1);
                } else if (r < 2 * half) {
                    b.recv(world, r - half, 1);
                    b.send(world, r - half, 1);
                }
                break;
            }
            case bw:
            case bibw:
                if (r < 2) bandwidth(r);
                break;
            case put_latency:
            case get_latency:
                if (r == 0) { // the target takes no part: its progress agent or its barrier wait answers
                    if (test == Test.put_latency) win.put(b.sbuf, 0, size, 1, 0);
                    else win.get(b.rbuf, 0, size, 1, 0);
                    win.flush(1);
                }
                break;
            case shm_store:
                if (r == 0) segment.put(0, b.sbuf, 0, size); // plain stores into rank 1's mapped segment
                break;
            default:
                Collective.run(test.name(), world, b);
                long dt = System.nanoTime() - t0;
                if (test != Test.barrier) world.barrier(); // untimed, so that iterations do not overlap (as osu.c)
                return Math.max(1, dt);
        }
        return Math.max(1, System.nanoTime() - t0);
    }

    /**
     * bw: rank 0 posts {@code window} isends, rank 1 as many irecvs, both wait, rank 1 acknowledges with 4 bytes.
     * bibw: both post the irecvs then the isends and wait; no acknowledgement (as OSU's osu_bibw and osu.c).
     */
    private void bandwidth(int r) {
        int peer = 1 - r;
        int k = 0;
        if (test == Test.bibw || r == 1) for (int i = 0; i < window; i++) requests[k++] = b.irecv(world, peer, 2);
        if (test == Test.bibw || r == 0) for (int i = 0; i < window; i++) requests[k++] = b.isend(world, peer, 2);
        Requests.awaitAll(requests, statuses);
        if (test == Test.bw) {
            if (r == 0) world.recv(ack, 0, 4, peer, 3, b.status);
            else world.send(ack, 0, 4, peer, 3);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmtG(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * The message buffers, allocated once for the largest size as osu.c does: one send and one receive buffer
     * (allgather/alltoall: {@code np} blocks), floats for reduce/allreduce; every receive of a bw/bibw window goes
     * into the same receive buffer, as in osu.c and OSU.
     */
    static final class Buffers {
        final BufferKind kind;
        final byte[] sbuf;
        final byte[] rbuf;
        final float[] fsend;
        final float[] frecv;
        final ByteBuffer sdirect;
        final ByteBuffer rdirect;
        /** The message of the current size for {@code --buffer object}. */
        byte[] object = new byte[0];
        int size;
        /** Filled by every blocking receive (a returned Status would be a new object per message). */
        final Status status = new Status();

        Buffers(Test test, BufferKind kind, int cap, int np) {
            this.kind = kind;
            boolean blocks = test == Test.alltoall || test == Test.allgather;
            sbuf = new byte[cap * (test == Test.alltoall ? np : 1)];
            rbuf = new byte[cap * (blocks ? np : 1)];
            Arrays.fill(sbuf, (byte) 1);
            boolean floats = element(test) == 4;
            fsend = new float[floats ? cap / 4 : 0];
            frecv = new float[floats ? cap / 4 : 0];
            Arrays.fill(fsend, 1.0f);
            boolean direct = kind == BufferKind.direct;
            sdirect = direct ? ByteBuffer.allocateDirect(cap) : null;
            rdirect = direct ? ByteBuffer.allocateDirect(cap) : null;
        }

        void resize(int size) {
            this.size = size;
            if (kind == BufferKind.object && object.length != size) object = Arrays.copyOf(sbuf, size);
        }

        void send(Comm c, int peer, int tag) {
            switch (kind) {
                case direct: sdirect.clear().limit(size); c.send(sdirect, peer, tag); break;
                case object: c.sendObject(object, peer, tag); break;
                default: c.send(sbuf, 0, size, peer, tag);
            }
        }

        void recv(Comm c, int peer, int tag) {
            switch (kind) {
                case direct: rdirect.clear().limit(size); c.recv(rdirect, peer, tag, status); break;
                case object: c.recvObject(peer, tag); break;
                default: c.recv(rbuf, 0, size, peer, tag, status);
            }
        }

        Request isend(Comm c, int peer, int tag) {
            switch (kind) {
                case direct: sdirect.clear().limit(size); return c.isend(sdirect, peer, tag);
                case object: return c.isendObject(object, peer, tag);
                default: return c.isend(sbuf, 0, size, peer, tag);
            }
        }

        Request irecv(Comm c, int peer, int tag) {
            switch (kind) {
                case direct: rdirect.clear().limit(size); return c.irecv(rdirect, peer, tag);
                case object: return c.irecvObject(peer, tag);
                default: return c.irecv(rbuf, 0, size, peer, tag);
            }
        }
    }
}
