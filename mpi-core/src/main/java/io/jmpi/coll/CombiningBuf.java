package io.jmpi.coll;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;

import java.nio.ByteBuffer;

/**
 * A receive buffer that reduces the arriving elements into place instead of storing them: element {@code i} of the
 * message becomes {@code out[outAt + i] = in op own[ownAt + i]} (the message holds the lower ranks' partial result,
 * {@code incomingLow}) or {@code own[ownAt + i] op in}. The engine hands the payload over as it comes off the wire (a
 * frame at a time, {@link #copyIn}); each frame goes through a small tile that stays in the cache and is combined at
 * once, so the reduction overlaps the rest of the transfer and the message never lands in a scratch vector of its own
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
    private final ArrayBuf tileBuf;

    CombiningBuf(Combiner op, Block own, int ownAt, Block out, int outAt, int count, boolean incomingLow) {
        this.op = op;
        this.own = own;
        this.ownAt = ownAt;
        this.out = out;
        this.outAt = outAt;
        this.count = count;
        this.incomingLow = incomingLow;
        this.tile = Block.allocate(out.type, Math.min(TILE, Math.max(1, count)));
        this.tileBuf = new ArrayBuf(out.type, tile.array(), 0, tile.count);
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
        for (int done = 0; done < n; ) {
            int t = Math.min(tile.count, n - done);
            tileBuf.copyIn(0, src, t * es); // advances src's position
            int i = first + done;
            if (incomingLow) op.combine(tile, 0, own, ownAt + i, out, outAt + i, t);
            else op.combine(own, ownAt + i, tile, 0, out, outAt + i, t);
            done += t;
        }
    }
}
