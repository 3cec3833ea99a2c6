package io.jmpi.bench.report;

import io.jmpi.bench.report.Measurements.Case;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance goals of issues 2, 3, 4, 6 and 8, checked against one session's medians. A goal whose figures
 * are missing (a system or test that did not run) is "n/a", never "met".
 */
final class Goals {
    /** One goal: what, the target, what was measured, and whether it is met. */
    record Result(String goal, String target, String measured, String status) {
    }

    static final String MET = "met";
    static final String NOT_MET = "NOT met";
    static final String NA = "n/a";

    private final Measurements m;
    private final List<Result> results = new ArrayList<>();

    private Goals(Measurements m) {
        this.m = m;
    }

    static List<Result> check(Measurements m) {
        Goals g = new Goals(m);
        g.all();
        return g.results;
    }

    private void all() {
        Case lat = new Case("latency", 2), bw = new Case("bw", 2);
        atMost("Latency 8 B, TCP (issue 2, 6)", lat, 8, "jmpi-tcp", "openmpi-tcp", 1.0);
        atMost("Latency 8 B, shared memory (issue 4, 6)", lat, 8, "jmpi-shm", "openmpi-shm", 1.0);
        bandwidth("Bandwidth 1–4 MiB, TCP (issue 2, 6)", bw, "jmpi-tcp", "openmpi-tcp", 0.9);
        bandwidth("Bandwidth 1–4 MiB, shared memory (issue 4, 6)", bw, "jmpi-shm", "openmpi-shm", 0.8);
        for (int np : new int[]{2, 4}) {
            double limit = np == 2 ? 1.2 : 1.5;
            atMost("Barrier np=" + np + ", TCP (issue 3)", new Case("barrier", np), 0, "jmpi-tcp", "openmpi-tcp", limit);
            atMost("Bcast 8 B np=" + np + ", TCP (issue 3)", new Case("bcast", np), 8, "jmpi-tcp", "openmpi-tcp", limit);
            atMost("Bcast 1 MiB np=" + np + ", TCP (issue 3)", new Case("bcast", np), 1 << 20, "jmpi-tcp", "openmpi-tcp", limit);
            atMost("Allreduce 8 B np=" + np + ", TCP (issue 3)", new Case("allreduce", np), 8, "jmpi-tcp", "openmpi-tcp", limit);
            long big = largest(new Case("allreduce", np), 8L << 20);
            atMost("Allreduce " + Stats.size(big) + " np=" + np + ", TCP (issue 3: 1M doubles)", new Case("allreduce", np), big,
                    "jmpi-tcp", "openmpi-tcp", limit);
            atMost("Allreduce 8 B np=" + np + ", shared memory (issue 4)", new Case("allreduce", np), 8, "jmpi-shm",
                    "openmpi-shm", 1.5);
        }
        mpjLatency(lat);
        mpjBandwidth(bw, "jmpi-tcp", "mpj-niodev");
        mpjBandwidth(bw, "jmpi-shm", "mpj-multicore");
        atMost("jmpi --backend mpj over raw MPJ Express niodev, latency 8 B (issue 8)", lat, 8, "jmpi-mpj", "mpj-niodev", 1.10);
        startup();
    }

    /** The largest size ≤ cap measured for case c by any system, or cap itself when there is none. */
    private long largest(Case c, long cap) {
        var bySize = m.data.get(c);
        if (bySize == null) return cap;
        Long k = bySize.floorKey(cap);
        return k == null ? cap : k;
    }

    private double median(Case c, long size, String system) {
        return m.stats(c, size, system).median();
    }

