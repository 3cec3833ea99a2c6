package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.buffer.DataType;

import java.util.function.DoubleBinaryOperator;
import java.util.function.IntBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * A reduction operation ({@code MPI_Op}) for {@code reduce}, {@code allreduce}, {@code reduceScatter}, {@code scan}
 * and {@code exscan}, applied element by element.
 *
 * <table>
 *   <caption>Built-in operations and the element types they apply to</caption>
 *   <tr><th>op</th><th>types</th><th>meaning</th></tr>
 *   <tr><td>SUM, PROD, MIN, MAX</td><td>byte, short, char, int, long, float, double</td><td>integers wrap like Java
 *       arithmetic; MIN/MAX of floating point follow {@link Math#min(double, double)} (NaN wins)</td></tr>
 *   <tr><td>LAND, LOR, LXOR</td><td>boolean and the integer types</td><td>on integers, non-zero is true and the
 *       result is 0 or 1 (as in C)</td></tr>
 *   <tr><td>BAND, BOR, BXOR</td><td>boolean and the integer types</td><td>bitwise</td></tr>
 *   <tr><td>MINLOC, MAXLOC</td><td>byte, short, char, int, long, float, double</td><td>the array holds interleaved
 *       (value, index) pairs of its own type: {@code [v0, i0, v1, i1, ...]}, so the count must be even; the result
 *       pair has the smallest (MINLOC) or largest (MAXLOC) value and, among equal values, the smallest index</td></tr>
 * </table>
 *
 * <p>User operations come from lambdas for one element type, e.g. {@code Op.of((double a, double b) -> a * b + 1, false)}
 * or {@code Op.ofDouble((a, b) -> ..., false)}. The function is called as {@code f(a, b)} where {@code a} is the
 * partial result of lower ranks and {@code b} that of higher ranks; it must be associative. An operation declared
 * non-commutative is applied strictly in rank order. Results are deterministic: for a given communicator size and
 * count every rank gets the same bits in every run.
 */
public final class Op {
    enum Kind { SUM, PROD, MIN, MAX, LAND, LOR, LXOR, BAND, BOR, BXOR, MINLOC, MAXLOC, USER, ARRAY, REPLACE, NO_OP }

    /** Sum ({@code MPI_SUM}). */
    public static final Op SUM = new Op(Kind.SUM, null, true, null);
    /** Product ({@code MPI_PROD}). */
    public static final Op PROD = new Op(Kind.PROD, null, true, null);
    /** Minimum ({@code MPI_MIN}). */
    public static final Op MIN = new Op(Kind.MIN, null, true, null);
    /** Maximum ({@code MPI_MAX}). */
    public static final Op MAX = new Op(Kind.MAX, null, true, null);
    /** Logical and ({@code MPI_LAND}). */
    public static final Op LAND = new Op(Kind.LAND, null, true, null);
    /** Logical or ({@code MPI_LOR}). */
    public static final Op LOR = new Op(Kind.LOR, null, true, null);
    /** Logical exclusive or ({@code MPI_LXOR}). */
    public static final Op LXOR = new Op(Kind.LXOR, null, true, null);
    /** Bitwise and ({@code MPI_BAND}). */
    public static final Op BAND = new Op(Kind.BAND, null, true, null);
    /** Bitwise or ({@code MPI_BOR}). */
    public static final Op BOR = new Op(Kind.BOR, null, true, null);
    /** Bitwise exclusive or ({@code MPI_BXOR}). */
    public static final Op BXOR = new Op(Kind.BXOR, null, true, null);
    /** Minimum value and its index, on (value, index) pairs ({@code MPI_MINLOC}). */
    public static final Op MINLOC = new Op(Kind.MINLOC, null, true, null);
    /** Maximum value and its index, on (value, index) pairs ({@code MPI_MAXLOC}). */
    public static final Op MAXLOC = new Op(Kind.MAXLOC, null, true, null);

    /**
     * Replaces the target's element by the origin's ({@code MPI_REPLACE}): one-sided accumulation only
     * ({@link Win#accumulate}, {@link Win#getAccumulate}, {@link Win#fetchAndOp}); collectives refuse it.
     */
    public static final Op REPLACE = new Op(Kind.REPLACE, null, true, null);
    /** Leaves the target's element as it is ({@code MPI_NO_OP}): an atomic read with getAccumulate/fetchAndOp. */
    public static final Op NO_OP = new Op(Kind.NO_OP, null, true, null);

    /**
     * The one-sided operation code ({@code io.jmpi.wire.RmaDescriptor.OP_*}) of a predefined operation, or 0 when it
     * has none (MINLOC, MAXLOC, user operations).
     */
    int rmaCode() {
        return switch (kind) {
            case REPLACE -> io.jmpi.wire.RmaDescriptor.OP_REPLACE;
            case SUM -> io.jmpi.wire.RmaDescriptor.OP_SUM;
            case PROD -> io.jmpi.wire.RmaDescriptor.OP_PROD;
            case MIN -> io.jmpi.wire.RmaDescriptor.OP_MIN;
            case MAX -> io.jmpi.wire.RmaDescriptor.OP_MAX;
            case LAND -> io.jmpi.wire.RmaDescriptor.OP_LAND;
            case LOR -> io.jmpi.wire.RmaDescriptor.OP_LOR;
            case LXOR -> io.jmpi.wire.RmaDescriptor.OP_LXOR;
            case BAND -> io.jmpi.wire.RmaDescriptor.OP_BAND;
            case BOR -> io.jmpi.wire.RmaDescriptor.OP_BOR;
            case BXOR -> io.jmpi.wire.RmaDescriptor.OP_BXOR;
            case NO_OP -> io.jmpi.wire.RmaDescriptor.OP_NO_OP;
            default -> 0;
        };
    }

    /** A float operation (Java has no FloatBinaryOperator). */
    @FunctionalInterface
    public interface FloatOperator {
        float applyAsFloat(float a, float b);
    }

    /** A short operation. */
    @FunctionalInterface
    public interface ShortOperator {
        short applyAsShort(short a, short b);
    }

    /** A byte operation. */
    @FunctionalInterface
    public interface ByteOperator {
        byte applyAsByte(byte a, byte b);
    }

    /** A char operation. */
    @FunctionalInterface
    public interface CharOperator {
        char applyAsChar(char a, char b);
    }

    /** A boolean operation. */
    @FunctionalInterface
    public interface BooleanOperator {
        boolean applyAsBoolean(boolean a, boolean b);
    }

    /**
     * A user operation on whole vectors, as C MPI's {@code MPI_User_function} and mpiJava's {@code User_function}:
     * combine {@code count} elements, {@code inout[inoutOffset + i] = in[inOffset + i] op inout[inoutOffset + i]}.
     * {@code in} and {@code inout} are arrays of the reduced buffer's primitive type ({@code int[]} for an int
     * reduction); {@code in} holds the lower ranks' partial result. It may be called several times per reduction,
     * on pieces of the vector, always on whole multiples of the operation's {@link #grain()}.
     */
    @FunctionalInterface
    public interface ArrayFunction {
        void apply(Object in, int inOffset, Object inout, int inoutOffset, int count);
    }

    final Kind kind;
    /** The user function (USER only). */
    final Object fn;
    /** The element type a user function applies to (USER; ARRAY when restricted to one type, else null). */
    final DataType fnType;
    private final boolean commutative;
    /** Elements that belong together: a reduction splits its vectors only between multiples of it. */
    private final int grain;

    private Op(Kind kind, Object fn, boolean commutative, DataType fnType) {
        this(kind, fn, commutative, fnType, kind == Kind.MINLOC || kind == Kind.MAXLOC ? 2 : 1);
    }

    private Op(Kind kind, Object fn, boolean commutative, DataType fnType, int grain) {
        this.grain = grain;
        this.kind = kind;
        this.fn = fn;
        this.commutative = commutative;
        this.fnType = fnType;
    }

    private static Op user(Object f, boolean commutative, DataType t) {
        if (f == null) throw new MpiException(ErrorClass.ARG, "Op.of: function is null");
        return new Op(Kind.USER, f, commutative, t);
    }

    /** A user operation on doubles ({@code MPI_Op_create}). */
    @SuppressWarnings("overloads") // explicitly typed lambdas pick one; ofDouble/ofInt/ofLong for implicit ones
    public static Op of(DoubleBinaryOperator f, boolean commutative) { return user(f, commutative, DataType.DOUBLE); }

    /** A user operation on ints. */
    @SuppressWarnings("overloads") // explicitly typed lambdas pick one; ofDouble/ofInt/ofLong for implicit ones
    public static Op of(IntBinaryOperator f, boolean commutative) { return user(f, commutative, DataType.INT); }

    /** A user operation on longs. */
    @SuppressWarnings("overloads") // explicitly typed lambdas pick one; ofDouble/ofInt/ofLong for implicit ones
    public static Op of(LongBinaryOperator f, boolean commutative) { return user(f, commutative, DataType.LONG); }

    /** A user operation on doubles (a name that implicitly typed lambdas can use without ambiguity). */
    public static Op ofDouble(DoubleBinaryOperator f, boolean commutative) { return of(f, commutative); }

    /** A user operation on ints. */
    public static Op ofInt(IntBinaryOperator f, boolean commutative) { return of(f, commutative); }

    /** A user operation on longs. */
    public static Op ofLong(LongBinaryOperator f, boolean commutative) { return of(f, commutative); }

    /** A user operation on floats. */
    public static Op ofFloat(FloatOperator f, boolean commutative) { return user(f, commutative, DataType.FLOAT); }

    /** A user operation on shorts. */
    public static Op ofShort(ShortOperator f, boolean commutative) { return user(f, commutative, DataType.SHORT); }

    /** A user operation on bytes. */
    public static Op ofByte(ByteOperator f, boolean commutative) { return user(f, commutative, DataType.BYTE); }

    /** A user operation on chars. */
    public static Op ofChar(CharOperator f, boolean commutative) { return user(f, commutative, DataType.CHAR); }

    /** A user operation on booleans. */
    public static Op ofBoolean(BooleanOperator f, boolean commutative) { return user(f, commutative, DataType.BOOLEAN); }

    /**
     * A user operation on vectors of any primitive type ({@code MPI_Op_create} with an {@code MPI_User_function}):
     * {@code f} gets the arrays themselves and combines a range of them in place, see {@link ArrayFunction}.
     */
    public static Op ofArrays(ArrayFunction f, boolean commutative) {
        return ofArrays(f, commutative, 1);
    }

    /**
     * {@link #ofArrays(ArrayFunction, boolean)} for elements made of {@code grain} primitives (e.g. 2 for (value,
     * index) pairs): {@code f} is only ever called on whole groups, and counts must be multiples of {@code grain}.
     */
    public static Op ofArrays(ArrayFunction f, boolean commutative, int grain) {
        if (f == null) throw new MpiException(ErrorClass.ARG, "Op.ofArrays: function is null");
        if (grain < 1) throw new MpiException(ErrorClass.ARG, "Op.ofArrays: grain=" + grain + " out of range [1, " + Integer.MAX_VALUE + "]");
        return new Op(Kind.ARRAY, f, commutative, null, grain);
    }

    /**
     * {@link #ofArrays(ArrayFunction, boolean, int)} restricted to one predefined element type ({@link Datatype#INT},
     * ...): reductions of any other type are refused with an error naming both (Open MPI's Java API creates its user
     * operations this way).
     */
    public static Op ofArrays(Datatype elementType, int grain, ArrayFunction f, boolean commutative) {
        if (elementType == null) throw new MpiException(ErrorClass.ARG, "Op.ofArrays: elementType is null");
        if (elementType.isStruct() || elementType.base() != elementType) {
            throw new MpiException(ErrorClass.ARG, "Op.ofArrays: elementType=" + elementType + " is not a predefined type "
                    + "(BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, BOOLEAN)");
        }
        Op any = ofArrays(f, commutative, grain);
        return new Op(Kind.ARRAY, any.fn, commutative, elementType.wire(), grain);
    }

    /** Primitive elements that belong together (2 for MINLOC/MAXLOC pairs, 1 for element-wise operations). */
    public int grain() {
        return grain;
    }

    /** Whether the operation is commutative ({@code MPI_Op_commutative}). */
    public boolean commutative() {
        return commutative;
    }

    /** The operation's name, e.g. {@code SUM}, or {@code USER(double)}. */
    public String name() {
        if (kind == Kind.ARRAY) return fnType == null ? "USER(arrays)" : "USER(" + fnType.javaName() + ")";
        return kind == Kind.USER ? "USER(" + fnType.javaName() + ")" : kind.name();
    }

    /** Whether the operation works on groups of more than one element ((value, index) pairs, grained user ops). */
    boolean pairs() {
        return grain > 1;
    }

    /** {@code MPI_Reduce_local}: {@code inout[i] = in[i] (op) inout[i]} for every element, on this thread. */
    public void reduceLocal(double[] in, double[] inout) {
        reduceLocal(DataType.DOUBLE, in, in == null ? -1 : in.length, inout, inout == null ? -1 : inout.length);
    }

    /** {@code MPI_Reduce_local} on {@code long} elements. */
    public void reduceLocal(long[] in, long[] inout) {
        reduceLocal(DataType.LONG, in, in == null ? -1 : in.length, inout, inout == null ? -1 : inout.length);
    }

    /** {@code MPI_Reduce_local} on {@code int} elements. */
    public void reduceLocal(int[] in, int[] inout) {
        reduceLocal(DataType.INT, in, in == null ? -1 : in.length, inout, inout == null ? -1 : inout.length);
    }

    /** {@code MPI_Reduce_local} on {@code float} elements. */
    public void reduceLocal(float[] in, float[] inout) {
        reduceLocal(DataType.FLOAT, in, in == null ? -1 : in.length, inout, inout == null ? -1 : inout.length);
    }

    private void reduceLocal(DataType t, Object in, int inLength, Object inout, int inoutLength) {
        if (in == null) throw new MpiException(ErrorClass.ARG, "reduceLocal: in is null");
        if (inout == null) throw new MpiException(ErrorClass.ARG, "reduceLocal: inout is null");
        if (inLength != inoutLength) {
            throw new MpiException(ErrorClass.ARG, "reduceLocal: in.length=" + inLength + " differs from inout.length="
                    + inoutLength);
        }
        if (!Reductions.applies(this, t)) {
            throw new MpiException(ErrorClass.ARG, "reduceLocal: op " + name() + " does not apply to " + t.javaName() + " elements");
        }
        if (inLength % grain != 0) {
            throw new MpiException(ErrorClass.ARG, "reduceLocal: op " + name() + " combines operands of " + grain
                    + " elements: in.length=" + inLength + " is not a multiple of " + grain);
        }
        Reductions.apply(this, t, in, 0, inout, 0, inout, 0, inLength);
    }

    @Override
    public String toString() {
        return name();
    }
}
