package io.jmpi.buffer;

/** Element types on the wire; the code travels in every frame so a receiver can detect a type mismatch. */
public enum DataType {
    BYTE(1, 1), SHORT(2, 2), CHAR(3, 2), INT(4, 4), LONG(5, 8), FLOAT(6, 4), DOUBLE(7, 8), BOOLEAN(8, 1),
    /** Serialized objects: bytes produced by an object codec. */
    OBJECT(9, 1);

    private static final DataType[] BY_CODE = new DataType[16];

    static {
        for (DataType t : values()) BY_CODE[t.code] = t;
    }

    public final byte code;
    /** Bytes per element. */
    public final int size;

    DataType(int code, int size) {
        this.code = (byte) code;
        this.size = size;
    }

    /** The type for a wire code, or null if unknown. */
    public static DataType of(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    public String javaName() {
        return this == OBJECT ? "Object" : name().toLowerCase(java.util.Locale.ROOT);
    }
}
