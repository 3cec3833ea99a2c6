package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.buffer.Layout;
import io.jmpi.coll.Block;

/**
 * The reductions with per-rank or prefix results (reduce_scatter, scan) on {@link Datatype}s, in the mpiJava form: a
 * buffer, an offset in elements of the base type, counts in elements of the datatype.
 *
 * <p>Each call packs its send blocks into one contiguous scratch array of the base type, runs the primitive
 * collective of {@link CollectiveBase} on scratch arrays, and unpacks the result into the user's blocks: a reduction
 * combines element by element, so it needs the elements side by side anyway, and the copy is one pass over the data.
 * (The vector collectives gatherv ... alltoallv move the runs directly: {@link DatatypeComm}.) Errors go through the
 * communicator's handler ({@link AbstractComm#raise}).
 */
final class DatatypeVectors {
    private DatatypeVectors() {
    }

    static void reduceScatter(DatatypeComm c, Object send, int sendOffset, Object recv, int recvOffset, int[] recvCounts,
                              Datatype type, Op op) {
        String call = "reduceScatter";
        reductionType(c, call, type);
        long total = CollectiveArgs.counts(c, call, "recvCounts", firstN(recvCounts, c.size()), c.size(), Integer.MAX_VALUE);
        if (total > Integer.MAX_VALUE) {
            throw c.raise(ErrorClass.ARG, call + ": sum(recvCounts)=" + total + " out of range [0, " + Integer.MAX_VALUE + "]");
        }
        Block sb = packed(c, call, "send", send, sendOffset, (int) total, type);
        int[] counts = scaled(c, call, recvCounts, c.size(), layout(c, call, type).size());
        Block rb = Block.allocate(sb.type, counts[c.rank()]);
        c.finish(c.startReduceScatter(call, false, sb.type, sb.array(), 0, rb.array(), 0, counts, op));
        unpack(c, call, "recv", rb, recv, recvOffset, recvCounts[c.rank()], type);
    }

    static void scan(DatatypeComm c, Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op) {
        String call = "scan";
        reductionType(c, call, type);
        Block sb = packed(c, call, "send", send, sendOffset, count, type);
        Block rb = Block.allocate(sb.type, sb.count);
        c.finish(c.startScan(call, false, false, false, sb.type, sb.array(), 0, rb.array(), 0, sb.count, op));
        unpack(c, call, "recv", rb, recv, recvOffset, count, type);
    }

    /** A contiguous copy of {@code count} elements of {@code type} at {@code offset} of {@code buf}. */
    private static Block packed(AbstractComm c, String call, String arg, Object buf, int offset, int count, Datatype type) {
        Block b = DatatypeArgs.block(c, call, arg, buf, offset, count, type, false);
        Block copy = Block.allocate(b.type, b.count);
        Block.copy(b, 0, copy, 0, b.count);
        return copy;
    }

    private static void unpack(AbstractComm c, String call, String arg, Block from, Object buf, int offset, int count, Datatype type) {
        Block b = DatatypeArgs.block(c, call, arg, buf, offset, count, type, true);
        Block.copy(from, 0, b, 0, b.count);
    }

    /** {@code counts} (its first {@code size} entries) in base elements of {@code unitsPerElement} each. */
    private static int[] scaled(AbstractComm c, String call, int[] counts, int size, int unitsPerElement) {
        int[] n = firstN(counts, size);
        CollectiveArgs.counts(c, call, "counts", n, size, Integer.MAX_VALUE);
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            long units = (long) n[i] * unitsPerElement;
            if (units > Integer.MAX_VALUE) {
                throw c.raise(ErrorClass.ARG, call + ": counts[" + i + "]=" + n[i] + " x " + unitsPerElement
                        + " elements exceeds " + Integer.MAX_VALUE);
            }
            out[i] = (int) units;
        }
        return out;
    }

    private static int[] firstN(int[] a, int n) {
        return a == null || a.length <= n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static Layout layout(AbstractComm c, String call, Datatype type) {
        if (type == null) throw c.raise(ErrorClass.ARG, call + ": type is null");
        return type.layout(call);
    }

    private static void reductionType(AbstractComm c, String call, Datatype type) {
        if (layout(c, call, type).isStruct()) {
            throw c.raise(ErrorClass.TYPE, call + ": type " + type + " is a struct of mixed fields; reductions "
                    + "apply to types over one primitive type");
        }
    }
}
