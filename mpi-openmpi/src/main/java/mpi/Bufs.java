package mpi;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Turns an Open MPI buffer argument (a primitive array, a heap or direct NIO buffer) plus count and datatype into one
 * contiguous run of primitives that jmpi's typed overloads take. A predefined type over an array of its own kind, or
 * over a heap buffer's backing array, is passed as it is (no copy); a derived type, a ByteBuffer seen through a typed
 * datatype, and a direct typed buffer (whose memory Java cannot hand out as an array) go through a packed copy that
 * {@link Run#back()} writes back after a receive. As in Open MPI, a buffer's data starts at its element 0: its
 * position is ignored (use {@code MPI.slice} for an offset).
 */
final class Bufs {
    private Bufs() {
    }

    /** {@code count} primitives at {@code offset} of {@code array}; {@code back} stores them into the user's buffer. */
    static final class Run {
        final Object array;
        final int offset;
        final int count;
        private final Runnable back;

        Run(Object array, int offset, int count, Runnable back) {
            this.array = array;
            this.offset = offset;
            this.count = count;
            this.back = back;
        }

        /** After data arrived in the run: store it in the user's buffer (nothing when the run is the buffer). */
        void back() {
            if (back != null) back.run();
        }
    }

    /** The run of {@code count} elements of {@code type} in {@code buf}, holding the buffer's current data. */
    static Run of(String call, String arg, Object buf, int count, Datatype type) throws MPIException {
        if (type == null) throw Errors.arg(call + ": " + arg + " type is null");
        if (count < 0) throw new MPIException(call + ": count=" + count + " out of range [0, " + Integer.MAX_VALUE + "]", MPI.ERR_COUNT, null);
        type.check(call);
        if (buf == null) {
            if (count == 0) return new Run(emptyArray(type), 0, 0, null);
            throw new MPIException(call + ": " + arg + " is null", MPI.ERR_BUFFER, null);
        }
        io.jmpi.Datatype t = type.t;
        Class<?> arrayClass = arrayClass(t.base());
        Object base;
        int baseOffset = 0;
        Runnable staged = null;
        if (buf.getClass().isArray()) {
            base = buf;
        } else if (buf instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) buf;
            base = b.duplicate().clear().order(b.order());
        } else if (buf instanceof Buffer) {
            Buffer b = (Buffer) buf;
            if (b.hasArray()) {
                base = b.array();
                baseOffset = b.arrayOffset();
            } else {
                Object copy = stage(b);
                base = copy;
                staged = () -> unstage(copy, b);
            }
        } else {
            throw new MPIException(call + ": " + arg + " is a " + buf.getClass().getName() + "; it must be a primitive array or a "
                    + "java.nio buffer", MPI.ERR_BUFFER, null);
        }
        if (!t.isStruct() && t.base() == t && base.getClass() == arrayClass) {
            int length = java.lang.reflect.Array.getLength(base);
            if (baseOffset + (long) count > length) {
                throw new MPIException(call + ": count=" + count + " exceeds " + arg + " length " + (length - baseOffset),
                        MPI.ERR_BUFFER, null);
            }
            return new Run(base, baseOffset, count, staged);
        }
        // a packed copy: jmpi's pack checks that the layout fits the buffer and reads ByteBuffers in their order
        Object fbase = base;
        int fo = baseOffset;
        int bytes = Errors.run(() -> t.packSize(count));
        byte[] packed = new byte[bytes];
        Errors.run(() -> t.pack(fbase, fo, count, packed, 0));
        int unit = t.isStruct() ? 1 : Math.max(1, t.base().size());
        Object run = fromLittleEndian(packed, arrayClass, bytes / unit);
        Runnable fstaged = staged;
        return new Run(run, 0, bytes / unit, () -> {
            byte[] out = toLittleEndian(run, bytes);
            t.unpack(out, 0, fbase, fo, count);
            if (fstaged != null) fstaged.run();
        });
    }

    /**
     * The first {@code count} bytes of {@code buf} for jmpi's ByteBuffer overloads (no copy, and zero-copy for direct
     * buffers where the transport allows), or null: only a ByteBuffer under {@link MPI#BYTE}. (jmpi's messages carry
     * their element type, so a ByteBuffer under {@code MPI.INT} must travel as ints: it goes through a packed copy,
     * and can then be received into an int[].)
     */
    static ByteBuffer raw(String call, String arg, Object buf, int count, Datatype type) throws MPIException {
        if (!(buf instanceof ByteBuffer) || type == null || count < 0) return null;
        io.jmpi.Datatype t = type.t;
        if (t != io.jmpi.Datatype.BYTE || type.baseType != Datatype.BYTE || !t.committed()) return null;
        ByteBuffer b = (ByteBuffer) buf;
        int size = 1;
        long bytes = (long) count * size;
        if (bytes > b.capacity()) {
            throw new MPIException(call + ": count=" + count + " elements of " + type + " (" + bytes + " bytes) exceed "
                    + arg + " capacity " + b.capacity() + " bytes", MPI.ERR_BUFFER, null);
        }
        return b.duplicate().clear().limit((int) bytes);
    }

    static Object emptyArray(Datatype type) {
        return java.lang.reflect.Array.newInstance(arrayClass(type.t.base()).getComponentType(), 0);
    }

    static Class<?> arrayClass(io.jmpi.Datatype base) {
        if (base == io.jmpi.Datatype.SHORT) return short[].class;
        if (base == io.jmpi.Datatype.CHAR) return char[].class;
        if (base == io.jmpi.Datatype.INT) return int[].class;
        if (base == io.jmpi.Datatype.LONG) return long[].class;
        if (base == io.jmpi.Datatype.FLOAT) return float[].class;
        if (base == io.jmpi.Datatype.DOUBLE) return double[].class;
        if (base == io.jmpi.Datatype.BOOLEAN) return boolean[].class;
        return byte[].class;
    }

    /** Requires a direct buffer, as Open MPI's non-blocking calls do (their data is read after the call returns). */
    static void direct(String call, String arg, Buffer b) throws MPIException {
        if (b == null) throw new MPIException(call + ": " + arg + " is null", MPI.ERR_BUFFER, null);
        if (!b.isDirect()) {
            throw new MPIException(call + ": " + arg + " must be a direct buffer (MPI.newByteBuffer, MPI.newIntBuffer, ...), "
                    + "as in Open MPI; a heap buffer or array works only with blocking calls", MPI.ERR_BUFFER, null);
        }
    }

    private static Object stage(Buffer b) {
        int n = b.capacity();
        if (b instanceof CharBuffer) { char[] a = new char[n]; ((CharBuffer) b).get(0, a); return a; }
        if (b instanceof ShortBuffer) { short[] a = new short[n]; ((ShortBuffer) b).get(0, a); return a; }
        if (b instanceof IntBuffer) { int[] a = new int[n]; ((IntBuffer) b).get(0, a); return a; }
        if (b instanceof LongBuffer) { long[] a = new long[n]; ((LongBuffer) b).get(0, a); return a; }
        if (b instanceof FloatBuffer) { float[] a = new float[n]; ((FloatBuffer) b).get(0, a); return a; }
        double[] a = new double[n];
        ((DoubleBuffer) b).get(0, a);
        return a;
    }

    private static void unstage(Object a, Buffer b) {
        if (b instanceof CharBuffer) ((CharBuffer) b).put(0, (char[]) a);
        else if (b instanceof ShortBuffer) ((ShortBuffer) b).put(0, (short[]) a);
        else if (b instanceof IntBuffer) ((IntBuffer) b).put(0, (int[]) a);
        else if (b instanceof LongBuffer) ((LongBuffer) b).put(0, (long[]) a);
        else if (b instanceof FloatBuffer) ((FloatBuffer) b).put(0, (float[]) a);
        else ((DoubleBuffer) b).put(0, (double[]) a);
    }

    /** Packed data is jmpi's wire format: little-endian. */
    static Object fromLittleEndian(byte[] bytes, Class<?> arrayClass, int n) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (arrayClass == byte[].class) return bytes;
        if (arrayClass == boolean[].class) {
            boolean[] a = new boolean[n];
            for (int i = 0; i < n; i++) a[i] = bytes[i] != 0;
            return a;
        }
        if (arrayClass == short[].class) { short[] a = new short[n]; b.asShortBuffer().get(a); return a; }
        if (arrayClass == char[].class) { char[] a = new char[n]; b.asCharBuffer().get(a); return a; }
        if (arrayClass == int[].class) { int[] a = new int[n]; b.asIntBuffer().get(a); return a; }
        if (arrayClass == long[].class) { long[] a = new long[n]; b.asLongBuffer().get(a); return a; }
        if (arrayClass == float[].class) { float[] a = new float[n]; b.asFloatBuffer().get(a); return a; }
        double[] a = new double[n];
        b.asDoubleBuffer().get(a);
        return a;
    }

    static byte[] toLittleEndian(Object a, int bytes) {
        if (a instanceof byte[]) return (byte[]) a;
        byte[] out = new byte[bytes];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        if (a instanceof boolean[]) {
            boolean[] z = (boolean[]) a;
            for (int i = 0; i < z.length; i++) out[i] = (byte) (z[i] ? 1 : 0);
        } else if (a instanceof short[]) b.asShortBuffer().put((short[]) a);
        else if (a instanceof char[]) b.asCharBuffer().put((char[]) a);
        else if (a instanceof int[]) b.asIntBuffer().put((int[]) a);
        else if (a instanceof long[]) b.asLongBuffer().put((long[]) a);
        else if (a instanceof float[]) b.asFloatBuffer().put((float[]) a);
        else b.asDoubleBuffer().put((double[]) a);
        return out;
    }
}
