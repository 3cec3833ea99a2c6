package io.jmpi.buffer;

import java.nio.ByteBuffer;

/**
 * The bytes {@code [position, limit)} of a {@code ByteBuffer} (heap or direct), captured when the operation
 * starts. Receiving accepts messages of any element type (raw bytes), as MPI_BYTE does.
 */
public final class ByteBufferBuf extends Buf {
    private ByteBuffer buffer;
    private int base;
    private int length;

    public ByteBufferBuf(ByteBuffer buffer) {
        set(buffer);
    }

    /** Re-targets this descriptor (a thread's reusable one for blocking calls); null clears it. Returns this. */
    public ByteBufferBuf set(ByteBuffer buffer) {
        this.buffer = buffer;
        this.base = buffer == null ? 0 : buffer.position();
        this.length = buffer == null ? 0 : buffer.remaining();
        return this;
    }

    public ByteBuffer buffer() { return buffer; }
    public int base() { return base; }

    @Override public DataType type() { return DataType.BYTE; }
    @Override public int count() { return length; }

    @Override
    public void copyOut(long off, ByteBuffer dst, int len) {
        int pos = dst.position();
        dst.put(pos, buffer, base + (int) off, len);
        dst.position(pos + len);
    }

    @Override
    public void copyIn(long off, ByteBuffer src, int len) {
        int pos = src.position();
        buffer.put(base + (int) off, src, pos, len);
        src.position(pos + len);
    }

    @Override
    public boolean acceptsAnyType() {
        return true;
    }
}
