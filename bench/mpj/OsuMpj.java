import mpi.MPI;
import mpi.Datatype;
import mpi.Intracomm;
import mpi.Request;

import java.util.Arrays;
import java.util.Locale;

/**
 * OSU-style micro-benchmarks written directly against MPJ Express's {@code mpi.*} API: the raw MPJ Express
 * reference of {@code bench/compare.sh}. It follows the measurement rules of the project's C reference
 * ({@code bench/c/osu.c}, see {@code bench/c/README.md}) and prints the same format as it and as jmpi's
 * {@code io.jmpi.bench.Osu}:
 * <pre>
 * # jmpi-osu latency system=mpj-niodev np=2
 * # sizes=1:4194304 iters=default warmup=default budget_s=0.1 jit_s=1
 * # size avg_us p50_us p99_us max_us
 * 1 112.40 110.21 140.03 400.12
 * </pre>
 * Bandwidth tests print {@code size MB/s p50_us p99_us max_us} (MB = 10^6 bytes; the percentiles are of one window's
 * time on rank 0). Collective rows' value is OSU's "Avg Latency": the mean over ranks of each rank's mean.
 *
 * <p>Usage (MPJ Express passes the program's arguments after its own; {@code MPI.Init} strips them):
 * <pre>
 * mpjrun.sh -np 2 -dev niodev|multicore -cp DIR OsuMpj TEST [m=MIN:MAX] [i=N] [x=N] [t=S] [s=NAME] [jit=S] [wb=0|1]
 * </pre>
 * Options are written {@code key=value} because {@code mpjrun} scans the whole command line, including the
 * program's arguments, for options of its own that start with {@code -}; the C program's spelling
 * ({@code -m 1:1024}) is accepted too where it reaches the program. Options:
 * {@code m} sizes (default 1:4194304; {@code m=MAX} sets only MAX), {@code i} timed iterations (default as osu.c),
 * {@code x} warm-up iterations (default 100, 10 above 64 KiB), {@code t} seconds per size (calibrates the count
 * from the warm-up's pace), {@code s} system name (default mpj), {@code jit} seconds of JIT warm-up before the
 * first size (default 1, as the Java suite), {@code wb=1} the receives of a bw/bibw window each into its own buffer
 * (default 0: all into one buffer, as osu.c, OSU and jmpi's native suite).
 *
 * <p>Two additions to osu.c's rules, both outside the timed loop: the JIT warm-up, which a JVM needs and C does
 * not, and, with {@code t}, a warm-up cut to the time budget when it would take longer (a 4 MiB {@code bw}
 * iteration moves 256 MiB, several seconds at MPJ Express's speed).
 *
 * <p>In multicore mode every rank is a thread of one JVM, so this class keeps no mutable static state.
 */
public final class OsuMpj {
    private static final int WINDOW = 64;
    private static final long LARGE = 65536;
    private static final long MAX_ITERS = 10_000_000L;
    private static final String TESTS = "latency bw bibw multi_lat barrier bcast reduce allreduce allgather alltoall";

    private final Intracomm comm = MPI.COMM_WORLD;
    private final int rank;
    private final int np;
    private String test;
    private long min = 1;
    private long max = 4L << 20;
    private long iters = -1;
    private long warmup = -1;
    private double budget;
    private double jit = 1.0;
    private String system = "mpj";
    private boolean windowBuffers;
    private byte[] sbuf;
    private byte[] rbuf;
    private byte[][] rwin;
    private float[] fsend;
    private float[] frecv;
    private final byte[] ack = new byte[4];
    private final Request[] window = new Request[WINDOW];
    private final Request[] both = new Request[2 * WINDOW];
    private double[] samples = new double[0];

    private OsuMpj() throws Exception {
        rank = comm.Rank();
        np = comm.Size();
    }

