package io.jmpi.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything one {@code bench/compare.sh} session measured, read back from its raw directory:
 * <ul>
 *   <li>{@code systems.tsv}: {@code name TAB description}, one line per system, in display order;</li>
 *   <li>{@code runs.tsv}: {@code round system test np status rc seconds file note}, one line per run, where
 *       {@code file} (relative to the raw directory) holds the benchmark's output in the OSU-style format of
 *       {@code bench/c/osu.c}: {@code # jmpi-osu TEST system=NAME np=N}, then rows {@code size avg p50 p99 max}
 *       (µs) or {@code size MB/s};</li>
 *   <li>{@code startup.tsv}: {@code round launcher milliseconds|fail [note]}, and {@code startup-commands.tsv}:
 *       {@code launcher TAB command};</li>
 *   <li>{@code machine-summary.md}: a few Markdown lines describing the machine (optional);</li>
 *   <li>{@code config.tsv}: {@code key TAB value}.</li>
 * </ul>
 * Rows of a run that failed half-way are kept (the sizes it finished); every failure is listed in {@link #problems}.
 */
final class Measurements {
    /** The tests in display order; bandwidth tests report MB/s (higher is better), the others µs. */
    static final List<String> TEST_ORDER = List.of("latency", "bw", "bibw", "multi_lat", "barrier", "bcast", "reduce",
            "allreduce", "allgather", "alltoall");

    /** One row of one run. */
    record Sample(int round, double value, double p50, double p99, double max) {
    }

    /** A test at a world size. */
    record Case(String test, int np) implements Comparable<Case> {
        boolean bandwidth() {
            return isBandwidth(test);
        }

        String unit() {
            return bandwidth() ? "MB/s" : "us";
        }

        String label() {
            return test + " np=" + np;
        }

        String fileStem() {
            return test + "-np" + np;
        }

        @Override
        public int compareTo(Case o) {
            int a = order(test), b = order(o.test);
            return a != b ? Integer.compare(a, b) : a == Integer.MAX_VALUE ? test.compareTo(o.test) : Integer.compare(np, o.np);
        }

        private static int order(String t) {
            int i = TEST_ORDER.indexOf(t);
            return i < 0 ? Integer.MAX_VALUE : i;
        }
    }

    final Map<String, String> systems = new LinkedHashMap<>();
    final Map<String, String> config = new LinkedHashMap<>();
    final Map<String, String> startupCommands = new LinkedHashMap<>();
    /** case -> size -> system -> samples across rounds. */
    final Map<Case, TreeMap<Long, Map<String, List<Sample>>>> data = new TreeMap<>();
    /** system -> start-up wall times in ms across rounds. */
    final Map<String, List<Double>> startup = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    final TreeSet<Integer> rounds = new TreeSet<>();

    static boolean isBandwidth(String test) {
        return test.equals("bw") || test.equals("bibw");
    }

    static Measurements load(Path raw) throws IOException {
        Measurements m = new Measurements();
        for (String[] f : tsv(raw.resolve("config.tsv"))) if (f.length >= 2) m.config.put(f[0], f[1]);
        for (String[] f : tsv(raw.resolve("systems.tsv"))) m.systems.put(f[0], f.length > 1 ? f[1] : "");
        for (String[] f : tsv(raw.resolve("runs.tsv"))) m.addRun(raw, f);
        for (String[] f : tsv(raw.resolve("startup-commands.tsv"))) m.startupCommands.put(f[0], f.length > 1 ? f[1] : "");
        for (String[] f : tsv(raw.resolve("startup.tsv"))) {
            if (f.length < 3) continue;
            List<Double> l = m.startup.computeIfAbsent(f[1], k -> new ArrayList<>());
            try {
                l.add(Double.parseDouble(f[2]));
            } catch (NumberFormatException e) {
                m.problems.add("startup, round " + f[0] + ", " + f[1] + ": " + (f.length > 3 ? f[3] : f[2]));
            }
        }
        return m;
    }

    private void addRun(Path raw, String[] f) throws IOException {
        if (f.length < 8) return;
        int round = Integer.parseInt(f[0]);
        String system = f[1], test = f[2], status = f[4], note = f.length > 8 ? f[8] : "";
        if (status.equals("skipped")) {
            problems.add(system + ": not run: " + note);
            return;
        }
        int np = Integer.parseInt(f[3]);
        rounds.add(round);
        systems.putIfAbsent(system, "");
        Case c = new Case(test, np);
        data.computeIfAbsent(c, k -> new TreeMap<>());
        Path out = raw.resolve(f[7]);
        int rows = 0;
        if (Files.isRegularFile(out)) {
            boolean header = false;
            for (String line : Files.readAllLines(out)) {
                String s = line.strip();
                if (s.startsWith("# jmpi-osu ")) {
                    header = true;
                    continue;
                }
                if (!header || s.isEmpty() || !Character.isDigit(s.charAt(0))) continue;
                Sample sample = parseRow(round, s, c.bandwidth());
                if (sample == null) continue;
                long size = Long.parseLong(s.split("\\s+")[0]);
                data.get(c).computeIfAbsent(size, k -> new LinkedHashMap<>())
                        .computeIfAbsent(system, k -> new ArrayList<>()).add(sample);
                rows++;
            }
        }
        if (!status.equals("ok") || rows == 0) {
            String why = status.equals("ok") ? "no result rows" : status + (f[5].isEmpty() ? "" : " (exit " + f[5] + ")");
            problems.add(String.format(Locale.ROOT, "%s, %s, round %d: %s%s%s", c.label(), system, round, why,
                    rows > 0 ? ", kept its " + rows + " rows" : "", note.isEmpty() ? "" : ": " + note));
        }
    }

    private static Sample parseRow(int round, String s, boolean bandwidth) {
        String[] t = s.split("\\s+");
        try {
            if (bandwidth && t.length >= 2) return new Sample(round, Double.parseDouble(t[1]), Double.NaN, Double.NaN, Double.NaN);
            if (!bandwidth && t.length >= 5) {
                return new Sample(round, Double.parseDouble(t[1]), Double.parseDouble(t[2]), Double.parseDouble(t[3]),
                        Double.parseDouble(t[4]));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static List<String[]> tsv(Path p) throws IOException {
        if (!Files.isRegularFile(p)) return Collections.emptyList();
        List<String[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(p)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            out.add(line.split("\t", -1));
        }
        return out;
    }

    /** Samples of one point, empty when the system has none there. */
    List<Sample> samples(Case c, long size, String system) {
        TreeMap<Long, Map<String, List<Sample>>> bySize = data.get(c);
        if (bySize == null) return List.of();
        Map<String, List<Sample>> bySystem = bySize.get(size);
        return bySystem == null ? List.of() : bySystem.getOrDefault(system, List.of());
    }

    /** Median of the given field over the point's samples, NaN when there are none. */
    Stats stats(Case c, long size, String system) {
        return Stats.of(samples(c, size, system).stream().mapToDouble(Sample::value).toArray());
    }

    Stats p50(Case c, long size, String system) {
        return Stats.of(samples(c, size, system).stream().mapToDouble(Sample::p50).filter(v -> !Double.isNaN(v)).toArray());
    }

    /** The systems that have at least one sample in case c, in display order. */
    List<String> systemsWithData(Case c) {
        List<String> out = new ArrayList<>();
        TreeMap<Long, Map<String, List<Sample>>> bySize = data.get(c);
        for (String s : systems.keySet()) {
            if (bySize != null && bySize.values().stream().anyMatch(m -> m.containsKey(s))) out.add(s);
        }
        return out;
    }

    static boolean isJmpi(String system) {
        return system.startsWith("jmpi-");
    }
}
