package io.jmpi.transport.local;

import io.jmpi.wire.FrameDescriptor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One pooled frame of the in-JVM transport: a header and up to {@link #capacity} payload bytes in a heap array, and
 * the intrusive link that puts it on exactly one list at a time (its sender's free list, a receiver's inbox, or its
 * sender's list of returned frames), so that moving it allocates nothing.
 */
final class Frame {
    /** Payload capacity of the smallest size class, as a power of two. */
    static final int MIN_SHIFT = 6;
    /** Payload capacity of the largest pooled size class (16 MiB), as a power of two; larger frames are not pooled. */
    static final int MAX_SHIFT = 24;
    static final int CLASSES = MAX_SHIFT - MIN_SHIFT + 1;

    final byte[] bytes;
    /** Little-endian view of {@link #bytes}; position and limit are set at each use. */
    final ByteBuffer buf;
    /** Size class index, or -1 for an unpooled frame (larger than the largest class). */
    final int sizeClass;
    /** The transport that sends this frame, and takes it back when the receiver is done with it. */
    final LocalTransport owner;
    /** The receiver it was last sent to, and the bytes it counts against that link's window. */
    int peer;
    int charged;
    /**
     * A lent payload ({@code Link#lend}): the sender's buffer itself, read by the receiver from {@link #lentOffset};
     * null for a frame that carries its payload in {@link #bytes}. {@link #token} names the send to its engine.
     */
    io.jmpi.buffer.Buf lent;
    long lentOffset;
    long token;
    Frame next;

    private Frame(LocalTransport owner, int capacity, int sizeClass) {
        this.owner = owner;
        this.bytes = new byte[FrameDescriptor.HEADER_LENGTH + capacity];
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.sizeClass = sizeClass;
    }

    /** Payload capacity. */
    int capacity() {
        return bytes.length - FrameDescriptor.HEADER_LENGTH;
    }

    /** The size class that holds {@code payload} bytes, or -1 when none does. */
    static int sizeClass(int payload) {
        int shift = payload <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(payload - 1);
        shift = Math.max(shift, MIN_SHIFT);
        return shift > MAX_SHIFT ? -1 : shift - MIN_SHIFT;
    }

    /** A new frame for {@code payload} bytes: of its size class, or of exactly that size when it has none. */
    static Frame allocate(LocalTransport owner, int payload) {
        int c = sizeClass(payload);
        return new Frame(owner, c < 0 ? payload : 1 << (c + MIN_SHIFT), c);
    }
}
