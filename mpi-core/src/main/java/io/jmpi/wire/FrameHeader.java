package io.jmpi.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.jmpi.wire.FrameDescriptor.*;

/** A reusable flyweight for one frame header (see {@link FrameDescriptor}); one per link, never per message. */
public final class FrameHeader {
    public int length;
    public byte type;
    public byte dtype;
    public short flags;
    public int context;
    public int source;
    public int tag;
    public long id;
    public long id2;

    /** An all-zero header, to be {@link #set} or read into. */
    public FrameHeader() {
    }

    public FrameHeader set(byte type, byte dtype, short flags, int context, int source, int tag, int length, long id, long id2) {
        this.type = type;
        this.dtype = dtype;
        this.flags = flags;
        this.context = context;
        this.source = source;
        this.tag = tag;
        this.length = length;
        this.id = id;
        this.id2 = id2;
        return this;
    }

    /** Writes the header at {@code dst}'s position (which must be little-endian) and advances it. */
    public void encode(ByteBuffer dst) {
        assert dst.order() == ByteOrder.LITTLE_ENDIAN;
        int p = dst.position();
        dst.putInt(p + LENGTH_OFFSET, length);
        dst.put(p + TYPE_OFFSET, type);
        dst.put(p + DTYPE_OFFSET, dtype);
        dst.putShort(p + FLAGS_OFFSET, flags);
        dst.putInt(p + CONTEXT_OFFSET, context);
        dst.putInt(p + SOURCE_OFFSET, source);
        dst.putInt(p + TAG_OFFSET, tag);
        dst.putInt(p + RESERVED_OFFSET, 0);
        dst.putLong(p + ID_OFFSET, id);
        dst.putLong(p + ID2_OFFSET, id2);
        dst.position(p + HEADER_LENGTH);
    }

    /** Reads a header at absolute index {@code p} of {@code src} (little-endian). */
    public FrameHeader decode(ByteBuffer src, int p) {
        length = src.getInt(p + LENGTH_OFFSET);
        type = src.get(p + TYPE_OFFSET);
        dtype = src.get(p + DTYPE_OFFSET);
        flags = src.getShort(p + FLAGS_OFFSET);
        context = src.getInt(p + CONTEXT_OFFSET);
        source = src.getInt(p + SOURCE_OFFSET);
        tag = src.getInt(p + TAG_OFFSET);
        id = src.getLong(p + ID_OFFSET);
        id2 = src.getLong(p + ID2_OFFSET);
        return this;
    }

    public FrameHeader copyFrom(FrameHeader o) {
        return set(o.type, o.dtype, o.flags, o.context, o.source, o.tag, o.length, o.id, o.id2);
    }

    @Override
    public String toString() {
        return typeName(type) + "{len=" + length + " dtype=" + dtype + " ctx=" + context + " src=" + source
                + " tag=" + tag + " id=" + id + " id2=" + id2 + "}";
    }
}