    private void atMost(String goal, Case c, long size, String jmpi, String ref, double limit) {
        String target = "≤ " + fmt(limit) + "× " + ref;
        double a = median(c, size, jmpi), b = median(c, size, ref);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            results.add(new Result(goal, target, missing(c, size, jmpi, a, ref, b), NA));
            return;
        }
        double r = a / b;
        String measured = String.format(Locale.ROOT, "%s %s vs %s %s: %s", jmpi, withUnit(a, c), ref, withUnit(b, c), Stats.ratio(r));
        if (!c.bandwidth()) {
            double pa = m.p50(c, size, jmpi).median(), pb = m.p50(c, size, ref).median();
            if (!Double.isNaN(pa) && !Double.isNaN(pb)) measured += " (p50 " + Stats.ratio(pa / pb) + ")";
        }
        results.add(new Result(goal, target, measured, r <= limit ? MET : NOT_MET));
    }

    private void bandwidth(String goal, Case c, String jmpi, String ref, double limit) {
        String target = "≥ " + fmt(limit) + "× " + ref;
        StringBuilder sb = new StringBuilder();
        double worst = Double.POSITIVE_INFINITY;
        int found = 0;
        for (long size : new long[]{1 << 20, 2 << 20, 4 << 20}) {
            double a = median(c, size, jmpi), b = median(c, size, ref);
            if (Double.isNaN(a) || Double.isNaN(b)) continue;
            found++;
            worst = Math.min(worst, a / b);
            if (sb.length() > 0) sb.append("; ");
            sb.append(Stats.size(size)).append(": ").append(Stats.num(a)).append(" vs ").append(Stats.num(b))
                    .append(" MB/s = ").append(Stats.ratio(a / b));
        }
        if (found == 0) {
            results.add(new Result(goal, target, "no 1–4 MiB figures for " + jmpi + " and " + ref, NA));
            return;
        }
        results.add(new Result(goal, target, sb.toString(), worst >= limit ? MET : NOT_MET));
    }

    private void mpjLatency(Case lat) {
        String goal = "≥ 10× lower latency than MPJ Express niodev, 8 B (issue 6)";
        double a = median(lat, 8, "jmpi-tcp"), b = median(lat, 8, "mpj-niodev");
        if (Double.isNaN(a) || Double.isNaN(b)) {
            results.add(new Result(goal, "mpj-niodev ÷ jmpi-tcp ≥ 10", missing(lat, 8, "jmpi-tcp", a, "mpj-niodev", b), NA));
            return;
        }
        results.add(new Result(goal, "mpj-niodev ÷ jmpi-tcp ≥ 10",
                String.format(Locale.ROOT, "jmpi-tcp %s vs mpj-niodev %s: %.1f× lower", withUnit(a, lat), withUnit(b, lat), b / a),
                b / a >= 10 ? MET : NOT_MET));
    }

    private void mpjBandwidth(Case bw, String jmpi, String ref) {
        String goal = "Higher bandwidth than " + ref + " at every size (issue 6)";
        var bySize = m.data.get(bw);
        double worst = Double.POSITIVE_INFINITY;
        long worstSize = -1;
        int n = 0;
        if (bySize != null) {
            for (long size : bySize.keySet()) {
                double a = median(bw, size, jmpi), b = median(bw, size, ref);
                if (Double.isNaN(a) || Double.isNaN(b)) continue;
                n++;
                if (a / b < worst) {
                    worst = a / b;
                    worstSize = size;
                }
            }
        }
        String target = jmpi + " > " + ref;
        if (n == 0) {
            results.add(new Result(goal, target, "no common sizes for " + jmpi + " and " + ref, NA));
            return;
        }
        results.add(new Result(goal, target, String.format(Locale.ROOT, "%d sizes; lowest %s ÷ %s = %s at %s", n, jmpi, ref,
                Stats.ratio(worst), Stats.size(worstSize)), worst > 1 ? MET : NOT_MET));
    }

    private void startup() {
        String goal = "Start-up of an empty np=2 job (issue 2)";
        Stats a = Stats.of(m.startup.getOrDefault("jmpi", List.of()).stream().mapToDouble(Double::doubleValue).toArray());
        Stats b = Stats.of(m.startup.getOrDefault("openmpi", List.of()).stream().mapToDouble(Double::doubleValue).toArray());
        if (!a.present() || !b.present()) {
            results.add(new Result(goal, "≤ 1.5× openmpi", "no start-up figures for jmpi and openmpi", NA));
            return;
        }
        double r = a.median() / b.median();
        results.add(new Result(goal, "≤ 1.5× openmpi", String.format(Locale.ROOT, "jmpi %s ms vs openmpi %s ms: %s",
                Stats.num(a.median()), Stats.num(b.median()), Stats.ratio(r)), r <= 1.5 ? MET : NOT_MET));
    }

    private static String missing(Case c, long size, String a, double va, String b, double vb) {
        List<String> l = new ArrayList<>();
        if (Double.isNaN(va)) l.add(a);
        if (Double.isNaN(vb)) l.add(b);
        return "no " + c.label() + " " + Stats.size(size) + " figure for " + String.join(" and ", l);
    }

    private static String withUnit(double v, Case c) {
        return Stats.num(v) + (c.bandwidth() ? " MB/s" : " µs");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0$", "");
    }
}
