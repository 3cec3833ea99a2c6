package io.jmpi.buffer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link BufCopy} gives what a copy out into bytes and back in gives (the two-copy path it replaces), for pairs of
 * buffer kinds, at offsets inside both buffers, including the scratch fallback (a buffer of another kind).
 */
class BufCopyTest {
    @ParameterizedTest
    @CsvSource({"double,double", "int,int", "boolean,boolean", "byte,byte", "byte,heap", "byte,direct", "heap,byte",
            "direct,byte", "heap,direct", "direct,heap", "heap,heap", "double,heap", "double,direct", "double,byte",
            "long,direct", "float,byte", "short,heap", "char,direct", "int,byte", "boolean,heap", "boolean,byte",
            "other,double", "double,other", "bytes,bytes", "bytes,byte", "bytes,heap", "byte,bytes", "double,bytes",
            "direct,bytes"})
    void oneCopyEqualsCopyOutAndIn(String from, String to) {
        int n = 1000;
        Buf src = make(from, n, 1);
        Buf viaBytes = make(to, n, 2), direct = make(to, n, 2);
        int size = Math.max(src.type().size, viaBytes.type().size);
        long srcOff = 3L * size, dstOff = 5L * size, len = 200L * size;
        ByteBuffer mid = ByteBuffer.allocate((int) len).order(ByteOrder.LITTLE_ENDIAN);
        src.copyOut(srcOff, mid, (int) len);
        mid.flip();
        viaBytes.copyIn(dstOff, mid, (int) len);
        BufCopy.copy(src, srcOff, direct, dstOff, len, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN));
        assertArrayEquals(bytesOf(viaBytes), bytesOf(direct), from + " -> " + to);
    }

    /** A buffer of {@code n} elements ({@code 8n} bytes for byte kinds) at offset 7 of its storage, from {@code seed}. */
    private static Buf make(String kind, int n, int seed) {
        java.util.Random r = new java.util.Random(seed);
        switch (kind) {
            case "double": { double[] a = new double[n + 7]; for (int i = 0; i < a.length; i++) a[i] = r.nextDouble(); return new ArrayBuf(DataType.DOUBLE, a, 7, n); }
            case "long": { long[] a = new long[n + 7]; for (int i = 0; i < a.length; i++) a[i] = r.nextLong(); return new ArrayBuf(DataType.LONG, a, 7, n); }
            case "int": { int[] a = new int[n + 7]; for (int i = 0; i < a.length; i++) a[i] = r.nextInt(); return new ArrayBuf(DataType.INT, a, 7, n); }
            case "float": { float[] a = new float[n + 7]; for (int i = 0; i < a.length; i++) a[i] = r.nextFloat(); return new ArrayBuf(DataType.FLOAT, a, 7, n); }
            case "short": { short[] a = new short[n + 7]; for (int i = 0; i < a.length; i++) a[i] = (short) r.nextInt(); return new ArrayBuf(DataType.SHORT, a, 7, n); }
            case "char": { char[] a = new char[n + 7]; for (int i = 0; i < a.length; i++) a[i] = (char) r.nextInt(); return new ArrayBuf(DataType.CHAR, a, 7, n); }
            case "boolean": { boolean[] a = new boolean[n + 7]; for (int i = 0; i < a.length; i++) a[i] = r.nextBoolean(); return new ArrayBuf(DataType.BOOLEAN, a, 7, n); }
            case "byte": { byte[] a = new byte[8 * n + 7]; r.nextBytes(a); return new ArrayBuf(DataType.BYTE, a, 7, 8 * n); }
            case "heap":
            case "direct": {
                byte[] a = new byte[8 * n + 7];
                r.nextBytes(a);
                ByteBuffer b = kind.equals("heap") ? ByteBuffer.allocate(a.length) : ByteBuffer.allocateDirect(a.length);
                b.put(a).position(7);
                return new ByteBufferBuf(b);
            }
            case "other": return new Other((ArrayBuf) make("double", n, seed));
            case "bytes": { // a BytesBuf: raw bytes from offset 0 (serialized objects, a handler's receive array)
                byte[] a = new byte[8 * n];
                r.nextBytes(a);
                return BytesBuf.forSend(DataType.BYTE, a);
            }
            default: throw new IllegalArgumentException(kind);
        }
    }

    /** A buffer BufCopy has no direct path for (as a derived datatype's): it must go through the scratch buffer. */
    private static final class Other extends Buf {
        final ArrayBuf inner;

        Other(ArrayBuf inner) {
            this.inner = inner;
        }

        @Override public DataType type() { return inner.type(); }
        @Override public int count() { return inner.count(); }
        @Override public void copyOut(long off, ByteBuffer dst, int len) { inner.copyOut(off, dst, len); }
        @Override public void copyIn(long off, ByteBuffer src, int len) { inner.copyIn(off, src, len); }
    }

    /** The whole storage behind {@code b} as bytes, so that bytes outside the copied range are compared too. */
    private static byte[] bytesOf(Buf b) {
        if (b instanceof ByteBufferBuf bb) {
            ByteBuffer d = bb.buffer().duplicate();
            d.clear();
            byte[] whole = new byte[d.remaining()];
            d.get(whole);
            return whole;
        }
        if (b instanceof BytesBuf bb) return bb.bytes().clone();
        ArrayBuf a = b instanceof Other o ? o.inner : (ArrayBuf) b;
        ArrayBuf all = new ArrayBuf(a.type(), a.array(), 0, a.offset() + a.count());
        ByteBuffer out = ByteBuffer.allocate((int) all.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        all.copyOut(0, out, (int) all.byteLength());
        return out.array();
    }
}
