package mpi;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * A view of one float complex number (real, imaginary) in an array or buffer, for data of {@link MPI#FLOAT_COMPLEX}:
 * {@code FloatComplex.get(buf, i).getReal()}. Reads and writes go straight to the underlying storage.
 */
public final class FloatComplex {
    private final FloatBuffer buffer;
    private final int offset;

    private FloatComplex(FloatBuffer buffer, int index) {
        this.buffer = buffer;
        this.offset = index * 2;
    }

    /** The number at element 0 of {@code array} (elements 0 and 1). */
    public static FloatComplex get(float[] array) {
        return get(array, 0);
    }

    /** Complex number {@code index} of {@code array} (elements 2 index and 2 index + 1). */
    public static FloatComplex get(float[] array, int index) {
        return new FloatComplex(FloatBuffer.wrap(array), index);
    }

    public static FloatComplex get(FloatBuffer buffer) {
        return get(buffer, 0);
    }

    public static FloatComplex get(FloatBuffer buffer, int index) {
        return new FloatComplex(buffer, index);
    }

    /** A view in a ByteBuffer (in the buffer's byte order, native for {@link MPI#newByteBuffer}). */
    public static FloatComplex get(ByteBuffer buffer) {
        return get(buffer, 0);
    }

    public static FloatComplex get(ByteBuffer buffer, int index) {
        return new FloatComplex(buffer.duplicate().order(buffer.order()).clear().asFloatBuffer(), index);
    }

    public float getReal() {
        return buffer.get(offset);
    }

    public float getImag() {
        return buffer.get(offset + 1);
    }

    public void putReal(float real) {
        buffer.put(offset, real);
    }

    public void putImag(float imag) {
        buffer.put(offset + 1, imag);
    }

    /** The buffer from this number on. */
    public FloatBuffer getBuffer() {
        return offset == 0 ? buffer : buffer.duplicate().position(offset).slice();
    }
}
