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
import java.util.Locale;
import java.util.Map;

/**
 * A trace as Chrome Trace Event JSON (the object form: {@code traceEvents} and {@code otherData}), which Perfetto
 * and {@code chrome://tracing} open: one process per rank (pid = rank), one thread per recording thread, each MPI
 * operation a complete event ({@code "ph":"X"}) with its peer, tag, bytes, communicator context, root, count,
 * datatype, op and call site in {@code args}; each message a pair of flow events ({@code "s"} at the send, {@code
 * "f"} at the completed receive, bound to tiny "send"/"recv" slices) with one id per (sender, receiver, sequence).
 * Times are microseconds from the earliest rank's start on rank 0's clock; {@code otherData} holds every rank's
 * clock offset and the round trip it was measured with.
 */
final class ChromeTrace {
    private ChromeTrace() {
    }

    /** A key of one message: sender, receiver, the pair's sequence number. */
    static long messageKey(int src, int dst, long seq, int size) {
        return ((long) src * size + dst) * (1L << 40) + seq;
    }

    static void write(TraceFile t, Path file) throws IOException {
        long origin = t.origin();
        int size = t.size();
        Map<Long, Integer> flowIds = new HashMap<>();
        for (Event e : t.events()) {
            if (e.kind() == TraceFormat.MSG_SEND) flowIds.put(messageKey(e.rank(), e.peer(), e.seq(), size), flowIds.size() + 1);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":\"jmpirun --trace\",\"ranks\":" + t.ranks().size());
            for (TraceFile.Rank r : t.ranks()) {
                w.write(",\"rank" + r.rank() + "ClockOffsetNs\":" + r.clockOffset() + ",\"rank" + r.rank() + "ClockRttNs\":"
                        + r.clockRtt());
            }
            w.write("},\n\"traceEvents\":[\n");
            boolean first = true;
            for (TraceFile.Rank r : t.ranks()) {
                first = sep(w, first);
                w.write("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":" + r.rank() + ",\"args\":{\"name\":\"rank " + r.rank()
                        + " (clock offset " + r.clockOffset() + " ns, rtt " + r.clockRtt() + " ns)\"}}");
                w.write(",\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":" + r.rank() + ",\"args\":{\"sort_index\":" + r.rank() + "}}");
                for (Map.Entry<Integer, String> th : r.threads().entrySet()) {
                    w.write(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":" + r.rank() + ",\"tid\":" + th.getKey()
                            + ",\"args\":{\"name\":" + str(th.getValue()) + "}}");
                }
            }
            for (Event e : t.events()) {
                first = sep(w, first);
                String ts = us(e.t0() - origin);
                String common = ",\"pid\":" + e.rank() + ",\"tid\":" + e.thread() + ",\"ts\":" + ts;
                if (e.kind() == TraceFormat.OP) {
                    w.write("{\"name\":" + str(e.name()) + ",\"cat\":\"" + TraceFormat.categoryName(e.category()) + "\",\"ph\":\"X\""
                            + common + ",\"dur\":" + us(e.duration()) + ",\"args\":" + args(e) + "}");
                } else {
                    boolean send = e.kind() == TraceFormat.MSG_SEND;
                    Integer id = send ? flowIds.get(messageKey(e.rank(), e.peer(), e.seq(), size))
                            : flowIds.get(messageKey(e.peer(), e.rank(), e.seq(), size));
                    w.write("{\"name\":\"" + (send ? "send" : "recv") + "\",\"cat\":\"message\",\"ph\":\"X\"" + common
                            + ",\"dur\":0.001,\"args\":{\"" + (send ? "to" : "from") + "\":" + e.peer() + ",\"tag\":" + e.tag()
                            + ",\"bytes\":" + e.bytes() + ",\"context\":" + e.context() + ",\"seq\":" + e.seq() + "}}");
                    if (id != null) {
                        w.write(",\n{\"name\":\"message\",\"cat\":\"message\",\"ph\":\"" + (send ? "s" : "f") + "\""
                                + (send ? "" : ",\"bp\":\"e\"") + ",\"id\":" + id + common + "}");
                    }
                }
            }
            w.write("\n]}\n");
        }
    }

    private static boolean sep(BufferedWriter w, boolean first) throws IOException {
        if (!first) w.write(",\n");
        return false;
    }

    private static String args(Event e) {
        StringBuilder b = new StringBuilder("{");
        if (e.peer() >= 0) b.append("\"peer\":").append(e.peer()).append(',');
        if (e.tag() >= 0) b.append("\"tag\":").append(e.tag()).append(',');
        b.append("\"bytes\":").append(e.bytes()).append(",\"context\":").append(e.context());
        if (e.category() == TraceFormat.COLL) {
            b.append(",\"root\":").append(e.root()).append(",\"count\":").append(e.seq());
            if (!e.type().isEmpty()) b.append(",\"datatype\":").append(str(e.type()));
            if (!e.op().isEmpty()) b.append(",\"op\":").append(str(e.op()));
        } else if (e.seq() >= 0) {
            b.append(",\"seq\":").append(e.seq());
        }
        if (!e.site().isEmpty()) b.append(",\"site\":").append(str(e.site()));
        return b.append('}').toString();
    }

    static String us(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1000.0);
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
