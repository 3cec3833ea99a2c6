package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Layout;
import io.jmpi.buffer.LayoutBuf;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/** Layouts, queries, pack and unpack of derived datatypes; no ranks needed. */
class DatatypeTest {

    private static double[] iota(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    private static double[] unpackDoubles(byte[] b, int n) {
        double[] d = new double[n];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(d);
        return d;
    }

    @Test
    void vectorSelectsAColumnAndHasMpiBounds() {
        Datatype col = Datatype.vector(4, 1, 5, Datatype.DOUBLE).commit();
        assertEquals(32, col.size());
        assertEquals((3 * 5 + 1) * 8, col.extent());
        assertEquals(0, col.lb());
        assertEquals(col.extent(), col.trueExtent());
        assertEquals("VECTOR(4, 1, 5, DOUBLE)", col.toString());
        byte[] out = new byte[col.packSize(1)];
        assertEquals(32, col.pack(iota(20), 2, 1, out, 0));
        assertArrayEquals(new double[]{2, 7, 12, 17}, unpackDoubles(out, 4));
    }

    @Test
    void contiguousRunsMergeIntoOne() {
        Datatype t = Datatype.vector(3, 2, 2, Datatype.INT).commit();
        Layout l = t.layout("test");
        assertEquals(1, l.runs());
        assertEquals(6, l.length(0));
        Datatype c = Datatype.contiguous(3, Datatype.contiguous(2, Datatype.LONG)).commit();
        assertEquals(48, c.size());
        assertEquals(48, c.extent());
    }

    @Test
    void indexedAndIndexedBlockAndHindexed() {
        Datatype t = Datatype.indexed(new int[]{2, 1, 3}, new int[]{5, 0, 10}, Datatype.INT).commit();
        int[] src = new int[20];
        for (int i = 0; i < 20; i++) src[i] = 100 + i;
        int[] got = roundTrip(t, src, 0, 1, new int[20]);
        int[] expected = new int[20];
        for (int i : new int[]{5, 6, 0, 10, 11, 12}) expected[i] = 100 + i;
        assertArrayEquals(expected, got);
        assertEquals(0, t.lb());
        assertEquals(13 * 4, t.extent());

        Datatype b = Datatype.indexedBlock(2, new int[]{4, 1}, Datatype.INT).commit();
        byte[] p = new byte[16];
        b.pack(src, 0, 1, p, 0);
        assertArrayEquals(new int[]{104, 105, 101, 102}, ints(p));
        assertEquals(4, b.lb());

        Datatype h = Datatype.hindexed(new int[]{1, 1}, new long[]{8, 0}, Datatype.INT).commit();
        h.pack(src, 0, 1, p, 0);
        assertArrayEquals(new int[]{102, 100}, java.util.Arrays.copyOf(ints(p), 2));
    }

    @Test
    void hvectorStrideInBytes() {
        Datatype h = Datatype.hvector(3, 1, 16, Datatype.INT).commit();
        byte[] p = new byte[12];
        h.pack(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, p, 0);
        assertArrayEquals(new int[]{1, 5, 9}, ints(p));
        MpiException e = assertThrows(MpiException.class, () -> Datatype.hvector(3, 1, 6, Datatype.INT));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertEquals("Datatype.hvector: stride=6 bytes is not a multiple of the int element size 4", e.getMessage());
    }

    @Test
    void subarrayCAndFortranOrder() {
        // a 3 x 4 array, element (i, j) = 10 i + j; sub-block rows 1..2, columns 1..2
        int[] sizes = {3, 4}, sub = {2, 2}, starts = {1, 1};
        double[] rowMajor = new double[12], colMajor = new double[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                rowMajor[i * 4 + j] = 10 * i + j;
                colMajor[j * 3 + i] = 10 * i + j;
            }
        }
        Datatype c = Datatype.subarray(sizes, sub, starts, Datatype.Order.C, Datatype.DOUBLE).commit();
        Datatype f = Datatype.subarray(sizes, sub, starts, Datatype.Order.FORTRAN, Datatype.DOUBLE).commit();
        byte[] pc = new byte[32], pf = new byte[32];
        c.pack(rowMajor, 0, 1, pc, 0);
        f.pack(colMajor, 0, 1, pf, 0);
        assertArrayEquals(new double[]{11, 12, 21, 22}, unpackDoubles(pc, 4));
        assertArrayEquals(new double[]{11, 21, 12, 22}, unpackDoubles(pf, 4)); // storage order: first index fastest
        assertEquals(12 * 8, c.extent());
        assertEquals(0, c.lb());
        assertEquals(5 * 8, c.trueLb());
        assertEquals(6 * 8, c.trueExtent()); // elements 5 .. 10
        MpiException e = assertThrows(MpiException.class,
                () -> Datatype.subarray(sizes, new int[]{2, 2}, new int[]{2, 0}, Datatype.Order.C, Datatype.DOUBLE));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertEquals("Datatype.subarray: starts[0]=2 out of range [0, 1] (sizes[0]=3, subsizes[0]=2)", e.getMessage());
    }

