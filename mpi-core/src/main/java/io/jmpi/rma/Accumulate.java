package io.jmpi.rma;

import io.jmpi.buffer.DataType;

import java.nio.ByteBuffer;

import static io.jmpi.wire.RmaDescriptor.*;

/**
 * The element loops of one-sided accumulation: {@code target[i] = target[i] op operand[i]} over little-endian
 * buffers, for every predefined operation and primitive type (as MPI allows them: no arithmetic on booleans, no
 * bitwise operations on floating point). The caller holds the engine's lock, which makes each element's update
 * atomic with respect to every other one-sided operation on the window.
 */
public final class Accumulate {
    private Accumulate() {
    }

    /** Why {@code op} does not apply to {@code t}, or null when it does. */
    public static String refuse(int op, DataType t) {
        if (op < OP_REPLACE || op > MAX_OP) return "unknown operation code " + op;
        if (t == null || t == DataType.OBJECT) return "no accumulation on element type " + t;
        if (op == OP_REPLACE || op == OP_NO_OP) return null;
        boolean floating = t == DataType.FLOAT || t == DataType.DOUBLE;
        boolean arithmetic = op == OP_SUM || op == OP_PROD || op == OP_MIN || op == OP_MAX;
        if (arithmetic && t == DataType.BOOLEAN) return opName(op) + " does not apply to boolean elements";
        if (!arithmetic && floating) return opName(op) + " does not apply to " + t.javaName() + " elements";
        return null;
    }

    /**
     * {@code target[tAt + i] = target[tAt + i] op operand[sAt + i]} for {@code n} elements of type {@code t} (byte
     * positions); {@code op} must have passed {@link #refuse}.
     */
    public static void apply(int op, DataType t, ByteBuffer target, int tAt, ByteBuffer operand, int sAt, int n) {
        if (op == OP_NO_OP) return;
        int size = t.size;
        for (int i = 0; i < n; i++) {
            int ta = tAt + i * size, sa = sAt + i * size;
            switch (t) {
                case DOUBLE -> target.putDouble(ta, fp(op, target.getDouble(ta), operand.getDouble(sa)));
                case FLOAT -> target.putFloat(ta, (float) fp(op, target.getFloat(ta), operand.getFloat(sa)));
                case LONG -> target.putLong(ta, integral(op, target.getLong(ta), operand.getLong(sa)));
                case INT -> target.putInt(ta, (int) integral(op, target.getInt(ta), operand.getInt(sa)));
                case SHORT -> target.putShort(ta, (short) integral(op, target.getShort(ta), operand.getShort(sa)));
                case CHAR -> target.putChar(ta, (char) integral(op, target.getChar(ta), operand.getChar(sa)));
                case BYTE -> target.put(ta, (byte) integral(op, target.get(ta), operand.get(sa)));
                case BOOLEAN -> target.put(ta, (byte) (logical(op, target.get(ta) != 0, operand.get(sa) != 0) ? 1 : 0));
                default -> throw new IllegalArgumentException("no accumulation on " + t);
            }
        }
    }

    private static double fp(int op, double a, double b) {
        return switch (op) {
            case OP_REPLACE -> b;
            case OP_SUM -> a + b;
            case OP_PROD -> a * b;
            case OP_MIN -> Math.min(a, b);
            case OP_MAX -> Math.max(a, b);
            default -> throw new IllegalArgumentException(opName(op));
        };
    }

    private static long integral(int op, long a, long b) {
        return switch (op) {
            case OP_REPLACE -> b;
            case OP_SUM -> a + b;
            case OP_PROD -> a * b;
            case OP_MIN -> Math.min(a, b);
            case OP_MAX -> Math.max(a, b);
            case OP_LAND -> (a != 0 && b != 0) ? 1 : 0;
            case OP_LOR -> (a != 0 || b != 0) ? 1 : 0;
            case OP_LXOR -> ((a != 0) != (b != 0)) ? 1 : 0;
            case OP_BAND -> a & b;
            case OP_BOR -> a | b;
            case OP_BXOR -> a ^ b;
            default -> throw new IllegalArgumentException(opName(op));
        };
    }

    private static boolean logical(int op, boolean a, boolean b) {
        return switch (op) {
            case OP_REPLACE -> b;
            case OP_LAND, OP_BAND -> a & b;
            case OP_LOR, OP_BOR -> a | b;
            case OP_LXOR, OP_BXOR -> a ^ b;
            default -> throw new IllegalArgumentException(opName(op));
        };
    }
}
