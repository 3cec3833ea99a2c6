package io.jmpi.buffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Moves bytes of one buffer's message stream straight into another's: one copy, no intermediate, no allocation.
 * Used where the receiver can read the sender's buffer itself (ranks that are threads of one JVM: a lent DATA frame,
 * see {@code io.jmpi.transport.Link#lend}). Both sides are seen as the little-endian byte stream that
 * {@link Buf#copyOut}/{@link Buf#copyIn} define, so the result equals a copy out into bytes and back in.
 *
 * <p>Direct cases: arrays of one element type ({@code System.arraycopy}); byte arrays and ByteBuffers, heap or direct,
 * in any combination (absolute bulk gets and puts); a typed array into or out of raw bytes (a {@code double[]}
 * message into a ByteBuffer receive: element by element through little-endian view handles). Anything else (derived
 * datatypes, serialized objects, buffers of other packages) goes through the caller's scratch buffer, a chunk at a
 * time: two copies, still no allocation.
 */
public final class BufCopy {
    private static final VarHandle BB_SHORT = bb(short[].class), BB_CHAR = bb(char[].class), BB_INT = bb(int[].class),
            BB_LONG = bb(long[].class), BB_FLOAT = bb(float[].class), BB_DOUBLE = bb(double[].class);
    private static final VarHandle BA_SHORT = ba(short[].class), BA_CHAR = ba(char[].class), BA_INT = ba(int[].class),
            BA_LONG = ba(long[].class), BA_FLOAT = ba(float[].class), BA_DOUBLE = ba(double[].class);

    private static VarHandle bb(Class<?> c) {
        return MethodHandles.byteBufferViewVarHandle(c, ByteOrder.LITTLE_ENDIAN);
    }

    private static VarHandle ba(Class<?> c) {
        return MethodHandles.byteArrayViewVarHandle(c, ByteOrder.LITTLE_ENDIAN);
    }

    private BufCopy() {
    }

    /**
     * Copies {@code len} bytes of {@code src}'s stream from byte {@code srcOff} into {@code dst}'s stream at byte
     * {@code dstOff}. Offsets and length are multiples of the element size of a typed side. {@code scratch} (any
     * capacity of at least 8 bytes) is used only when no direct copy applies; its content is lost.
     */
    public static void copy(Buf src, long srcOff, Buf dst, long dstOff, long len, ByteBuffer scratch) {
        if (len <= 0) return;
        if (src instanceof ArrayBuf s && dst instanceof ArrayBuf d && s.type() == d.type()) {
            int size = s.type().size;
            System.arraycopy(s.array(), s.offset() + (int) (srcOff / size), d.array(), d.offset() + (int) (dstOff / size),
                    (int) (len / size));
            return;
        }
        if (src instanceof ByteBufferBuf s) {
            if (dst instanceof ByteBufferBuf d) {
                d.buffer().put(d.base() + (int) dstOff, s.buffer(), s.base() + (int) srcOff, (int) len);
                return;
            }
            if (dst instanceof ArrayBuf d && d.type() == DataType.BYTE) {
                s.buffer().get(s.base() + (int) srcOff, (byte[]) d.array(), d.offset() + (int) dstOff, (int) len);
                return;
            }
        }
        if (src instanceof ArrayBuf s && dst instanceof ByteBufferBuf d) {
            if (s.type() == DataType.BYTE) {
                d.buffer().put(d.base() + (int) dstOff, (byte[]) s.array(), s.offset() + (int) srcOff, (int) len);
            } else {
                typedToBytes(s, (int) (srcOff / s.type().size), d.buffer(), d.base() + (int) dstOff, (int) (len / s.type().size));
            }
            return;
        }
        if (src instanceof BytesBuf s) { // serialized objects, handlers' receive arrays: raw bytes from 0
            byte[] a = s.bytes();
            int at = (int) srcOff, n = (int) len;
            if (dst instanceof BytesBuf d) {
                System.arraycopy(a, at, d.bytes(), (int) dstOff, n);
                return;
            }
            if (dst instanceof ArrayBuf d && d.type() == DataType.BYTE) {
                System.arraycopy(a, at, (byte[]) d.array(), d.offset() + (int) dstOff, n);
                return;
            }
            if (dst instanceof ByteBufferBuf d) {
                d.buffer().put(d.base() + (int) dstOff, a, at, n);
                return;
            }
        }
        if (dst instanceof BytesBuf d) {
            if (src instanceof ArrayBuf s) {
                if (s.type() == DataType.BYTE) {
                    System.arraycopy((byte[]) s.array(), s.offset() + (int) srcOff, d.bytes(), (int) dstOff, (int) len);
                } else {
                    typedToBytes(s, (int) (srcOff / s.type().size), d.bytes(), (int) dstOff, (int) (len / s.type().size));
                }
                return;
            }
            if (src instanceof ByteBufferBuf s) {
                s.buffer().get(s.base() + (int) srcOff, d.bytes(), (int) dstOff, (int) len);
                return;
            }
        }
        if (src instanceof ArrayBuf s && dst instanceof ArrayBuf d && d.type() == DataType.BYTE) {
            typedToBytes(s, (int) (srcOff / s.type().size), (byte[]) d.array(), d.offset() + (int) dstOff, (int) (len / s.type().size));
            return;
        }
        throughScratch(src, srcOff, dst, dstOff, len, scratch);
    }

    private static void throughScratch(Buf src, long srcOff, Buf dst, long dstOff, long len, ByteBuffer scratch) {
        int step = scratch.capacity() & ~7;
        for (long done = 0; done < len; ) {
            int n = (int) Math.min(step, len - done);
            scratch.clear();
            src.copyOut(srcOff + done, scratch, n);
            scratch.flip();
            dst.copyIn(dstOff + done, scratch, n);
            done += n;
        }
    }

    /** {@code n} elements of a typed array run from element {@code first} into raw little-endian bytes at {@code at}. */
    private static void typedToBytes(ArrayBuf s, int first, ByteBuffer b, int at, int n) {
        int i0 = s.offset() + first;
        switch (s.type()) {
            case SHORT: { short[] a = (short[]) s.array(); for (int i = 0; i < n; i++) BB_SHORT.set(b, at + 2 * i, a[i0 + i]); break; }
            case CHAR: { char[] a = (char[]) s.array(); for (int i = 0; i < n; i++) BB_CHAR.set(b, at + 2 * i, a[i0 + i]); break; }
            case INT: { int[] a = (int[]) s.array(); for (int i = 0; i < n; i++) BB_INT.set(b, at + 4 * i, a[i0 + i]); break; }
            case LONG: { long[] a = (long[]) s.array(); for (int i = 0; i < n; i++) BB_LONG.set(b, at + 8 * i, a[i0 + i]); break; }
            case FLOAT: { float[] a = (float[]) s.array(); for (int i = 0; i < n; i++) BB_FLOAT.set(b, at + 4 * i, a[i0 + i]); break; }
            case DOUBLE: { double[] a = (double[]) s.array(); for (int i = 0; i < n; i++) BB_DOUBLE.set(b, at + 8 * i, a[i0 + i]); break; }
            case BOOLEAN: { boolean[] a = (boolean[]) s.array(); for (int i = 0; i < n; i++) b.put(at + i, a[i0 + i] ? (byte) 1 : (byte) 0); break; }
            default: throw new IllegalStateException("not a primitive array: " + s.type());
        }
    }

    private static void typedToBytes(ArrayBuf s, int first, byte[] b, int at, int n) {
        int i0 = s.offset() + first;
        switch (s.type()) {
            case SHORT: { short[] a = (short[]) s.array(); for (int i = 0; i < n; i++) BA_SHORT.set(b, at + 2 * i, a[i0 + i]); break; }
            case CHAR: { char[] a = (char[]) s.array(); for (int i = 0; i < n; i++) BA_CHAR.set(b, at + 2 * i, a[i0 + i]); break; }
            case INT: { int[] a = (int[]) s.array(); for (int i = 0; i < n; i++) BA_INT.set(b, at + 4 * i, a[i0 + i]); break; }
            case LONG: { long[] a = (long[]) s.array(); for (int i = 0; i < n; i++) BA_LONG.set(b, at + 8 * i, a[i0 + i]); break; }
            case FLOAT: { float[] a = (float[]) s.array(); for (int i = 0; i < n; i++) BA_FLOAT.set(b, at + 4 * i, a[i0 + i]); break; }
            case DOUBLE: { double[] a = (double[]) s.array(); for (int i = 0; i < n; i++) BA_DOUBLE.set(b, at + 8 * i, a[i0 + i]); break; }
            case BOOLEAN: { boolean[] a = (boolean[]) s.array(); for (int i = 0; i < n; i++) b[at + i] = a[i0 + i] ? (byte) 1 : (byte) 0; break; }
            default: throw new IllegalStateException("not a primitive array: " + s.type());
        }
    }
}