    @Test
    void resizedExtentInterleavesElements() {
        // one column of a 3 x 3 row-major matrix, resized to one double: count 3 of it are the three columns
        Datatype col = Datatype.vector(3, 1, 3, Datatype.DOUBLE);
        Datatype r = Datatype.resized(col, 0, 8).commit();
        assertEquals(8, r.extent());
        assertEquals(24, r.size());
        assertEquals(7 * 8, r.trueExtent()); // elements 0 .. 6
        byte[] p = new byte[72];
        assertEquals(72, r.pack(iota(9), 0, 3, p, 0));
        assertArrayEquals(new double[]{0, 3, 6, 1, 4, 7, 2, 5, 8}, unpackDoubles(p, 9));
        assertEquals("RESIZED(VECTOR(3, 1, 3, DOUBLE), lb=0, extent=8 bytes)", r.toString());
    }

    @Test
    void structFieldsAreEncodedPerTypeInEitherByteOrder() {
        Datatype rec = record();
        assertEquals(13, rec.size());
        assertEquals(24, rec.extent()); // 17 bytes padded to the 8-byte alignment of the double
        for (ByteOrder order : new ByteOrder[]{ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer b = ByteBuffer.allocate(48).order(order);
            for (int k = 0; k < 2; k++) {
                b.putInt(24 * k, 7 + k).putDouble(24 * k + 8, 1.5 + k).put(24 * k + 16, (byte) (-3 - k));
            }
            byte[] p = new byte[26];
            assertEquals(26, rec.pack(b, 0, 2, p, 0));
            ByteBuffer w = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(7, w.getInt(0), order.toString());
            assertEquals(1.5, w.getDouble(4));
            assertEquals(-3, w.get(12));
            assertEquals(8, w.getInt(13));
            assertEquals(2.5, w.getDouble(17));
            ByteBuffer back = ByteBuffer.allocate(48).order(order);
            rec.unpack(p, 0, back, 0, 2);
            assertEquals(2.5, back.getDouble(32));
            assertEquals(8, back.getInt(24));
        }
    }

    @Test
    void structSplitAcrossChunksAtAnyByteOffset() {
        Datatype rec = record();
        ByteBuffer b = ByteBuffer.allocate(24 * 5).order(ByteOrder.BIG_ENDIAN);
        for (int k = 0; k < 5; k++) b.putInt(24 * k, k).putDouble(24 * k + 8, k + 0.25).put(24 * k + 16, (byte) k);
        byte[] whole = new byte[65];
        rec.pack(b, 0, 5, whole, 0);
        LayoutBuf lb = LayoutBuf.of(rec.layout("test"), b, 0, 5);
        byte[] pieces = new byte[65];
        ByteBuffer dst = ByteBuffer.wrap(pieces).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < 65; at += 7) lb.copyOut(at, dst, Math.min(7, 65 - at));
        assertArrayEquals(whole, pieces);
        ByteBuffer into = ByteBuffer.allocate(24 * 5).order(ByteOrder.BIG_ENDIAN);
        LayoutBuf in = LayoutBuf.of(rec.layout("test"), into, 0, 5);
        ByteBuffer src = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < 65; at += 5) in.copyIn(at, src, Math.min(5, 65 - at));
        for (int k = 0; k < 5; k++) assertEquals(k + 0.25, into.getDouble(24 * k + 8));
    }

    @Test
    void primitiveTypeOverAByteBufferUsesItsByteOrder() {
        Datatype every2nd = Datatype.vector(3, 1, 2, Datatype.INT).commit();
        ByteBuffer b = ByteBuffer.allocate(28).order(ByteOrder.BIG_ENDIAN);
        b.position(4); // offsets count ints from the position
        for (int i = 0; i < 6; i++) b.putInt(4 + 4 * i, 10 + i);
        byte[] p = new byte[12];
        every2nd.pack(b, 1, 1, p, 0);
        assertArrayEquals(new int[]{11, 13, 15}, ints(p));
        ByteBuffer back = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        every2nd.unpack(p, 0, back, 0, 1);
        assertEquals(13, back.getInt(8));
    }

    @Test
    void elementsAndCountOfPartialMessages() {
        Datatype col = Datatype.vector(4, 1, 5, Datatype.DOUBLE).commit();
        Status s = new Status(0, 0, 6 * 8, 8, false);
        assertEquals(6, s.elements(col));
        assertEquals(Datatype.UNDEFINED, s.count(col));
        assertEquals(2, new Status(0, 0, 64, 8, false).count(col));
        Datatype rec = record();
        assertEquals(3 + 1, new Status(0, 0, 13 + 4, 1, false).elements(rec)); // one record, then an int
        assertEquals(Datatype.UNDEFINED, new Status(0, 0, 17, 1, false).count(rec));
    }

    @Test
    void badInputNamesCallArgumentValueAndRange() {
        Datatype raw = Datatype.vector(2, 1, 2, Datatype.INT);
        MpiException e = assertThrows(MpiException.class, () -> raw.pack(new int[4], 0, 1, new byte[8], 0));
        assertEquals(ErrorClass.TYPE, e.errorClass());
        assertEquals("pack: type VECTOR(2, 1, 2, INT) is not committed (call commit() first)", e.getMessage());
        raw.commit();
        e = assertThrows(MpiException.class, () -> raw.pack(new double[4], 0, 1, new byte[8], 0));
        assertEquals(ErrorClass.TYPE, e.errorClass());
        assertEquals("pack: inbuf is double[] but type VECTOR(2, 1, 2, INT) holds int elements", e.getMessage());
        e = assertThrows(MpiException.class, () -> raw.pack(new int[4], 2, 1, new byte[8], 0));
        assertEquals(ErrorClass.BUFFER, e.errorClass());
        assertEquals("pack: offset=2 + count=1 elements of VECTOR(2, 1, 2, INT) (extent 12 bytes) span elements [2, 5) "
                + "of inbuf, beyond its length 4", e.getMessage());
        e = assertThrows(MpiException.class, () -> raw.pack(new int[4], 0, 1, new byte[7], 0));
        assertEquals(ErrorClass.TRUNCATE, e.errorClass());
        assertEquals("pack: position=0 + 8 packed bytes exceeds outbuf length 7", e.getMessage());
        e = assertThrows(MpiException.class, () -> Datatype.indexed(new int[]{1, -2}, new int[]{0, 4}, Datatype.INT));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertEquals("Datatype.indexed: blocklengths[1]=-2 out of range [0, 2147483647]", e.getMessage());
        e = assertThrows(MpiException.class, () -> Datatype.vector(-1, 1, 1, Datatype.INT));
        assertEquals("Datatype.vector: count=-1 out of range [0, 2147483647]", e.getMessage());
        e = assertThrows(MpiException.class, () -> record().pack(new int[8], 0, 1, new byte[13], 0));
        assertEquals(ErrorClass.TYPE, e.errorClass());
        assertTrue(e.getMessage().startsWith("pack: inbuf is int[] but type STRUCT("), e.getMessage());
    }

    /** A C record {int a; double b; byte c;}: fields at 0, 8, 16. */
    static Datatype record() {
        return Datatype.struct(new int[]{1, 1, 1}, new long[]{0, 8, 16},
                new Datatype[]{Datatype.INT, Datatype.DOUBLE, Datatype.BYTE}).commit();
    }

    private static int[] roundTrip(Datatype t, int[] src, int offset, int count, int[] dst) {
        byte[] p = new byte[t.packSize(count)];
        assertEquals(p.length, t.pack(src, offset, count, p, 0));
        assertEquals(p.length, t.unpack(p, 0, dst, offset, count));
        return dst;
    }

    private static int[] ints(byte[] p) {
        int[] a = new int[p.length / 4];
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(a);
        return a;
    }
}
