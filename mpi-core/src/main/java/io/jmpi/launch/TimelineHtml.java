package io.jmpi.launch;

import io.jmpi.trace.TraceFile;
import io.jmpi.trace.TraceFile.Event;
import io.jmpi.trace.TraceFormat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offline timeline report of {@code jmpirun --trace FILE} ({@code FILE.html}): one self-contained page (inline
 * SVG and a few lines of inline script, nothing fetched) with a lane per rank, a bar per MPI operation coloured by
 * category (hover for its name, peer, bytes, time), a line per message from its send to its completed receive, and
 * a summary table. The mouse wheel zooms the time axis, dragging pans. At most {@link #MAX_SHAPES} operations and
 * as many messages are drawn (the JSON has everything).
 */
final class TimelineHtml {
    static final int MAX_SHAPES = 20_000;
    static final int WIDTH = 1200, LANE = 36, LEFT = 70, TOP = 30;
    private static final String[] COLOURS = {"#4e79a7", "#e15759", "#76b7b2", "#f28e2b", "#59a14f", "#b07aa1"};

    private TimelineHtml() {
    }

    static void write(TraceFile t, Path file) throws IOException {
        long origin = t.origin(), end = origin + 1;
        for (TraceFile.Rank r : t.ranks()) end = Math.max(end, r.end());
        double span = end - origin;
        int ranks = t.size();
        int height = TOP + ranks * LANE + 30;
        List<Event> events = t.events();
        Map<Long, Event> sends = new HashMap<>();
        for (Event e : events) if (e.kind() == TraceFormat.MSG_SEND) sends.put(ChromeTrace.messageKey(e.rank(), e.peer(), e.seq(), ranks), e);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>jmpi timeline</title><style>"
                    + "body{font-family:sans-serif;margin:16px;background:#fff;color:#222}svg{border:1px solid #ccc;background:#fafafa}"
                    + "table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
                    + ".legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}"
                    + "</style></head><body>\n");
            w.write("<h1>jmpi timeline</h1><p>" + t.ranks().size() + " ranks, " + ms(span) + " ms. Wheel: zoom, drag: pan. "
                    + "Clock offsets to rank 0 (ns):");
            for (TraceFile.Rank r : t.ranks()) w.write(" " + r.rank() + ": " + r.clockOffset() + " (rtt " + r.clockRtt() + ")");
            w.write("</p>\n<div class=\"legend\">");
            for (int c = 0; c < COLOURS.length; c++) w.write("<span style=\"background:" + COLOURS[c] + "\"></span>" + TraceFormat.categoryName(c));
            w.write("<span style=\"background:#333;height:2px\"></span>message</div>\n");
            w.write("<svg id=\"tl\" width=\"" + (LEFT + WIDTH + 10) + "\" height=\"" + height + "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
            for (int r = 0; r < ranks; r++) {
                int y = TOP + r * LANE;
                w.write("<text x=\"4\" y=\"" + (y + LANE / 2 + 4) + "\" font-size=\"12\">rank " + r + "</text>"
                        + "<line x1=\"" + LEFT + "\" x2=\"" + (LEFT + WIDTH) + "\" y1=\"" + (y + LANE) + "\" y2=\"" + (y + LANE)
                        + "\" stroke=\"#ddd\"/>\n");
            }
            w.write("<g id=\"plot\">\n");
            int drawn = 0;
            for (Event e : events) {
                if (e.kind() != TraceFormat.OP || drawn >= MAX_SHAPES) continue;
                drawn++;
                double x = LEFT + WIDTH * (e.t0() - origin) / span, wd = Math.max(0.5, WIDTH * e.duration() / span);
                int y = TOP + e.rank() * LANE + 4;
                w.write("<rect x=\"" + f(x) + "\" y=\"" + y + "\" width=\"" + f(wd) + "\" height=\"" + (LANE - 14) + "\" fill=\""
                        + COLOURS[Math.min(e.category(), COLOURS.length - 1)] + "\"><title>" + esc(e.name()) + " rank " + e.rank()
                        + (e.peer() >= 0 ? " peer " + e.peer() : "") + (e.category() == TraceFormat.COLL && e.root() >= 0 ? " root " + e.root() : "")
                        + " " + e.bytes() + " B " + f(e.duration() / 1e3) + " us" + (e.site().isEmpty() ? "" : " at " + esc(e.site()))
                        + "</title></rect>\n");
            }
            int lines = 0;
            for (Event e : events) {
                if (e.kind() != TraceFormat.MSG_RECV || lines >= MAX_SHAPES) continue;
                Event s = sends.get(ChromeTrace.messageKey(e.peer(), e.rank(), e.seq(), ranks));
                if (s == null) continue;
                lines++;
                w.write("<line x1=\"" + f(LEFT + WIDTH * (s.t0() - origin) / span) + "\" y1=\"" + (TOP + s.rank() * LANE + LANE - 8)
                        + "\" x2=\"" + f(LEFT + WIDTH * (e.t0() - origin) / span) + "\" y2=\"" + (TOP + e.rank() * LANE + 4)
                        + "\" stroke=\"#333\" stroke-width=\"0.7\"><title>" + s.rank() + " -> " + e.rank() + " tag " + e.tag()
                        + " " + e.bytes() + " B</title></line>\n");
            }
            w.write("</g>\n<text x=\"" + LEFT + "\" y=\"" + (height - 8) + "\" font-size=\"11\">0 ms</text><text x=\""
                    + (LEFT + WIDTH - 60) + "\" y=\"" + (height - 8) + "\" font-size=\"11\">" + ms(span) + " ms</text>\n</svg>\n");
            w.write("<p>" + drawn + " operations and " + lines + " messages drawn.</p>\n");
            summary(w, t);
            w.write(SCRIPT);
            w.write("</body></html>\n");
        }
    }

    private static void summary(BufferedWriter w, TraceFile t) throws IOException {
        Profile p = Profile.of(t);
        w.write("<table><tr><th>operation</th><th>rank</th><th>count</th><th>total ms</th><th>mean us</th><th>bytes</th></tr>\n");
        for (Profile.Row r : p.rows) {
            w.write("<tr><td style=\"text-align:left\">" + esc(r.op()) + "</td><td>" + r.rank() + "</td><td>" + r.count() + "</td><td>"
                    + f(r.nanos() / 1e6) + "</td><td>" + f(r.mean() / 1e3) + "</td><td>" + r.bytes() + "</td></tr>\n");
        }
        w.write("</table>\n");
    }

    /** Zoom (wheel) and pan (drag) of the plot group along the time axis. */
    private static final String SCRIPT = "<script>(function(){var g=document.getElementById('plot'),s=document.getElementById('tl'),"
            + "k=1,o=0,d=null;function u(){g.setAttribute('transform','translate('+(" + LEFT + "+o)+',0) scale('+k+',1) translate(-"
            + LEFT + ",0)');}s.addEventListener('wheel',function(e){e.preventDefault();var x=e.offsetX-" + LEFT
            + ",n=Math.max(1,k*(e.deltaY<0?1.25:0.8));o=x-(x-o)*n/k;k=n;u();});s.addEventListener('mousedown',function(e){d=e.clientX-o;});"
            + "window.addEventListener('mouseup',function(){d=null;});s.addEventListener('mousemove',function(e){if(d!==null){o=e.clientX-d;u();}});"
            + "})();</script>\n";

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
