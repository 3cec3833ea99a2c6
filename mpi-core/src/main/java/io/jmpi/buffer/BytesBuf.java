package io.jmpi.buffer;

import java.nio.ByteBuffer;

/**
 * A byte array that carries serialized objects ({@link DataType#OBJECT}). As a receive buffer it sizes itself to
 * the matched message, so object receives need no probe.
 */
public final class BytesBuf extends Buf {
    private final DataType type;
    private byte[] bytes;
    private int length;

    private BytesBuf(DataType type, byte[] bytes, int length) {
        this.type = type;
        this.bytes = bytes;
        this.length = length;
    }

    /** A send buffer over serialized bytes. */
    public static BytesBuf forSend(DataType type, byte[] bytes) {
        return new BytesBuf(type, bytes, bytes.length);
    }

    /** A receive buffer that allocates exactly the matched message's size. */
    public static BytesBuf forReceive(DataType type) {
        return new BytesBuf(type, null, 0);
    }

    public byte[] bytes() { return bytes; }

    @Override public DataType type() { return type; }
    @Override public int count() { return length / type.size; }

    /** Largest array length every JVM allocates. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    @Override
    public long prepareReceive(long messageBytes) {
        if (bytes == null) {
            // a size no array can hold (a forged or corrupt envelope) allocates nothing: the receive is truncated
            bytes = messageBytes < 0 || messageBytes > MAX_ARRAY ? new byte[0] : new byte[(int) messageBytes];
            length = bytes.length;
        }
        return length;
    }

    @Override
    public void copyOut(long off, ByteBuffer dst, int len) {
        int pos = dst.position();
        dst.put(pos, bytes, (int) off, len);
        dst.position(pos + len);
    }

    @Override
    public void copyIn(long off, ByteBuffer src, int len) {
        int pos = src.position();
        src.get(pos, bytes, (int) off, len);
        src.position(pos + len);
    }
}
