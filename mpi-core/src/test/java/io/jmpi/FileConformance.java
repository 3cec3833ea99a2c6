package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * MPI-IO conformance ({@link MpiFile}): collective writes through subarray views equal the serially written file
 * byte for byte and read back the same (two-phase with several aggregators and small buffers, and the direct path),
 * independent and collective, blocking and non-blocking, individual and shared file pointers, ordered access, end of
 * file, management calls, and bad input failing on every rank without corrupting the file. Written once, run for
 * every transport (subclasses) and world size.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FileConformance {
    abstract String transport();

    private Path dir;
    private final AtomicInteger files = new AtomicInteger();

    int[] sizes() {
        return new int[]{1, 2, 3, 4, 5, 8};
    }

    @BeforeAll
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("jmpi-file-" + transport());
    }

    @AfterAll
    void removeDir() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String file(String name, int n) {
        return dir.resolve(name + "-" + n + "-" + files.incrementAndGet()).toString();
    }

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    static Info hints(String... kv) {
        Info i = new Info();
        for (int k = 0; k < kv.length; k += 2) i.set(kv[k], kv[k + 1]);
        return i;
    }

    /** The global rows x cols array of doubles, value (i, j) = i * 1000 + j + 0.5, as the file must hold it. */
    static byte[] serialArray(int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(rows * cols * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) b.putDouble(i * 1000 + j + 0.5);
        return b.array();
    }

    private static int lo(int n, int parts, int p) {
        return (int) ((long) n * p / parts);
    }

    /**
     * Every rank writes its block of a rows x cols array through a subarray view, collectively; the file must equal
     * the serial one, and a collective read through the same view must give each rank its block back.
     */
    private void subarrayRoundTrip(int n, int[] dims, Info info, int disp) {
        int rows = 37, cols = 29;
        String name = file("sub", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            int pr = w.rank() / dims[1], pc = w.rank() % dims[1];
            int r0 = lo(rows, dims[0], pr), r1 = lo(rows, dims[0], pr + 1), c0 = lo(cols, dims[1], pc), c1 = lo(cols, dims[1], pc + 1);
            double[] block = new double[(r1 - r0) * (c1 - c0)];
            for (int i = r0; i < r1; i++) for (int j = c0; j < c1; j++) block[(i - r0) * (c1 - c0) + j - c0] = i * 1000 + j + 0.5;
            Datatype sub = Datatype.subarray(new int[]{rows, cols}, new int[]{r1 - r0, c1 - c0}, new int[]{r0, c0},
                    Datatype.Order.C, Datatype.DOUBLE).commit();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR, info)) {
                f.setView(disp, Datatype.DOUBLE, sub);
                Status s = f.writeAtAll(0, block, 0, block.length);
                assertEquals(block.length, s.count());
                double[] back = new double[block.length];
                Status r = f.readAtAll(0, back, 0, back.length);
                assertEquals(block.length, r.count());
                assertArrayEquals(block, back);
            }
        });
        try {
            byte[] got = Files.readAllBytes(Path.of(name));
            byte[] want = serialArray(rows, cols);
            assertEquals(disp + want.length, got.length);
            assertArrayEquals(want, Arrays.copyOfRange(got, disp, got.length));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void subarrayCollectiveWriteEqualsSerialFile(int n) {
        int[] grid = Mpi.dimsCreate(n, 2);
        subarrayRoundTrip(n, grid, null, 0);
        // several aggregators, buffers smaller than a domain (several rounds), forced two-phase, a displacement
        subarrayRoundTrip(n, grid, hints("cb_nodes", "3", "cb_buffer_size", "4096", "romio_cb_write", "enable",
                "romio_cb_read", "enable"), 24);
        // block rows only: the regions do not interleave, so each rank writes its own (direct path)
        subarrayRoundTrip(n, new int[]{n, 1}, null, 8);
        // columns: interleaved everywhere
        subarrayRoundTrip(n, new int[]{1, n}, hints("cb_buffer_size", "4096"), 0);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void aBlockDistributedArrayIsWrittenInLargeRequests(int n) {
        // a 256 x 256 array of doubles (512 KiB) in 2-D blocks: rows of a block are short (interleaved with the
        // neighbours'), yet the aggregators write 64 KiB windows: at most a window per round per aggregator
        int rows = 256, cols = 256;
        int[] dims = Mpi.dimsCreate(n, 2);
        String name = file("large", n);
        long before = io.jmpi.io.FileData.writeRequests();
        run(n, mpi -> {
            Comm w = mpi.world();
            int pr = w.rank() / dims[1], pc = w.rank() % dims[1];
            int r0 = lo(rows, dims[0], pr), r1 = lo(rows, dims[0], pr + 1), c0 = lo(cols, dims[1], pc), c1 = lo(cols, dims[1], pc + 1);
            double[] block = new double[(r1 - r0) * (c1 - c0)];
            Arrays.fill(block, w.rank());
            Datatype sub = Datatype.subarray(new int[]{rows, cols}, new int[]{r1 - r0, c1 - c0}, new int[]{r0, c0},
                    Datatype.Order.C, Datatype.DOUBLE).commit();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_WRONLY, hints("cb_buffer_size", "65536", "cb_nodes", "2"))) {
                f.setView(0, Datatype.DOUBLE, sub);
                f.writeAtAll(0, block, 0, block.length);
            }
        });
        long requests = io.jmpi.io.FileData.writeRequests() - before;
        int aggregators = Math.min(2, n);
        long bound = (long) aggregators * ((rows * cols * 8L / aggregators + 65535) / 65536 + 1);
        assertTrue(requests <= bound, requests + " write requests for 512 KiB, expected at most " + bound);
        assertTrue(requests >= 8, requests + " write requests: fewer than 512 KiB / 64 KiB");
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void independentAndNonBlockingAccessAtExplicitOffsets(int n) {
        String name = file("indep", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), len = 100;
            int[] mine = new int[len];
            for (int i = 0; i < len; i++) mine[i] = me * 10_000 + i;
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR)) {
                f.setView(0, Datatype.INT, Datatype.INT);
                assertEquals(60, f.writeAt((long) me * len, mine, 0, 60).count());
                Request r = f.iwriteAt((long) me * len + 60, mine, 60, 40);
                assertEquals(40, r.await().count());
                w.barrier();
                int other = (me + 1) % n;
                int[] got = new int[len];
                assertEquals(len, f.readAt((long) other * len, got, 0, len).count());
                for (int i = 0; i < len; i++) assertEquals(other * 10_000 + i, got[i]);
                int[] all = new int[len * n];
                Request ra = f.ireadAtAll((long) me * len, all, me * len, len);   // collective, non-blocking: my part only
                Status s = ra.await();
                assertEquals(len, s.count());
                for (int i = 0; i < len; i++) assertEquals(me * 10_000 + i, all[me * len + i]);
                Request wa = f.iwriteAtAll((long) len * n + 2L * me, new int[]{me, -me}, 0, 2);
                assertTrue(wa.toFuture().get(60, java.util.concurrent.TimeUnit.SECONDS).count() == 2);
                assertEquals(4L * (len * n + 2L * n), f.getSize());
                ByteBuffer bb = ByteBuffer.allocateDirect(8).order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(8, f.readAt((long) len * n + 2L * other, bb).count());
                assertEquals(other, bb.getInt(0));
                assertEquals(-other, bb.getInt(4));
                assertEquals(0, bb.position());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void individualFilePointersFollowEachRanksView(int n) {
        String name = file("ptr", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // interleaved records: rank r owns every n-th pair of longs (a vector filetype resized to the whole row)
            Datatype pairs = Datatype.resized(Datatype.contiguous(2, Datatype.LONG), 0, 16L * n).commit();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR)) {
                f.setView(16L * me, Datatype.LONG, pairs);
                assertEquals(0, f.getPosition());
                f.write(new long[]{me, 1, me, 2}, 0, 4);
                assertEquals(4, f.getPosition());
                assertEquals(4, f.writeAll(new long[]{me, 3, me, 4}, 0, 4).count());
                assertEquals(8, f.getPosition());
                assertEquals(16L * me + 16L * n * 3 + 8, f.getByteOffset(7));
                f.seek(-3, MpiFile.SEEK_CUR);
                long[] one = new long[1];
                f.read(one, 0, 1);
                assertEquals(3, one[0]);    // element 5: the second long of the pair (me, 3)
                assertEquals(6, f.getPosition());
                f.seek(0, MpiFile.SEEK_SET);
                long[] all = new long[8];
                assertEquals(8, f.readAll(all, 0, 8).count());
                assertArrayEquals(new long[]{me, 1, me, 2, me, 3, me, 4}, all);
                w.barrier();
                f.seek(0, MpiFile.SEEK_END);
                assertEquals(8, f.getPosition());
                MpiException e = assertThrows(MpiException.class, () -> f.seek(-1, MpiFile.SEEK_SET));
                assertEquals(ErrorClass.ARG, e.errorClass());
                assertEquals(8, f.getPosition());
            }
        });
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of(name))).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(16L * n * 4, b.capacity());
            for (int k = 0; k < 4; k++) {
                for (int r = 0; r < n; r++) {
                    assertEquals(r, b.getLong());
                    assertEquals(k + 1, b.getLong());
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sharedFilePointerAndOrderedAccess(int n) {
        String name = file("shared", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR)) {
                f.setView(0, Datatype.INT, Datatype.INT);
                // each rank appends a record of me+1 ints [me, me, ...] at the shared pointer, in any order
                int[] rec = new int[me + 1];
                Arrays.fill(rec, me);
                assertEquals(me + 1, f.writeShared(rec, 0, rec.length).count());
                w.barrier();
                long total = (long) n * (n + 1) / 2;
                assertEquals(total, f.getPositionShared());
                f.seekShared(0, MpiFile.SEEK_SET);
                int[] all = new int[(int) total];
                assertEquals(total, f.readAtAll(0, all, 0, all.length).count());
                int[] seen = new int[n];
                for (int i = 0; i < all.length; ) {
                    int r = all[i];
                    for (int k = 0; k <= r; k++) assertEquals(r, all[i + k]);
                    seen[r]++;
                    i += r + 1;
                }
                for (int r = 0; r < n; r++) assertEquals(1, seen[r]);
                // ordered: rank order after the pointer, which ends after everything
                f.seekShared(total, MpiFile.SEEK_SET);
                assertEquals(2, f.writeOrdered(new int[]{100 + me, 200 + me}, 0, 2).count());
                assertEquals(total + 2L * n, f.getPositionShared());
                f.seekShared(total, MpiFile.SEEK_SET);
                int[] two = new int[2];
                assertEquals(2, f.readOrdered(two, 0, 2).count());
                assertArrayEquals(new int[]{100 + me, 200 + me}, two);
                // a shared read past the end returns what is there
                w.barrier();
                int[] rest = new int[4];
                Status s = f.readShared(rest, 0, 4);
                assertEquals(0, s.count());
                f.seekShared(-1, MpiFile.SEEK_END);
                w.barrier();
                Request rq = f.ireadShared(rest, 0, 4);
                int got = rq.await().count();
                int[] sum = {got};
                w.allreduce(sum, Op.SUM);
                assertEquals(1, sum[0]);   // the last int, read by exactly one rank
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void readsStopAtTheEndOfFile(int n) {
        String name = file("eof", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR)) {
                if (w.rank() == 0) f.writeAt(0, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0, 10);
                w.barrier();
                byte[] b = new byte[10];
                assertEquals(5, f.readAt(5, b, 0, 10).count());
                assertEquals(6, b[0]);
                assertEquals(0, b[5]);
                assertEquals(0, f.readAt(100, b, 0, 10).count());
                byte[] c = new byte[4];
                Status s = f.readAtAll(3L * w.rank(), c, 0, 4);
                int expect = (int) Math.max(0, Math.min(4, 10 - 3L * w.rank()));
                assertEquals(expect, s.count());
                if (expect > 0) assertEquals(3 * w.rank() + 1, c[0]);
                f.seek(8, MpiFile.SEEK_SET);
                assertEquals(2, f.read(b, 0, 10).count());
                assertEquals(10, f.getPosition());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sizeHintsAtomicityAndDeleteOnClose(int n) {
        String name = file("mgmt", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR | MpiFile.MODE_DELETE_ON_CLOSE,
                    hints("cb_nodes", "2", "cb_buffer_size", "65536", "my_key", "x"))) {
                assertEquals(MpiFile.MODE_CREATE | MpiFile.MODE_RDWR | MpiFile.MODE_DELETE_ON_CLOSE, f.getAmode());
                assertEquals(n, f.getGroup().size());
                Info i = f.getInfo();
                assertEquals(Integer.toString(Math.min(2, n)), i.get("cb_nodes"));
                assertEquals("65536", i.get("cb_buffer_size"));
                assertEquals("x", i.get("my_key"));
                f.preallocate(1000);
                assertEquals(1000, f.getSize());
                f.preallocate(10);
                assertEquals(1000, f.getSize());
                f.setSize(123);
                assertEquals(123, f.getSize());
                f.setSize(4096);
                assertEquals(4096, f.getSize());
                assertFalse(f.getAtomicity());
                f.setAtomicity(true);
                assertTrue(f.getAtomicity());
                f.writeAt(8L * w.rank(), new long[]{w.rank()}, 0, 1);
                f.sync();
                long[] v = new long[n];
                f.readAtAll(0, v, 0, n);
                for (int r = 0; r < n; r++) assertEquals(r, v[r]);
                f.setAtomicity(false);
                f.setInfo(hints("cb_nodes", "1"));
                assertEquals("1", f.getInfo().get("cb_nodes"));
            }
            assertFalse(Files.exists(Path.of(name)));
            w.barrier();
        });
        assertFalse(Files.exists(Path.of(name)));
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void datatypesAndByteBuffersInMemory(int n) {
        String name = file("mem", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // a 4x3 matrix per rank; its second column (a vector type) goes to the file
            double[] m = new double[12];
            for (int i = 0; i < 12; i++) m[i] = me * 100 + i;
            Datatype column = Datatype.vector(4, 1, 3, Datatype.DOUBLE).commit();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_RDWR)) {
                f.setView(0, Datatype.DOUBLE, Datatype.DOUBLE);
                assertEquals(4, f.writeAtAll(4L * me, m, 1, 1, column).count(Datatype.DOUBLE));
                double[] back = new double[12];
                f.readAtAll(4L * me, back, 2, 1, column);
                for (int i = 0; i < 4; i++) assertEquals(m[1 + 3 * i], back[2 + 3 * i]);
                ByteBuffer bb = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                f.readAt(4L * me, bb);
                for (int i = 0; i < 4; i++) assertEquals(me * 100 + 1 + 3 * i, bb.getDouble(8 * i));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sequentialFilesAllowOnlySharedPointerCalls(int n) {
        String name = file("seq", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_WRONLY | MpiFile.MODE_SEQUENTIAL
                    | MpiFile.MODE_APPEND)) {
                assertEquals(ErrorClass.UNSUPPORTED_OPERATION, assertThrows(MpiException.class,
                        () -> f.writeAt(0, new byte[]{1}, 0, 1)).errorClass());
                assertEquals(ErrorClass.UNSUPPORTED_OPERATION, assertThrows(MpiException.class,
                        () -> f.seek(0, MpiFile.SEEK_SET)).errorClass());
                assertEquals(ErrorClass.UNSUPPORTED_OPERATION, assertThrows(MpiException.class,
                        () -> f.writeAll(new byte[]{1}, 0, 1)).errorClass());
                assertEquals(3, f.writeOrdered(new byte[]{(byte) w.rank(), 7, 7}, 0, 3).count());
                assertEquals(3L * n, f.getPositionShared());
            }
            // reopened with APPEND: both pointers start at the end
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_WRONLY | MpiFile.MODE_APPEND)) {
                assertEquals(3L * n, f.getPosition());
                assertEquals(3L * n, f.getPositionShared());
                w.barrier();   // nobody moves the shared pointer before everyone has looked at it
                f.writeShared(new byte[]{9}, 0, 1);
            }
        });
        try {
            byte[] b = Files.readAllBytes(Path.of(name));
            assertEquals(3 * n + n, b.length);
            for (int r = 0; r < n; r++) assertEquals(r, b[3 * r]);
            for (int k = 0; k < n; k++) assertEquals(9, b[3 * n + k]);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void badInputFailsEverywhereAndCorruptsNothing(int n) {
        String name = file("bad", n);
        String missing = file("missing", n);
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            MpiException e = assertThrows(MpiException.class, () -> MpiFile.open(w, missing, MpiFile.MODE_RDONLY));
            assertEquals(ErrorClass.NO_SUCH_FILE, e.errorClass());
            assertTrue(e.getMessage().contains(missing), e.getMessage());
            e = assertThrows(MpiException.class, () -> MpiFile.open(w, name, MpiFile.MODE_RDONLY | MpiFile.MODE_CREATE));
            assertEquals(ErrorClass.AMODE, e.errorClass());
            if (n > 1) {
                e = assertThrows(MpiException.class, () -> MpiFile.open(w, name, me == 0 ? MpiFile.MODE_RDWR | MpiFile.MODE_CREATE
                        : MpiFile.MODE_WRONLY | MpiFile.MODE_CREATE));
                assertEquals(ErrorClass.NOT_SAME, e.errorClass());
            }
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_WRONLY)) {
                f.setView(0, Datatype.INT, Datatype.INT);
                f.writeAtAll(me, new int[]{me + 1}, 0, 1);
                // a negative offset on one rank: every rank fails, nothing is written
                e = assertThrows(MpiException.class, () -> f.writeAtAll(me == n - 1 ? -1 : me, new int[]{99}, 0, 1));
                assertEquals(ErrorClass.ARG, e.errorClass());
                if (me == n - 1) assertTrue(e.getMessage().contains("offset=-1"), e.getMessage());
                // mismatched collective calls
                if (n > 1) {
                    e = assertThrows(MpiException.class, () -> {
                        if (me == 0) f.writeAtAll(0, new int[]{99}, 0, 1);
                        else f.setSize(0);
                    });
                    assertEquals(ErrorClass.NOT_SAME, e.errorClass());
                }
                // data that is not a whole number of etypes
                f.setView(0, Datatype.DOUBLE, Datatype.DOUBLE);
                e = assertThrows(MpiException.class, () -> f.writeAt(0, new int[]{1, 2, 3}, 0, 3));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
                // reading a write-only file
                e = assertThrows(MpiException.class, () -> f.readAt(0, new double[1], 0, 1));
                assertEquals(ErrorClass.ACCESS, e.errorClass());
                // a filetype that is not made of etypes: three ints are no whole number of doubles
                e = assertThrows(MpiException.class, () -> f.setView(0, Datatype.DOUBLE, Datatype.contiguous(3, Datatype.INT).commit()));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                e = assertThrows(MpiException.class, () -> f.setView(0, Datatype.DOUBLE, Datatype.DOUBLE, "external32", null));
                assertEquals(ErrorClass.UNSUPPORTED_DATAREP, e.errorClass());
                if (n > 1) {
                    e = assertThrows(MpiException.class, () -> f.setView(0, me == 0 ? Datatype.INT : Datatype.LONG, me == 0 ? Datatype.INT : Datatype.LONG));
                    assertEquals(ErrorClass.NOT_SAME, e.errorClass());
                }
            }
            e = assertThrows(MpiException.class, () -> MpiFile.open(w, name, MpiFile.MODE_CREATE | MpiFile.MODE_EXCL | MpiFile.MODE_RDWR));
            assertEquals(ErrorClass.FILE_EXISTS, e.errorClass());
            try (MpiFile f = MpiFile.open(w, name, MpiFile.MODE_RDONLY)) {
                e = assertThrows(MpiException.class, () -> f.writeAt(0, new byte[]{1}, 0, 1));
                assertEquals(ErrorClass.READ_ONLY, e.errorClass());
                e = assertThrows(MpiException.class, () -> f.writeAtAll(0, new byte[]{1}, 0, 1));
                assertEquals(ErrorClass.READ_ONLY, e.errorClass());
                int[] v = new int[n];
                f.setView(0, Datatype.INT, Datatype.INT);
                assertEquals(n, f.readAtAll(0, v, 0, n).count());
                for (int r = 0; r < n; r++) assertEquals(r + 1, v[r]);   // nothing was corrupted
                f.close();
                e = assertThrows(MpiException.class, () -> f.readAt(0, v, 0, 1));
                assertEquals(ErrorClass.FILE, e.errorClass());
            }
            w.barrier();
            if (me == 0) {
                MpiFile.delete(name);
                e = assertThrows(MpiException.class, () -> MpiFile.delete(name));
                assertEquals(ErrorClass.NO_SUCH_FILE, e.errorClass());
            }
        });
    }
}
