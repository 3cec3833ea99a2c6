package io.jmpi;

import io.jmpi.buffer.DataType;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support for the collectives over every element type: test data as longs, typed arrays made from them and
 * read back, a serial reference of every reduction, and calls of the generated typed overloads by name (which also
 * checks that every overload exists for every type).
 */
final class CollTypes {
    static final DataType[] TYPES = {DataType.BYTE, DataType.SHORT, DataType.CHAR, DataType.INT, DataType.LONG,
            DataType.FLOAT, DataType.DOUBLE, DataType.BOOLEAN};

    private CollTypes() {
    }

    static Object alloc(DataType t, int n) {
        switch (t) {
            case BYTE: return new byte[n];
            case SHORT: return new short[n];
            case CHAR: return new char[n];
            case INT: return new int[n];
            case LONG: return new long[n];
            case FLOAT: return new float[n];
            case DOUBLE: return new double[n];
            case BOOLEAN: return new boolean[n];
            default: throw new IllegalArgumentException();
        }
    }

    static Object array(DataType t, long[] v) {
        Object a = alloc(t, v.length);
        for (int i = 0; i < v.length; i++) set(t, a, i, v[i]);
        return a;
    }

    static void set(DataType t, Object a, int i, long v) {
        switch (t) {
            case BYTE: ((byte[]) a)[i] = (byte) v; break;
            case SHORT: ((short[]) a)[i] = (short) v; break;
            case CHAR: ((char[]) a)[i] = (char) v; break;
            case INT: ((int[]) a)[i] = (int) v; break;
            case LONG: ((long[]) a)[i] = v; break;
            case FLOAT: ((float[]) a)[i] = v; break;
            case DOUBLE: ((double[]) a)[i] = v; break;
            case BOOLEAN: ((boolean[]) a)[i] = v != 0; break;
            default: throw new IllegalArgumentException();
        }
    }

    static long get(DataType t, Object a, int i) {
        switch (t) {
            case BYTE: return ((byte[]) a)[i];
            case SHORT: return ((short[]) a)[i];
            case CHAR: return ((char[]) a)[i];
            case INT: return ((int[]) a)[i];
            case LONG: return ((long[]) a)[i];
            case FLOAT: return (long) ((float[]) a)[i];
            case DOUBLE: return (long) ((double[]) a)[i];
            case BOOLEAN: return ((boolean[]) a)[i] ? 1 : 0;
            default: throw new IllegalArgumentException();
        }
    }

    static long[] values(DataType t, Object a) {
        int n = java.lang.reflect.Array.getLength(a);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = get(t, a, i);
        return v;
    }

    /** What storing {@code v} in an element of type t and reading it back gives. */
    static long narrow(DataType t, long v) {
        switch (t) {
            case BYTE: return (byte) v;
            case SHORT: return (short) v;
            case CHAR: return (char) v;
            case INT: return (int) v;
            case BOOLEAN: return v != 0 ? 1 : 0;
            default: return v;
        }
    }

    /** Data movement: a distinct value for (rank, i) in every type. */
    static long datum(DataType t, int rank, int i) {
        if (t == DataType.BOOLEAN) return (rank + i) % 2;
        return narrow(t, rank * 100 + i + 1);
    }

    static long[] data(DataType t, int rank, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = datum(t, rank, i);
        return v;
    }

    /** Reduction input of (rank, i) for {@code op}: small integers, exact in floating point, with zeros and ties. */
    static long input(DataType t, Op op, int rank, int i) {
        if (t == DataType.BOOLEAN) return (rank * 7 + i * 3) % 3 == 0 ? 0 : 1;
        if (op == Op.MINLOC || op == Op.MAXLOC) return i % 2 == 1 ? rank : (rank * 5 + i) % 4;
        if (op == Op.PROD) return t == DataType.CHAR ? 1 + (rank + i) % 3 : new long[]{1, 2, -1}[(rank + i) % 3];
        if (t == DataType.CHAR) return (rank * 7 + i * 3) % 9;
        return (rank * 7 + i * 3) % 9 - 4;
    }

    static long[] inputs(DataType t, Op op, int rank, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = input(t, op, rank, i);
        return v;
    }

    /** The operations that apply to t: the applicable built-ins and one user operation. */
    static List<Op> ops(DataType t) {
        List<Op> ops = new ArrayList<>();
        boolean bool = t == DataType.BOOLEAN, floating = t == DataType.FLOAT || t == DataType.DOUBLE;
        if (!bool) ops.addAll(List.of(Op.SUM, Op.PROD, Op.MIN, Op.MAX, Op.MINLOC, Op.MAXLOC));
        if (!floating) ops.addAll(List.of(Op.LAND, Op.LOR, Op.LXOR, Op.BAND, Op.BOR, Op.BXOR));
        ops.add(user(t));
        return ops;
    }