    public static void main(String[] args) throws Exception {
        String[] rest = MPI.Init(args);
        try {
            OsuMpj b = new OsuMpj();
            String error = b.parse(rest);
            if (error != null) {
                if (b.rank == 0) {
                    System.err.println("OsuMpj: " + error);
                    System.err.println("usage: OsuMpj TEST [m=MIN:MAX] [i=N] [x=N] [t=S] [s=NAME] [jit=S] [wb=0|1]; TEST: " + TESTS);
                }
                // mpjrun exits 0 whatever the ranks do: the missing header is what tells a script it failed.
                return;
            }
            b.run();
        } finally {
            MPI.Finalize();
        }
    }

    // ------------------------------------------------------------------------------------------ options

    private String parse(String[] args) {
        if (args.length < 1) return "missing TEST";
        test = args[0];
        if (!(" " + TESTS + " ").contains(" " + test + " ")) return "unknown test '" + test + "'";
        for (int a = 1; a < args.length; a++) {
            String key;
            String val;
            String arg = args[a];
            int eq = arg.indexOf('=');
            if (eq > 0 && !arg.startsWith("-")) {
                key = arg.substring(0, eq);
                val = arg.substring(eq + 1);
            } else if (arg.length() == 2 && arg.charAt(0) == '-' && a + 1 < args.length) {
                key = arg.substring(1);
                val = args[++a];
            } else {
                return "bad argument '" + arg + "'";
            }
            try {
                switch (key) {
                    case "m": {
                        int colon = val.indexOf(':');
                        if (colon < 0) {
                            max = Long.parseLong(val);
                        } else {
                            min = Long.parseLong(val.substring(0, colon));
                            max = Long.parseLong(val.substring(colon + 1));
                        }
                        if (min < 0 || min > max || max > (1L << 30)) return "bad value '" + val + "' for m";
                        break;
                    }
                    case "i":
                        iters = Long.parseLong(val);
                        if (iters < 1 || iters > MAX_ITERS) return "bad value '" + val + "' for i";
                        break;
                    case "x":
                        warmup = Long.parseLong(val);
                        if (warmup < 0) return "bad value '" + val + "' for x";
                        break;
                    case "t":
                        budget = Double.parseDouble(val);
                        if (!(budget > 0) || budget > 3600) return "bad value '" + val + "' for t";
                        break;
                    case "jit":
                        jit = Double.parseDouble(val);
                        if (!(jit >= 0) || jit > 600) return "bad value '" + val + "' for jit";
                        break;
                    case "s":
                        system = val;
                        break;
                    case "wb":
                        if (!val.equals("0") && !val.equals("1")) return "bad value '" + val + "' for wb";
                        windowBuffers = val.equals("1");
                        break;
                    default:
                        return "unknown option '" + key + "'";
                }
            } catch (NumberFormatException e) {
                return "bad value '" + val + "' for " + key;
            }
        }
        boolean p2p = test.equals("latency") || test.equals("bw") || test.equals("bibw") || test.equals("multi_lat");
        if (p2p && np < 2) return test + " needs at least 2 ranks (np=" + np + ")";
        return null;
    }

    // -------------------------------------------------------------------------------------------- driver

    private boolean isBandwidth() {
        return test.equals("bw") || test.equals("bibw");
    }

    private boolean isCollective() {
        return !isBandwidth() && !test.equals("latency") && !test.equals("multi_lat");
    }

    private int elementSize() {
        return test.equals("reduce") || test.equals("allreduce") ? 4 : 1;
    }

    private void run() throws Exception {
        int cap = (int) Math.max(4, max);
        int blocks = test.equals("alltoall") || test.equals("allgather") ? np : 1;
        sbuf = new byte[cap * (test.equals("alltoall") ? np : 1)];
        rbuf = new byte[cap * blocks];
        rwin = new byte[WINDOW][];
        for (int w = 0; w < WINDOW; w++) rwin[w] = windowBuffers && isBandwidth() ? new byte[cap] : rbuf;
        Arrays.fill(sbuf, (byte) 1);
        fsend = new float[cap / 4];
        frecv = new float[cap / 4];
        Arrays.fill(fsend, 1.0f);
        if (rank == 0) {
            System.out.println("# jmpi-osu " + test + " system=" + system + " np=" + np);
            System.out.println("# sizes=" + min + ":" + max + " iters=" + (iters > 0 ? iters : "default")
                    + " warmup=" + (warmup >= 0 ? warmup : "default") + " budget_s=" + fmtG(budget) + " jit_s=" + fmtG(jit));
            System.out.println(isBandwidth() ? "# size MB/s p50_us p99_us max_us" : "# size avg_us p50_us p99_us max_us");
            System.out.flush();
        }
        boolean single = test.equals("barrier");
        long first = single ? 0 : Math.max(min, elementSize());
        jitWarmup(first, Math.min(max, LARGE));
        for (long size = single ? 0 : min; size <= (single ? 0 : max); size = size == 0 ? 1 : size * 2) {
            if (!single && size < elementSize()) continue;
            runSize((int) size);
        }
    }

