package io.jmpi.rma;

import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;

import java.util.Map;

/**
 * The memory one rank exposes in a window: one region (a primitive array, a ByteBuffer, an allocated or shared
 * segment) addressed by {@code disp * dispUnit} bytes, or, for a dynamic window, the regions attached so far, each
 * addressed by the 64-bit base {@link #attach} returned plus a byte offset. {@link #resolve} checks a target
 * address and leaves the region and byte offset in fields (the caller holds the engine's lock: no allocation).
 */
public final class WinMemory {
    /** An exposed run of memory: elements of {@code elem} (BYTE: raw bytes of any type) viewed as a byte stream. */
    public record Region(Buf buf, long bytes, DataType elem, Object key) {
    }

    private final boolean dynamic;
    private final Region fixed;
    private final int dispUnit;
    private final Map<Long, Region> attached = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong(1);

    // the result of resolve (under the engine's lock)
    Region region;
    long byteBase;

    private WinMemory(Region fixed, int dispUnit, boolean dynamic) {
        this.fixed = fixed;
        this.dispUnit = dispUnit;
        this.dynamic = dynamic;
    }

    /** The memory of a window over one region. */
    public static WinMemory of(Buf buf, long bytes, DataType elem, int dispUnit, Object key) {
        return new WinMemory(new Region(buf, bytes, elem, key), dispUnit, false);
    }

    /** The (initially empty) memory of a dynamic window: displacement unit 1, addresses from {@link #attach}. */
    public static WinMemory dynamic() {
        return new WinMemory(null, 1, true);
    }

    public boolean isDynamic() { return dynamic; }
    public int dispUnit() { return dispUnit; }
    /** Bytes of the fixed region (0 for a dynamic window). */
    public long bytes() { return fixed == null ? 0 : fixed.bytes(); }
    public Region fixed() { return fixed; }

    /** Attaches a region to a dynamic window; returns its base address (region id in the high 32 bits). Thread-safe. */
    public long attach(Region r) {
        long base = nextId.getAndIncrement() << 32;
        attached.put(base, r);
        return base;
    }

    /** Detaches the region whose key is {@code key}; false if none is attached. Thread-safe. */
    public boolean detach(Object key) {
        return attached.values().removeIf(r -> r.key() == key);
    }

    /**
     * Finds the region of displacement {@code disp} and checks that {@code [start, end)} bytes relative to its byte
     * address lie inside it; on success sets {@link #region} and {@link #byteBase} and returns null, else the reason.
     */
    String resolve(long disp, long start, long end) {
        Region r;
        long base;
        if (dynamic) {
            r = attached.get(disp & 0xFFFF_FFFF_0000_0000L);
            if (r == null) return "displacement " + disp + " is in no region attached to the dynamic window";
            base = disp & 0xFFFF_FFFFL;
        } else {
            r = fixed;
            if (disp < 0 || disp > Long.MAX_VALUE / Math.max(1, dispUnit)) return "displacement " + disp + " is negative or too large";
            base = disp * dispUnit;
        }
        if (start > end || base + start < 0 || base + end > r.bytes()) {
            return "bytes [" + (base + start) + ", " + (base + end) + ") lie outside the window's " + r.bytes()
                    + " bytes (displacement " + disp + ")";
        }
        region = r;
        byteBase = base;
        return null;
    }
}