    private static final java.util.Map<DataType, Op> USER = new java.util.EnumMap<>(DataType.class);

    static {
        USER.put(DataType.INT, Op.ofInt((a, b) -> a != 0 ? a : b, false));          // first non-zero
        USER.put(DataType.LONG, Op.ofLong((a, b) -> b != 0 ? b : a, false));        // last non-zero
        USER.put(DataType.DOUBLE, Op.ofDouble((a, b) -> b, false));                 // last
        USER.put(DataType.FLOAT, Op.ofFloat((a, b) -> a, false));                   // first
        USER.put(DataType.SHORT, Op.ofShort((a, b) -> (short) (a + b), true));
        USER.put(DataType.BYTE, Op.ofByte((a, b) -> (byte) Math.max(a, b), true));
        USER.put(DataType.CHAR, Op.ofChar((a, b) -> a != 0 ? a : b, false));       // first non-zero
        USER.put(DataType.BOOLEAN, Op.ofBoolean((a, b) -> a | b, true));
    }

    static Op user(DataType t) {
        return USER.get(t);
    }

    /** Serial reference of one element: {@code a op b} with a from lower ranks. */
    static long combine(DataType t, Op op, long a, long b) {
        if (op == Op.SUM) return narrow(t, a + b);
        if (op == Op.PROD) return narrow(t, a * b);
        if (op == Op.MIN) return Math.min(a, b);
        if (op == Op.MAX) return Math.max(a, b);
        if (op == Op.LAND) return a != 0 && b != 0 ? 1 : 0;
        if (op == Op.LOR) return a != 0 || b != 0 ? 1 : 0;
        if (op == Op.LXOR) return (a != 0) != (b != 0) ? 1 : 0;
        if (op == Op.BAND) return narrow(t, a & b);
        if (op == Op.BOR) return narrow(t, a | b);
        if (op == Op.BXOR) return narrow(t, a ^ b);
        if (op == user(t)) {
            switch (t) {
                case INT: case CHAR: return a != 0 ? a : b;
                case LONG: return b != 0 ? b : a;
                case DOUBLE: return b;
                case FLOAT: return a;
                case SHORT: return narrow(t, a + b);
                case BYTE: return Math.max(a, b);
                case BOOLEAN: return a | b;
                default: break;
            }
        }
        throw new IllegalArgumentException(op + " on " + t);
    }

    /** Serial reference: {@code v[0] op v[1] op ... } element-wise, MINLOC/MAXLOC on pairs. */
    static long[] fold(DataType t, Op op, List<long[]> v) {
        long[] acc = v.get(0).clone();
        for (int r = 1; r < v.size(); r++) {
            long[] b = v.get(r);
            if (op == Op.MINLOC || op == Op.MAXLOC) {
                for (int i = 0; i + 1 < acc.length; i += 2) {
                    boolean takeB = op == Op.MINLOC ? b[i] < acc[i] : b[i] > acc[i];
                    if (takeB || (b[i] == acc[i] && b[i + 1] < acc[i + 1])) {
                        acc[i] = b[i];
                        acc[i + 1] = b[i + 1];
                    }
                }
            } else {
                for (int i = 0; i < acc.length; i++) acc[i] = combine(t, op, acc[i], b[i]);
            }
        }
        return acc;
    }

    /** Calls a public method of {@code target} by name, choosing the overload by the exact classes of the arguments. */
    static Object call(Object target, String name, Object... args) {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            types[i] = a instanceof Integer ? int.class : a instanceof Boolean ? boolean.class
                    : a instanceof java.nio.ByteBuffer ? java.nio.ByteBuffer.class : a.getClass();
        }
        Method m;
        try {
            m = target.getClass().getMethod(name, types);
        } catch (NoSuchMethodException e) {
            throw new AssertionError("missing overload " + name + java.util.Arrays.toString(types), e);
        }
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException) throw (RuntimeException) e.getCause();
            throw new AssertionError(e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** Calls {@code name}, or its non-blocking {@code i}-form followed by await. */
    static void coll(Comm c, boolean nonBlocking, String name, Object... args) {
        if (nonBlocking) ((Request) call(c, "i" + name, args)).await();
        else call(c, name, args);
    }
}
