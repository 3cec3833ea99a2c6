package mpi;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * A view of one double complex number (real, imaginary) in an array or buffer, for data of {@link MPI#DOUBLE_COMPLEX}:
 * {@code DoubleComplex.get(buf, i).getReal()}. Reads and writes go straight to the underlying storage.
 */
public final class DoubleComplex {
    private final DoubleBuffer buffer;
    private final int offset;

    private DoubleComplex(DoubleBuffer buffer, int index) {
        this.buffer = buffer;
        this.offset = index * 2;
    }

    /** The number at element 0 of {@code array} (elements 0 and 1). */
    public static DoubleComplex get(double[] array) {
        return get(array, 0);
    }

    /** Complex number {@code index} of {@code array} (elements 2 index and 2 index + 1). */
    public static DoubleComplex get(double[] array, int index) {
        return new DoubleComplex(DoubleBuffer.wrap(array), index);
    }

    public static DoubleComplex get(DoubleBuffer buffer) {
        return get(buffer, 0);
    }

    public static DoubleComplex get(DoubleBuffer buffer, int index) {
        return new DoubleComplex(buffer, index);
    }

    /** A view in a ByteBuffer (in the buffer's byte order, native for {@link MPI#newByteBuffer}). */
    public static DoubleComplex get(ByteBuffer buffer) {
        return get(buffer, 0);
    }

    public static DoubleComplex get(ByteBuffer buffer, int index) {
        return new DoubleComplex(buffer.duplicate().order(buffer.order()).clear().asDoubleBuffer(), index);
    }

    public double getReal() {
        return buffer.get(offset);
    }

    public double getImag() {
        return buffer.get(offset + 1);
    }

    public void putReal(double real) {
        buffer.put(offset, real);
    }

    public void putImag(double imag) {
        buffer.put(offset + 1, imag);
    }

    /** The buffer from this number on. */
    public DoubleBuffer getBuffer() {
        return offset == 0 ? buffer : buffer.duplicate().position(offset).slice();
    }
}
