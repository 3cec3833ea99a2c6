package io.jmpi.launch;

import io.jmpi.trace.TraceFile;
import io.jmpi.trace.TraceFile.Event;
import io.jmpi.trace.TraceFormat;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mpiP-style profile of {@code jmpirun --profile} (docs/TOOLS.md): per operation and rank the count, total and
 * mean time and bytes; each rank's time in MPI against its time between init and close; the call sites that took
 * the most time; and the communication matrix (messages and bytes from each rank to each, every message the engine
 * sent, collectives' included) as CSV and as a PNG heat map.
 */
final class Profile {
    /** One operation on one rank. */
    record Row(String op, int rank, long count, long nanos, long bytes) {
        long mean() {
            return count == 0 ? 0 : nanos / count;
        }
    }

    /** One call site of the program and operation. */
    record Site(String site, String op, long count, long nanos) {
    }

    final List<Row> rows = new ArrayList<>();
    final List<Site> sites = new ArrayList<>();
    final long[] appNanos;
    final long[] mpiNanos;
    final long[][] messages;
    final long[][] bytes;

    private Profile(int size) {
        appNanos = new long[size];
        mpiNanos = new long[size];
        messages = new long[size][size];
        bytes = new long[size][size];
    }

    static Profile of(TraceFile t) {
        int size = t.size();
        Profile p = new Profile(size);
        Map<String, long[]> ops = new TreeMap<>();
        Map<String, long[]> bySite = new TreeMap<>();
        for (TraceFile.Rank r : t.ranks()) {
            p.appNanos[r.rank()] = r.end() - r.start();
            List<long[]> spans = new ArrayList<>();
            for (Event e : r.events()) {
                if (e.kind() == TraceFormat.MSG_SEND) {
                    if (e.peer() >= 0 && e.peer() < size) {
                        p.messages[r.rank()][e.peer()]++;
                        p.bytes[r.rank()][e.peer()] += e.bytes();
                    }
                    continue;
                }
                if (e.kind() != TraceFormat.OP) continue;
                long[] a = ops.computeIfAbsent(e.name() + "\u0000" + r.rank(), k -> new long[3]);
                a[0]++;
                a[1] += e.duration();
                a[2] += e.bytes();
                if (!e.site().isEmpty()) {
                    long[] s = bySite.computeIfAbsent(e.site() + "\u0000" + e.name(), k -> new long[2]);
                    s[0]++;
                    s[1] += e.duration();
                }
                spans.add(new long[]{e.t0(), e.t1()});
            }
            p.mpiNanos[r.rank()] = union(spans);
        }
        ops.forEach((k, a) -> {
            int z = k.indexOf('\u0000');
            p.rows.add(new Row(k.substring(0, z), Integer.parseInt(k.substring(z + 1)), a[0], a[1], a[2]));
        });
        bySite.forEach((k, a) -> {
            int z = k.indexOf('\u0000');
            p.sites.add(new Site(k.substring(0, z), k.substring(z + 1), a[0], a[1]));
        });
        p.sites.sort(Comparator.comparingLong(Site::nanos).reversed());
        return p;
    }

    /** Total length of the union of intervals (nested or overlapping operations count once). */
    private static long union(List<long[]> spans) {
        spans.sort(Comparator.comparingLong(a -> a[0]));
        long total = 0, start = Long.MIN_VALUE, end = Long.MIN_VALUE;
        for (long[] s : spans) {
            if (s[0] > end) {
                if (end > start) total += end - start;
                start = s[0];
                end = s[1];
            } else {
                end = Math.max(end, s[1]);
            }
        }
        if (end > start) total += end - start;
        return total;
    }

    void print(PrintStream out) {
        out.println("@ jmpi profile ------------------------------------------------------------");
        out.println("@--- MPI time per rank (from init to close) ---");
        out.printf(Locale.ROOT, "%6s %14s %14s %8s%n", "rank", "app ms", "MPI ms", "MPI %");
        for (int r = 0; r < appNanos.length; r++) {
            out.printf(Locale.ROOT, "%6d %14.3f %14.3f %8.2f%n", r, appNanos[r] / 1e6, mpiNanos[r] / 1e6,
                    appNanos[r] == 0 ? 0.0 : 100.0 * mpiNanos[r] / appNanos[r]);
        }
        out.println("@--- operations per rank ---");
        out.printf(Locale.ROOT, "%-22s %6s %10s %14s %12s %14s%n", "operation", "rank", "count", "total ms", "mean us", "bytes");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-22s %6d %10d %14.3f %12.3f %14d%n", r.op(), r.rank(), r.count(), r.nanos() / 1e6,
                    r.mean() / 1e3, r.bytes());
        }
        if (!sites.isEmpty()) {
            out.println("@--- top call sites by time ---");
            out.printf(Locale.ROOT, "%-40s %-18s %10s %14s%n", "call site", "operation", "count", "total ms");
            for (Site s : sites.subList(0, Math.min(20, sites.size()))) {
                out.printf(Locale.ROOT, "%-40s %-18s %10d %14.3f%n", s.site(), s.op(), s.count(), s.nanos() / 1e6);
            }
        }
        out.println("@ files: profile-ops.csv profile-sites.csv profile-ranks.csv profile-matrix-bytes.csv "
                + "profile-matrix-messages.csv profile-matrix.png");
        out.flush();
    }

    void writeFiles(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder("operation,rank,count,total_ns,mean_ns,bytes\n");
        for (Row r : rows) b.append(r.op()).append(',').append(r.rank()).append(',').append(r.count()).append(',')
                .append(r.nanos()).append(',').append(r.mean()).append(',').append(r.bytes()).append('\n');
        Files.writeString(dir.resolve("profile-ops.csv"), b, StandardCharsets.UTF_8);
        b = new StringBuilder("site,operation,count,total_ns\n");
        for (Site s : sites) b.append(s.site()).append(',').append(s.op()).append(',').append(s.count()).append(',')
                .append(s.nanos()).append('\n');
        Files.writeString(dir.resolve("profile-sites.csv"), b, StandardCharsets.UTF_8);
        b = new StringBuilder("rank,app_ns,mpi_ns\n");
        for (int r = 0; r < appNanos.length; r++) b.append(r).append(',').append(appNanos[r]).append(',').append(mpiNanos[r]).append('\n');
        Files.writeString(dir.resolve("profile-ranks.csv"), b, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("profile-matrix-bytes.csv"), matrix(bytes), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("profile-matrix-messages.csv"), matrix(messages), StandardCharsets.UTF_8);
        Files.write(dir.resolve("profile-matrix.png"), HeatMap.png(bytes));
    }

    /** A square matrix: row = sender, column = receiver. */
    static String matrix(long[][] m) {
        StringBuilder b = new StringBuilder("from\\to");
        for (int j = 0; j < m.length; j++) b.append(',').append(j);
        b.append('\n');
        for (int i = 0; i < m.length; i++) {
            b.append(i);
            for (int j = 0; j < m.length; j++) b.append(',').append(m[i][j]);
            b.append('\n');
        }
        return b.toString();
    }
}
