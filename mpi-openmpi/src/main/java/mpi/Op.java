package mpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A reduction operation ({@code MPI_Op}): jmpi's built-in operations, or a {@link UserFunction}, which is run by
 * jmpi's vector user operations ({@link io.jmpi.Op#ofArrays}) on whole runs of elements. MINLOC and MAXLOC apply to
 * the pair types ({@link MPI#INT2}, {@link MPI#SHORT_INT}, {@link MPI#LONG_INT}, {@link MPI#FLOAT_INT},
 * {@link MPI#DOUBLE_INT}).
 */
public final class Op implements Freeable {
    private final io.jmpi.Op builtin;
    private final UserFunction uf;
    private final boolean commute;
    /** Name of an operation that only one-sided accumulate takes (REPLACE, NO_OP), else null. */
    private final String rmaOnly;
    private boolean freed;

    Op(io.jmpi.Op builtin) {
        this.builtin = builtin;
        this.uf = null;
        this.commute = true;
        this.rmaOnly = null;
    }

    /** {@code MPI_REPLACE}, {@code MPI_NO_OP}: operations of one-sided accumulate only. */
    Op(String rmaOnly) {
        this.builtin = null;
        this.uf = null;
        this.commute = true;
        this.rmaOnly = rmaOnly;
    }

    /** {@code MPI_Op_create}: a user operation. */
    public Op(UserFunction function, boolean commute) {
        this.builtin = null;
        this.uf = function;
        this.commute = commute;
        this.rmaOnly = null;
    }

    /** {@code MPI_Op_commutative}. */
    public boolean isCommutative() {
        return commute;
    }

    /** {@code MPI_Op_free}. */
    @Override
    public void free() throws MPIException {
        freed = true;
    }

    /** Whether the operation was freed. */
    public boolean isNull() {
        return freed;
    }

    /** jmpi's operation for reducing contiguous runs of {@code type}'s packed elements. */
    /**
     * The jmpi operation of a one-sided accumulate: a predefined operation, {@code REPLACE} or {@code NO_OP}. User
     * operations are refused with {@code MPI.ERR_OP}, as MPI does (MINLOC/MAXLOC: jmpi's RMA refuses them, see Win).
     */
    io.jmpi.Op forRma(String call) throws MPIException {
        if (freed) throw new MPIException(call + ": op has been freed", MPI.ERR_OP, null);
        if ("REPLACE".equals(rmaOnly)) return io.jmpi.Op.REPLACE;
        if ("NO_OP".equals(rmaOnly)) return io.jmpi.Op.NO_OP;
        if (builtin == null) {
            throw new MPIException(call + ": op=USER: one-sided accumulate takes predefined operations only (MPI 4.1 12.3.4)", MPI.ERR_OP, null);
        }
        return builtin;
    }

    io.jmpi.Op forType(String call, Datatype type) throws MPIException {
        if (freed) throw new MPIException(call + ": op is freed", MPI.ERR_OP, null);
        if (rmaOnly != null) {
            throw new MPIException(call + ": MPI." + rmaOnly + " applies only to one-sided accumulate operations, not to "
                    + "collective reductions", MPI.ERR_OP, null);
        }
        if (builtin != null) {
            if (type.pairValue == null) return builtin;
            if (builtin != io.jmpi.Op.MINLOC && builtin != io.jmpi.Op.MAXLOC) {
                throw new MPIException(call + ": op " + builtin.name() + " does not apply to the pair type " + type
                        + " (only MINLOC and MAXLOC do)", MPI.ERR_OP, null);
            }
            return PairLoc.op(type, builtin == io.jmpi.Op.MINLOC);
        }
        int grain = Math.max(1, type.t.size() / type.baseSize);
        io.jmpi.Datatype element = type.t.isStruct() ? io.jmpi.Datatype.BYTE : type.t.base();
        return Errors.run(() -> io.jmpi.Op.ofArrays(element, grain, (in, io, inout, ioo, n) -> apply(type, grain, in, io, inout, ioo, n), commute));
    }

    /** Runs the user function on copies shaped as Open MPI passes them: boolean arrays, or native-order ByteBuffers. */
    private void apply(Datatype type, int grain, Object in, int io, Object inout, int ioo, int n) {
        try {
            int count = n / grain;
            if (in instanceof boolean[]) {
                boolean[] a = java.util.Arrays.copyOfRange((boolean[]) in, io, io + n);
                boolean[] b = java.util.Arrays.copyOfRange((boolean[]) inout, ioo, ioo + n);
                uf.call(a, b, count, type);
                System.arraycopy(b, 0, inout, ioo, n);
                return;
            }
            ByteBuffer a = buffer(in, io, n), b = buffer(inout, ioo, n);
            uf.call(a, b, count, type);
            b.clear();
            Object back = Bufs.fromLittleEndian(toLe(b), in.getClass(), n);
            System.arraycopy(back, 0, inout, ioo, n);
        } catch (MPIException e) {
            throw new MpiException(ErrorClass.ARG, "user function failed: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer buffer(Object a, int off, int n) {
        Object part = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), n);
        System.arraycopy(a, off, part, 0, n);
        byte[] le = Bufs.toLittleEndian(part, n * elementSize(a));
        ByteBuffer b = ByteBuffer.allocateDirect(le.length).order(ByteOrder.nativeOrder());
        ByteBuffer src = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        copyOrdered(src, b, elementSize(a), a);
        b.clear();
        return b;
    }

    private static byte[] toLe(ByteBuffer nativeOrder) {
        byte[] raw = new byte[nativeOrder.remaining()];
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            nativeOrder.get(raw);
            return raw;
        }
        throw new UnsupportedOperationException("user functions on big-endian hosts");
    }

    private static void copyOrdered(ByteBuffer le, ByteBuffer nat, int size, Object kind) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || size == 1) {
            nat.put(le);
            return;
        }
        throw new UnsupportedOperationException("user functions on big-endian hosts");
    }

    private static int elementSize(Object a) {
        if (a instanceof byte[] || a instanceof boolean[]) return 1;
        if (a instanceof short[] || a instanceof char[]) return 2;
        if (a instanceof int[] || a instanceof float[]) return 4;
        return 8;
    }

    @Override
    public String toString() {
        return builtin != null ? builtin.name() : rmaOnly != null ? rmaOnly : "USER";
    }
}
