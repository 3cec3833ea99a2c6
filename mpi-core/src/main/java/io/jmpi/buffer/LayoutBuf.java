package io.jmpi.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code count} elements of a derived datatype ({@link Layout}) over a primitive array or a {@code ByteBuffer},
 * presented to the engine as one contiguous little-endian byte stream: the packed form of the elements, or a window
 * of it. {@link #copyOut} and {@link #copyIn} walk the runs from any stream offset, so a send gathers straight from
 * the user's array into a frame and a receive scatters straight from a frame into it: no message-sized copy.
 *
 * <p>Storage: an array of the base type (offsets in elements), or a ByteBuffer, whose fields are read and written
 * in the buffer's own byte order (each field by its primitive type; the wire stays little-endian). A struct over a
 * {@code byte[]} is wrapped as {@code ByteBuffer.wrap} does, so in big-endian order, like {@code DataOutputStream}.
 *
 * <p>Over arrays, offsets are whole elements: the engine moves chunks that are multiples of 8 bytes, so a chunk
 * never splits an element of a primitive type. Over a ByteBuffer any byte offset works (a struct's 13-byte records
 * split across chunks).
 */
public final class LayoutBuf extends Buf {
    /** Runs at least this long go through the typed bulk views; shorter ones element by element (no view objects). */
    private static final int BULK = 16;

    private final Layout layout;
    private final Object array;
    private final ByteBuffer bytes;
    /** The origin (type displacement 0) of element 0: an element index into the array, a byte index into the buffer. */
    private final long origin;
    private final long start;
    private final long length;

    private LayoutBuf(Layout layout, Object array, ByteBuffer bytes, long origin, long start, long length) {
        this.layout = layout;
        this.array = array;
        this.bytes = bytes;
        this.origin = origin;
        this.start = start;
        this.length = length;
    }

    /**
     * Bytes {@code [start, start + length)} of the packed stream of elements over {@code storage} (an array of the
     * base type, a ByteBuffer, or a byte[] for a struct) whose element 0 has its origin at unit {@code offset} (from
     * the ByteBuffer's position). Callers have checked types and bounds.
     */
    public static LayoutBuf window(Layout layout, Object storage, int offset, long start, long length) {
        if (storage instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) storage;
            return new LayoutBuf(layout, null, b, b.position() + (long) offset * layout.unit(), start, length);
        }
        if (layout.isStruct()) {
            return new LayoutBuf(layout, null, ByteBuffer.wrap((byte[]) storage), offset, start, length);
        }
        return new LayoutBuf(layout, storage, null, offset, start, length);
    }

    /** All of {@code count} elements. */
    public static LayoutBuf of(Layout layout, Object storage, int offset, int count) {
        return window(layout, storage, offset, 0, (long) count * layout.size() * layout.unit());
    }

    public Layout layout() { return layout; }

    @Override public DataType type() { return layout.wire(); }
    /** Primitive elements in the stream, capped at {@code Integer.MAX_VALUE} (a type may repeat storage; the engine uses {@link #byteLength()}). */
    @Override public int count() { return (int) Math.min(Integer.MAX_VALUE, length / layout.wire().size); }
    @Override public long byteLength() { return length; }

    @Override
    public void copyOut(long off, ByteBuffer dst, int len) {
        int pos = dst.position();
        walk(off, le(dst), pos, len, true);
        dst.position(pos + len);
    }

    @Override
    public void copyIn(long off, ByteBuffer src, int len) {
        int pos = src.position();
        walk(off, le(src), pos, len, false);
        src.position(pos + len);
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order() == ByteOrder.LITTLE_ENDIAN ? b : b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Moves {@code len} stream bytes from stream offset {@code off} between storage and {@code wire} at {@code pos}. */
    private void walk(long off, ByteBuffer wire, int pos, int len, boolean out) {
        if (len == 0) return;
        int unit = layout.unit();
        long itemBytes = (long) layout.size() * unit;
        long p = start + off;
        long item = p / itemBytes;
        int within = (int) (p % itemBytes);
        int run = layout.runAt(within / unit);
        int into = within - layout.packed(run) * unit;
        while (len > 0) {
            int runBytes = layout.length(run) * unit;
            int n = Math.min(len, runBytes - into);
            long first = item * layout.extent() + layout.offset(run);
            if (bytes != null) {
                moveBytes(layout.runType(run), origin + first * unit, into, n, wire, pos, out);
            } else {
                if (into % unit != 0 || n % unit != 0) {
                    throw new IllegalArgumentException("stream offset " + (off) + " splits a " + layout.wire() + " element");
                }
                int at = (int) (origin + first) + into / unit;
                if (out) moveOut(at, n / unit, wire, pos);
                else moveIn(at, n / unit, wire, pos);
            }
            len -= n;
            pos += n;
            into += n;
            if (into == runBytes) {
                into = 0;
                if (++run == layout.runs()) {
                    run = 0;
                    item++;
                }
            }
        }
    }

    /** Bytes {@code [into, into + n)} of a run of fields of type {@code t} that starts at byte {@code runStart}. */
    private void moveBytes(DataType t, long runStart, int into, int n, ByteBuffer wire, int pos, boolean out) {
        int at = (int) runStart + into;
        if (t.size == 1 || bytes.order() == ByteOrder.LITTLE_ENDIAN) {
            if (out) wire.put(pos, bytes, at, n);
            else bytes.put(at, wire, pos, n);
            return;
        }
        // a big-endian field: wire byte j of a field is byte (size - 1 - j) of the stored field; byte by byte, so a
        // field split between two chunks is handled like any other
        int s = t.size;
        for (int k = 0; k < n; k++) {
            int b = into + k;
            int idx = (int) runStart + (b - b % s) + (s - 1 - b % s);
            if (out) wire.put(pos + k, bytes.get(idx));
            else bytes.put(idx, wire.get(pos + k));
        }
    }

    /** A descriptor per long run, not a shared field: a schedule may copy one buffer to several peers at once. */
    private ArrayBuf bulk(int at, int n) {
        return new ArrayBuf(layout.wire(), array, at, n);
    }

    private void moveOut(int at, int n, ByteBuffer d, int pos) {
        if (n >= BULK) {
            ByteBuffer w = d.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(pos);
            bulk(at, n).copyOut(0, w, n * layout.wire().size);
            return;
        }
        switch (layout.wire()) {
            case BYTE: d.put(pos, (byte[]) array, at, n); break;
            case SHORT: { short[] a = (short[]) array; for (int k = 0; k < n; k++) d.putShort(pos + 2 * k, a[at + k]); break; }
            case CHAR: { char[] a = (char[]) array; for (int k = 0; k < n; k++) d.putChar(pos + 2 * k, a[at + k]); break; }
            case INT: { int[] a = (int[]) array; for (int k = 0; k < n; k++) d.putInt(pos + 4 * k, a[at + k]); break; }
            case LONG: { long[] a = (long[]) array; for (int k = 0; k < n; k++) d.putLong(pos + 8 * k, a[at + k]); break; }
            case FLOAT: { float[] a = (float[]) array; for (int k = 0; k < n; k++) d.putFloat(pos + 4 * k, a[at + k]); break; }
            case DOUBLE: { double[] a = (double[]) array; for (int k = 0; k < n; k++) d.putDouble(pos + 8 * k, a[at + k]); break; }
            case BOOLEAN: { boolean[] a = (boolean[]) array; for (int k = 0; k < n; k++) d.put(pos + k, a[at + k] ? (byte) 1 : 0); break; }
            default: throw new IllegalStateException("not an array type: " + layout.wire());
        }
    }

    private void moveIn(int at, int n, ByteBuffer s, int pos) {
        if (n >= BULK) {
            ByteBuffer w = s.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(pos);
            bulk(at, n).copyIn(0, w, n * layout.wire().size);
            return;
        }
        switch (layout.wire()) {
            case BYTE: s.get(pos, (byte[]) array, at, n); break;
            case SHORT: { short[] a = (short[]) array; for (int k = 0; k < n; k++) a[at + k] = s.getShort(pos + 2 * k); break; }
            case CHAR: { char[] a = (char[]) array; for (int k = 0; k < n; k++) a[at + k] = s.getChar(pos + 2 * k); break; }
            case INT: { int[] a = (int[]) array; for (int k = 0; k < n; k++) a[at + k] = s.getInt(pos + 4 * k); break; }
            case LONG: { long[] a = (long[]) array; for (int k = 0; k < n; k++) a[at + k] = s.getLong(pos + 8 * k); break; }
            case FLOAT: { float[] a = (float[]) array; for (int k = 0; k < n; k++) a[at + k] = s.getFloat(pos + 4 * k); break; }
            case DOUBLE: { double[] a = (double[]) array; for (int k = 0; k < n; k++) a[at + k] = s.getDouble(pos + 8 * k); break; }
            case BOOLEAN: { boolean[] a = (boolean[]) array; for (int k = 0; k < n; k++) a[at + k] = s.get(pos + k) != 0; break; }
            default: throw new IllegalStateException("not an array type: " + layout.wire());
        }
    }
}
