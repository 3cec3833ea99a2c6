package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shared-memory collective component ({@code io.jmpi.coll.ShmCollectives}): when it is chosen and when not,
 * many interleaved collectives back to back with rotating roots and sizes across the slot's chunks, non-commutative
 * user operations, bitwise determinism against a serial fold in rank order, a stress of the flag protocol, segment
 * files unlinked once attached, and a rank that leaves during a collective failing the others instead of hanging.
 */
@Timeout(180)
class ShmCollectivesTest {
    /** Slots of 4 KiB: banks of 2 KiB (256 doubles), so modest messages go in many chunks. */
    private static final Map<String, String> SMALL_SLOT = Map.of("JMPI_COLL_SHM_SLOT", "4096");

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8})
    void chosenOnOneHostAndCountsItsCalls(int n) {
        Jobs.run("shm", n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            assertNotNull(w.shm, "WORLD of one host over shm has the component");
            assertNull(mpi.self().shm, "SELF has none");
            long c0 = w.shm.calls();
            w.barrier();
            assertEquals("shm barrier", w.shm.lastAlgorithm());
            int[] b = {me == 1 ? 42 : 0};
            w.bcast(b, 1);
            assertEquals(42, b[0]);
            assertEquals("shm bcast", w.shm.lastAlgorithm());
            long[] s = {me};
            w.allreduce(s, Op.SUM);
            assertEquals((long) n * (n - 1) / 2, s[0]);
            assertEquals("shm allreduce (flat)", w.shm.lastAlgorithm());
            double[] big = new double[4096];
            Arrays.fill(big, 1.0);
            w.allreduce(big, Op.SUM);
            assertEquals(n, big[4095]);
            assertEquals("shm allreduce (reduce-scatter over slots)", w.shm.lastAlgorithm());
            int[] all = new int[n];
            w.allgather(new int[]{me}, all);
            assertArrayEquals(java.util.stream.IntStream.range(0, n).toArray(), all);
            assertEquals(c0 + 5, w.shm.calls());
            // non-blocking forms keep the point-to-point schedules
            w.ibarrier().await();
            w.iallreduce(s, new long[1], Op.SUM).await();
            assertEquals(c0 + 5, w.shm.calls());
            // the Datatype forms follow the typed forms' rule (the ranks of one call may pass different forms)
            Datatype quad = Datatype.contiguous(4, Datatype.INT).commit();
            int[] q = {me, 1, 2, 3};
            w.bcast(q, 0, 1, quad, 0);
            assertEquals("shm bcast", w.shm.lastAlgorithm());
            w.gather(q, 0, 1, quad, new int[4 * n], 0, 1, quad, 0);
            assertEquals("shm gather", w.shm.lastAlgorithm());
            int[] qs = new int[4 * n];
            w.allgather(q, 0, 1, quad, qs, 0, 1, quad);
            assertEquals("shm allgather", w.shm.lastAlgorithm());
            assertEquals(0, qs[4 * (n - 1)]);
            w.ibcast(q, 0, 1, quad, 0).await();
            assertEquals(c0 + 8, w.shm.calls());
            // derived communicators have their own; the two halves of a split share a context but not a segment
            try (Comm half = w.split(me % 2, me)) {
                if (half.size() > 1) {
                    assertNotNull(half.shm);
                    long[] x = {w.rank()};
                    half.allreduce(x, Op.SUM);
                    long expect = 0;
                    for (int r = me % 2; r < n; r += 2) expect += r;
                    assertEquals(expect, x[0]);
                    assertEquals(1, half.shm.calls());
                } else {
                    assertNull(half.shm);
                }
            }
            try (Comm d = w.dup()) {
                assertNotNull(d.shm);
                d.barrier();
                assertEquals(1, d.shm.calls());
            }
        });
    }

    @Test
    void notChosenWhenOffOverTcpOrForThreadRanks() {
        Jobs.run("shm", 3, Map.of("JMPI_COLL_SHM", "off"), mpi -> {
            assertNull(mpi.world().shm);
            mpi.world().barrier();
        });
        Jobs.run("tcp", 3, mpi -> {
            assertNull(mpi.world().shm);
            mpi.world().barrier();
        });
        Jobs.run("local", 3, mpi -> assertNull(mpi.world().shm));
    }

    @Test
    void messagesAboveCollShmMaxUseSchedules() {
        Jobs.run("shm", 3, Map.of("JMPI_COLL_SHM_MAX", "64"), mpi -> {
            Comm w = mpi.world();
            long[] small = new long[8], large = new long[9];
            if (w.rank() == 0) {
                Arrays.fill(small, 7);
                Arrays.fill(large, 9);
            }
            w.bcast(small, 0);
            assertEquals(1, w.shm.calls());
            w.bcast(large, 0);
            assertEquals(1, w.shm.calls(), "72 bytes > collShmMax=64: point-to-point");
            assertEquals(7, small[7]);
            assertEquals(9, large[8]);
        });
    }

    /** (m, c) packed in a long: the affine map x -> m x + c; composing is associative but not commutative. */
    static long affine(long f, long g) {
        int m1 = (int) (f >>> 32), c1 = (int) f, m2 = (int) (g >>> 32), c2 = (int) g;
        return ((long) (m1 * m2) << 32) | ((c1 * m2 + c2) & 0xFFFFFFFFL);
    }

    private static long input(int it, int rank, int i) {
        long m = 2L * (it + rank + i) + 1, c = 31L * rank + i - it;
        return (m << 32) | (c & 0xFFFFFFFFL);
    }

    /**
     * The reduce-scatter over slots (chunks of at least 256 elements per rank) with a non-commutative operation:
     * out of place (each rank's own segment folded from its input, not its bank), in place (from its bank), reduce
     * to every root (non-roots fold into scratch), several chunks with a remainder: always the serial fold in rank
     * order.
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void largeNonCommutativeReductionsFoldInRankOrder(int n) {
        Op compose = Op.ofLong(ShmCollectivesTest::affine, false);
        // slots of 64 KiB: banks of 4096 longs; the lengths take 1, 2 and 3 chunks
        Jobs.run("shm", n, Map.of("JMPI_COLL_SHM_SLOT", "65536"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            int it = 0;
            for (int len : new int[]{4096, 5000, 2 * 4096 + 3 * n + 1}) {
                for (int root = 0; root < n; root++, it++) {
                    String what = len + " elements, root " + root + " on " + n + " ranks";
                    long[] mine = new long[len], expect = new long[len];
                    for (int i = 0; i < len; i++) {
                        mine[i] = input(it, me, i);
                        long acc = input(it, 0, i);
                        for (int r = 1; r < n; r++) acc = affine(acc, input(it, r, i));
                        expect[i] = acc;
                    }
                    long[] red = me == root ? new long[len] : null;
                    w.reduce(mine, red, compose, root);
                    assertEquals("shm reduce (reduce-scatter over slots)", w.shm.lastAlgorithm());
                    if (me == root) assertArrayEquals(expect, red, "reduce " + what);
                    long[] out = new long[len];
                    w.allreduce(mine, out, compose);
                    assertArrayEquals(expect, out, "allreduce " + what);
                    w.allreduce(mine, compose); // in place
                    assertEquals("shm allreduce (reduce-scatter over slots)", w.shm.lastAlgorithm());
                    assertArrayEquals(expect, mine, "allreduce in place " + what);
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void interleavedCollectivesBackToBackAcrossChunks(int n) {
        int[] lens = {0, 1, 7, 255, 256, 257, 600, 1100};
        Op compose = Op.ofLong(ShmCollectivesTest::affine, false);
        Jobs.run("shm", n, SMALL_SLOT, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            for (int it = 0; it < 120; it++) {
                int root = (it * 7 + 3) % n;
                int len = lens[it % lens.length];
                String what = "iteration " + it + ", " + len + " elements, root " + root + " on " + n + " ranks";
                // bcast of longs and of a direct ByteBuffer
                long[] b = new long[len];
                if (me == root) for (int i = 0; i < len; i++) b[i] = input(it, root, i);
                w.bcast(b, root);
                for (int i = 0; i < len; i++) assertEquals(input(it, root, i), b[i], what);
                ByteBuffer bb = ByteBuffer.allocateDirect(len * 3 + 1);
                if (me == root) for (int i = 0; i < bb.capacity(); i++) bb.put(i, (byte) (i * 13 + it));
                w.bcast(bb, root);
                for (int i = 0; i < bb.capacity(); i++) assertEquals((byte) (i * 13 + it), bb.get(i), what);
                // non-commutative reduce to the root, and allreduce in place
                long[] mine = new long[len], expect = new long[len];
                for (int i = 0; i < len; i++) {
                    mine[i] = input(it, me, i);
                    long acc = input(it, 0, i);
                    for (int r = 1; r < n; r++) acc = affine(acc, input(it, r, i));
                    expect[i] = acc;
                }
                long[] red = me == root ? new long[len] : null;
                w.reduce(mine, red, compose, root);
                if (me == root) assertArrayEquals(expect, red, "reduce " + what);
                long[] inPlace = mine.clone();
                w.allreduce(inPlace, compose);
                assertArrayEquals(expect, inPlace, "allreduce " + what);
                // gather at the root, allgather in place
                int[] g = me == root ? new int[len * n] : null;
                int[] part = new int[len];
                for (int i = 0; i < len; i++) part[i] = me * 100_000 + i + it;
                w.gather(part, g, root);
                if (me == root) {
                    for (int r = 0; r < n; r++) for (int i = 0; i < len; i++) assertEquals(r * 100_000 + i + it, g[r * len + i], what);
                }
                short[] ag = new short[len * n];
                for (int i = 0; i < len; i++) ag[me * len + i] = (short) (me * 1000 + i);
                w.allgather(ag);
                for (int r = 0; r < n; r++) for (int i = 0; i < len; i++) assertEquals((short) (r * 1000 + i), ag[r * len + i], what);
                if (it % 10 == 0) w.barrier();
            }
            if (n > 1) assertEquals(120 * 6 + 12, w.shm.calls());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void sumsAreTheSerialFoldInRankOrderBitForBit(int n) {
        // slots of 64 KiB (banks of 4096 doubles), so that 5000 doubles take two chunks
        Jobs.run("shm", n, Map.of("JMPI_COLL_SHM_SLOT", "65536"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // 5000 doubles: a chunk of 4096 (reduce-scatter over slots), then one of 904 (split for 3 or fewer ranks)
            for (int len : new int[]{3, 5000}) {
                double[][] in = new double[n][len];
                for (int r = 0; r < n; r++) {
                    Random rnd = new Random(r * 7919L + len);
                    for (int i = 0; i < len; i++) in[r][i] = rnd.nextDouble() * Math.pow(10, rnd.nextInt(12) - 6);
                }
                double[] expect = new double[len];
                for (int i = 0; i < len; i++) {
                    double acc = in[0][i];
                    for (int r = 1; r < n; r++) acc += in[r][i];
                    expect[i] = acc;
                }
                double[] out = new double[len];
                w.allreduce(in[me], out, Op.SUM);
                assertArrayEquals(expect, out, "allreduce of " + len);
                double[] red = new double[len];
                w.reduce(in[me], red, Op.SUM, n - 1);
                if (me == n - 1) assertArrayEquals(expect, red, "reduce of " + len);
            }
        });
    }

    @Test
    void flagProtocolStress() {
        int n = 5, iterations = 3000;
        Jobs.run("shm", n, SMALL_SLOT, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            Random pace = new Random(me);
            for (int it = 0; it < iterations; it++) {
                // ranks arrive at different times: some yield, some go straight on
                if (pace.nextInt(4) == 0) Thread.yield();
                long[] s = {it, me, 1};
                w.allreduce(s, Op.SUM);
                assertEquals((long) it * n, s[0]);
                assertEquals((long) n * (n - 1) / 2, s[1]);
                int[] v = {me == it % n ? it : -1};
                w.bcast(v, it % n);
                assertEquals(it, v[0]);
                if (it % 3 == 0) w.barrier();
                if (it % 50 == 0) {
                    double[] big = new double[700]; // three chunks through 2 KiB banks
                    Arrays.fill(big, me + it);
                    w.allreduce(big, Op.MAX);
                    assertEquals(n - 1 + it, big[699]);
                }
            }
        });
    }

    @Test
    void segmentFilesAreUnlinkedOnceAttached(@TempDir Path dir) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("JMPI_SHM_DIR", dir.toString());
        Jobs.run("shm", 4, env, mpi -> {
            Comm w = mpi.world();
            w.barrier();
            try (Comm d = w.split(w.rank() / 2, 0)) {
                d.barrier();
                w.barrier();
                try (Stream<Path> files = Files.list(dir)) {
                    assertEquals(0, files.count(), "files left in " + dir);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
    }

    @Test
    void aRankThatLeavesFailsTheOthersCollectiveInsteadOfHangingIt() {
        MpiException e = assertThrows(MpiException.class, () -> Jobs.run("shm", 3, mpi -> {
            Comm w = mpi.world();
            w.barrier();
            if (w.rank() == 2) return; // closes: its goodbye reaches the others while they wait in shared memory
            w.barrier();
        }));
        assertEquals(ErrorClass.PROC_FAILED, e.errorClass(), e.getMessage());
        assertTrue(e.getMessage().contains("barrier: rank 2 has closed"), e.getMessage());
    }
}
