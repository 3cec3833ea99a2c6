package io.jmpi.coll;

import io.jmpi.buffer.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CombiningBuf}: a message handed over in frames of any element-aligned size, at any position of the frame
 * buffer (also one not aligned to the element size), combines to the same bits as receiving it whole and combining
 * after, in both orientations and in place.
 */
@Timeout(30)
class CombiningBufTest {
    /** Non-commutative, so an operand swap shows: lo - 2 hi. */
    private static final Combiner LO_MINUS_2HI = new Combiner() {
        @Override
        public void combine(Block lo, int loFrom, Block hi, int hiFrom, Block out, int outFrom, int n) {
            double[] a = (double[]) lo.array(), b = (double[]) hi.array(), o = (double[]) out.array();
            for (int i = 0; i < n; i++) o[out.offset + outFrom + i] = a[lo.offset + loFrom + i] - 2 * b[hi.offset + hiFrom + i];
        }

        @Override
        public boolean commutative() {
            return false;
        }

        @Override
        public int grain() {
            return 1;
        }

        @Override
        public boolean builtin() {
            return true;
        }
    };

    @Test
    void framesCombineToTheSameBitsAsCopyThenCombine() {
        Random rnd = new Random(42);
        int count = 10_000, ownAt = 3, outAt = 5;
        double[] msg = new double[count];
        for (int i = 0; i < count; i++) msg[i] = rnd.nextGaussian() * 1e3;
        for (boolean incomingLow : new boolean[]{false, true}) {
            for (boolean inPlace : new boolean[]{false, true}) {
                double[] own = new double[count + 10];
                for (int i = 0; i < own.length; i++) own[i] = rnd.nextGaussian();
                double[] out = inPlace ? own.clone() : new double[count + 10];
                int oa = inPlace ? outAt : ownAt;
                double[] expected = out.clone();
                for (int i = 0; i < count; i++) {
                    double lo = incomingLow ? msg[i] : own[oa + i], hi = incomingLow ? own[oa + i] : msg[i];
                    expected[outAt + i] = lo - 2 * hi;
                }
                Block ownB = Block.of(DataType.DOUBLE, inPlace ? out : own, 0, count + 10);
                Block outB = Block.of(DataType.DOUBLE, out, 0, count + 10);
                CombiningBuf b = new CombiningBuf(LO_MINUS_2HI, ownB, oa, outB, outAt, count, incomingLow);
                assertEquals(count, b.count());
                // frames of 1..5000 elements, each at an odd position of a reused direct buffer (frame header of 13 B)
                ByteBuffer frame = ByteBuffer.allocateDirect(13 + 8 * 5000).order(ByteOrder.LITTLE_ENDIAN);
                for (int done = 0; done < count; ) {
                    int n = Math.min(count - done, 1 + rnd.nextInt(5000));
                    frame.clear().position(13);
                    for (int i = 0; i < n; i++) frame.putDouble(msg[done + i]);
                    frame.position(13);
                    b.copyIn((long) done * 8, frame, n * 8);
                    assertEquals(13 + n * 8, frame.position(), "copyIn consumes the frame");
                    done += n;
                }
                for (int i = 0; i < out.length; i++) {
                    assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(out[i]),
                            "element " + i + " incomingLow=" + incomingLow + " inPlace=" + inPlace);
                }
            }
        }
    }

    @Test
    void onlyBuiltinOperationsOnPlainArraysOfSingleElements() {
        Block d = Block.allocate(DataType.DOUBLE, 4);
        assertTrue(CombiningBuf.usable(LO_MINUS_2HI, d, d));
        Combiner user = new Combiner() {
            @Override public void combine(Block lo, int loFrom, Block hi, int hiFrom, Block out, int outFrom, int n) { }
            @Override public boolean commutative() { return true; }
            @Override public int grain() { return 1; }
        };
        assertFalse(CombiningBuf.usable(user, d, d), "a user function never runs in the receive path");
        Combiner pairs = new Combiner() {
            @Override public void combine(Block lo, int loFrom, Block hi, int hiFrom, Block out, int outFrom, int n) { }
            @Override public boolean commutative() { return true; }
            @Override public int grain() { return 2; }
            @Override public boolean builtin() { return true; }
        };
        assertFalse(CombiningBuf.usable(pairs, d, d), "a frame may end inside a pair");
        Block bytes = Block.of(DataType.BYTE, ByteBuffer.allocate(8), 0, 8);
        assertFalse(CombiningBuf.usable(LO_MINUS_2HI, bytes, bytes), "a ByteBuffer has no array to combine into");
    }
}
