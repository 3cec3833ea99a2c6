package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code mpi.File} as Open MPI's javadoc and the MPI standard describe it, on thread ranks (sizes 1 to 4): a
 * block-distributed array written collectively through subarray views equals the serially computed file byte for
 * byte and reads back the same; pointers, shared and ordered access, split collectives, management calls; bad input
 * gets MPIException with Open MPI's error class on every rank, and the file keeps its data.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FileTest {
    static final int ROWS = 9, COLS = 10;

    @TempDir
    Path dir;

    /** The 2-D grid of n ranks: rows x cols of blocks. */
    static int[] grid(int n) {
        return n == 4 ? new int[]{2, 2} : new int[]{1, n};
    }

    static double value(int r, int c) {
        return r * 1000 + c;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void blockDistributedArrayThroughSubarrayViews(int n) throws Exception {
        String name = dir.resolve("array.bin").toString();
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            int[] g = grid(n);
            int pr = me / g[1], pc = me % g[1];
            int r0 = pr * ROWS / g[0], r1 = (pr + 1) * ROWS / g[0], c0 = pc * COLS / g[1], c1 = (pc + 1) * COLS / g[1];
            int h = r1 - r0, wd = c1 - c0;
            double[] mine = new double[h * wd];
            for (int r = 0; r < h; r++) for (int c = 0; c < wd; c++) mine[r * wd + c] = value(r0 + r, c0 + c);
            Datatype sub = Datatype.createSubarray(new int[]{ROWS, COLS}, new int[]{h, wd}, new int[]{r0, c0}, MPI.ORDER_C, MPI.DOUBLE);
            sub.commit();
            File f = new File(w, name, MPI.MODE_CREATE | MPI.MODE_RDWR);
            f.setView(0, MPI.DOUBLE, sub, "native");
            Status s = f.writeAll(mine, mine.length, MPI.DOUBLE);
            assertEquals(mine.length, s.getCount(MPI.DOUBLE));
            assertEquals(mine.length, f.getPosition());
            FileView v = f.getView();
            assertEquals(0, v.getDisp());
            assertTrue(v.getEType() == MPI.DOUBLE && v.getFileType() == sub);
            assertEquals("native", v.getDataRep());
            f.sync();
            assertEquals(ROWS * COLS * 8L, f.getSize());
            // read back collectively, as the heap array and as a direct buffer (non-blocking)
            double[] back = new double[mine.length];
            assertEquals(mine.length, f.readAtAll(0, back, back.length, MPI.DOUBLE).getCount(MPI.DOUBLE));
            assertArrayEquals(mine, back);
            DoubleBuffer direct = MPI.newDoubleBuffer(mine.length);
            Status st = f.iReadAtAll(0, direct, mine.length, MPI.DOUBLE).waitStatus();
            assertEquals(mine.length, st.getCount(MPI.DOUBLE));
            for (int i = 0; i < mine.length; i++) assertEquals(mine[i], direct.get(i));
            // split collective: begin, then end returns the status
            double[] split = new double[mine.length];
            f.readAtAllBegin(0, split, split.length, MPI.DOUBLE);
            assertEquals(mine.length, f.readAtAllEnd(split).getCount(MPI.DOUBLE));
            assertArrayEquals(mine, split);
            w.barrier();
            f.close();
            sub.free();
            // byte for byte what a serial writer of the global array produces (native: little-endian)
            if (me == 0) {
                ByteBuffer expect = ByteBuffer.allocate(ROWS * COLS * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < ROWS; r++) for (int c = 0; c < COLS; c++) expect.putDouble(value(r, c));
                assertArrayEquals(expect.array(), Files.readAllBytes(Path.of(name)));
            }
            w.barrier();
            MPI.Finalize();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void pointersSharedOrderedAndManagement(int n) throws Exception {
        String name = dir.resolve("records.bin").toString();
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            Info hints = new Info();
            hints.set("cb_nodes", "1");
            File f = new File(w, name, MPI.MODE_CREATE | MPI.MODE_RDWR, hints);
            assertEquals(MPI.MODE_CREATE | MPI.MODE_RDWR, f.getAMode());
            assertEquals(n, f.getGroup().getSize());
            assertEquals("1", f.getInfo().get("cb_nodes"));
            f.setView(0, MPI.INT, MPI.INT, "native");
            // ordered: rank r writes r + 1 ints of value r, in rank order
            int[] mine = new int[me + 1];
            java.util.Arrays.fill(mine, me);
            assertEquals(me + 1, f.writeOrdered(mine, mine.length, MPI.INT).getCount(MPI.INT));
            int total = n * (n + 1) / 2;
            w.barrier();
            assertEquals(total, f.getPositionShared());
            w.barrier(); // nobody moves the shared pointer before every rank has read it
            // shared: one int each, in some order
            f.writeShared(new int[]{100 + me}, 1, MPI.INT);
            w.barrier();
            assertEquals(total + n, f.getPositionShared());
            // individual pointer: seek, read, position, byte offset
            f.seek(me * (me + 1) / 2, MPI.SEEK_SET);
            int[] got = new int[me + 1];
            assertEquals(me + 1, f.read(got, got.length, MPI.INT).getCount(MPI.INT));
            assertArrayEquals(mine, got);
            assertEquals(me * (me + 1) / 2 + me + 1, f.getPosition());
            assertEquals(4L * (me * (me + 1) / 2 + me + 1), f.getByteOffset(f.getPosition()));
            f.seek(-1, MPI.SEEK_END);
            IntBuffer last = MPI.newIntBuffer(1);
            f.iRead(last, 1, MPI.INT).waitFor();
            assertTrue(last.get(0) >= 100 && last.get(0) < 100 + n);
            // a read at the end of file is short
            assertEquals(0, f.readAt(total + n, new int[4], 4, MPI.INT).getCount(MPI.INT));
            // seekShared and readOrdered read the ordered part back
            f.seekShared(0, MPI.SEEK_SET);
            int[] again = new int[me + 1];
            f.readOrdered(again, again.length, MPI.INT);
            assertArrayEquals(mine, again);
            // size, preallocate, atomicity, type extent
            f.setAtomicity(true);
            assertTrue(f.getAtomicity());
            f.setAtomicity(false);
            f.preallocate(4096);
            assertEquals(4096, f.getSize());
            f.setSize(4 * (total + n));
            assertEquals(4L * (total + n), f.getSize());
            assertEquals(8, f.getTypeExtent(MPI.DOUBLE));
            assertEquals(MPI.ERRORS_RETURN, f.getErrhandler());
            f.close();
            MPI.Finalize();
        });
    }

    /** Every rank gets the same class; {@code body} runs on every rank. */
    private static void fails(int errorClass, Ranks.Body body) {
        MPIException e = assertThrows(MPIException.class, body::run);
        assertEquals(errorClass, e.getErrorClass(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void badInputGetsOpenMpisErrorClassOnEveryRank(int n) throws Exception {
        String name = dir.resolve("bad.bin").toString();
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            fails(MPI.ERR_NO_SUCH_FILE, () -> new File(w, name, MPI.MODE_RDONLY));
            fails(MPI.ERR_AMODE, () -> new File(w, name, MPI.MODE_RDONLY | MPI.MODE_CREATE));
            fails(MPI.ERR_AMODE, () -> new File(w, name, MPI.MODE_CREATE));
            if (n > 1) fails(MPI.ERR_NOT_SAME, () -> new File(w, name, me == 0 ? MPI.MODE_CREATE | MPI.MODE_RDWR : MPI.MODE_CREATE | MPI.MODE_WRONLY));
            File f = new File(w, name, MPI.MODE_CREATE | MPI.MODE_RDWR);
            f.writeAt(me, new byte[]{(byte) (me + 1)}, 1, MPI.BYTE);
            w.barrier();
            // a negative offset on one rank fails the collective everywhere; nothing is written
            MPIException bad = assertThrows(MPIException.class, () -> f.writeAtAll(me == n - 1 ? -1 : 0, new byte[]{9}, 1, MPI.BYTE));
            if (me == n - 1) assertEquals(MPI.ERR_ARG, bad.getErrorClass(), bad.getMessage());
            fails(MPI.ERR_BUFFER, () -> f.iWriteAt(0, ByteBuffer.allocate(4), 4, MPI.BYTE));
            fails(MPI.ERR_BUFFER, () -> f.iWriteAt(0, null, 4, MPI.BYTE));
            fails(MPI.ERR_COUNT, () -> f.writeAt(0, new byte[4], -1, MPI.BYTE));
            fails(MPI.ERR_UNSUPPORTED_DATAREP, () -> f.setView(0, MPI.BYTE, MPI.BYTE, "external32"));
            fails(MPI.ERR_OTHER, () -> f.readAllEnd(new byte[1]));
            byte[] b = new byte[n];
            assertEquals(n, f.readAt(0, b, n, MPI.BYTE).getCount(MPI.BYTE));
            for (int r = 0; r < n; r++) assertEquals(r + 1, b[r]);
            w.barrier();
            f.close();
            fails(MPI.ERR_FILE, f::getSize);
            File ro = new File(w, name, MPI.MODE_RDONLY);
            fails(MPI.ERR_READ_ONLY, () -> ro.writeAt(0, new byte[1], 1, MPI.BYTE));
            ro.close();
            File wo = new File(w, name, MPI.MODE_WRONLY);
            fails(MPI.ERR_ACCESS, () -> wo.readAt(0, new byte[1], 1, MPI.BYTE));
            wo.close();
            w.barrier();
            if (me == 0) {
                File.delete(name);
                fails(MPI.ERR_NO_SUCH_FILE, () -> File.delete(name));
            }
            w.barrier();
            MPI.Finalize();
        });
        assertFalse(Files.exists(Path.of(name)));
    }

    @Test
    void typedBuffersAndByteBuffersInMemory() throws Exception {
        String name = dir.resolve("typed.bin").toString();
        Ranks.run(2, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            File f = new File(w, name, MPI.MODE_CREATE | MPI.MODE_RDWR);
            f.setView(0, MPI.INT, MPI.INT, "native");
            // a direct IntBuffer (staged copy), a heap IntBuffer at an array offset, a direct ByteBuffer of ints
            IntBuffer d = MPI.newIntBuffer(4);
            for (int i = 0; i < 4; i++) d.put(i, me * 10 + i);
            f.iWriteAt(me * 12L, d, 4, MPI.INT).waitFor();
            IntBuffer heap = IntBuffer.wrap(new int[]{-1, me * 10 + 4, me * 10 + 5, me * 10 + 6, me * 10 + 7}, 1, 4).slice();
            f.writeAt(me * 12L + 4, heap, 4, MPI.INT);
            ByteBuffer bb = MPI.newByteBuffer(16);
            for (int i = 0; i < 4; i++) bb.putInt(4 * i, me * 10 + 8 + i);
            f.writeAtAll(me * 12L + 8, bb, 4, MPI.INT);
            // a vector in memory: every second int of an array
            Datatype every2 = Datatype.createVector(12, 1, 2, MPI.INT);
            every2.commit();
            int[] spread = new int[24];
            assertEquals(12, f.readAtAll(me * 12L, spread, 1, every2).getCount(MPI.INT));
            for (int i = 0; i < 12; i++) assertEquals(me * 10 + i, spread[2 * i]);
            IntBuffer in = MPI.newIntBuffer(12);
            f.iReadAt(me * 12L, in, 12, MPI.INT).waitFor();
            for (int i = 0; i < 12; i++) assertEquals(me * 10 + i, in.get(i));
            every2.free();
            w.barrier();
            f.close();
            MPI.Finalize();
        });
    }
}
