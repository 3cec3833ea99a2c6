package io.jmpi.rma;

import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.jmpi.wire.RmaDescriptor.*;

/**
 * One RMA message as the engine sends it: the header ({@link io.jmpi.wire.RmaDescriptor}), the target runs, then the
 * data straight from the origin's buffer (any {@link Buf}: an array run, a datatype layout), so the origin packs
 * nothing. Reusable: {@link #start} re-targets it.
 */
public final class RmaMessage extends Buf {
    private ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH + 8 * RUN_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private int headerLength;
    private Buf data;
    private int dataLength;
    private byte kind;

    /** The kind of the message started last. */
    public byte kind() { return kind; }

    /** Starts a message of {@code kind}; runs and data follow. Returns this. */
    public RmaMessage start(byte kind, DataType type, int op, int flags, int count, long disp, long request) {
        header.clear();
        this.kind = kind;
        header.put(KIND_OFFSET, kind).put(DTYPE_OFFSET, type == null ? 0 : type.code).put(OP_OFFSET, (byte) op)
                .put(FLAGS_OFFSET, (byte) flags).putInt(COUNT_OFFSET, count).putLong(DISP_OFFSET, disp)
                .putLong(REQUEST_OFFSET, request).putInt(RUNS_OFFSET, 0).putInt(DATA_LENGTH_OFFSET, 0).putLong(32, 0);
        headerLength = HEADER_LENGTH;
        data = null;
        dataLength = 0;
        return this;
    }

    /** Appends one target run (byte offset relative to the displacement, byte length). */
    public RmaMessage run(int offset, int length) {
        if (header.capacity() < headerLength + RUN_BYTES) {
            ByteBuffer b = ByteBuffer.allocate(header.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.put(0, header, 0, headerLength);
            header = b;
        }
        header.putInt(headerLength, offset).putInt(headerLength + 4, length);
        headerLength += RUN_BYTES;
        header.putInt(RUNS_OFFSET, header.getInt(RUNS_OFFSET) + 1);
        return this;
    }

    /** Sets the data: the first {@code length} bytes of {@code buf}'s packed stream. Returns this. */
    public RmaMessage data(Buf buf, int length) {
        data = buf;
        dataLength = length;
        header.putInt(DATA_LENGTH_OFFSET, header.getInt(DATA_LENGTH_OFFSET) + length);
        return this;
    }

    /** Drops the reference to the origin's buffer (once sent). */
    public void clear() {
        data = null;
    }

    @Override public DataType type() { return DataType.BYTE; }
    @Override public int count() { return headerLength + dataLength; }

    @Override
    public void copyOut(long off, ByteBuffer dst, int len) {
        int o = (int) off;
        if (o < headerLength) {
            int n = Math.min(len, headerLength - o);
            int pos = dst.position();
            dst.put(pos, header, o, n);
            dst.position(pos + n);
            len -= n;
            o += n;
        }
        if (len > 0) data.copyOut(o - headerLength, dst, len);
    }

    @Override
    public void copyIn(long off, ByteBuffer src, int len) {
        throw new UnsupportedOperationException("an RMA message is only sent");
    }
}
