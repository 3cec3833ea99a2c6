package io.jmpi.coll;

import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * A receive buffer that reduces the arriving elements into place instead of storing them: element {@code i} of the
 * message becomes {@code out[outAt + i] = in op own[ownAt + i]} (the message holds the lower ranks' partial result,
 * {@code incomingLow}) or {@code own[ownAt + i] op in}. The engine hands the payload over as it comes off the wire (a
 * frame at a time, {@link #copyIn}); each frame goes through a small tile that stays in the cache and is combined at
 * once (through a typed view of the frame's buffer kept while frames come from that buffer: no garbage per
 * frame), so the reduction overlaps the rest of the transfer and the message never lands in a scratch vector of its own
 * (one pass over memory less). Each element gets exactly the operation the copy-then-combine form gives it, so
 * results are bitwise the same.
 *
 * <p>Only for built-in operations on plain arrays with a grain of one element ({@link #usable}): a frame may end
 * between the two halves of a MINLOC pair, and a user function must not run inside the engine's receive path.
 * Receive-only: a send of it is an algorithm error.
 */
final class CombiningBuf extends Buf {
    /** Elements per tile: 2-16 KiB, well inside L1/L2. */
    private static final int TILE = 2048;

    private final Combiner op;
    private final Block own;
    private final int ownAt;
    private final Block out;
    private final int outAt;
    private final int count;
    private final boolean incomingLow;
    private final Block tile;
    /** This rank's operand, then the result, of the tile being combined. */
    private final Block mine;

    CombiningBuf(Combiner op, Block own, int ownAt, Block out, int outAt, int count, boolean incomingLow) {
        this.op = op;
        this.own = own;
        this.ownAt = ownAt;
        this.out = out;
        this.outAt = outAt;
        this.count = count;
        this.incomingLow = incomingLow;
        this.tile = Block.allocate(out.type, Math.min(TILE, Math.max(1, count)));
        this.mine = Block.allocate(out.type, tile.count);
    }

    /** Whether received data of {@code op} may be combined on arrival into {@code out} with {@code own} as operand. */
    static boolean usable(Combiner op, Block own, Block out) {
        return op.builtin() && op.grain() == 1 && own.array() != null && out.array() != null && own.type == out.type
                && out.type != DataType.OBJECT;
    }

    @Override
    public DataType type() {
        return out.type;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public void copyOut(long off, ByteBuffer dst, int len) {
        throw new IllegalStateException("a combining receive buffer is never sent");
    }

    @Override
    public void copyIn(long off, ByteBuffer src, int len) {
        int es = out.type.size;
        int first = (int) (off / es), n = len / es;
        int pos = src.position();
        for (int done = 0; done < n; ) {
            int t = Math.min(tile.count, n - done);
            load(src, pos + done * es, t);
            int i = first + done;
            // both operands and the result at index 0 of the tiles: the loop shape the JIT vectorises
            Block.copy(own, ownAt + i, mine, 0, t);
            if (incomingLow) op.combine(tile, 0, mine, 0, mine, 0, t);
            else op.combine(mine, 0, tile, 0, mine, 0, t);
            Block.copy(mine, 0, out, outAt + i, t);
            done += t;
        }
        src.position(pos + len);
    }

    /** The typed view of the last source buffer (frames come from one or two buffers: a view per frame would be garbage). */
    private ByteBuffer viewOf;
    private int viewResidue = -1;
    private java.nio.Buffer view;

    /** Copies {@code t} elements from byte {@code at} of {@code src} into the tile. */
    private void load(ByteBuffer src, int at, int t) {
        DataType type = out.type;
        Object a = tile.array();
        if (type == DataType.BYTE) {
            src.get(at, (byte[]) a, 0, t);
            return;
        }
        if (type == DataType.BOOLEAN) {
            boolean[] b = (boolean[]) a;
            for (int k = 0; k < t; k++) b[k] = src.get(at + k) != 0;
            return;
        }
        int es = type.size, residue = at % es;
        if (src != viewOf || residue != viewResidue) {
            ByteBuffer d = src.duplicate().clear().position(residue).order(ByteOrder.LITTLE_ENDIAN);
            switch (type) {
                case SHORT: view = d.asShortBuffer(); break;
                case CHAR: view = d.asCharBuffer(); break;
                case INT: view = d.asIntBuffer(); break;
                case LONG: view = d.asLongBuffer(); break;
                case FLOAT: view = d.asFloatBuffer(); break;
                case DOUBLE: view = d.asDoubleBuffer(); break;
                default: throw new IllegalStateException("no reduction on " + type);
            }
            viewOf = src;
            viewResidue = residue;
        }
        int i = (at - residue) / es;
        switch (type) {
            case SHORT: ((ShortBuffer) view).get(i, (short[]) a, 0, t); break;
            case CHAR: ((CharBuffer) view).get(i, (char[]) a, 0, t); break;
            case INT: ((IntBuffer) view).get(i, (int[]) a, 0, t); break;
            case LONG: ((LongBuffer) view).get(i, (long[]) a, 0, t); break;
            case FLOAT: ((FloatBuffer) view).get(i, (float[]) a, 0, t); break;
            default: ((DoubleBuffer) view).get(i, (double[]) a, 0, t); break;
        }
    }
}
