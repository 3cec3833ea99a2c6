package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.buffer.Layout;
import io.jmpi.engine.Operation;
import io.jmpi.rma.Accumulate;
import io.jmpi.rma.Pending;
import io.jmpi.rma.RmaMessage;
import io.jmpi.trace.TraceFormat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.jmpi.wire.RmaDescriptor.*;

/**
 * The origin side of one one-sided operation of a {@link Win}: argument checks (ranks, epochs, datatypes, the
 * target's window bounds, all before anything is sent, each error naming the call, argument, value and range), the
 * message (header, target runs of a derived target type, the origin's data straight from its buffer), and what the
 * caller waits for (the engine's send when it could not go at once; the target's answer).
 */
final class WinOps {
    private WinOps() {
    }

    /** One operation's arguments; {@code result*} only for getAccumulate/fetchAndOp/compareAndSwap. */
    static final class Args {
        String call;
        byte kind;
        Object origin;
        int originOffset, originCount;
        Datatype originType;
        Object compare;
        int compareOffset;
        Object result;
        int resultOffset, resultCount;
        Datatype resultType;
        int target;
        long disp;
        int targetCount;
        Datatype targetType;
        Op op;
    }

    /** Starts the operation; returns its request (local completion for put/accumulate, the answer otherwise). */
    static WinRequest start(Win w, Args a) {
        Comm c = w.comm;
        long t0 = c.trace == null ? 0 : c.trace.now();
        c.checkUsable(a.call);
        w.checkNotFreed(a.call);
        if (a.target == Mpi.PROC_NULL) return WinRequest.done(w);
        if (a.target < 0 || a.target >= c.size()) {
            throw c.raise(ErrorClass.ARG, a.call + ": target rank=" + a.target + " out of range [0, " + c.size() + ") (or PROC_NULL)");
        }
        w.checkEpoch(a.call, a.target);
        if (a.targetCount < 0) throw c.raise(ErrorClass.ARG, a.call + ": targetCount=" + a.targetCount + " out of range [0, " + Integer.MAX_VALUE + "]");
        if (a.targetType == null) throw c.raise(ErrorClass.ARG, a.call + ": targetType is null");
        Layout tl;
        try {
            tl = a.targetType.layout(a.call);
        } catch (MpiException e) {
            throw c.raise(e);
        }
        DataType wire = tl.wire();
        boolean carriesOrigin = a.kind == PUT || a.kind == ACCUMULATE || a.kind == GET_ACCUMULATE || a.kind == COMPARE_AND_SWAP;
        Buf origin = null;
        if (a.kind != GET_ACCUMULATE || a.op != Op.NO_OP || a.origin != null) {
            origin = DatatypeArgs.buf(c, a.call, "origin", a.origin, a.originOffset, a.originCount, a.originType, a.kind == GET);
            sameSignature(c, a.call, "origin", a.originCount, a.originType, a.targetCount, a.targetType);
        }
        Buf result = null;
        if (a.kind == GET_ACCUMULATE || a.kind == COMPARE_AND_SWAP) {
            result = DatatypeArgs.buf(c, a.call, "result", a.result, a.resultOffset, a.resultCount, a.resultType, true);
            sameSignature(c, a.call, "result", a.resultCount, a.resultType, a.targetCount, a.targetType);
        }
        int opCode = 0;
        if (a.kind == ACCUMULATE || a.kind == GET_ACCUMULATE) {
            if (a.op == null) throw c.raise(ErrorClass.ARG, a.call + ": op is null");
            opCode = a.op.rmaCode();
            if (opCode == 0) {
                throw c.raise(ErrorClass.ARG, a.call + ": op " + a.op.name() + " is not a predefined operation one-sided "
                        + "accumulation supports (SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR, REPLACE, NO_OP)");
            }
            String why = Accumulate.refuse(opCode, wire);
            if (why != null || tl.isStruct()) throw c.raise(ErrorClass.TYPE, a.call + ": " + (why != null ? why : "accumulation needs one primitive type, not a struct"));
        }
        int elements = a.targetCount * tl.size();
        long bytes = (long) elements * wire.size;
        if (tl.isStruct()) elements = (int) bytes; // a struct travels as bytes
        DataType onWire = tl.isStruct() ? DataType.BYTE : wire;
        w.checkTargetRange(a.call, a.target, a.disp, tl, a.targetCount, a.targetType);

        long id = w.endpoint.newRequest();
        RmaMessage m = new RmaMessage().start(a.kind, onWire, opCode, 0, elements, a.disp, id);
        if (!contiguous(tl)) {
            long unit = tl.unit(), extent = tl.extent();
            for (int i = 0; i < a.targetCount; i++) {
                for (int r = 0; r < tl.runs(); r++) {
                    m.run((int) ((i * extent + tl.offset(r)) * unit), (int) (tl.length(r) * unit));
                }
            }
        }
        if (a.kind == COMPARE_AND_SWAP) {
            int n = onWire.size;
            byte[] both = new byte[2 * n];
            ByteBuffer b = ByteBuffer.wrap(both).order(ByteOrder.LITTLE_ENDIAN);
            origin.copyOut(0, b, n);
            DatatypeArgs.buf(c, a.call, "compare", a.compare, a.compareOffset, 1, a.originType, false).copyOut(0, b, n);
            m.data(BytesBuf.forSend(DataType.BYTE, both), both.length);
        } else if (carriesOrigin && origin != null) {
            m.data(origin, (int) bytes);
        } else if (a.kind == GET_ACCUMULATE) { // NO_OP without an origin buffer: an operand of zeros
            m.data(BytesBuf.forSend(DataType.BYTE, new byte[(int) bytes]), (int) bytes);
        }
        Pending p = null;
        int world = c.toWorld(a.target);
        if (a.kind == GET) p = w.endpoint.expect(id, world, origin, (int) bytes);
        else if (a.kind == GET_ACCUMULATE || a.kind == COMPARE_AND_SWAP) p = w.endpoint.expect(id, world, result, (int) bytes);
        Operation op;
        try {
            op = w.endpoint.send(a.call, m, world);
        } catch (MpiException e) {
            if (p != null) w.endpoint.forget(id);
            throw c.raise(e);
        }
        if (op != null) w.inFlight(op);
        // traced when posted (as an isend): bytes = the target's data; its completion is the epoch's synchronisation
        if (c.trace != null) c.trace.op(TraceFormat.RMA, a.call, t0, world, -1, c.context, bytes, -1);
        return new WinRequest(w, op, p, world, a.call);
    }

