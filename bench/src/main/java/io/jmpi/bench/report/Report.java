package io.jmpi.bench.report;

import io.jmpi.bench.report.Measurements.Case;
import io.jmpi.bench.report.Measurements.Sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one {@code bench/compare.sh} session: reads its raw directory (see {@link Measurements}) and writes
 * into OUT {@code results.md} (tables and charts), {@code results.csv} (median, min, max per test, size and system),
 * {@code ratios.csv} (jmpi ÷ each reference), {@code raw.csv} (every repeat), {@code startup.csv}, the PNG charts, and
 * {@code readme-summary.md} (goals, key figures and charts for {@code bench/README.md}, links prefixed with
 * {@code --link-prefix}); prints the tables with ratios and the goals on standard output.
 *
 * <pre>java -cp 'bench/target/jmpi-bench-*.jar:bench/target/lib/*' io.jmpi.bench.report.Report RAW OUT [--link-prefix P]</pre>
 *
 * Ratios are jmpi's median over the reference's median, for every unit: for latency lower is better, for bandwidth
 * (MB/s) higher is better.
 */
public final class Report {
    private final Measurements m;
    private final Path raw;
    private final Path out;
    private final List<Goals.Result> goals;

    private Report(Measurements m, Path raw, Path out) {
        this.m = m;
        this.raw = raw;
        this.out = out;
        this.goals = Goals.check(m);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Report RAW_DIR OUT_DIR [--link-prefix PREFIX]");
            System.exit(2);
        }
        String prefix = "";
        for (int i = 2; i + 1 < args.length; i += 2) if (args[i].equals("--link-prefix")) prefix = args[i + 1];
        Path raw = Path.of(args[0]), out = Path.of(args[1]);
        Files.createDirectories(out);
        Report r = new Report(Measurements.load(raw), raw, out);
        Map<String, String> charts = new Charts(r.m, out).writeAll();
        r.writeCsv();
        Files.writeString(out.resolve("results.md"), r.markdown(charts, ""));
        Files.writeString(out.resolve("readme-summary.md"), r.readmeSummary(charts, prefix));
        System.out.print(r.console());
    }

    // ------------------------------------------------------------------------------------------- tables

    private Table valueTable(Case c) {
        List<String> systems = m.systemsWithData(c);
        List<String> head = new ArrayList<>(List.of("size"));
        head.addAll(systems);
        Table t = new Table(head);
        for (long size : m.data.get(c).keySet()) {
            List<String> row = new ArrayList<>(List.of(Stats.size(size)));
            for (String s : systems) row.add(m.stats(c, size, s).text());
            t.add(row);
        }
        return t;
    }

    /** jmpi ÷ reference for every jmpi system and every reference that has figures in c. */
    private Table ratioTable(Case c) {
        List<String[]> pairs = pairs(c);
        List<String> head = new ArrayList<>(List.of("size"));
        for (String[] p : pairs) head.add(p[0].substring("jmpi-".length()) + " ÷ " + p[1]);
        Table t = new Table(head);
        if (pairs.isEmpty()) return t;
        for (long size : m.data.get(c).keySet()) {
            List<String> row = new ArrayList<>(List.of(Stats.size(size)));
            for (String[] p : pairs) row.add(Stats.ratio(m.stats(c, size, p[0]).median() / m.stats(c, size, p[1]).median()));
            t.add(row);
        }
        return t;
    }

    private List<String[]> pairs(Case c) {
        List<String> systems = m.systemsWithData(c);
        List<String[]> pairs = new ArrayList<>();
        for (String j : systems) {
            if (!Measurements.isJmpi(j)) continue;
            for (String r : systems) if (!Measurements.isJmpi(r)) pairs.add(new String[]{j, r});
        }
        return pairs;
    }

    private Table startupTable() {
        List<String> systems = new ArrayList<>(m.startup.keySet());
        Stats jmpi = startupStats("jmpi");
        Table t = new Table(List.of("launcher", "ms: median (min–max)", "runs", "jmpi ÷ this", "command"));
        for (String s : systems) {
            Stats st = startupStats(s);
            String ratio = jmpi.present() && st.present() ? Stats.ratio(jmpi.median() / st.median()) : "n/a";
            t.add(List.of(s, st.text(), Integer.toString(st.n()), ratio, "`" + m.startupCommands.getOrDefault(s, "") + "`"));
        }
        return t;
    }

    private Stats startupStats(String s) {
        return Stats.of(m.startup.getOrDefault(s, List.of()).stream().mapToDouble(Double::doubleValue).toArray());
    }

    private Table goalTable() {
        Table t = new Table(List.of("goal", "target", "measured (medians)", "status"), false);
        for (Goals.Result g : goals) t.add(List.of(g.goal(), g.target(), g.measured(), g.status().equals(Goals.NOT_MET) ? "**NOT met**" : g.status()));
        return t;
    }

    private String unitNote(Case c) {
        if (c.bandwidth()) return "MB/s (10^6 bytes/s), higher is better; ratio = jmpi ÷ reference, > 1 means jmpi is faster";
        return "µs per operation" + (c.test().equals("latency") ? " (one way)" : "")
                + ", lower is better; ratio = jmpi ÷ reference, < 1 means jmpi is faster";
    }

    // ----------------------------------------------------------------------------------------- outputs

    private String header() {
        StringBuilder sb = new StringBuilder();
        Map<String, String> cf = m.config;
        sb.append("Session ").append(cf.getOrDefault("started", "?")).append(" – ").append(cf.getOrDefault("finished", "?"))
                .append(": ").append(m.rounds.size()).append(" round(s), systems alternating within each round (order rotated per round); ")
                .append("sizes ").append(cf.getOrDefault("sizes", "?")).append(" bytes; time budget ")
                .append(cf.getOrDefault("budget", "?")).append(" s per size")
                .append("quick".equals(cf.get("mode")) ? "; **--quick smoke run: too short to judge performance**" : "")
                .append(".\n\n");
        try {
            Path ms = raw.resolve("machine-summary.md");
            if (Files.isRegularFile(ms)) sb.append(Files.readString(ms).strip()).append("\n\n");
        } catch (IOException ignored) {
            // optional
        }
        sb.append("Systems:\n\n");
        for (var e : m.systems.entrySet()) {
            sb.append("- `").append(e.getKey()).append("`: ").append(e.getValue()).append('\n');
        }
        return sb.append('\n').toString();
    }

    private String markdown(Map<String, String> charts, String prefix) {
        StringBuilder sb = new StringBuilder("# jmpi vs Open MPI vs MPJ Express\n\n");
        sb.append(header());
        sb.append("Each cell: median across rounds, with (min–max) across rounds; \"n/a\": that system did not produce the figure "
                + "(see the list at the end).\n\n");
        sb.append("## Goals\n\n").append(goalTable().markdown()).append('\n');
        if (!m.startup.isEmpty()) sb.append("## Start-up\n\n").append(startupTable().markdown()).append('\n');
        if (!charts.isEmpty()) {
            sb.append("## Charts\n\n");
            for (var e : charts.entrySet()) sb.append("![").append(e.getKey()).append("](").append(prefix).append(e.getValue()).append(")\n\n");
        }
        for (Case c : m.data.keySet()) {
            if (m.systemsWithData(c).isEmpty()) continue;
            sb.append("## ").append(c.label()).append("\n\n").append(unitNote(c)).append(".\n\n");
            sb.append(valueTable(c).markdown()).append('\n');
            Table r = ratioTable(c);
            if (!r.isEmpty()) sb.append("Ratios (jmpi ÷ reference, medians):\n\n").append(r.markdown()).append('\n');
        }
        sb.append("## Runs that failed, timed out or were skipped\n\n");
        if (m.problems.isEmpty()) sb.append("None.\n");
        for (String p : m.problems) sb.append("- ").append(p).append('\n');
        return sb.toString();
    }

    private String readmeSummary(Map<String, String> charts, String prefix) {
        StringBuilder sb = new StringBuilder();
        sb.append(header());
        sb.append("Full tables (median and min–max per size and system, ratios for every pair): [")
                .append(prefix).append("results.md](").append(prefix).append("results.md); CSV: `")
                .append(prefix).append("results.csv`, `").append(prefix).append("ratios.csv`, `").append(prefix)
                .append("raw.csv`.\n\n");
        sb.append(goalTable().markdown()).append('\n');
        Table key = keyFigures();
        if (!key.isEmpty()) sb.append("Key figures (median, min–max):\n\n").append(key.markdown()).append('\n');
        for (var e : charts.entrySet()) sb.append("![").append(e.getKey()).append("](").append(prefix).append(e.getValue()).append(")\n\n");
        return sb.toString().stripTrailing() + "\n";
    }

    /** A few headline points: small and large latency and bandwidth, small collectives. */
    private Table keyFigures() {
        List<String> systems = new ArrayList<>(m.systems.keySet());
        List<String> head = new ArrayList<>(List.of("figure"));
        head.addAll(systems);
        Table t = new Table(head);
        Object[][] points = {
                {"latency", 2, 8L}, {"latency", 2, 1L << 20}, {"bw", 2, 8L}, {"bw", 2, 1L << 20}, {"bw", 2, 4L << 20},
                {"bibw", 2, 4L << 20}, {"barrier", 2, 0L}, {"barrier", 4, 0L}, {"bcast", 2, 8L}, {"bcast", 4, 8L},
                {"allreduce", 2, 8L}, {"allreduce", 4, 8L}, {"allreduce", 2, 1L << 20}, {"allreduce", 4, 1L << 20}};
        for (Object[] p : points) {
            Case c = new Case((String) p[0], (Integer) p[1]);
            long size = (Long) p[2];
            if (!m.data.containsKey(c)) continue;
            List<String> row = new ArrayList<>(List.of(c.label() + (size > 0 ? " " + Stats.size(size) : "") + " (" + (c.bandwidth() ? "MB/s" : "µs") + ")"));
            boolean any = false;
            for (String s : systems) {
                Stats st = m.stats(c, size, s);
                any |= st.present();
                row.add(st.text());
            }
            if (any) t.add(row);
        }
        return t;
    }

    private String console() {
        StringBuilder sb = new StringBuilder();
        for (Case c : m.data.keySet()) {
            if (m.systemsWithData(c).isEmpty()) {
                sb.append("\n== ").append(c.label()).append(": no system produced figures\n");
                continue;
            }
            sb.append("\n== ").append(c.label()).append(": ").append(unitNote(c)).append("; median (min–max) over ")
                    .append(m.rounds.size()).append(" round(s)\n");
            sb.append(valueTable(c).text());
            Table r = ratioTable(c);
            if (!r.isEmpty()) sb.append("-- ratios, jmpi ÷ reference (medians):\n").append(r.text());
        }
        if (!m.startup.isEmpty()) sb.append("\n== start-up of an empty np=2 job\n").append(startupTable().text().replace("`", ""));
        sb.append("\n== goals\n").append(goalTable().text().replace("**", ""));
        if (!m.problems.isEmpty()) {
            sb.append("\n== ").append(m.problems.size()).append(" run(s) failed, timed out or were skipped (figures n/a):\n");
            for (String p : m.problems) sb.append("  ").append(p).append('\n');
        }
        return sb.toString();
    }

    private void writeCsv() throws IOException {
        StringBuilder res = new StringBuilder("test,np,size,unit,system,repeats,median,min,max,p50_median\n");
        StringBuilder rat = new StringBuilder("test,np,size,jmpi,reference,ratio,better_when\n");
        StringBuilder all = new StringBuilder("test,np,size,system,round,value,p50,p99,max\n");
        for (Case c : m.data.keySet()) {
            for (long size : m.data.get(c).keySet()) {
                for (String s : m.systemsWithData(c)) {
                    Stats st = m.stats(c, size, s);
                    if (!st.present()) continue;
                    res.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%d,%s,%s,%s,%s%n", c.test(), c.np(), size, c.unit(), s,
                            st.n(), d(st.median()), d(st.min()), d(st.max()), d(m.p50(c, size, s).median())));
                    for (Sample x : m.samples(c, size, s)) {
                        all.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%s,%s,%s,%s%n", c.test(), c.np(), size, s, x.round(),
                                d(x.value()), d(x.p50()), d(x.p99()), d(x.max())));
                    }
                }
                for (String[] p : pairs(c)) {
                    double r = m.stats(c, size, p[0]).median() / m.stats(c, size, p[1]).median();
                    if (Double.isNaN(r)) continue;
                    rat.append(String.format(Locale.ROOT, "%s,%d,%d,%s,%s,%.4f,%s%n", c.test(), c.np(), size, p[0], p[1], r,
                            c.bandwidth() ? "higher" : "lower"));
                }
            }
        }
        StringBuilder st = new StringBuilder("launcher,runs,median_ms,min_ms,max_ms\n");
        for (String s : m.startup.keySet()) {
            Stats x = startupStats(s);
            st.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%s%n", s, x.n(), d(x.median()), d(x.min()), d(x.max())));
        }
        StringBuilder gl = new StringBuilder("goal,target,measured,status\n");
        for (Goals.Result g : goals) gl.append(csv(g.goal())).append(',').append(csv(g.target())).append(',')
                .append(csv(g.measured())).append(',').append(csv(g.status())).append('\n');
        Files.writeString(out.resolve("results.csv"), res);
        Files.writeString(out.resolve("ratios.csv"), rat);
        Files.writeString(out.resolve("raw.csv"), all);
        Files.writeString(out.resolve("startup.csv"), st);
        Files.writeString(out.resolve("goals.csv"), gl);
    }

    private static String d(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v).replaceAll("\\.?0+$", "");
    }

    private static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
