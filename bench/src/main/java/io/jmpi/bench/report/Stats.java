package io.jmpi.bench.report;

import java.util.Arrays;
import java.util.Locale;

/** Median, minimum and maximum of a point's repeats; {@code n == 0} (and NaN figures) when nothing was measured. */
record Stats(int n, double median, double min, double max) {
    static Stats of(double[] v) {
        if (v.length == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
        double[] x = v.clone();
        Arrays.sort(x);
        int m = x.length / 2;
        double median = x.length % 2 == 1 ? x[m] : (x[m - 1] + x[m]) / 2;
        return new Stats(x.length, median, x[0], x[x.length - 1]);
    }

    boolean present() {
        return n > 0;
    }

    /** "12.3 (11.9–14.0)", or "n/a". */
    String text() {
        if (!present()) return "n/a";
        if (n == 1) return num(median);
        return num(median) + " (" + num(min) + "–" + num(max) + ")";
    }

    /** Three significant figures, at most two decimals. */
    static String num(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double r) {
        if (Double.isNaN(r) || Double.isInfinite(r)) return "n/a";
        return String.format(Locale.ROOT, r < 0.1 ? "%.3f×" : "%.2f×", r);
    }

    /** "8 B", "64 KiB", "4 MiB". */
    static String size(long bytes) {
        if (bytes >= (1L << 20) && bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
        if (bytes >= 1024 && bytes % 1024 == 0) return (bytes >> 10) + " KiB";
        return bytes + " B";
    }
}
