package io.jmpi.coll;

import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;

import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Collectives on serialized objects whose sizes only the sender knows: receivers use self-sizing buffers, and a
 * rank forwards exactly the bytes it received. (Gather, scatter, allgather and all-to-all of objects exchange the
 * sizes first and then use the typed algorithms; their non-blocking forms are single schedules, below.)
 * <ul>
 *   <li>bcast: binomial tree.</li>
 *   <li>reduce/allreduce with a {@link BinaryOperator}: binomial tree rooted at rank 0, each rank combining its
 *       value with its children's results in increasing rank order, so the operator need be neither commutative nor
 *       cheap to serialize more than once per hop; then one forward to the root (reduce) or a binomial broadcast
 *       from rank 0 (allreduce).</li>
 *   <li>scan/exscan: a chain in rank order (rank r combines rank r-1's prefix with its own value and passes it on):
 *       p-1 steps, but each operator application happens once, in rank order, as a non-commutative operator needs.</li>
 *   <li>gather, scatter, allgather, all-to-all (the schedules of the non-blocking forms): linear, one self-sized
 *       message per pair, so no round of size exchange is needed.</li>
 * </ul>
 */
public final class ObjectAlgorithms {
    private static final int TAG_DOWN = 1;

    private ObjectAlgorithms() {
    }

    /** Broadcasts the serialized bytes of {@code root}; the returned buffer holds them everywhere once done. */
    public static BytesBuf bcast(Schedule s, byte[] rootBytes, int root) {
        s.algorithm("binomial tree");
        int p = s.size(), vr = Ranks.rel(s.rank(), root, p);
        BytesBuf b = vr == 0 ? BytesBuf.forSend(DataType.OBJECT, rootBytes) : BytesBuf.forReceive(DataType.OBJECT);
        down(s, b, vr, root, 0);
        return b;
    }

    private static void down(Schedule s, BytesBuf b, int vr, int root, int tag) {
        int p = s.size();
        if (vr != 0) {
            s.recvAny(Ranks.abs(Ranks.parent(vr), root, p), tag, b);
            s.round();
        }
        for (int m = Ranks.topMask(vr, p); m > 0; m >>= 1) {
            if (vr + m < p) s.send(Ranks.abs(vr + m, root, p), tag, b);
        }
        s.round();
    }

    /**
     * Reduces {@code value} of every rank with {@code f} in rank order; {@code result[0]} holds the result at the
     * root (every rank if {@code all}) once the schedule is done.
     */
    @SuppressWarnings("unchecked")
    public static <T> Object[] reduce(Schedule s, T value, BinaryOperator<T> f, Function<Object, byte[]> encode,
                                      Function<byte[], Object> decode, int root, boolean all) {
        s.algorithm(all ? "binomial tree to rank 0 + binomial broadcast" : "binomial tree to rank 0");
        int p = s.size(), r = s.rank(), top = Ranks.topMask(r, p);
        Object[] result = new Object[1];
        int kids = 0;
        for (int m = 1; m <= top; m <<= 1) if (r + m < p) kids++;
        BytesBuf[] parts = new BytesBuf[kids];
        for (int m = 1, i = 0; m <= top; m <<= 1) {
            if (r + m >= p) continue;
            parts[i] = BytesBuf.forReceive(DataType.OBJECT);
            s.recvAny(r + m, 0, parts[i++]);
        }
        s.round();
        Schedule.Step[] up = new Schedule.Step[1];
        s.action(() -> {
            T acc = value;
            for (BytesBuf b : parts) acc = f.apply(acc, (T) decode.apply(b.bytes()));
            result[0] = acc;
            if (up[0] != null) up[0].buf(BytesBuf.forSend(DataType.OBJECT, encode.apply(acc)));
        });
        if (r != 0) {
            up[0] = s.send(Ranks.parent(r), 0, null);
            s.round();
        }
        if (all && p > 1) {
            if (r == 0) {
                // the result exists only once the reduction is done: serialize it then, for all of rank 0's sends
                Schedule.Step[] sends = new Schedule.Step[32];
                s.action(() -> {
                    BytesBuf out = BytesBuf.forSend(DataType.OBJECT, encode.apply(result[0]));
                    for (Schedule.Step st : sends) if (st != null) st.buf(out);
                });
                int i = 0;
                for (int m = Ranks.topMask(0, p); m > 0; m >>= 1) sends[i++] = s.send(m, TAG_DOWN, null);
                s.round();
            } else {
                BytesBuf b = BytesBuf.forReceive(DataType.OBJECT);
                down(s, b, r, 0, TAG_DOWN);
                s.action(() -> result[0] = decode.apply(b.bytes()));
            }
        } else if (!all && root != 0) {
            if (r == 0) {
                Schedule.Step[] fwd = new Schedule.Step[1];
                s.action(() -> fwd[0].buf(BytesBuf.forSend(DataType.OBJECT, encode.apply(result[0]))));
                fwd[0] = s.send(root, TAG_DOWN, null);
                s.round();
            } else if (r == root) {
                BytesBuf b = BytesBuf.forReceive(DataType.OBJECT);
                s.recvAny(0, TAG_DOWN, b);
                s.round();
                s.action(() -> result[0] = decode.apply(b.bytes()));
            }
        }
        return result;
    }

    /** Linear gather at {@code root}: there, element i holds rank i's bytes once done (null elsewhere). */
    public static BytesBuf[] gather(Schedule s, byte[] mine, int root) {
        s.algorithm("linear");
        int p = s.size(), r = s.rank();
        BytesBuf[] parts = null;
        if (r == root) {
            parts = new BytesBuf[p];
            for (int i = 0; i < p; i++) {
                parts[i] = i == r ? BytesBuf.forSend(DataType.OBJECT, mine) : BytesBuf.forReceive(DataType.OBJECT);
                if (i != r) s.recvAny(i, 0, parts[i]);
            }
        } else {
            s.send(root, 0, BytesBuf.forSend(DataType.OBJECT, mine));
        }
        s.round();
        return parts;
    }

    /** Linear scatter from {@code root} ({@code parts} significant there only); the buffer holds this rank's part. */
    public static BytesBuf scatter(Schedule s, byte[][] parts, int root) {
        s.algorithm("linear");
        int p = s.size(), r = s.rank();
        BytesBuf mine;
        if (r == root) {
            for (int i = 0; i < p; i++) if (i != r) s.send(i, 0, BytesBuf.forSend(DataType.OBJECT, parts[i]));
            mine = BytesBuf.forSend(DataType.OBJECT, parts[r]);
        } else {
            mine = BytesBuf.forReceive(DataType.OBJECT);
            s.recvAny(root, 0, mine);
        }
        s.round();
        return mine;
    }

    /** Every rank's bytes to every rank, linearly; element i holds rank i's once done. */
    public static BytesBuf[] allgather(Schedule s, byte[] mine) {
        s.algorithm("linear");
        int p = s.size(), r = s.rank();
        BytesBuf out = BytesBuf.forSend(DataType.OBJECT, mine);
        BytesBuf[] parts = new BytesBuf[p];
        for (int i = 0; i < p; i++) {
            parts[i] = i == r ? out : BytesBuf.forReceive(DataType.OBJECT);
            if (i != r) {
                s.recvAny(i, 0, parts[i]);
                s.send(i, 0, out);
            }
        }
        s.round();
        return parts;
    }

    /** {@code parts[j]} to rank j, linearly; element i of the result holds what rank i sent here once done. */
    public static BytesBuf[] alltoall(Schedule s, byte[][] parts) {
        s.algorithm("linear");
        int p = s.size(), r = s.rank();
        BytesBuf[] in = new BytesBuf[p];
        for (int i = 0; i < p; i++) {
            if (i == r) {
                in[i] = BytesBuf.forSend(DataType.OBJECT, parts[i]);
                continue;
            }
            in[i] = BytesBuf.forReceive(DataType.OBJECT);
            s.recvAny(i, 0, in[i]);
            s.send(i, 0, BytesBuf.forSend(DataType.OBJECT, parts[i]));
        }
        s.round();
        return in;
    }

    /**
     * Prefix reduction in rank order along a chain; once done {@code result[0]} is the inclusive prefix
     * (value of ranks 0..r combined) and {@code result[1]} the exclusive one (null at rank 0).
     */
    @SuppressWarnings("unchecked")
    public static <T> Object[] scan(Schedule s, T value, BinaryOperator<T> f, Function<Object, byte[]> encode,
                                    Function<byte[], Object> decode) {
        s.algorithm("linear chain");
        int p = s.size(), r = s.rank();
        Object[] result = new Object[2];
        BytesBuf in = r > 0 ? BytesBuf.forReceive(DataType.OBJECT) : null;
        if (r > 0) {
            s.recvAny(r - 1, 0, in);
            s.round();
        }
        Schedule.Step[] next = new Schedule.Step[1];
        s.action(() -> {
            T before = r > 0 ? (T) decode.apply(in.bytes()) : null;
            T acc = r > 0 ? f.apply(before, value) : value;
            result[0] = acc;
            result[1] = before;
            if (next[0] != null) next[0].buf(BytesBuf.forSend(DataType.OBJECT, encode.apply(acc)));
        });
        if (r < p - 1) {
            next[0] = s.send(r + 1, 0, null);
            s.round();
        }
        return result;
    }
}