    static boolean contiguous(Layout l) {
        return !l.isStruct() && l.runs() == 1 && l.offset(0) == 0 && l.extent() == l.size();
    }

    private static void sameSignature(Comm c, String call, String arg, int count, Datatype type, int targetCount, Datatype targetType) {
        if (type.wire() != targetType.wire()) {
            throw c.raise(ErrorClass.TYPE, call + ": datatype mismatch: " + arg + "Type " + type + " holds "
                    + type.wire().javaName() + " elements, targetType " + targetType + " holds " + targetType.wire().javaName());
        }
        long s = (long) count * type.size(), t = (long) targetCount * targetType.size();
        if (s != t) {
            throw c.raise(ErrorClass.ARG, call + ": datatype mismatch: " + arg + "Count=" + count + " x " + type + " ("
                    + s + " bytes) differs from targetCount=" + targetCount + " x " + targetType + " (" + t + " bytes)");
        }
    }

    /** The predefined type of a buffer's elements: a primitive array's, BYTE for a ByteBuffer. */
    static Datatype typeOf(Comm c, String call, String arg, Object buf) {
        if (buf == null) throw c.raise(ErrorClass.BUFFER, call + ": " + arg + " is null");
        if (buf instanceof ByteBuffer || buf instanceof byte[]) return Datatype.BYTE;
        if (buf instanceof double[]) return Datatype.DOUBLE;
        if (buf instanceof int[]) return Datatype.INT;
        if (buf instanceof long[]) return Datatype.LONG;
        if (buf instanceof float[]) return Datatype.FLOAT;
        if (buf instanceof short[]) return Datatype.SHORT;
        if (buf instanceof char[]) return Datatype.CHAR;
        if (buf instanceof boolean[]) return Datatype.BOOLEAN;
        throw c.raise(ErrorClass.BUFFER, call + ": " + arg + " is a " + buf.getClass().getSimpleName()
                + ", not a primitive array or ByteBuffer");
    }
}
