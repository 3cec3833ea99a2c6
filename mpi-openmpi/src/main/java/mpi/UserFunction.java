package mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A user reduction function ({@code MPI_User_function}). Override {@link #call(Object, Object, int, Datatype)} to
 * work on arrays, or {@link #call(ByteBuffer, ByteBuffer, int, Datatype)} to work on the native-order buffers
 * directly; boolean data always comes as arrays. {@code inOutVec[i] = inVec[i] op inOutVec[i]}, where {@code inVec}
 * holds the lower ranks' partial result.
 */
public abstract class UserFunction {
    /** Combines {@code count} items of {@code datatype} held in arrays of its base type. */
    public void call(Object inVec, Object inOutVec, int count, Datatype datatype) throws MPIException {
        throw new UnsupportedOperationException("Not supported yet.");
    }

    /** Combines {@code count} items held in native-order buffers; by default through typed arrays and the array form. */
    public void call(ByteBuffer in, ByteBuffer inOut, int count, Datatype datatype) throws MPIException {
        int n = count * datatype.getExtent();
        in.order(ByteOrder.nativeOrder());
        inOut.order(ByteOrder.nativeOrder());
        switch (datatype.baseType) {
            case Datatype.CHAR: { char[] a = new char[n], b = new char[n]; in.asCharBuffer().get(a); inOut.asCharBuffer().get(b); call(a, b, count, datatype); inOut.asCharBuffer().put(b); return; }
            case Datatype.SHORT: { short[] a = new short[n], b = new short[n]; in.asShortBuffer().get(a); inOut.asShortBuffer().get(b); call(a, b, count, datatype); inOut.asShortBuffer().put(b); return; }
            case Datatype.INT: { int[] a = new int[n], b = new int[n]; in.asIntBuffer().get(a); inOut.asIntBuffer().get(b); call(a, b, count, datatype); inOut.asIntBuffer().put(b); return; }
            case Datatype.LONG: { long[] a = new long[n], b = new long[n]; in.asLongBuffer().get(a); inOut.asLongBuffer().get(b); call(a, b, count, datatype); inOut.asLongBuffer().put(b); return; }
            case Datatype.FLOAT: { float[] a = new float[n], b = new float[n]; in.asFloatBuffer().get(a); inOut.asFloatBuffer().get(b); call(a, b, count, datatype); inOut.asFloatBuffer().put(b); return; }
            case Datatype.DOUBLE: { double[] a = new double[n], b = new double[n]; in.asDoubleBuffer().get(a); inOut.asDoubleBuffer().get(b); call(a, b, count, datatype); inOut.asDoubleBuffer().put(b); return; }
            default: {
                byte[] a = new byte[Math.min(n, in.remaining())], b = new byte[a.length];
                in.duplicate().get(a);
                inOut.duplicate().get(b);
                call(a, b, count, datatype);
                inOut.duplicate().put(b);
            }
        }
    }
}
