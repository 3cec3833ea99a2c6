package io.jmpi.buffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A run of a primitive array, {@code array[offset .. offset+count)}. One class with one switch per copy for all
 * eight primitive types: bulk copies go through typed views of the byte buffer, which the JIT turns into memcpy.
 */
public final class ArrayBuf extends Buf {
    private DataType type;
    private Object array;
    private int offset;
    private int count;

    public ArrayBuf(DataType type, Object array, int offset, int count) {
        set(type, array, offset, count);
    }

    /**
     * Points this descriptor at another run. Only for descriptors owned by one thread's blocking calls, which no
     * operation references any more once the call has returned.
     */
    public ArrayBuf set(DataType type, Object array, int offset, int count) {
        this.type = type;
        this.array = array;
        this.offset = offset;
        this.count = count;
        return this;
    }

    public static ArrayBuf of(byte[] a, int off, int n) { return new ArrayBuf(DataType.BYTE, a, off, n); }
    public static ArrayBuf of(short[] a, int off, int n) { return new ArrayBuf(DataType.SHORT, a, off, n); }
    public static ArrayBuf of(char[] a, int off, int n) { return new ArrayBuf(DataType.CHAR, a, off, n); }
    public static ArrayBuf of(int[] a, int off, int n) { return new ArrayBuf(DataType.INT, a, off, n); }
    public static ArrayBuf of(long[] a, int off, int n) { return new ArrayBuf(DataType.LONG, a, off, n); }
    public static ArrayBuf of(float[] a, int off, int n) { return new ArrayBuf(DataType.FLOAT, a, off, n); }
    public static ArrayBuf of(double[] a, int off, int n) { return new ArrayBuf(DataType.DOUBLE, a, off, n); }
    public static ArrayBuf of(boolean[] a, int off, int n) { return new ArrayBuf(DataType.BOOLEAN, a, off, n); }

    @Override public DataType type() { return type; }
    @Override public int count() { return count; }
    public Object array() { return array; }
    public int offset() { return offset; }

    /**
     * Runs of at most this many elements are copied element by element through byte-buffer view handles, which
     * allocate nothing; longer runs go through a typed view of the buffer (one small object per copy, against
     * kilobytes copied in bulk).
     */
    static final int SMALL = 256;
    private static final java.lang.invoke.VarHandle SHORTS = view(short[].class), CHARS = view(char[].class),
            INTS = view(int[].class), LONGS = view(long[].class), FLOATS = view(float[].class), DOUBLES = view(double[].class);

    private static java.lang.invoke.VarHandle view(Class<?> arrayClass) {
        return java.lang.invoke.MethodHandles.byteBufferViewVarHandle(arrayClass, ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies a short run without allocating; false if the run is long (or not of a primitive type) and was not copied. */
    private boolean copySmall(boolean out, ByteBuffer b, int pos, int first, int n) {
        if (n > SMALL) return false;
        switch (type) {
            case SHORT: { short[] a = (short[]) array; for (int i = 0; i < n; i++) { if (out) SHORTS.set(b, pos + 2 * i, a[first + i]); else a[first + i] = (short) SHORTS.get(b, pos + 2 * i); } return true; }
            case CHAR: { char[] a = (char[]) array; for (int i = 0; i < n; i++) { if (out) CHARS.set(b, pos + 2 * i, a[first + i]); else a[first + i] = (char) CHARS.get(b, pos + 2 * i); } return true; }
            case INT: { int[] a = (int[]) array; for (int i = 0; i < n; i++) { if (out) INTS.set(b, pos + 4 * i, a[first + i]); else a[first + i] = (int) INTS.get(b, pos + 4 * i); } return true; }
            case LONG: { long[] a = (long[]) array; for (int i = 0; i < n; i++) { if (out) LONGS.set(b, pos + 8 * i, a[first + i]); else a[first + i] = (long) LONGS.get(b, pos + 8 * i); } return true; }
            case FLOAT: { float[] a = (float[]) array; for (int i = 0; i < n; i++) { if (out) FLOATS.set(b, pos + 4 * i, a[first + i]); else a[first + i] = (float) FLOATS.get(b, pos + 4 * i); } return true; }
            case DOUBLE: { double[] a = (double[]) array; for (int i = 0; i < n; i++) { if (out) DOUBLES.set(b, pos + 8 * i, a[first + i]); else a[first + i] = (double) DOUBLES.get(b, pos + 8 * i); } return true; }
            default: return false;
        }
    }

    @Override
    public void copyOut(long off, ByteBuffer dst, int len) {
        int pos = dst.position();
        int first = offset + (int) (off / type.size);
        int n = len / type.size;
        if (copySmall(true, dst, pos, first, n)) { // view handles fix the byte order: no duplicate needed
            dst.position(pos + len);
            return;
        }
        ByteBuffer d = dst.order() == ByteOrder.LITTLE_ENDIAN ? dst : dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case BYTE: d.put(pos, (byte[]) array, first, n); break;
            case SHORT: d.asShortBuffer().put((short[]) array, first, n); break;
            case CHAR: d.asCharBuffer().put((char[]) array, first, n); break;
            case INT: d.asIntBuffer().put((int[]) array, first, n); break;
            case LONG: d.asLongBuffer().put((long[]) array, first, n); break;
            case FLOAT: d.asFloatBuffer().put((float[]) array, first, n); break;
            case DOUBLE: d.asDoubleBuffer().put((double[]) array, first, n); break;
            case BOOLEAN: {
                boolean[] b = (boolean[]) array;
                for (int i = 0; i < n; i++) d.put(pos + i, b[first + i] ? (byte) 1 : (byte) 0);
                break;
            }
            default: throw new IllegalStateException("not an array type: " + type);
        }
        dst.position(pos + len);
    }

    @Override
    public void copyIn(long off, ByteBuffer src, int len) {
        int pos = src.position();
        int first = offset + (int) (off / type.size);
        int n = len / type.size;
        if (copySmall(false, src, pos, first, n)) {
            src.position(pos + len);
            return;
        }
        ByteBuffer s = src.order() == ByteOrder.LITTLE_ENDIAN ? src : src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case BYTE: s.get(pos, (byte[]) array, first, n); break;
            case SHORT: s.asShortBuffer().get((short[]) array, first, n); break;
            case CHAR: s.asCharBuffer().get((char[]) array, first, n); break;
            case INT: s.asIntBuffer().get((int[]) array, first, n); break;
            case LONG: s.asLongBuffer().get((long[]) array, first, n); break;
            case FLOAT: s.asFloatBuffer().get((float[]) array, first, n); break;
            case DOUBLE: s.asDoubleBuffer().get((double[]) array, first, n); break;
            case BOOLEAN: {
                boolean[] b = (boolean[]) array;
                for (int i = 0; i < n; i++) b[first + i] = s.get(pos + i) != 0;
                break;
            }
            default: throw new IllegalStateException("not an array type: " + type);
        }
        src.position(pos + len);
    }
}
