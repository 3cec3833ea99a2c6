package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Layout;
import io.jmpi.coll.Block;

/**
 * The vector collectives (gatherv, scatterv, allgatherv, alltoallv) and the reductions with per-rank or prefix
 * results (reduce_scatter, scan) on {@link Datatype}s, in the mpiJava form: a buffer, an offset in elements of the
 * base type, counts in elements of the datatype and displacements in extents of it.
 *
 * <p>Each call packs the blocks it sends into one contiguous scratch array of the base type, runs the primitive
 * collective of {@link CollectiveBase} on scratch arrays, and unpacks what it received into the user's blocks. Why
 * not move the runs directly, as bcast and gather do? The primitive schedules take one array with per-rank element
 * displacements; a block per rank of a derived type with its own extent would need a vector-of-layouts block in the
 * algorithms. These calls are rare in the programs that use datatypes, and the copy is one pass over the data.
 */
final class DatatypeVectors {
    private DatatypeVectors() {
    }

    static void gatherv(DatatypeComm c, Object send, int sendOffset, int sendCount, Datatype sendType, Object recv,
                        int recvOffset, int[] recvCounts, int[] displs, Datatype recvType, int root) {
        String call = "gatherv";
        CollectiveArgs.root(call, root, c.size());
        Block sb = packed(call, "send", send, sendOffset, sendCount, sendType);
        boolean isRoot = c.rank() == root;
        Scratch r = isRoot ? scratch(call, "recv", sendType, recvType, recvCounts, "recvCounts", displs, "displs", c.size()) : null;
        CollectiveBase.finish(c.startGatherv(call, false, sb.type, sb.array(), 0, sb.count, isRoot ? r.block.array() : null,
                isRoot ? r.counts : null, isRoot ? r.displs : null, root));
        if (isRoot) r.unpack(call, "recv", recv, recvOffset, recvCounts, displs, recvType);
    }

    static void scatterv(DatatypeComm c, Object send, int sendOffset, int[] sendCounts, int[] displs, Datatype sendType,
                         Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        String call = "scatterv";
        CollectiveArgs.root(call, root, c.size());
        Block rb = Block.allocate(layout(call, recvType).wire(), units(call, recvCount, recvType));
        boolean isRoot = c.rank() == root;
        Scratch s = null;
        if (isRoot) {
            s = scratch(call, "send", recvType, sendType, sendCounts, "sendCounts", displs, "displs", c.size());
            s.pack(call, "send", send, sendOffset, sendCounts, displs, sendType);
        }
        CollectiveBase.finish(c.startScatterv(call, false, rb.type, isRoot ? s.block.array() : null, isRoot ? s.counts : null,
                isRoot ? s.displs : null, rb.array(), 0, rb.count, root));
        unpack(call, "recv", rb, 0, recv, recvOffset, recvCount, recvType);
    }

    static void allgatherv(DatatypeComm c, Object send, int sendOffset, int sendCount, Datatype sendType, Object recv,
                           int recvOffset, int[] recvCounts, int[] displs, Datatype recvType) {
        String call = "allgatherv";
        Block sb = packed(call, "send", send, sendOffset, sendCount, sendType);
        Scratch r = scratch(call, "recv", sendType, recvType, recvCounts, "recvCounts", displs, "displs", c.size());
        CollectiveBase.finish(c.startAllgatherv(call, false, sb.type, sb.array(), 0, sb.count, r.block.array(), r.counts, r.displs));
        r.unpack(call, "recv", recv, recvOffset, recvCounts, displs, recvType);
    }

    static void alltoallv(DatatypeComm c, Object send, int sendOffset, int[] sendCounts, int[] sdispls, Datatype sendType,
                          Object recv, int recvOffset, int[] recvCounts, int[] rdispls, Datatype recvType) {
        String call = "alltoallv";
        Scratch s = scratch(call, "send", recvType, sendType, sendCounts, "sendCounts", sdispls, "sdispls", c.size());
        s.pack(call, "send", send, sendOffset, sendCounts, sdispls, sendType);
        Scratch r = scratch(call, "recv", sendType, recvType, recvCounts, "recvCounts", rdispls, "rdispls", c.size());
        CollectiveBase.finish(c.startAlltoallv(call, false, s.block.type, s.block.array(), s.counts, s.displs,
                r.block.array(), r.counts, r.displs));
        r.unpack(call, "recv", recv, recvOffset, recvCounts, rdispls, recvType);
    }

    static void reduceScatter(DatatypeComm c, Object send, int sendOffset, Object recv, int recvOffset, int[] recvCounts,
                              Datatype type, Op op) {
        String call = "reduceScatter";
        reductionType(call, type);
        long total = CollectiveArgs.counts(call, "recvCounts", firstN(recvCounts, c.size()), c.size(), Integer.MAX_VALUE);
        if (total > Integer.MAX_VALUE) {
            throw new MpiException(ErrorClass.ARG, call + ": sum(recvCounts)=" + total + " out of range [0, " + Integer.MAX_VALUE + "]");
        }
        Block sb = packed(call, "send", send, sendOffset, (int) total, type);
        int[] counts = scaled(call, recvCounts, c.size(), layout(call, type).size());
        Block rb = Block.allocate(sb.type, counts[c.rank()]);
        CollectiveBase.finish(c.startReduceScatter(call, false, sb.type, sb.array(), 0, rb.array(), 0, counts, op));
        unpack(call, "recv", rb, 0, recv, recvOffset, recvCounts[c.rank()], type);
    }

