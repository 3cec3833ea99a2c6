package io.jmpi.coll;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.ByteBufferBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.buffer.Layout;
import io.jmpi.buffer.LayoutBuf;

import java.nio.ByteBuffer;

/**
 * A run of elements that a collective reads or writes: {@code count} elements of a primitive array, of a
 * {@code ByteBuffer} (bytes), or of a byte array of serialized objects ({@link DataType#OBJECT}), starting at the
 * absolute index {@code offset}. Algorithms address elements relative to the block and turn sub-ranges into engine
 * buffers ({@link #buf(int, int)}) or copy them locally ({@link #copy}); they never care which kind of storage it is.
 *
 * <p>A block may also be elements of a derived datatype ({@link #of(Layout, Object, int, int)}): then its elements
 * are the primitive elements (bytes for a struct) of the packed stream of the type's elements, {@code offset} is a
 * position in that stream, and {@link #buf} gathers or scatters the runs directly.
 */
public final class Block {
    /** A block of no bytes, for messages that only synchronize. */
    public static final Block EMPTY = new Block(DataType.BYTE, new byte[0], 0, 0);

    public final DataType type;
    private final Object base;
    public final int offset;
    public final int count;
    /** The derived datatype of the storage, or null for a plain run; {@code origin} is its element 0's unit offset. */
    private final Layout layout;
    private final int origin;

    private Block(DataType type, Object base, int offset, int count) {
        this(type, base, offset, count, null, 0);
    }

    private Block(DataType type, Object base, int offset, int count, Layout layout, int origin) {
        this.type = type;
        this.base = base;
        this.offset = offset;
        this.count = count;
        this.layout = layout;
        this.origin = origin;
    }

    /**
     * {@code items} elements of a derived datatype over {@code base} (an array, a ByteBuffer from its position, or
     * a byte[] for a struct) with element 0 at unit {@code origin}; the block's elements are the packed primitives.
     */
    public static Block of(Layout layout, Object base, int origin, int items) {
        long n = (long) items * layout.size();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("block of " + n + " elements");
        return new Block(layout.wire(), base, 0, (int) n, layout, origin);
    }

    /** {@code count} elements of {@code base} (a primitive array, ByteBuffer or byte[]) from absolute index {@code offset}. */
    public static Block of(DataType type, Object base, int offset, int count) {
        return new Block(type, base, offset, count);
    }

    /** A fresh scratch block of {@code count} elements. */
    public static Block allocate(DataType type, int count) {
        Object a;
        switch (type) {
            case BYTE: case OBJECT: a = new byte[count]; break;
            case SHORT: a = new short[count]; break;
            case CHAR: a = new char[count]; break;
            case INT: a = new int[count]; break;
            case LONG: a = new long[count]; break;
            case FLOAT: a = new float[count]; break;
            case DOUBLE: a = new double[count]; break;
            case BOOLEAN: a = new boolean[count]; break;
            default: throw new IllegalArgumentException("no storage for " + type);
        }
        return new Block(type, a, 0, count);
    }

    /** Whether this is the plain block {@code of(type, base, offset, count)}. */
    public boolean isOf(DataType type, Object base, int offset, int count) {
        return this.base == base && this.type == type && this.offset == offset && this.count == count && layout == null;
    }

    /** The backing primitive array (reductions index it from {@link #offset}); null for a ByteBuffer. */
    public Object array() {
        return base instanceof ByteBuffer || layout != null ? null : base;
    }

    /** Elements {@code [from, from + n)} of this block. */
    public Block sub(int from, int n) {
        return new Block(type, base, offset + from, n, layout, origin);
    }

    /** An engine buffer over elements {@code [from, from + n)} of this block. */
    public Buf buf(int from, int n) {
        int at = offset + from;
        if (layout != null) return LayoutBuf.window(layout, base, origin, (long) at * type.size, (long) n * type.size);
        if (base instanceof ByteBuffer) {
            ByteBuffer d = ((ByteBuffer) base).duplicate();
            d.limit(at + n).position(at);
            return new ByteBufferBuf(d);
        }
        if (type == DataType.OBJECT) return new ObjectBytes((byte[]) base, at, n);
        return new ArrayBuf(type, base, at, n);
    }

    /** An engine buffer over the whole block. */
    public Buf buf() {
        return buf(0, count);
    }

    /** Copies {@code n} elements; overlapping ranges of the same storage behave as if copied through a temporary. */
    public static void copy(Block src, int srcFrom, Block dst, int dstFrom, int n) {
        if (n == 0) return;
        if (src.layout != null || dst.layout != null) {
            // through the packed stream; a derived type's runs rarely line up with the other side's
            int bytes = n * src.type.size;
            ByteBuffer tmp = ByteBuffer.allocate(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            src.buf(srcFrom, n).copyOut(0, tmp, bytes);
            dst.buf(dstFrom, n).copyIn(0, tmp.position(0), bytes);
            return;
        }
        int s = src.offset + srcFrom;
        int d = dst.offset + dstFrom;
        if (src.base instanceof ByteBuffer) {
            ByteBuffer sb = (ByteBuffer) src.base;
            if (dst.base instanceof ByteBuffer) ((ByteBuffer) dst.base).put(d, sb, s, n);
            else sb.get(s, (byte[]) dst.base, d, n);
        } else if (dst.base instanceof ByteBuffer) {
            ((ByteBuffer) dst.base).put(d, (byte[]) src.base, s, n);
        } else {
            System.arraycopy(src.base, s, dst.base, d, n);
        }
    }

    /** A range of a byte array that carries serialized objects (the wire type tells receivers what it is). */
    private static final class ObjectBytes extends Buf {
        private final byte[] bytes;
        private final int off;
        private final int len;

        ObjectBytes(byte[] bytes, int off, int len) {
            this.bytes = bytes;
            this.off = off;
            this.len = len;
        }

        @Override public DataType type() { return DataType.OBJECT; }
        @Override public int count() { return len; }

        @Override
        public void copyOut(long at, ByteBuffer dst, int n) {
            int pos = dst.position();
            dst.put(pos, bytes, off + (int) at, n);
            dst.position(pos + n);
        }

        @Override
        public void copyIn(long at, ByteBuffer src, int n) {
            int pos = src.position();
            src.get(pos, bytes, off + (int) at, n);
            src.position(pos + n);
        }
    }
}
