package io.jmpi.buffer;

import java.nio.ByteBuffer;

/**
 * A message buffer as the engine sees it: a typed run of elements that can be copied out to, or in from, a
 * little-endian byte buffer at any element-aligned byte offset. One abstraction for every primitive array type,
 * {@code ByteBuffer} and serialized objects, so that protocols are written once.
 */
public abstract class Buf {
    /** For the implementations in this package and the engine's own buffers. */
    protected Buf() {
    }

    public abstract DataType type();

    /** Number of elements. */
    public abstract int count();

    /** Capacity (receive) or length (send) in bytes. */
    public long byteLength() {
        return (long) count() * type().size;
    }

    /** Copies {@code len} bytes starting at byte {@code off} of this buffer into {@code dst} at its position. */
    public abstract void copyOut(long off, ByteBuffer dst, int len);

    /** Copies {@code len} bytes from {@code src} at its position into this buffer at byte {@code off}. */
    public abstract void copyIn(long off, ByteBuffer src, int len);

    /**
     * Called when a message of {@code messageBytes} matches this receive buffer; buffers that size themselves
     * (objects) allocate here. Returns the capacity in bytes.
     */
    public long prepareReceive(long messageBytes) {
        return byteLength();
    }

    /** Whether any element type may be received into it (raw bytes of a ByteBuffer). */
    public boolean acceptsAnyType() {
        return false;
    }
}
