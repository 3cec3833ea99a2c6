package io.jmpi.bench.report;

import io.jmpi.bench.report.Measurements.Case;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.function.Supplier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PNG charts of one session with XChart: one line per system, medians across repeats, log-log axes (message size in
 * bytes against µs or MB/s). jmpi's systems are drawn solid and thick, the references dashed or dotted, and each
 * system keeps its colour in every chart. Barrier and start-up, which have no size axis, are bar charts.
 */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    private final Measurements m;
    private final Path out;

    Charts(Measurements m, Path out) {
        this.m = m;
        this.out = out;
    }

    /** Writes every chart; returns case label (or "barrier", "startup") to file name, in the order written. */
    Map<String, String> writeAll() {
        System.setProperty("java.awt.headless", "true");
        Map<String, String> files = new LinkedHashMap<>();
        List<Case> barrier = new ArrayList<>();
        for (Case c : m.data.keySet()) {
            if (c.test().equals("barrier")) {
                barrier.add(c);
            } else if (!m.systemsWithData(c).isEmpty()) {
                save(files, c.label(), c.fileStem() + ".png", () -> sizeChart(c));
            }
        }
        if (!barrier.isEmpty()) save(files, "barrier", "barrier.png", () -> barrierChart(barrier));
        save(files, "startup", "startup.png", this::startupChart);
        return files;
    }

    /** Draws and writes one chart; a chart that cannot be drawn is reported and left out, not fatal. */
    private void save(Map<String, String> files, String label, String file, Supplier<Chart<?, ?>> draw) {
        try {
            Chart<?, ?> chart = draw.get();
            if (chart == null) return;
            BitmapEncoder.saveBitmap(chart, out.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
            files.put(label, file);
        } catch (IOException | RuntimeException e) {
            System.err.println("report: chart " + file + " left out: " + e);
        }
    }

    private XYChart sizeChart(Case c) {
        String what = c.bandwidth() ? "bandwidth (MB/s, higher is better)" : "time per operation (µs, lower is better)";
        if (c.test().equals("latency")) what = "one-way latency (µs, lower is better)";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(c.label() + ": median of " + m.rounds.size() + " alternating round(s)")
                .xAxisTitle("message size (bytes)").yAxisTitle(what).build();
        XYStyler st = chart.getStyler();
        st.setXAxisLogarithmic(true);
        st.setYAxisLogarithmic(true);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setMarkerSize(6);
        st.setLegendPosition(c.bandwidth() ? Styler.LegendPosition.InsideSE : Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        for (String system : m.systemsWithData(c)) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (long size : m.data.get(c).keySet()) {
                double v = m.stats(c, size, system).median();
                if (size > 0 && v > 0) {
                    xs.add((double) size);
                    ys.add(v);
                }
            }
            if (xs.isEmpty()) continue;
            XYSeries s = chart.addSeries(system, xs, ys);
            style(s, system);
        }
        return chart;
    }

    private static void style(XYSeries s, String system) {
        Color color = color(system);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(Measurements.isJmpi(system) ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND);
        if (Measurements.isJmpi(system)) {
            s.setLineStyle(new BasicStroke(2.6f));
        } else if (system.startsWith("openmpi")) {
            s.setLineStyle(SeriesLines.DASH_DASH);
        } else {
            s.setLineStyle(SeriesLines.DOT_DOT);
        }
    }

    /** Barrier has no message size: µs against the number of ranks, one line per system. */
    private XYChart barrierChart(List<Case> cases) {
        List<String> systems = new ArrayList<>();
        for (Case c : cases) for (String s : m.systemsWithData(c)) if (!systems.contains(s)) systems.add(s);
        if (systems.isEmpty()) return null;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title("barrier: median of " + m.rounds.size() + " alternating round(s)")
                .xAxisTitle("ranks (more ranks than 2 share the 2 cores)").yAxisTitle("µs per barrier (lower is better)").build();
        XYStyler st = chart.getStyler();
        st.setYAxisLogarithmic(true);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setMarkerSize(8);
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setXAxisDecimalPattern("0");
        for (String system : systems) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (Case c : cases) {
                double v = m.stats(c, 0, system).median();
                if (v > 0) {
                    xs.add((double) c.np());
                    ys.add(v);
                }
            }
            if (xs.isEmpty()) continue;
            style(chart.addSeries(system, xs, ys), system);
        }
        return chart;
    }

    private CategoryChart startupChart() {
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (var e : m.startup.entrySet()) {
            Stats st = Stats.of(e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
            if (!st.present()) continue;
            names.add(e.getKey());
            values.add(st.median());
        }
        if (names.isEmpty()) return null;
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("start-up of an empty np=2 job (init + finalize): median wall time")
                .xAxisTitle("launcher").yAxisTitle("ms (lower is better)").build();
        CategoryStyler st = chart.getStyler();
        st.setLabelsVisible(true);
        st.setLegendVisible(false);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        CategorySeries s = chart.addSeries("start-up", names, values);
        s.setFillColor(new Color(70, 110, 170));
        return chart;
    }

    /** A fixed colour per system, so a system looks the same in every chart. */
    static Color color(String system) {
        switch (system) {
            case "jmpi-tcp": return new Color(31, 90, 200);
            case "jmpi-shm": return new Color(20, 140, 60);
            case "jmpi-mpj": return new Color(130, 60, 190);
            case "openmpi-tcp": return new Color(235, 130, 20);
            case "openmpi-shm": return new Color(210, 40, 40);
            case "mpj-niodev": return new Color(110, 110, 110);
            case "mpj-multicore": return new Color(150, 100, 50);
            default: return new Color(Math.abs(system.hashCode()) % 200, 120, 160);
        }
    }
}
