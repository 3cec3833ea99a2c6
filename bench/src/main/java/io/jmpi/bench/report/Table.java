package io.jmpi.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A small table of strings, rendered as aligned plain text (for the terminal) or as Markdown. */
final class Table {
    private final List<String> header;
    private final boolean numeric;
    private final List<List<String>> rows = new ArrayList<>();

    /** A table whose columns after the first hold figures (right-aligned). */
    Table(List<String> header) {
        this(header, true);
    }

    /** numeric: whether the columns after the first are right-aligned figures, or left-aligned text. */
    Table(List<String> header, boolean numeric) {
        this.header = List.copyOf(header);
        this.numeric = numeric;
    }

    void add(List<String> row) {
        rows.add(List.copyOf(row));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String text() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) w[i] = header.get(i).length();
        for (List<String> r : rows) for (int i = 0; i < w.length && i < r.size(); i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            String f = i == 0 || !numeric ? "%-" + w[i] + "s" : "%" + w[i] + "s";
            l.append(i == 0 ? "" : "  ").append(String.format(f, c));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) sb.append(i == 0 || !numeric ? " --- |" : " ---: |");
        sb.append('\n');
        for (List<String> r : rows) sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        return sb.toString();
    }
}