    /** Runs the test at a small and a mid size for {@code jit} seconds in all, so the JIT has compiled MPJ's paths. */
    private void jitWarmup(long small, long mid) throws Exception {
        if (jit <= 0) return;
        long[] sizes = {small, Math.max(small, mid)};
        for (int k = 0; k < 2; k++) {
            long end = System.nanoTime() + (long) (jit * 1e9 * (k == 0 ? 0.75 : 0.25));
            while (true) {
                for (int i = 0; i < 10; i++) once((int) sizes[k]);
                int more = bcastInt(System.nanoTime() < end ? 1 : 0);
                if (more == 0) break;
            }
        }
    }

    private void runSize(int size) throws Exception {
        long n = iters > 0 ? iters : isBandwidth() ? (size > LARGE ? 20 : 100) : (size > LARGE ? 100 : 1000);
        long warm = warmup >= 0 ? warmup : (size > LARGE ? 10 : 100);
        comm.Barrier();
        if (budget > 0 && warm > 1) {
            // One probe iteration; a warm-up that would take longer than the budget is cut to it.
            long t0 = System.nanoTime();
            once(size);
            double per = (System.nanoTime() - t0) / 1e9;
            long fit = per > 0 ? (long) Math.max(1, Math.min(warm, budget / per)) : warm;
            warm = bcastLong(fit);
        }
        long w0 = System.nanoTime();
        for (long k = 0; k < warm; k++) once(size);
        if (budget > 0) {
            long done = warm;
            double spent = (System.nanoTime() - w0) / 1e9;
            if (done < 2) {
                w0 = System.nanoTime();
                for (int k = 0; k < 2; k++) once(size);
                spent = (System.nanoTime() - w0) / 1e9;
                done = 2;
            }
            long chosen = 1;
            if (rank == 0) {
                double per = spent / done;
                double want = per > 0 ? budget / per : MAX_ITERS;
                chosen = want < 1 ? 1 : want > MAX_ITERS ? MAX_ITERS : (long) want;
                if (iters > 0 && chosen > iters) chosen = iters;
            }
            n = bcastLong(chosen);
        }
        if (samples.length < n) samples = new double[(int) n];
        comm.Barrier();
        double total = 0;
        long start = System.nanoTime();
        for (int k = 0; k < n; k++) {
            double dt = once(size);
            samples[k] = dt;
            total += dt;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        report(size, (int) n, total, elapsed);
    }

    private void report(int size, int n, double total, double elapsed) throws Exception {
        double value;
        double scale;
        if (isBandwidth()) {
            double bytes = (double) size * WINDOW * n * (test.equals("bibw") ? 2 : 1);
            value = bytes / elapsed / 1e6;
            scale = 1e6; // percentiles: one window's time in µs
        } else {
            boolean pingPong = !isCollective();
            scale = pingPong ? 0.5e6 : 1e6; // ping-pong: one way = round trip / 2
            value = total / n * scale;
            if (isCollective()) {
                // OSU's "Avg Latency": the mean over ranks of each rank's mean (as osu.c)
                double[] in = {value};
                double[] out = {value};
                comm.Reduce(in, 0, out, 0, 1, MPI.DOUBLE, MPI.SUM, 0);
                value = out[0] / np;
            }
        }
        if (rank == 0) {
            double[] x = Arrays.copyOf(samples, n);
            Arrays.sort(x);
            System.out.println(size + " " + fmt(value) + " " + fmt(pct(x, 0.5) * scale) + " "
                    + fmt(pct(x, 0.99) * scale) + " " + fmt(x[n - 1] * scale));
            System.out.flush();
        }
    }

    /** One iteration at {@code size} bytes; returns its duration on this rank in seconds. */
    private double once(int size) throws Exception {
        long t0 = System.nanoTime();
        Datatype b = MPI.BYTE;
        switch (test) {
            case "latency":
                if (rank == 0) {
                    comm.Send(sbuf, 0, size, b, 1, 1);
                    comm.Recv(rbuf, 0, size, b, 1, 1);
                } else if (rank == 1) {
                    comm.Recv(rbuf, 0, size, b, 0, 1);
                    comm.Send(sbuf, 0, size, b, 0, 1);
                }
                break;
            case "multi_lat": {
                int half = np / 2;
                if (rank < half) {
                    comm.Send(sbuf, 0, size, b, rank + half, 1);
                    comm.Recv(rbuf, 0, size, b, rank + half, 1);
                } else if (rank < 2 * half) {
                    comm.Recv(rbuf, 0, size, b, rank - half, 1);
                    comm.Send(sbuf, 0, size, b, rank - half, 1);
                }
                break;
            }
            case "bw":
                if (rank == 0) {
                    for (int w = 0; w < WINDOW; w++) window[w] = comm.Isend(sbuf, 0, size, b, 1, 2);
                    Request.Waitall(window);
                    comm.Recv(ack, 0, 4, b, 1, 3);
                } else if (rank == 1) {
                    for (int w = 0; w < WINDOW; w++) window[w] = comm.Irecv(rwin[w], 0, size, b, 0, 2);
                    Request.Waitall(window);
                    comm.Send(ack, 0, 4, b, 0, 3);
                }
                break;
            case "bibw":
                if (rank < 2) {
                    int peer = 1 - rank;
                    for (int w = 0; w < WINDOW; w++) both[w] = comm.Irecv(rwin[w], 0, size, b, peer, 2);
                    for (int w = 0; w < WINDOW; w++) both[WINDOW + w] = comm.Isend(sbuf, 0, size, b, peer, 2);
                    Request.Waitall(both); // no acknowledgement: OSU's osu_bibw has none (nor has osu.c)
                }
                break;
            case "barrier":
                comm.Barrier();
                break;
            case "bcast":
                comm.Bcast(sbuf, 0, size, b, 0);
                break;
            case "reduce":
                comm.Reduce(fsend, 0, frecv, 0, size / 4, MPI.FLOAT, MPI.SUM, 0);
                break;
            case "allreduce":
                comm.Allreduce(fsend, 0, frecv, 0, size / 4, MPI.FLOAT, MPI.SUM);
                break;
            case "allgather":
                comm.Allgather(sbuf, 0, size, b, rbuf, 0, size, b);
                break;
            case "alltoall":
                comm.Alltoall(sbuf, 0, size, b, rbuf, 0, size, b);
                break;
            default:
                throw new IllegalStateException(test);
        }
        double dt = (System.nanoTime() - t0) / 1e9;
        // Untimed sync so collective iterations do not pipeline into each other (as osu.c).
        if (isCollective() && !test.equals("barrier")) comm.Barrier();
        return dt;
    }

    // ------------------------------------------------------------------------------------------- helpers

    private int bcastInt(int v) throws Exception {
        int[] a = {v};
        comm.Bcast(a, 0, 1, MPI.INT, 0);
        return a[0];
    }

    private long bcastLong(long v) throws Exception {
        long[] a = {v};
        comm.Bcast(a, 0, 1, MPI.LONG, 0);
        return a[0];
    }

    /** Nearest-rank percentile of sorted x: x[ceil(q*n)-1]. */
    private static double pct(double[] x, double q) {
        int i = (int) Math.ceil(q * x.length) - 1;
        return x[Math.max(0, Math.min(x.length - 1, i))];
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmtG(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
