package mpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collectives of Open MPI's Java API on an {@link Intercomm} (MPI 4.1 section 6.2.2), each checked against a serial
 * model computed from world ranks. The world of n (2-6 thread ranks) is cut into a low group, world ranks
 * {@code [0, k)} with {@code k = max(1, (n + 1) / 3)}, and a high group (the rest), so the groups differ in size from
 * n = 3 on; rooted collectives run with the root in either group, its group passing {@link MPI#ROOT} and
 * {@link MPI#PROC_NULL}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class IntercommCollectivesTest {
    /** The two groups and this rank's place in them. */
    private static final class Groups {
        final int n, k, r, color, lr, ls, rs;
        final Intracomm local;
        final Intercomm ic;

        Groups() throws MPIException {
            Intracomm w = MPI.COMM_WORLD;
            n = w.getSize();
            r = w.getRank();
            k = Math.max(1, (n + 1) / 3);
            color = r < k ? 0 : 1;
            local = w.split(color, r);
            ic = w.createIntercomm(local, 0, color == 0 ? k : 0, 5);
            lr = ic.getRank();
            ls = ic.getSize();
            rs = ic.getRemoteSize();
        }

        /** World rank of remote rank j. */
        int world(int j) {
            return color == 0 ? k + j : j;
        }

        int[] remoteWorlds() {
            return IntStream.range(0, rs).map(this::world).toArray();
        }

        void free() throws MPIException {
            ic.free();
            local.free();
        }
    }

    private static void run(int n, Ranks.Body body) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            body.run();
            MPI.Finalize();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void rootedCollectivesWithTheRootInEitherGroup(int n) {
        run(n, () -> {
            Groups g = new Groups();
            Intercomm ic = g.ic;
            assertTrue(ic.isInter());
            assertEquals(g.color == 0 ? g.k : n - g.k, g.ls);
            assertEquals(n - g.ls, g.rs);
            int[] rw = g.remoteWorlds();
            for (int rootColor = 0; rootColor < 2; rootColor++) {
                boolean rootGroup = g.color == rootColor;
                int rootLocal = (rootColor == 0 ? g.k : n - g.k) - 1; // the last rank of its group
                boolean amRoot = rootGroup && g.lr == rootLocal;
                int root = rootGroup ? (amRoot ? MPI.ROOT : MPI.PROC_NULL) : rootLocal;
                int rootWorld = rootColor == 0 ? rootLocal : g.k + rootLocal;
                // bcast: 2 of the root's 3 ints; the rest of the root's group passes no buffer at all
                int[] b = amRoot ? new int[]{rootWorld, 42, -1} : rootGroup ? null : new int[3];
                ic.bcast(b, 2, MPI.INT, root);
                if (!rootGroup) assertArrayEquals(new int[]{rootWorld, 42, 0}, b);
                if (amRoot) assertArrayEquals(new int[]{rootWorld, 42, -1}, b);
                // bcast of a ByteBuffer under MPI.BYTE (jmpi's ByteBuffer form, no copy)
                ByteBuffer bb = rootGroup && !amRoot ? null : MPI.newByteBuffer(4);
                if (amRoot) for (int i = 0; i < 4; i++) bb.put(i, (byte) (rootWorld + i));
                ic.bcast(bb, 4, MPI.BYTE, root);
                if (!rootGroup) for (int i = 0; i < 4; i++) assertEquals((byte) (rootWorld + i), bb.get(i));
                // reduce: the other group's vectors summed at the root
                double[] red = amRoot ? new double[2] : null;
                ic.reduce(rootGroup ? null : new double[]{g.r, g.r * 0.5}, red, 2, MPI.DOUBLE, MPI.SUM, root);
                double sum = IntStream.of(rw).sum();
                if (amRoot) assertArrayEquals(new double[]{sum, sum * 0.5}, red);
                // gather: 2 ints of every rank of the other group
                int[] ga = amRoot ? new int[2 * g.rs] : null;
                ic.gather(rootGroup ? null : new int[]{g.r * 10, g.r * 10 + 1}, 2, MPI.INT, ga, 2, MPI.INT, root);
                if (amRoot) for (int j = 0; j < g.rs; j++) for (int t = 0; t < 2; t++) assertEquals(rw[j] * 10 + t, ga[2 * j + t]);
                // gatherv: remote rank j sends j + 1 longs, stored back to front; the senders use the send-only form
                if (rootGroup) {
                    int[] counts = amRoot ? IntStream.range(0, g.rs).map(j -> j + 1).toArray() : null;
                    int total = g.rs * (g.rs + 1) / 2;
                    int[] displs = amRoot ? IntStream.range(0, g.rs).map(j -> total - (j + 1) * (j + 2) / 2).toArray() : null;
                    long[] gv = amRoot ? new long[total] : null;
                    ic.gatherv(null, 0, MPI.LONG, gv, counts, displs, MPI.LONG, root);
                    if (amRoot) {
                        for (int j = 0; j < g.rs; j++) for (int t = 0; t <= j; t++) assertEquals(rw[j] * 100L + t, gv[displs[j] + t]);
                    }
                } else {
                    long[] mine = longs(g.lr + 1, t -> g.r * 100L + t);
                    ic.gatherv(mine, g.lr + 1, MPI.LONG, root);
                }
                // scatter: block j of the root's floats to remote rank j
                float[] sc = amRoot ? new float[2 * g.rs] : null;
                if (amRoot) for (int j = 0; j < g.rs; j++) { sc[2 * j] = j; sc[2 * j + 1] = j + 0.25f; }
                float[] piece = rootGroup ? null : new float[2];
                ic.scatter(sc, 2, MPI.FLOAT, piece, 2, MPI.FLOAT, root);
                if (!rootGroup) assertArrayEquals(new float[]{g.lr, g.lr + 0.25f}, piece);
                // scatterv: remote rank j gets j + 1 shorts from 3 * j on; the receivers use the receive-only form
                if (rootGroup) {
                    int[] counts = amRoot ? IntStream.range(0, g.rs).map(j -> j + 1).toArray() : null;
                    int[] displs = amRoot ? IntStream.range(0, g.rs).map(j -> 3 * j).toArray() : null;
                    short[] sv = amRoot ? new short[3 * g.rs + g.rs] : null;
                    if (amRoot) for (int j = 0; j < g.rs; j++) for (int t = 0; t <= j; t++) sv[3 * j + t] = (short) (100 * j + t);
                    ic.scatterv(sv, counts, displs, MPI.SHORT, null, 0, MPI.SHORT, root);
                } else {
                    short[] got = new short[g.lr + 2];
                    ic.scatterv(got, g.lr + 1, MPI.SHORT, root);
                    for (int t = 0; t <= g.lr; t++) assertEquals((short) (100 * g.lr + t), got[t]);
                    assertEquals(0, got[g.lr + 1]);
                }
            }
            ic.barrier();
            g.free();
        });
    }

    private static long[] longs(int n, java.util.function.IntToLongFunction f) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) a[i] = f.applyAsLong(i);
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void allToAllCollectivesGiveEachRankTheOtherGroups(int n) {
        run(n, () -> {
            Groups g = new Groups();
            Intercomm ic = g.ic;
            int[] rw = g.remoteWorlds();
            int rs = g.rs, ls = g.ls, lr = g.lr, r = g.r;
            int sum = IntStream.of(rw).sum(), max = IntStream.of(rw).max().getAsInt(), min = IntStream.of(rw).min().getAsInt();
            // allReduce of every primitive type
            byte[] b = new byte[1];
            ic.allReduce(new byte[]{(byte) r}, b, 1, MPI.BYTE, MPI.SUM);
            assertEquals((byte) sum, b[0]);
            short[] s = new short[1];
            ic.allReduce(new short[]{(short) r}, s, 1, MPI.SHORT, MPI.MAX);
            assertEquals(max, s[0]);
            char[] c = new char[1];
            ic.allReduce(new char[]{(char) ('a' + r)}, c, 1, MPI.CHAR, MPI.MAX);
            assertEquals('a' + max, c[0]);
            int[] i2 = new int[2];
            ic.allReduce(new int[]{r, 1}, i2, 2, MPI.INT, MPI.SUM);
            assertArrayEquals(new int[]{sum, rs}, i2);
            long[] l = new long[1];
            ic.allReduce(new long[]{1L << 40 | r}, l, 1, MPI.LONG, MPI.BOR);
            assertEquals(1L << 40 | IntStream.of(rw).reduce(0, (x, y) -> x | y), l[0]);
            float[] f = new float[1];
            ic.allReduce(new float[]{0.5f}, f, 1, MPI.FLOAT, MPI.SUM);
            assertEquals(0.5f * rs, f[0]);
            double[] d = new double[1];
            ic.allReduce(new double[]{r + 0.25}, d, 1, MPI.DOUBLE, MPI.MIN);
            assertEquals(min + 0.25, d[0]);
            boolean[] z = new boolean[1];
            ic.allReduce(new boolean[]{r == n - 1}, z, 1, MPI.BOOLEAN, MPI.LOR);
            assertEquals(g.color == 0, z[0], "only the high group holds world rank n-1");
            // MAXLOC over the pair type Int2 (ByteBuffers, as Open MPI's examples use), a user op over a derived type
            ByteBuffer p2 = MPI.newByteBuffer(MPI.int2.getExtent()), o2 = MPI.newByteBuffer(MPI.int2.getExtent());
            Int2.Data p = MPI.int2.getData(p2);
            p.putValue(r * 3 % 7);
            p.putIndex(r);
            ic.allReduce(p2, o2, 1, MPI.INT2, MPI.MAXLOC);
            int best = rw[0];
            for (int w : rw) if (w * 3 % 7 > best * 3 % 7) best = w;
            Int2.Data got = MPI.int2.getData(o2);
            assertEquals(best * 3 % 7, got.getValue());
            assertEquals(best, got.getIndex());
            Datatype pairOfInts = Datatype.createContiguous(2, MPI.INT);
            pairOfInts.commit();
            Op sumAndMax = new Op(new UserFunction() {
                @Override
                public void call(Object inVec, Object inOutVec, int count, Datatype datatype) {
                    int[] x = (int[]) inVec, y = (int[]) inOutVec;
                    for (int i = 0; i < 2 * count; i += 2) {
                        y[i] += x[i];
                        y[i + 1] = Math.max(x[i + 1], y[i + 1]);
                    }
                }
            }, true);
            int[] um = new int[2];
            ic.allReduce(new int[]{r, r * r}, um, 1, pairOfInts, sumAndMax);
            assertArrayEquals(new int[]{sum, max * max}, um);
            pairOfInts.free();
            // allGather, one item per rank, into a slice of the array (offset 1)
            int[] ag = new int[rs + 1];
            ic.allGather(new int[]{r * 3}, 1, MPI.INT, MPI.slice(ag, 1), 1, MPI.INT);
            assertEquals(0, ag[0]);
            for (int j = 0; j < rs; j++) assertEquals(rw[j] * 3, ag[1 + j]);
            // allGather with counts that differ between the groups (low: 1 item, high: 2), arrays longer than the data
            int mine = g.color + 1, theirs = 2 - g.color;
            long[] src = longs(mine + 1, t -> r * 10L + t);
            long[] dst = new long[rs * theirs + 2];
            ic.allGather(src, mine, MPI.LONG, dst, theirs, MPI.LONG);
            for (int j = 0; j < rs; j++) for (int t = 0; t < theirs; t++) assertEquals(rw[j] * 10L + t, dst[j * theirs + t]);
            assertEquals(0, dst[rs * theirs]);
            assertEquals(0, dst[rs * theirs + 1]);
            // allGather of direct ByteBuffers under MPI.BYTE
            ByteBuffer bs = MPI.newByteBuffer(1).put(0, (byte) (r + 1)), br = MPI.newByteBuffer(rs);
            ic.allGather(bs, 1, MPI.BYTE, br, 1, MPI.BYTE);
            for (int j = 0; j < rs; j++) assertEquals(rw[j] + 1, br.get(j));
            // allGatherv: remote rank j contributes j + 1 doubles, stored back to front
            int total = rs * (rs + 1) / 2;
            int[] counts = IntStream.range(0, rs).map(j -> j + 1).toArray();
            int[] displs = IntStream.range(0, rs).map(j -> total - (j + 1) * (j + 2) / 2).toArray();
            double[] gv = new double[total];
            double[] md = new double[lr + 1];
            java.util.Arrays.fill(md, r + 0.5);
            ic.allGatherv(md, lr + 1, MPI.DOUBLE, gv, counts, displs, MPI.DOUBLE);
            for (int j = 0; j < rs; j++) for (int t = 0; t <= j; t++) assertEquals(rw[j] + 0.5, gv[displs[j] + t]);
            // allToAll: block j (2 ints) to remote rank j
            int[] as = new int[2 * rs], ar = new int[2 * rs];
            for (int j = 0; j < rs; j++) for (int t = 0; t < 2; t++) as[2 * j + t] = r * 100 + j * 10 + t;
            ic.allToAll(as, 2, MPI.INT, ar, 2, MPI.INT);
            for (int i = 0; i < rs; i++) for (int t = 0; t < 2; t++) assertEquals(rw[i] * 100 + lr * 10 + t, ar[2 * i + t]);
            // allToAll with counts that differ between the groups (low sends 1 per rank, high 2)
            char[] cs = new char[mine * rs], cr = new char[theirs * rs];
            for (int j = 0; j < rs; j++) for (int t = 0; t < mine; t++) cs[j * mine + t] = (char) (1000 + r * 100 + j * 10 + t);
            ic.allToAll(cs, mine, MPI.CHAR, cr, theirs, MPI.CHAR);
            for (int i = 0; i < rs; i++) for (int t = 0; t < theirs; t++) assertEquals((char) (1000 + rw[i] * 100 + lr * 10 + t), cr[i * theirs + t]);
            // allToAllv: j + 1 ints to remote rank j; so lr + 1 from each remote rank
            int[] sc = IntStream.range(0, rs).map(j -> j + 1).toArray();
            int[] sd = IntStream.range(0, rs).map(j -> j * (j + 1) / 2).toArray();
            int[] vs = new int[total];
            for (int j = 0; j < rs; j++) for (int t = 0; t <= j; t++) vs[sd[j] + t] = r * 100 + j * 10 + t;
            int[] rc = IntStream.range(0, rs).map(i -> lr + 1).toArray();
            int[] rd = IntStream.range(0, rs).map(i -> i * (lr + 1)).toArray();
            int[] vr = new int[rs * (lr + 1)];
            ic.allToAllv(vs, sc, sd, MPI.INT, vr, rc, rd, MPI.INT);
            for (int i = 0; i < rs; i++) for (int t = 0; t <= lr; t++) assertEquals(rw[i] * 100 + lr * 10 + t, vr[rd[i] + t]);
            // reduceScatterBlock: ls * rs items in both groups; each local rank keeps rs of the other group's sums
            int[] v = IntStream.range(0, ls * rs).map(t -> r * 1000 + t).toArray();
            int[] out = new int[rs];
            ic.reduceScatterBlock(v, out, rs, MPI.INT, MPI.SUM);
            for (int t = 0; t < rs; t++) assertEquals(sum * 1000 + rs * (lr * rs + t), out[t]);
            // reduceScatter: one count per local rank, rs each and one more for the last (ls * rs + 1 in both groups)
            int[] rcounts = IntStream.range(0, ls).map(i -> rs + (i == ls - 1 ? 1 : 0)).toArray();
            long[] lv = longs(ls * rs + 1, t -> r + 2L * t);
            long[] lo = new long[rcounts[lr]];
            ic.reduceScatter(lv, lo, rcounts, MPI.LONG, MPI.SUM);
            for (int t = 0; t < rcounts[lr]; t++) assertEquals(sum + 2L * rs * (lr * rs + t), lo[t]);
            ic.barrier();
            g.free();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void nonBlockingFormsOnDirectBuffersCompleteInAnyOrder(int n) {
        run(n, () -> {
            Groups g = new Groups();
            Intercomm ic = g.ic;
            int[] rw = g.remoteWorlds();
            int rs = g.rs, ls = g.ls, lr = g.lr, r = g.r;
            int sum = IntStream.of(rw).sum();
            boolean rootGroup = g.color == 1, amRoot = rootGroup && lr == 0; // the high group's first rank is the root
            int root = rootGroup ? (amRoot ? MPI.ROOT : MPI.PROC_NULL) : 0;
            boolean idle = rootGroup && !amRoot;
            List<Request> q = new ArrayList<>();
            // rooted: the root's buffers and the other group's; idle ranks pass null
            IntBuffer bc = idle ? null : MPI.newIntBuffer(2);
            if (amRoot) bc.put(0, 7).put(1, g.k);
            q.add(ic.iBcast(bc, 2, MPI.INT, root));
            DoubleBuffer rsend = rootGroup ? null : MPI.newDoubleBuffer(1).put(0, r), rrecv = amRoot ? MPI.newDoubleBuffer(1) : null;
            q.add(ic.iReduce(rsend, rrecv, 1, MPI.DOUBLE, MPI.SUM, root));
            ByteBuffer gs = rootGroup ? null : MPI.newByteBuffer(1).put(0, (byte) (r + 1)), gr = amRoot ? MPI.newByteBuffer(rs) : null;
            q.add(ic.iGather(gs, 1, MPI.BYTE, gr, 1, MPI.BYTE, root));
            int total = rs * (rs + 1) / 2;
            int[] vcounts = IntStream.range(0, rs).map(j -> j + 1).toArray();
            int[] vdispls = IntStream.range(0, rs).map(j -> j * (j + 1) / 2).toArray();
            IntBuffer gvs = rootGroup ? null : MPI.newIntBuffer(lr + 1), gvr = amRoot ? MPI.newIntBuffer(total) : null;
            if (!rootGroup) for (int t = 0; t <= lr; t++) gvs.put(t, r * 10 + t);
            q.add(amRoot ? ic.iGatherv(null, 0, MPI.INT, gvr, vcounts, vdispls, MPI.INT, root) : ic.iGatherv(gvs, lr + 1, MPI.INT, root));
            LongBuffer ss = amRoot ? MPI.newLongBuffer(rs) : null, sr = rootGroup ? null : MPI.newLongBuffer(1);
            if (amRoot) for (int j = 0; j < rs; j++) ss.put(j, 1000L + j);
            q.add(ic.iScatter(ss, 1, MPI.LONG, sr, 1, MPI.LONG, root));
            FloatBuffer svs = amRoot ? MPI.newFloatBuffer(total) : null, svr = rootGroup ? null : MPI.newFloatBuffer(lr + 1);
            if (amRoot) for (int j = 0; j < rs; j++) for (int t = 0; t <= j; t++) svs.put(vdispls[j] + t, j + t / 4f);
            q.add(rootGroup ? ic.iScatterv(svs, vcounts, vdispls, MPI.FLOAT, null, 0, MPI.FLOAT, root)
                    : ic.iScatterv(svr, lr + 1, MPI.FLOAT, root));
            // all-to-all
            DoubleBuffer as = MPI.newDoubleBuffer(1).put(0, r * 2.0), ar = MPI.newDoubleBuffer(1);
            q.add(ic.iAllReduce(as, ar, 1, MPI.DOUBLE, MPI.SUM));
            int mine = g.color + 1, theirs = 2 - g.color;
            ShortBuffer ags = MPI.newShortBuffer(mine), agr = MPI.newShortBuffer(rs * theirs + 1); // one spare element
            for (int t = 0; t < mine; t++) ags.put(t, (short) (r * 10 + t));
            q.add(ic.iAllGather(ags, mine, MPI.SHORT, agr, theirs, MPI.SHORT));
            IntBuffer avs = MPI.newIntBuffer(lr + 1), avr = MPI.newIntBuffer(total);
            for (int t = 0; t <= lr; t++) avs.put(t, r * 10 + t);
            q.add(ic.iAllGatherv(avs, lr + 1, MPI.INT, avr, vcounts, vdispls, MPI.INT));
            IntBuffer ts = MPI.newIntBuffer(rs), tr = MPI.newIntBuffer(rs);
            for (int j = 0; j < rs; j++) ts.put(j, r * 100 + j);
            q.add(ic.iAllToAll(ts, 1, MPI.INT, tr, 1, MPI.INT));
            int[] rc = IntStream.range(0, rs).map(i -> lr + 1).toArray(), rd = IntStream.range(0, rs).map(i -> i * (lr + 1)).toArray();
            ByteBuffer tvs = MPI.newByteBuffer(total), tvr = MPI.newByteBuffer(rs * (lr + 1));
            for (int j = 0; j < rs; j++) for (int t = 0; t <= j; t++) tvs.put(vdispls[j] + t, (byte) (r * 10 + j));
            q.add(ic.iAllToAllv(tvs, vcounts, vdispls, MPI.BYTE, tvr, rc, rd, MPI.BYTE));
            IntBuffer bsend = MPI.newIntBuffer(ls * rs), brecv = MPI.newIntBuffer(rs);
            for (int t = 0; t < ls * rs; t++) bsend.put(t, r + t);
            q.add(ic.iReduceScatterBlock(bsend, brecv, rs, MPI.INT, MPI.SUM));
            int[] rcounts = IntStream.range(0, ls).map(i -> rs + (i == ls - 1 ? 1 : 0)).toArray();
            LongBuffer rss = MPI.newLongBuffer(ls * rs + 1), rsr = MPI.newLongBuffer(rcounts[lr]);
            for (int t = 0; t < ls * rs + 1; t++) rss.put(t, r * 3L + t);
            q.add(ic.iReduceScatter(rss, rsr, rcounts, MPI.LONG, MPI.SUM));
            q.add(ic.iBarrier());
            Collections.reverse(q);
            for (Request x : q) x.waitFor();
            for (Request x : q) assertTrue(x.isNull());
            // the serial model
            if (!rootGroup) {
                assertEquals(7, bc.get(0));
                assertEquals(g.k, bc.get(1));
                assertEquals(1000L + lr, sr.get(0));
                for (int t = 0; t <= lr; t++) assertEquals(lr + t / 4f, svr.get(t));
            }
            if (amRoot) {
                assertEquals(sum, rrecv.get(0));
                for (int j = 0; j < rs; j++) assertEquals(rw[j] + 1, gr.get(j));
                for (int j = 0; j < rs; j++) for (int t = 0; t <= j; t++) assertEquals(rw[j] * 10 + t, gvr.get(vdispls[j] + t));
            }
            assertEquals(sum * 2.0, ar.get(0));
            for (int j = 0; j < rs; j++) for (int t = 0; t < theirs; t++) assertEquals((short) (rw[j] * 10 + t), agr.get(j * theirs + t));
            assertEquals(0, agr.get(rs * theirs));
            for (int j = 0; j < rs; j++) for (int t = 0; t <= j; t++) assertEquals(rw[j] * 10 + t, avr.get(vdispls[j] + t));
            for (int i = 0; i < rs; i++) assertEquals(rw[i] * 100 + lr, tr.get(i));
            for (int i = 0; i < rs; i++) for (int t = 0; t <= lr; t++) assertEquals((byte) (rw[i] * 10 + lr), tvr.get(rd[i] + t));
            for (int t = 0; t < rs; t++) assertEquals(sum + rs * (lr * rs + t), brecv.get(t));
            for (int t = 0; t < rcounts[lr]; t++) assertEquals(sum * 3L + rs * (long) (lr * rs + t), rsr.get(t));
            g.free();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 6})
    void badArgumentsFailWithOpenMpisErrorClassesOnEveryRankAndNothingHangs(int n) {
        run(n, () -> {
            Groups g = new Groups();
            Intercomm ic = g.ic;
            ic.setErrhandler(MPI.ERRORS_RETURN);
            int rs = g.rs, ls = g.ls;
            int[] one = {1}, out = new int[Math.max(rs, ls) + 1];
            // every rank passes the same bad argument, so every rank fails before anything is sent
            MPIException e = assertThrows(MPIException.class, () -> ic.bcast(one, 1, MPI.INT, rs));
            assertEquals(MPI.ERR_ROOT, e.getErrorClass());
            assertTrue(e.getMessage().startsWith("bcast: root=" + rs + " out of range [0, " + rs + ")"), e.getMessage());
            e = assertThrows(MPIException.class, () -> ic.reduce(one, out, 1, MPI.INT, MPI.SUM, -7));
            assertEquals(MPI.ERR_ROOT, e.getErrorClass());
            // MPI has no in-place forms on inter-communicators; Open MPI's classes for them
            e = assertThrows(MPIException.class, () -> ic.allReduce(out, 1, MPI.INT, MPI.SUM));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            assertTrue(e.getMessage().startsWith("allReduce: the in-place form (MPI_IN_PLACE) is not defined"), e.getMessage());
            e = assertThrows(MPIException.class, () -> ic.iAllReduce(MPI.newIntBuffer(1), 1, MPI.INT, MPI.SUM));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            assertEquals(MPI.ERR_ARG, assertThrows(MPIException.class, () -> ic.gather(out, 1, MPI.INT, MPI.ROOT)).getErrorClass());
            assertEquals(MPI.ERR_ARG, assertThrows(MPIException.class, () -> ic.allGather(out, 1, MPI.INT)).getErrorClass());
            assertEquals(MPI.ERR_ARG, assertThrows(MPIException.class,
                    () -> ic.scatterv(out, new int[rs], new int[rs], MPI.INT, MPI.ROOT)).getErrorClass());
            assertEquals(MPI.ERR_ARG, assertThrows(MPIException.class,
                    () -> ic.reduceScatterBlock(out, 1, MPI.INT, MPI.SUM)).getErrorClass());
            // counts, operations, vector arguments, buffers
            e = assertThrows(MPIException.class, () -> ic.allReduce(one, out, -1, MPI.INT, MPI.SUM));
            assertEquals(MPI.ERR_COUNT, e.getErrorClass());
            assertEquals("allReduce: count=-1 is negative", e.getMessage());
            e = assertThrows(MPIException.class, () -> ic.allReduce(one, out, 1, MPI.INT, null));
            assertEquals(MPI.ERR_OP, e.getErrorClass());
            e = assertThrows(MPIException.class, () -> ic.allGatherv(one, 1, MPI.INT, out, new int[rs + 1], new int[rs + 1], MPI.INT));
            assertEquals(MPI.ERR_ARG, e.getErrorClass());
            assertTrue(e.getMessage().startsWith("allGatherv: recvcount needs one count per rank of the remote group (" + rs + ")"),
                    e.getMessage());
            e = assertThrows(MPIException.class, () -> ic.reduceScatter(one, out, new int[ls + 1], MPI.INT, MPI.SUM));
            assertEquals(MPI.ERR_ARG, e.getErrorClass());
            e = assertThrows(MPIException.class, () -> ic.allToAll(new int[rs - 1], 1, MPI.INT, out, 1, MPI.INT));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            e = assertThrows(MPIException.class, () -> ic.iAllGather(IntBuffer.wrap(one), 1, MPI.INT, MPI.newIntBuffer(rs), 1, MPI.INT));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            e = assertThrows(MPIException.class, () -> ic.allToAllw(MPI.newIntBuffer(rs), new int[rs], new int[rs], new Datatype[rs],
                    MPI.newIntBuffer(rs), new int[rs], new int[rs], new Datatype[rs]));
            assertEquals(MPI.ERR_UNSUPPORTED_OPERATION, e.getErrorClass());
            // both groups claim the root: jmpi's agreement fails the call on every rank of both groups (ERR_OTHER)
            int bothRoot = g.lr == 0 ? MPI.ROOT : MPI.PROC_NULL;
            e = assertThrows(MPIException.class, () -> ic.bcast(one, 1, MPI.INT, bothRoot));
            assertEquals(MPI.ERR_OTHER, e.getErrorClass());
            // nothing was corrupted: the next collectives work
            ic.barrier();
            int[] s = new int[1];
            ic.allReduce(new int[]{1}, s, 1, MPI.INT, MPI.SUM);
            assertEquals(rs, s[0]);
            g.free();
        });
    }
}
