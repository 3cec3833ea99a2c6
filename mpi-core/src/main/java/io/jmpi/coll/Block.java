package io.jmpi.coll;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.ByteBufferBuf;
import io.jmpi.buffer.DataType;

import java.nio.ByteBuffer;

/**
 * A run of elements that a collective reads or writes: {@code count} elements of a primitive array, of a
 * {@code ByteBuffer} (bytes), or of a byte array of serialized objects ({@link DataType#OBJECT}), starting at the
 * absolute index {@code offset}. Algorithms address elements relative to the block and turn sub-ranges into engine
 * buffers ({@link #buf(int, int)}) or copy them locally ({@link #copy}); they never care which kind of storage it is.
 */
public final class Block {
    /** A block of no bytes, for messages that only synchronize. */
    public static final Block EMPTY = new Block(DataType.BYTE, new byte[0], 0, 0);

    public final DataType type;
    private final Object base;
    public final int offset;
    public final int count;

    private Block(DataType type, Object base, int offset, int count) {
        this.type = type;
        this.base = base;
        this.offset = offset;
        this.count = count;
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

    /** The backing primitive array (reductions index it from {@link #offset}); null for a ByteBuffer. */
    public Object array() {
        return base instanceof ByteBuffer ? null : base;
    }

    /** Elements {@code [from, from + n)} of this block. */
    public Block sub(int from, int n) {
        return new Block(type, base, offset + from, n);
    }

    /** An engine buffer over elements {@code [from, from + n)} of this block. */
    public Buf buf(int from, int n) {
        int at = offset + from;
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
