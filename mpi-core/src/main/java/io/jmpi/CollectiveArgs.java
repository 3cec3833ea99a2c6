package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.coll.Block;
import io.jmpi.coll.Combiner;
import io.jmpi.buffer.DataType;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;

/**
 * Argument checks of the collectives, done before anything is sent. Messages name the call, the argument, its
 * value and the allowed range, e.g. {@code bcast: root=5 out of range [0, 4)}. Buffers are primitive arrays or
 * ByteBuffers (whose elements are the bytes between position and limit; offsets count from the position). Every
 * check takes the communicator of the call and throws through its error handler ({@link AbstractComm#raise}).
 */
final class CollectiveArgs {
    private CollectiveArgs() {
    }

    static void root(AbstractComm c, String call, int root, int size) {
        if (root < 0 || root >= size) {
            throw c.raise(ErrorClass.ARG, call + ": root=" + root + " out of range [0, " + size + ")");
        }
    }

    /** Elements of an array or ByteBuffer (0 for null). */
    static int length(Object a) {
        if (a == null) return 0;
        return a instanceof ByteBuffer ? ((ByteBuffer) a).remaining() : Array.getLength(a);
    }

    private static int base(Object a) {
        return a instanceof ByteBuffer ? ((ByteBuffer) a).position() : 0;
    }

    private static void present(AbstractComm c, String call, String arg, Object a, boolean write) {
        if (a == null) throw c.raise(ErrorClass.BUFFER, call + ": " + arg + " is null");
        if (write && a instanceof ByteBuffer && ((ByteBuffer) a).isReadOnly()) {
            throw c.raise(ErrorClass.BUFFER, call + ": " + arg + " is a read-only ByteBuffer");
        }
    }

    /** {@code count} elements of {@code a} from {@code off}. */
    static Block region(AbstractComm c, String call, String arg, String offArg, String countArg, DataType t, Object a, int off, int count,
                        boolean write) {
        present(c, call, arg, a, write);
        int len = length(a);
        if (off < 0 || off > len) {
            throw c.raise(ErrorClass.ARG, call + ": " + offArg + "=" + off + " out of range [0, " + len + "]");
        }
        if (count < 0) {
            throw c.raise(ErrorClass.ARG, call + ": " + countArg + "=" + count + " out of range [0, " + (len - off) + "]");
        }
        if ((long) off + count > len) {
            throw c.raise(ErrorClass.BUFFER, call + ": " + offArg + "=" + off + " + " + countArg + "=" + count
                    + " exceeds " + arg + " length " + len);
        }
        return c.argBlock(write ? 1 : 0, t, a, base(a) + off, count);
    }

    /** {@code blocks} blocks of {@code count} elements of {@code a} from {@code off}. */
    static Block blocks(AbstractComm c, String call, String arg, String offArg, DataType t, Object a, int off, int count, int blocks,
                        boolean write) {
        present(c, call, arg, a, write);
        int len = length(a);
        if (off < 0 || off > len) {
            throw c.raise(ErrorClass.ARG, call + ": " + offArg + "=" + off + " out of range [0, " + len + "]");
        }
        if (count < 0) {
            throw c.raise(ErrorClass.ARG, call + ": count=" + count + " out of range [0, " + (len - off) / blocks + "]");
        }
        long need = (long) count * blocks;
        if (off + need > len) {
            throw c.raise(ErrorClass.BUFFER, call + ": " + offArg + "=" + off + " + " + blocks + " blocks of count="
                    + count + " exceeds " + arg + " length " + len);
        }
        return c.argBlock(write ? 1 : 0, t, a, base(a) + off, (int) need);
    }

    /** Count of the blocks of a whole array cut into one block per rank ({@code alltoall(send, recv)}). */
    static int perRank(AbstractComm c, String call, String arg, Object a, int size) {
        int len = length(a);
        if (len % size != 0) {
            throw c.raise(ErrorClass.BUFFER, call + ": " + arg + " length " + len
                    + " is not a multiple of the communicator size " + size);
        }
        return len / size;
    }

    /** A per-rank count array; returns the sum. */
    static long counts(AbstractComm c, String call, String arg, int[] counts, int size, int max) {
        if (counts == null) throw c.raise(ErrorClass.ARG, call + ": " + arg + " is null");
        if (counts.length != size) {
            throw c.raise(ErrorClass.ARG, call + ": " + arg + ".length=" + counts.length
                    + " differs from the communicator size " + size);
        }
        long total = 0;
        for (int i = 0; i < size; i++) {
            if (counts[i] < 0) {
                throw c.raise(ErrorClass.ARG, call + ": " + arg + "[" + i + "]=" + counts[i] + " out of range [0, " + max + "]");
            }
            total += counts[i];
        }
        return total;
    }

