package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;
import io.jmpi.buffer.Layout;
import io.jmpi.buffer.LayoutBuf;
import io.jmpi.coll.Block;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * Argument checks of the calls that take a {@link Datatype}, done before anything is sent: the type is committed,
 * the buffer's kind fits the type (an array of its base type; a ByteBuffer; a byte[] for a struct), and the
 * elements that {@code count} elements of the type touch from {@code offset} lie inside the buffer.
 */
final class DatatypeArgs {
    private DatatypeArgs() {
    }

    /** The error to throw: through {@code c}'s error handler, or plain when there is no communicator (pack, unpack). */
    private static MpiException fail(AbstractComm c, ErrorClass cls, String message) {
        MpiException e = new MpiException(cls, message);
        return c == null ? e : c.raise(e);
    }

    /** The checked layout of {@code type} for {@code count} elements at {@code offset} of {@code buf}. */
    static Layout check(AbstractComm c, String call, String arg, Object buf, int offset, int count, Datatype type, boolean write) {
        if (type == null) throw fail(c, ErrorClass.ARG, call + ": type is null");
        Layout l;
        try {
            l = type.layout(call);
        } catch (MpiException e) {
            throw c == null ? e : c.raise(e);
        }
        if (buf == null) throw fail(c, ErrorClass.BUFFER, call + ": " + arg + " is null");
        long length;
        String what;
        if (buf instanceof ByteBuffer) {
            ByteBuffer b = (ByteBuffer) buf;
            if (write && b.isReadOnly()) throw fail(c, ErrorClass.BUFFER, call + ": " + arg + " is a read-only ByteBuffer");
            length = b.remaining() / l.unit();
            what = l.isStruct() ? "bytes" : l.wire().javaName() + " elements (" + b.remaining() + " bytes)";
        } else if (l.isStruct()) {
            if (!(buf instanceof byte[])) {
                throw fail(c, ErrorClass.TYPE, call + ": " + arg + " is " + buf.getClass().getSimpleName() + " but type "
                        + type + " is a struct of mixed fields: it needs a ByteBuffer or byte[]");
            }
            length = ((byte[]) buf).length;
            what = "bytes";
        } else {
            if (buf.getClass() != arrayClass(l.wire())) {
                throw fail(c, ErrorClass.TYPE, call + ": " + arg + " is " + buf.getClass().getSimpleName() + " but type "
                        + type + " holds " + l.wire().javaName() + " elements");
            }
            length = Array.getLength(buf);
            what = "elements";
        }
        if (offset < 0 || offset > length) {
            throw fail(c, ErrorClass.ARG, call + ": offset=" + offset + " out of range [0, " + length + "]");
        }
        if (count < 0) throw fail(c, ErrorClass.ARG, call + ": count=" + count + " out of range [0, " + Integer.MAX_VALUE + "]");
        if (count > 0 && l.size() > 0) {
            long lo = offset + l.lowest(count), hi = offset + l.highest(count);
            if (lo < 0 || hi > length) {
                throw fail(c, ErrorClass.BUFFER, call + ": offset=" + offset + " + count=" + count + " elements of "
                        + type + " (extent " + type.extent() + " bytes) span " + what + " [" + lo + ", " + hi + ") of "
                        + arg + ", beyond its length " + length);
            }
        }
        // no cap on the message: the stream of count elements is addressed with long byte offsets (LayoutBuf), while
        // each element's runs use int unit offsets into one array or ByteBuffer, which Java caps at 2^31 anyway
        return l;
    }

    static LayoutBuf layoutBuf(AbstractComm c, String call, String arg, Object buf, int offset, int count, Datatype type, boolean write) {
        return LayoutBuf.of(check(c, call, arg, buf, offset, count, type, write), buf, offset, count);
    }

    /** An engine buffer: the plain array descriptor when the type is contiguous, else the run-walking one. */
    static Buf buf(AbstractComm c, String call, String arg, Object buf, int offset, int count, Datatype type, boolean write) {
        Layout l = check(c, call, arg, buf, offset, count, type, write);
        if (!l.isStruct() && !(buf instanceof ByteBuffer) && l.runs() == 1 && l.offset(0) == 0 && l.extent() == l.size()) {
            return new ArrayBuf(l.wire(), buf, offset, count * l.size());
        }
        return LayoutBuf.of(l, buf, offset, count);
    }

    /**
     * A collective block of {@code count} elements of {@code type}. Collectives address their blocks in int units
     * (primitive elements, bytes for a struct), so one rank's block of a derived datatype stays below 2^31 units;
     * point-to-point has no such cap.
     */
    static Block block(AbstractComm c, String call, String arg, Object buf, int offset, int count, Datatype type, boolean write) {
        Layout l = check(c, call, arg, buf, offset, count, type, write);
        if ((long) count * l.size() > Integer.MAX_VALUE) {
            throw fail(c, ErrorClass.ARG, call + ": count=" + count + " x " + l.size() + (l.isStruct() ? " bytes" : " "
                    + l.wire().javaName() + " elements") + " of " + type + " exceeds " + Integer.MAX_VALUE
                    + " per rank's block (collectives with a derived datatype; point-to-point has no such limit)");
        }
        return Block.of(l, buf, offset, count);
    }

    /**
     * The send and receive sides of a collective must carry the same primitive elements (MPI: matching type
     * signatures); checked where both are given.
     */
    static void sameSignature(AbstractComm c, String call, int sendCount, Datatype sendType, int recvCount, Datatype recvType) {
        if (sendType.wire() != recvType.wire()) {
            throw fail(c, ErrorClass.TYPE, call + ": sendType " + sendType + " holds " + sendType.wire().javaName()
                    + " elements, recvType " + recvType + " holds " + recvType.wire().javaName());
        }
        long s = (long) sendCount * sendType.size(), r = (long) recvCount * recvType.size();
        if (s != r) {
            throw fail(c, ErrorClass.ARG, call + ": sendCount=" + sendCount + " x " + sendType + " (" + s
                    + " bytes) differs from recvCount=" + recvCount + " x " + recvType + " (" + r + " bytes)");
        }
    }

    static Class<?> arrayClass(DataType t) {
        switch (t) {
            case BYTE: return byte[].class;
            case SHORT: return short[].class;
            case CHAR: return char[].class;
            case INT: return int[].class;
            case LONG: return long[].class;
            case FLOAT: return float[].class;
            case DOUBLE: return double[].class;
            case BOOLEAN: return boolean[].class;
            default: throw new IllegalArgumentException("no array for " + t);
        }
    }
}
