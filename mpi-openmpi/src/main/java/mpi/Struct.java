package mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A record type described field by field, read and written through {@link Data} views over a ByteBuffer or byte
 * array. Subclasses add fields in their constructor ({@link #addInt()}, ...) and give a {@link Data} subclass with
 * typed accessors; {@link #getType()} is the matching {@link Datatype}.
 */
public abstract class Struct {
    private int extent;
    private final List<int[]> fields = new ArrayList<>(); // {offset, length}
    private final List<Datatype> types = new ArrayList<>();
    private Datatype datatype;

    private void commit() throws MPIException {
        if (datatype != null) return;
        int n = fields.size();
        int[] off = new int[n], len = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = fields.get(i)[0];
            len[i] = fields.get(i)[1];
        }
        datatype = Datatype.createStruct(len, off, types.toArray(new Datatype[0]));
        datatype.commit();
        extent = datatype.getExtent();
    }

    /** Bytes from one record to the next. */
    public final int getExtent() throws MPIException {
        commit();
        return extent;
    }

    /** The record's datatype (committed). */
    public final Datatype getType() throws MPIException {
        commit();
        return datatype;
    }

    protected abstract Data newData();

    @SuppressWarnings("unchecked")
    private <T extends Data> T data(ByteBuffer b, int offset) {
        Data d = newData();
        d.buffer = b;
        d.offset = offset;
        return (T) d;
    }

    public final <T extends Data> T getData(ByteBuffer buffer) throws MPIException {
        commit();
        return data(buffer, 0);
    }

    public final <T extends Data> T getData(ByteBuffer buffer, int index) throws MPIException {
        commit();
        return data(buffer, index * extent);
    }

    public final <T extends Data> T getData(byte[] array) throws MPIException {
        return getData(ByteBuffer.wrap(array).order(ByteOrder.nativeOrder()));
    }

    public final <T extends Data> T getData(byte[] array, int index) throws MPIException {
        return getData(ByteBuffer.wrap(array).order(ByteOrder.nativeOrder()), index);
    }

    private int add(Datatype t, int size, int length) {
        return add(t, size, size, length);
    }

    /** A field of {@code length} elements of {@code bytes} each, at the next multiple of {@code align}. */
    private int add(Datatype t, int align, int bytes, int length) {
        if (datatype != null) throw new IllegalStateException("The struct data type was committed.");
        int offset = (extent + align - 1) / align * align; // C alignment
        extent = offset + bytes * length;
        fields.add(new int[]{offset, length});
        types.add(t);
        return offset;
    }

    /** Adds a field of one record of {@code struct}; its values are read through {@link Data#getData(Struct, int)}. */
    public final int addStruct(Struct struct) throws MPIException {
        return addStruct(struct, 1);
    }

    /** Adds a field of {@code length} records of {@code struct}. */
    public final int addStruct(Struct struct, int length) throws MPIException {
        if (struct == null) throw Errors.arg("addStruct: struct is null");
        int e = struct.getExtent();
        return add(struct.getType(), alignment(e), e, length);
    }

    /** Adds a field of one element of {@code type}; read it through {@link Data#getBuffer(Datatype, int)}. */
    public final int addData(Datatype type) throws MPIException {
        return addData(type, 1);
    }

    /** Adds a field of {@code length} elements of {@code type} (its extent apart). */
    public final int addData(Datatype type, int length) throws MPIException {
        if (type == null || type.isNull()) throw Errors.arg("addData: type is null or freed");
        int e = (int) type.t.extent();
        return add(type, alignment(type.t.isStruct() ? e : type.t.base().size()), e, length);
    }

    private static int alignment(int bytes) {
        return bytes % 8 == 0 ? 8 : bytes % 4 == 0 ? 4 : bytes % 2 == 0 ? 2 : 1;
    }

    /** Moves the next field to {@code offset}, at or after the fields so far. */
    public final Struct setOffset(int offset) {
        if (offset < extent) throw new IllegalArgumentException("setOffset: offset=" + offset + " is below the extent " + extent + " so far");
        extent = offset;
        return this;
    }

    public final int addByte() { return addByte(1); }
    public final int addByte(int length) { return add(MPI.BYTE, 1, length); }
    public final int addChar() { return addChar(1); }
    public final int addChar(int length) { return add(MPI.CHAR, 2, length); }
    public final int addShort() { return addShort(1); }
    public final int addShort(int length) { return add(MPI.SHORT, 2, length); }
    public final int addInt() { return addInt(1); }
    public final int addInt(int length) { return add(MPI.INT, 4, length); }
    public final int addLong() { return addLong(1); }
    public final int addLong(int length) { return add(MPI.LONG, 8, length); }
    public final int addFloat() { return addFloat(1); }
    public final int addFloat(int length) { return add(MPI.FLOAT, 4, length); }
    public final int addDouble() { return addDouble(1); }
    public final int addDouble(int length) { return add(MPI.DOUBLE, 8, length); }
    public final int addBoolean() { return addBoolean(1); }
    public final int addBoolean(int length) { return add(MPI.BOOLEAN, 1, length); }

    /** A view of one record in a buffer. */
    public abstract class Data {
        private ByteBuffer buffer;
        private int offset;

        /** The buffer from this record on, for send and receive calls. */
        public final ByteBuffer getBuffer() {
            return offset == 0 ? buffer : MPI.slice(buffer, offset);
        }

        /** The record of a {@link Struct#addStruct} field. */
        protected final <D extends Data> D getData(Struct struct, int field) {
            return struct.data(buffer, offset + field);
        }

        /** Record {@code index} of a {@link Struct#addStruct} field of several records. */
        protected final <D extends Data> D getData(Struct struct, int field, int index) {
            try {
                return struct.data(buffer, offset + field + index * struct.getExtent());
            } catch (MPIException e) {
                throw new IllegalStateException("getData: " + e.getMessage(), e);
            }
        }

        /** The bytes of an {@link Struct#addData} field, for calls that take a buffer of {@code type}. */
        protected final ByteBuffer getBuffer(Datatype type, int field) {
            return MPI.slice(buffer, offset + field);
        }

        /** Element {@code index} of an {@link Struct#addData} field of several elements. */
        protected final ByteBuffer getBuffer(Datatype type, int field, int index) throws MPIException {
            if (type == null || type.isNull()) throw Errors.arg("getBuffer: type is null or freed");
            return MPI.slice(buffer, offset + field + index * (int) type.t.extent());
        }

        protected final byte getByte(int field) { return buffer.get(offset + field); }
        protected final byte getByte(int field, int index) { return buffer.get(offset + field + index); }
        protected final void putByte(int field, byte v) { buffer.put(offset + field, v); }
        protected final void putByte(int field, int index, byte v) { buffer.put(offset + field + index, v); }
        protected final char getChar(int field) { return buffer.getChar(offset + field); }
        protected final char getChar(int field, int index) { return buffer.getChar(offset + field + index * 2); }
        protected final void putChar(int field, char v) { buffer.putChar(offset + field, v); }
        protected final void putChar(int field, int index, char v) { buffer.putChar(offset + field + index * 2, v); }
        protected final short getShort(int field) { return buffer.getShort(offset + field); }
        protected final short getShort(int field, int index) { return buffer.getShort(offset + field + index * 2); }
        protected final void putShort(int field, short v) { buffer.putShort(offset + field, v); }
        protected final void putShort(int field, int index, short v) { buffer.putShort(offset + field + index * 2, v); }
        protected final int getInt(int field) { return buffer.getInt(offset + field); }
        protected final int getInt(int field, int index) { return buffer.getInt(offset + field + index * 4); }
        protected final void putInt(int field, int v) { buffer.putInt(offset + field, v); }
        protected final void putInt(int field, int index, int v) { buffer.putInt(offset + field + index * 4, v); }
        protected final long getLong(int field) { return buffer.getLong(offset + field); }
        protected final long getLong(int field, int index) { return buffer.getLong(offset + field + index * 8); }
        protected final void putLong(int field, long v) { buffer.putLong(offset + field, v); }
        protected final void putLong(int field, int index, long v) { buffer.putLong(offset + field + index * 8, v); }
        protected final float getFloat(int field) { return buffer.getFloat(offset + field); }
        protected final float getFloat(int field, int index) { return buffer.getFloat(offset + field + index * 4); }
        protected final void putFloat(int field, float v) { buffer.putFloat(offset + field, v); }
        protected final void putFloat(int field, int index, float v) { buffer.putFloat(offset + field + index * 4, v); }
        protected final double getDouble(int field) { return buffer.getDouble(offset + field); }
        protected final double getDouble(int field, int index) { return buffer.getDouble(offset + field + index * 8); }
        protected final void putDouble(int field, double v) { buffer.putDouble(offset + field, v); }
        protected final void putDouble(int field, int index, double v) { buffer.putDouble(offset + field + index * 8, v); }
        protected final boolean getBoolean(int field) { return buffer.get(offset + field) != 0; }
        protected final boolean getBoolean(int field, int index) { return buffer.get(offset + field + index) != 0; }
        protected final void putBoolean(int field, boolean v) { buffer.put(offset + field, (byte) (v ? 1 : 0)); }
        protected final void putBoolean(int field, int index, boolean v) { buffer.put(offset + field + index, (byte) (v ? 1 : 0)); }
    }
}
