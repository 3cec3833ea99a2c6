package io.jmpi.trace;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A trace folder read back: every rank's events with their names resolved and their times on rank 0's clock (each
 * rank's clock offset applied), for the launcher's timeline, HTML report and profile.
 */
public final class TraceFile {
    /** One record of {@link TraceFormat}; times in nanoseconds on rank 0's clock. */
    public record Event(int rank, int kind, int category, String name, int thread, long t0, long t1, int peer, int tag,
                        int context, int root, long bytes, long seq, String type, String op, String site) {
        public long duration() {
            return t1 - t0;
        }
    }

    /** One rank's file pair. */
    public record Rank(int rank, int size, long start, long end, long clockOffset, long clockRtt, long dropped,
                       Map<Integer, String> threads, List<Event> events) {
    }

    private final List<Rank> ranks;

    private TraceFile(List<Rank> ranks) {
        this.ranks = ranks;
    }

    public List<Rank> ranks() {
        return ranks;
    }

    /** The job's size, from rank 0's meta file (or the number of ranks read). */
    public int size() {
        return ranks.isEmpty() ? 0 : Math.max(ranks.get(0).size(), ranks.size());
    }

    /** Every event of every rank, by start time. */
    public List<Event> events() {
        List<Event> all = new ArrayList<>();
        for (Rank r : ranks) all.addAll(r.events());
        all.sort(Comparator.comparingLong(Event::t0).thenComparingInt(Event::rank));
        return all;
    }

    /** The earliest rank start on rank 0's clock: the timeline's zero. */
    public long origin() {
        long o = Long.MAX_VALUE;
        for (Rank r : ranks) o = Math.min(o, r.start());
        return o == Long.MAX_VALUE ? 0 : o;
    }

    /** Reads every rank-R.meta / rank-R.events pair of {@code dir}; a rank without its meta file is skipped. */
    public static TraceFile read(Path dir) throws IOException {
        List<Rank> ranks = new ArrayList<>();
        for (int r = 0; ; r++) {
            Path meta = TraceFormat.metaFile(dir, r);
            if (!Files.exists(meta)) {
                if (!Files.exists(TraceFormat.eventFile(dir, r))) break;
                continue;
            }
            ranks.add(readRank(meta, TraceFormat.eventFile(dir, r)));
        }
        return new TraceFile(ranks);
    }

    private static Rank readRank(Path meta, Path events) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(meta)) {
            p.load(in);
        }
        int rank = Integer.parseInt(p.getProperty("rank"));
        long offset = Long.parseLong(p.getProperty("clockOffset", "0"));
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, String> threads = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith("name.")) names.put(Integer.parseInt(k.substring(5)), p.getProperty(k));
            if (k.startsWith("thread.")) threads.put(Integer.parseInt(k.substring(7)), p.getProperty(k));
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(events)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> list = new ArrayList<>(b.remaining() / TraceFormat.RECORD_BYTES);
        while (b.remaining() >= TraceFormat.RECORD_BYTES) {
            long w0 = b.getLong(), t0 = b.getLong(), t1 = b.getLong(), w3 = b.getLong(), w4 = b.getLong();
            long bytes = b.getLong(), seq = b.getLong(), w7 = b.getLong();
            list.add(new Event(rank, (int) (w0 & 0xff), (int) ((w0 >>> 8) & 0xff),
                    names.getOrDefault((int) ((w0 >>> 16) & 0xffffff), "?"), (int) (w0 >>> 40),
                    t0 + offset, t1 + offset, (int) (w3 >> 32), (int) w3, (int) (w4 >> 32), (int) w4, bytes, seq,
                    names.getOrDefault((int) ((w7 >>> 40) & 0xfffff), ""), names.getOrDefault((int) ((w7 >>> 20) & 0xfffff), ""),
                    names.getOrDefault((int) (w7 & 0xfffff), "")));
        }
        list.sort(Comparator.comparingLong(Event::t0));
        return new Rank(rank, Integer.parseInt(p.getProperty("size", "1")),
                Long.parseLong(p.getProperty("startNanos")) + offset, Long.parseLong(p.getProperty("endNanos")) + offset,
                offset, Long.parseLong(p.getProperty("clockRtt", "-1")), Long.parseLong(p.getProperty("dropped", "0")),
                threads, list);
    }
}