    static void scan(DatatypeComm c, Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op) {
        String call = "scan";
        reductionType(call, type);
        Block sb = packed(call, "send", send, sendOffset, count, type);
        Block rb = Block.allocate(sb.type, sb.count);
        CollectiveBase.finish(c.startScan(call, false, false, sb.type, sb.array(), 0, rb.array(), 0, sb.count, op));
        unpack(call, "recv", rb, 0, recv, recvOffset, count, type);
    }

    // ------------------------------------------------------------------ scratch

    /** A contiguous copy of {@code count} elements of {@code type} at {@code offset} of {@code buf}. */
    private static Block packed(String call, String arg, Object buf, int offset, int count, Datatype type) {
        Block b = DatatypeArgs.block(call, arg, buf, offset, count, type, false);
        Block c = Block.allocate(b.type, b.count);
        Block.copy(b, 0, c, 0, b.count);
        return c;
    }

    private static void unpack(String call, String arg, Block from, int at, Object buf, int offset, int count, Datatype type) {
        Block b = DatatypeArgs.block(call, arg, buf, offset, count, type, true);
        Block.copy(from, at, b, 0, b.count);
    }

    /** One scratch array for every rank's block of a vector side, with counts and displacements in base elements. */
    private static final class Scratch {
        final Block block;
        final int[] counts;
        final int[] displs;

        Scratch(Block block, int[] counts, int[] displs) {
            this.block = block;
            this.counts = counts;
            this.displs = displs;
        }

        void pack(String call, String arg, Object buf, int offset, int[] userCounts, int[] userDispls, Datatype type) {
            long ext = layout(call, type).extent();
            for (int i = 0; i < counts.length; i++) {
                Block b = DatatypeArgs.block(call, arg, buf, at(call, offset, userDispls[i], ext), userCounts[i], type, false);
                Block.copy(b, 0, block, displs[i], counts[i]);
            }
        }

        void unpack(String call, String arg, Object buf, int offset, int[] userCounts, int[] userDispls, Datatype type) {
            long ext = layout(call, type).extent();
            for (int i = 0; i < counts.length; i++) {
                DatatypeVectors.unpack(call, arg, block, displs[i], buf, at(call, offset, userDispls[i], ext), userCounts[i], type);
            }
        }
    }

    private static int at(String call, int offset, int displ, long extent) {
        long at = offset + displ * extent;
        if (at < 0 || at > Integer.MAX_VALUE) {
            throw new MpiException(ErrorClass.ARG, call + ": offset=" + offset + " + displacement " + displ + " x extent "
                    + extent + " out of range [0, " + Integer.MAX_VALUE + "]");
        }
        return (int) at;
    }

    private static Scratch scratch(String call, String arg, Datatype other, Datatype type, int[] counts, String countsArg,
                                   int[] displs, String displsArg, int size) {
        if (other.wire() != type.wire()) {
            throw new MpiException(ErrorClass.TYPE, call + ": " + arg + " type " + type + " holds " + type.wire().javaName()
                    + " elements, the other side's " + other + " holds " + other.wire().javaName() + " elements");
        }
        int[] c = scaled(call, counts, size, layout(call, type).size());
        firstN(call, displsArg, displs, size);
        int[] d = new int[size];
        long total = 0;
        for (int i = 0; i < size; i++) {
            d[i] = (int) total;
            total += c[i];
            if (total > Integer.MAX_VALUE) {
                throw new MpiException(ErrorClass.ARG, call + ": sum(" + countsArg + ") x size of " + type + " exceeds " + Integer.MAX_VALUE);
            }
        }
        return new Scratch(Block.allocate(layout(call, type).wire(), (int) total), c, d);
    }

    /** {@code counts} (its first {@code size} entries) in base elements of {@code unitsPerElement} each. */
    private static int[] scaled(String call, int[] counts, int size, int unitsPerElement) {
        int[] c = firstN(counts, size);
        CollectiveArgs.counts(call, "counts", c, size, Integer.MAX_VALUE);
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            long n = (long) c[i] * unitsPerElement;
            if (n > Integer.MAX_VALUE) {
                throw new MpiException(ErrorClass.ARG, call + ": counts[" + i + "]=" + c[i] + " x " + unitsPerElement
                        + " elements exceeds " + Integer.MAX_VALUE);
            }
            out[i] = (int) n;
        }
        return out;
    }

    private static int[] firstN(int[] a, int n) {
        return a == null || a.length <= n ? a : java.util.Arrays.copyOf(a, n);
    }

    private static void firstN(String call, String arg, int[] a, int n) {
        if (a == null) throw new MpiException(ErrorClass.ARG, call + ": " + arg + " is null");
        if (a.length < n) {
            throw new MpiException(ErrorClass.ARG, call + ": " + arg + ".length=" + a.length + " is less than the communicator size " + n);
        }
    }

    private static int units(String call, int count, Datatype type) {
        long n = (long) count * layout(call, type).size();
        if (count < 0 || n > Integer.MAX_VALUE) {
            throw new MpiException(ErrorClass.ARG, call + ": count=" + count + " out of range [0, " + Integer.MAX_VALUE / Math.max(1, layout(call, type).size()) + "]");
        }
        return (int) n;
    }

    private static Layout layout(String call, Datatype type) {
        if (type == null) throw new MpiException(ErrorClass.ARG, call + ": type is null");
        return type.layout(call);
    }

    private static void reductionType(String call, Datatype type) {
        if (layout(call, type).isStruct()) {
            throw new MpiException(ErrorClass.TYPE, call + ": type " + type + " is a struct of mixed fields; reductions "
                    + "apply to types over one primitive type");
        }
    }
}
