package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The collectives of an intercommunicator (MPI 4.1 section 6.2.2), each checked against a serial computation from
 * world ranks: the world is cut into a low group (world ranks {@code [0, n/2)}) and a high group (the rest, one
 * rank larger at odd sizes), joined by an intercommunicator whose leaders are world ranks 0 and n/2. Written once
 * and run for every transport (subclasses) at sizes 2-5; ROOT/PROC_NULL roles, every type family and bad input with
 * its precise error included.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InterCollConformance {
    abstract String transport();

    int[] sizes() {
        return new int[]{2, 3, 4, 5};
    }

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    /** The two groups of a world of n and this rank's place in them. */
    static final class Groups {
        final int n, half, color, r;
        final Intercomm ic;
        final Comm localComm;

        Groups(Mpi mpi) {
            Comm w = mpi.world();
            n = w.size();
            r = w.rank();
            half = n / 2;
            color = r < half ? 0 : 1;
            localComm = w.split(color, r);
            ic = localComm.createIntercomm(0, w, color == 0 ? half : 0, 17);
        }

        /** World rank of remote rank j. */
        int remoteWorld(int j) {
            return color == 0 ? half + j : j;
        }

        int[] remoteWorlds() {
            return IntStream.range(0, ic.remoteSize()).map(this::remoteWorld).toArray();
        }

        void free() {
            ic.free();
            localComm.free();
        }
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void allreduceAndAllgatherOfEveryTypeGiveTheOtherGroups(int n) {
        run(n, mpi -> {
            Groups g = new Groups(mpi);
            Intercomm ic = g.ic;
            int[] rw = g.remoteWorlds();
            int sum = IntStream.of(rw).sum(), max = IntStream.of(rw).max().getAsInt(), rs = rw.length;
            byte[] b = new byte[1];
            ic.allreduce(new byte[]{(byte) g.r}, b, Op.SUM);
            assertEquals((byte) sum, b[0]);
            short[] s = new short[1];
            ic.allreduce(new short[]{(short) g.r}, s, Op.MAX);
            assertEquals(max, s[0]);
            char[] c = new char[1];
            ic.allreduce(new char[]{(char) ('a' + g.r)}, c, Op.MAX);
            assertEquals('a' + max, c[0]);
            int[] i = new int[2];
            ic.allreduce(new int[]{g.r, 1}, i, Op.SUM);
            assertArrayEquals(new int[]{sum, rs}, i);
            long[] l = new long[1];
            ic.allreduce(new long[]{1L << 40 | g.r}, 0, l, 0, 1, Op.BOR);
            assertEquals(1L << 40 | IntStream.of(rw).reduce(0, (x, y) -> x | y), l[0]);
            float[] f = new float[1];
            ic.allreduce(new float[]{0.5f}, f, Op.SUM);
            assertEquals(0.5f * rs, f[0]);
            double[] d = new double[1];
            ic.allreduce(new double[]{g.r + 0.25}, d, Op.MIN);
            assertEquals(rw[0] + 0.25, d[0]);
            boolean[] z = new boolean[1];
            ic.allreduce(new boolean[]{g.r == n - 1}, z, Op.LOR);
            assertEquals(g.color == 0, z[0], "only the high group holds world rank n-1");
            // allgather, one representative per type family, counts differ between the groups (whole-array form)
            int mine = g.color + 1, theirs = 2 - g.color;
            int[] ga = new int[rs * theirs];
            ic.allgather(IntStream.range(0, mine).map(k -> g.r * 10 + k).toArray(), ga);
            for (int j = 0; j < rs; j++) for (int k = 0; k < theirs; k++) assertEquals(rw[j] * 10 + k, ga[j * theirs + k]);
            double[] gd = new double[rs + 2];
            ic.allgather(new double[]{g.r * 1.5}, 0, 1, gd, 1);
            for (int j = 0; j < rs; j++) assertEquals(rw[j] * 1.5, gd[1 + j]);
            assertEquals(0.0, gd[0]);
            ByteBuffer bb = ByteBuffer.allocateDirect(rs);
            ic.allgather(ByteBuffer.wrap(new byte[]{(byte) (g.r + 1)}), bb);
            for (int j = 0; j < rs; j++) assertEquals(rw[j] + 1, bb.get(j));
            boolean[] gz = new boolean[rs];
            ic.allgather(new boolean[]{g.r % 2 == 1}, gz);
            for (int j = 0; j < rs; j++) assertEquals(rw[j] % 2 == 1, gz[j]);
            ic.barrier();
            g.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void rootedCollectivesFollowRootAndProcNull(int n) {
        run(n, mpi -> {
            Groups g = new Groups(mpi);
            Intercomm ic = g.ic;
            int[] rw = g.remoteWorlds();
            int rs = rw.length;
            // bcast from the low group's last rank to the high group
            int lowRoot = g.half - 1;
            long[] buf = {-1, -1, -1};
            if (g.color == 0) {
                boolean root = ic.rank() == lowRoot;
                ic.bcast(root ? new long[]{7, 8, 9} : null, root ? Intercomm.ROOT : Mpi.PROC_NULL);
            } else {
                ic.bcast(buf, lowRoot);
                assertArrayEquals(new long[]{7, 8, 9}, buf);
            }
            // reduce into the high group's last rank from every low rank; PROC_NULL ranks' recv stays untouched
            int highRoot = n - g.half - 1;
            long[] red = {-5, -5};
            if (g.color == 1) {
                ic.reduce(null, red, Op.SUM, ic.rank() == highRoot ? Intercomm.ROOT : Mpi.PROC_NULL);
                if (ic.rank() == highRoot) {
                    assertArrayEquals(new long[]{IntStream.of(rw).sum(), (long) rs * (rs + 1) / 2}, red);
                } else {
                    assertArrayEquals(new long[]{-5, -5}, red);
                }
            } else {
                ic.reduce(new long[]{g.r, ic.rank() + 1}, red, Op.SUM, highRoot);
                assertArrayEquals(new long[]{-5, -5}, red, "recv is not significant outside the root");
            }
            // gatherv to low rank 0: high rank j sends j + 1 shorts
            int[] counts = IntStream.range(0, rs).map(j -> j + 1).toArray();
            int[] displs = new int[rs];
            for (int j = 1; j < rs; j++) displs[j] = displs[j - 1] + counts[j - 1];
            int total = IntStream.of(counts).sum();
            if (g.color == 0) {
                short[] got = new short[total];
                ic.gatherv(null, got, counts, displs, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL);
                if (ic.rank() == 0) {
                    for (int j = 0; j < rs; j++) {
                        for (int k = 0; k < counts[j]; k++) assertEquals(rw[j] * 100 + k, got[displs[j] + k]);
                    }
                }
            } else {
                short[] mine = new short[ic.rank() + 1];
                for (int k = 0; k < mine.length; k++) mine[k] = (short) (g.r * 100 + k);
                ic.gatherv(mine, null, null, null, 0);
            }
            // scatterv from high rank 0: low rank j gets j + 1 floats; scatter of chars from the same root
            if (g.color == 1) {
                float[] send = new float[total];
                for (int j = 0; j < rs; j++) for (int k = 0; k < counts[j]; k++) send[displs[j] + k] = rw[j] + k / 10f;
                ic.scatterv(ic.rank() == 0 ? send : null, counts, displs, null, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL);
                char[] cs = new char[2 * rs];
                for (int j = 0; j < rs; j++) {
                    cs[2 * j] = (char) ('A' + j);
                    cs[2 * j + 1] = (char) ('a' + rw[j]);
                }
                ic.scatter(cs, null, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL);
            } else {
                float[] got = new float[ic.rank() + 1];
                ic.scatterv(null, null, null, got, 0);
                for (int k = 0; k < got.length; k++) assertEquals(g.r + k / 10f, got[k]);
                char[] two = new char[2];
                ic.scatter(null, two, 0);
                assertArrayEquals(new char[]{(char) ('A' + ic.rank()), (char) ('a' + g.r)}, two);
            }
            // gather of ByteBuffers to high rank 0
            if (g.color == 1) {
                ByteBuffer all = ByteBuffer.allocate(rs);
                ic.gather((ByteBuffer) null, all, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL);
                if (ic.rank() == 0) for (int j = 0; j < rs; j++) assertEquals(rw[j], all.get(j));
            } else {
                ic.gather(ByteBuffer.wrap(new byte[]{(byte) g.r}), null, 0);
            }
            g.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void vectorAndReduceScatterCollectivesMatchTheModel(int n) {
        run(n, mpi -> {
            Groups g = new Groups(mpi);
            Intercomm ic = g.ic;
            int[] rw = g.remoteWorlds();
            int rs = rw.length, ls = ic.size(), me = ic.rank();
            // allgatherv: remote rank j sends j + 1 ints, into reversed places
            int[] counts = IntStream.range(0, rs).map(j -> j + 1).toArray();
            int total = IntStream.of(counts).sum();
            int[] displs = new int[rs];
            for (int j = 0, at = total; j < rs; j++) {
                at -= counts[j];
                displs[j] = at;
            }
            int[] got = new int[total];
            ic.allgatherv(IntStream.range(0, me + 1).map(k -> g.r * 1000 + k).toArray(), got, counts, displs);
            for (int j = 0; j < rs; j++) for (int k = 0; k < counts[j]; k++) assertEquals(rw[j] * 1000 + k, got[displs[j] + k]);
            // alltoallv: to remote rank j this rank sends me + j + 1 longs; from remote rank i it gets i + me + 1
            int[] sc = IntStream.range(0, rs).map(j -> me + j + 1).toArray(), rc = IntStream.range(0, rs).map(i -> i + me + 1).toArray();
            int[] sd = new int[rs], rd = new int[rs];
            for (int j = 1; j < rs; j++) {
                sd[j] = sd[j - 1] + sc[j - 1];
                rd[j] = rd[j - 1] + rc[j - 1];
            }
            long[] send = new long[IntStream.of(sc).sum()], recv = new long[IntStream.of(rc).sum()];
            for (int j = 0; j < rs; j++) for (int k = 0; k < sc[j]; k++) send[sd[j] + k] = g.r * 10_000L + rw[j] * 100L + k;
            ic.alltoallv(send, sc, sd, recv, rc, rd);
            for (int i = 0; i < rs; i++) {
                for (int k = 0; k < rc[i]; k++) assertEquals(rw[i] * 10_000L + g.r * 100L + k, recv[rd[i] + k]);
            }
            // alltoall of doubles, offset/count form
            double[] a2a = new double[2 * rs], a2aIn = new double[2 * rs + 1];
            for (int j = 0; j < rs; j++) {
                a2a[2 * j] = g.r;
                a2a[2 * j + 1] = rw[j];
            }
            ic.alltoall(a2a, 0, a2aIn, 1, 2);
            for (int i = 0; i < rs; i++) {
                assertEquals(rw[i], a2aIn[1 + 2 * i]);
                assertEquals(g.r, a2aIn[2 + 2 * i]);
            }
            // reduce-scatter-block: both groups reduce vectors of ls * rs elements; each rank keeps rs (low) or ls
            int t = ls * rs, block = t / ls;
            int[] vec = IntStream.range(0, t).map(k -> g.r * 100 + k).toArray();
            int[] part = new int[block];
            ic.reduceScatterBlock(vec, part, Op.SUM);
            for (int k = 0; k < block; k++) assertEquals(IntStream.of(rw).sum() * 100 + rs * (me * block + k), part[k]);
            // reduce-scatter with uneven counts: rank 0 keeps t - (ls - 1), the others 1 each
            int[] rcounts = IntStream.range(0, ls).map(i -> i == 0 ? t - (ls - 1) : 1).toArray();
            int from = me == 0 ? 0 : t - (ls - 1) + (me - 1);
            double[] dv = IntStream.range(0, t).mapToDouble(k -> g.r + k * 0.5).toArray(), dpart = new double[rcounts[me]];
            ic.reduceScatter(dv, dpart, rcounts, Op.MAX);
            for (int k = 0; k < dpart.length; k++) assertEquals(IntStream.of(rw).max().getAsInt() + (from + k) * 0.5, dpart[k]);
            g.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void nonBlockingAndPersistentFormsComplete(int n) {
        run(n, mpi -> {
            Groups g = new Groups(mpi);
            Intercomm ic = g.ic;
            int[] rw = g.remoteWorlds();
            int sum = IntStream.of(rw).sum();
            int[] a = new int[1], b = new int[3];
            Request bar = ic.ibarrier();
            Request red = ic.iallreduce(new int[]{g.r}, a, Op.SUM);
            Request bc = g.color == 0 ? ic.ibcast(ic.rank() == 0 ? new int[]{4, 5, 6} : null, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL)
                    : ic.ibcast(b, 0);
            // completed in the reverse order of their start: each advances while the others are awaited
            bc.await();
            red.await();
            bar.await();
            assertEquals(sum, a[0]);
            if (g.color == 1) assertArrayEquals(new int[]{4, 5, 6}, b);
            long[] in = new long[1], out = new long[1];
            Prequest p = ic.allreduceInit(in, out, Op.SUM);
            Prequest pb = ic.barrierInit();
            for (int round = 0; round < 50; round++) {
                in[0] = g.r + round;
                p.start();
                pb.start();
                Requests.awaitAll(new Request[]{pb, p});
                assertEquals(sum + (long) round * rw.length, out[0], "round " + round);
            }
            p.free();
            pb.free();
            double[] x = new double[rw.length];
            Prequest pa = ic.allgatherInit(new double[]{g.r}, x);
            for (int round = 0; round < 3; round++) {
                pa.start().await();
                for (int j = 0; j < rw.length; j++) assertEquals(rw[j], x[j]);
            }
            g.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void badInputGetsPreciseErrorsAndTheIntercommGoesOn(int n) {
        run(n, mpi -> {
            mpi.world().setErrhandler(Errhandler.ERRORS_RETURN);
            Groups g = new Groups(mpi);
            Intercomm ic = g.ic;
            int rs = ic.remoteSize(), ls = ic.size();
            String name = "WORLD.split(" + g.color + ").inter";
            MpiException e = assertThrows(MpiException.class, () -> ic.reduce(new int[1], new int[1], Op.SUM, rs));
            assertEquals("reduce: root=" + rs + " out of range [0, " + rs + ") of the remote group (or Intercomm.ROOT,"
                    + " PROC_NULL in the root's group)", e.getMessage());
            // neither group claims the root: every rank of both groups fails alike, nothing hangs
            e = assertThrows(MpiException.class, () -> ic.bcast(new int[1], 0));
            assertEquals(ErrorClass.COLLECTIVE, e.errorClass());
            assertEquals("bcast: neither group of " + name + " passed Intercomm.ROOT or PROC_NULL as root; the root passes"
                    + " ROOT, the rest of its group PROC_NULL", e.getMessage());
            e = assertThrows(MpiException.class, () -> ic.gatherv(new int[1], 0, 1, new int[4], new int[rs + 1],
                    new int[rs + 1], Intercomm.ROOT));
            assertEquals("gatherv: recvCounts.length=" + (rs + 1) + " differs from the remote group size " + rs, e.getMessage());
            e = assertThrows(MpiException.class, () -> ic.allreduce(new double[3], 0, new double[2], 0, 3, Op.SUM));
            assertEquals("allreduce: recvOffset=0 + count=3 exceeds recv length 2", e.getMessage());
            e = assertThrows(MpiException.class, () -> ic.reduceScatter(new int[4], new int[4], new int[ls + 1], Op.SUM));
            assertEquals("reduceScatter: recvCounts.length=" + (ls + 1) + " differs from the communicator size " + ls, e.getMessage());
            if (n >= 4) { // both groups have 2 or more ranks: every length is a multiple of 1
                e = assertThrows(MpiException.class, () -> ic.allgather(new int[1], new int[rs + 1]));
                assertEquals("allgather: recv.length=" + (rs + 1) + " is not a multiple of the remote group size " + rs, e.getMessage());
                e = assertThrows(MpiException.class, () -> ic.reduceScatterBlock(new int[ls + 1], new int[1], Op.SUM));
                assertEquals("reduceScatterBlock: send.length=" + (ls + 1) + " is not a multiple of the local group size " + ls,
                        e.getMessage());
            }
            e = assertThrows(MpiException.class, () -> ic.iallreduce(new boolean[1], new boolean[1], Op.SUM));
            assertEquals("iallreduce: op SUM does not apply to boolean elements", e.getMessage());
            // after all that, a collective still works
            int[] s = new int[1];
            ic.allreduce(new int[]{1}, s, Op.SUM);
            assertEquals(rs, s[0]);
            g.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void collCheckFailsCountsThatDifferBetweenTheGroupsOnEveryRank(int n) {
        // as CollErrorsTest does: the property reaches ranks of every transport in this JVM (the env of Jobs.run only
        // those of tcp and shm)
        String old = System.setProperty("jmpi.collCheck", "on");
        try {
            collCheckCase(n);
        } finally {
            if (old == null) System.clearProperty("jmpi.collCheck");
            else System.setProperty("jmpi.collCheck", old);
        }
    }

    private void collCheckCase(int n) {
        run(n, mpi -> {
            mpi.world().setErrhandler(Errhandler.ERRORS_RETURN);
            Groups g = new Groups(mpi);
            Intercomm ic = g.ic;
            int count = g.color == 0 ? 2 : 3;
            MpiException e = assertThrows(MpiException.class, () -> ic.allreduce(new int[count], new int[count], Op.SUM));
            assertEquals(ErrorClass.COLLECTIVE, e.errorClass());
            assertEquals("allreduce: collective check failed: this group of WORLD.split(" + g.color + ").inter passed count="
                    + count + ", count=" + count + ", the other group count=" + (5 - count) + ", count=" + (5 - count),
                    e.getMessage());
            int[] s = new int[1];
            ic.allreduce(new int[]{1}, s, Op.SUM);
            assertEquals(ic.remoteSize(), s[0]);
            g.free();
        });
    }
}
