package io.jmpi.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The I/O hints jmpi understands (MPI's reserved info keys and ROMIO's): {@code cb_nodes} (number of aggregators,
 * default: one per host), {@code cb_buffer_size} (bytes an aggregator handles per round, default 16 MiB),
 * {@code romio_cb_write} / {@code romio_cb_read} ({@code enable}: always two-phase; {@code disable}: every rank does
 * its own requests; {@code automatic}, the default: two-phase only when the ranks' regions interleave) and
 * {@code striping_unit} (where file domains are cut, default 1 MiB). As MPI allows, a value that is not valid is
 * ignored (the default stays, and {@link #toMap} shows what is in effect).
 */
public final class Hints {
    public enum Mode { ENABLE, DISABLE, AUTOMATIC }

    public static final int DEFAULT_BUFFER = 16 << 20;
    public static final int DEFAULT_ALIGN = 1 << 20;

    private int cbNodes;
    private int cbBufferSize = DEFAULT_BUFFER;
    private Mode cbWrite = Mode.AUTOMATIC;
    private Mode cbRead = Mode.AUTOMATIC;
    private int stripingUnit = DEFAULT_ALIGN;

    /** Hints with the defaults; {@code defaultNodes} is the number of hosts. */
    public Hints(int defaultNodes) {
        this.cbNodes = Math.max(1, defaultNodes);
    }

    /** Applies the keys of {@code info} this class knows; others are kept by the caller, not here. */
    public Hints apply(Map<String, String> info, int ranks) {
        if (info == null) return this;
        Integer v = positive(info.get("cb_nodes"));
        if (v != null) cbNodes = Math.min(v, ranks);
        v = positive(info.get("cb_buffer_size"));
        if (v != null) cbBufferSize = Math.max(4096, v);
        Mode m = mode(info.get("romio_cb_write"));
        if (m != null) cbWrite = m;
        m = mode(info.get("romio_cb_read"));
        if (m != null) cbRead = m;
        v = positive(info.get("striping_unit"));
        if (v != null) stripingUnit = v;
        return this;
    }

    public int cbNodes() { return cbNodes; }
    public int cbBufferSize() { return cbBufferSize; }
    public Mode cbWrite() { return cbWrite; }
    public Mode cbRead() { return cbRead; }
    public int stripingUnit() { return stripingUnit; }

    /** The hints in effect, as info keys and values. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cb_nodes", Integer.toString(cbNodes));
        m.put("cb_buffer_size", Integer.toString(cbBufferSize));
        m.put("romio_cb_write", cbWrite.name().toLowerCase());
        m.put("romio_cb_read", cbRead.name().toLowerCase());
        m.put("striping_unit", Integer.toString(stripingUnit));
        return m;
    }

    private static Integer positive(String s) {
        if (s == null) return null;
        try {
            int v = Integer.parseInt(s.trim());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Mode mode(String s) {
        if (s == null) return null;
        switch (s.trim().toLowerCase()) {
            case "enable": return Mode.ENABLE;
            case "disable": return Mode.DISABLE;
            case "automatic": return Mode.AUTOMATIC;
            default: return null;
        }
    }
}