    /** The whole of {@code a}, in which block i is {@code counts[i]} elements at {@code displs[i]}. */
    static Block vector(AbstractComm c, String call, String arg, DataType t, Object a, int[] counts, String countsArg, int[] displs,
                        String displsArg, int size, boolean write) {
        vectorBounds(c, call, arg, a, counts, countsArg, displs, displsArg, size, write);
        return Block.of(t, a, base(a), length(a));
    }

    /** Checks that block i, {@code counts[i]} elements at {@code displs[i]}, lies within {@code a}, for every rank i. */
    static void vectorBounds(AbstractComm c, String call, String arg, Object a, int[] counts, String countsArg, int[] displs,
                             String displsArg, int size, boolean write) {
        present(c, call, arg, a, write);
        int len = length(a);
        counts(c, call, countsArg, counts, size, len);
        if (displs == null) throw c.raise(ErrorClass.ARG, call + ": " + displsArg + " is null");
        if (displs.length != size) {
            throw c.raise(ErrorClass.ARG, call + ": " + displsArg + ".length=" + displs.length
                    + " differs from the communicator size " + size);
        }
        for (int i = 0; i < size; i++) {
            if (displs[i] < 0 || displs[i] > len) {
                throw c.raise(ErrorClass.ARG, call + ": " + displsArg + "[" + i + "]=" + displs[i] + " out of range [0, " + len + "]");
            }
            if ((long) displs[i] + counts[i] > len) {
                throw c.raise(ErrorClass.BUFFER, call + ": " + displsArg + "[" + i + "]=" + displs[i] + " + " + countsArg
                        + "[" + i + "]=" + counts[i] + " exceeds " + arg + " length " + len);
            }
        }
    }

    /** This rank's own block must have the same size on the send and the receive side. */
    static void sameOwnCount(AbstractComm c, String call, String sendArg, int send, String recvArg, int recv) {
        if (send != recv) {
            throw c.raise(ErrorClass.ARG, call + ": " + sendArg + "=" + send + " differs from " + recvArg + "=" + recv
                    + " (this rank's own block)");
        }
    }

    /** {@link #op(AbstractComm, String, Op, DataType, String, int...)} of one count, allocation-free (hot path). */
    static Combiner op(AbstractComm c, String call, Op op, DataType t, String countArg, int count) {
        check(c, call, op, t, countArg, count, null);
        return c.combiner(op, t);
    }

    /** Checks that {@code op} applies to {@code t} and {@code counts}; returns the combiner the algorithms use. */
    static Combiner op(AbstractComm c, String call, Op op, DataType t, String countArg, int... counts) {
        check(c, call, op, t, countArg, 0, counts);
        return c.combiner(op, t);
    }

    /** The checks of {@link #op}: {@code counts}, or if null the one {@code count}. */
    private static void check(AbstractComm c, String call, Op op, DataType t, String countArg, int count, int[] counts) {
        if (op == null) throw c.raise(ErrorClass.ARG, call + ": op is null");
        if (!Reductions.applies(op, t)) {
            throw c.raise(ErrorClass.ARG, call + ": op " + op.name() + " does not apply to " + t.javaName() + " elements");
        }
        if (op.pairs()) {
            int k = counts == null ? 1 : counts.length;
            for (int i = 0; i < k; i++) {
                int n = counts == null ? count : counts[i];
                if (n % op.grain() != 0) {
                    String arg = counts == null || counts.length == 1 ? countArg : countArg + "[" + i + "]";
                    throw c.raise(ErrorClass.ARG, call + ": op " + op.name() + (op.kind != Op.Kind.ARRAY
                            ? " needs (value, index) pairs: " + arg + "=" + n + " is odd"
                            : " needs groups of " + op.grain() + " elements: " + arg + "=" + n
                                    + " is not a multiple of " + op.grain()));
                }
            }
        }
    }

    /** The combiner of {@code op} on elements of {@code t} (checked by the caller). */
    static Combiner combiner(Op op, DataType t) {
        boolean commutative = op.commutative();
        int grain = op.grain();
        boolean builtin = op.kind != Op.Kind.USER && op.kind != Op.Kind.ARRAY;
        return new Combiner() {
            @Override
            public boolean builtin() {
                return builtin;
            }

            @Override
            public void combine(Block lo, int loFrom, Block hi, int hiFrom, Block out, int outFrom, int n) {
                Reductions.apply(op, t, lo.array(), lo.offset + loFrom, hi.array(), hi.offset + hiFrom, out.array(),
                        out.offset + outFrom, n);
            }

            @Override
            public boolean commutative() {
                return commutative;
            }

            @Override
            public int grain() {
                return grain;
            }
        };
    }
}
