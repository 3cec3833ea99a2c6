package io.jmpi;

import io.jmpi.coll.ScheduleRequest;
import io.jmpi.buffer.DataType;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Collective scenarios, written once for every transport: messages above the thresholds (checking the algorithm
 * chosen), every algorithm forced on small counts, several non-blocking collectives in flight on different
 * communicators and from several threads, the object tier, ByteBuffers, in-place forms, and determinism.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CollScenarios {
    abstract String transport();

    abstract int[] sizes();

    abstract int[] forcedSizes();

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    static double[] ramp(int rank, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = (rank * 7 + i) % 13 - 6;
        return x;
    }

    static String algorithm(Request r) {
        r.await();
        return ((ScheduleRequest) ((EngineRequest) r).completion()).algorithm();
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void largeMessagesUseTheLargeAlgorithms(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), len = 20_000;
            double[] sum = new double[len];
            for (int r = 0; r < n; r++) {
                double[] x = ramp(r, len);
                for (int i = 0; i < len; i++) sum[i] += x[i];
            }
            double[] y = new double[len];
            assertEquals(n == 1 ? "copy" : "Rabenseifner (reduce-scatter + allgather)", algorithm(w.iallreduce(ramp(me, len), y, Op.SUM)));
            assertArrayEquals(sum, y);
            // non-commutative user op and MINLOC pairs through the halving (chunks never split a pair)
            int[] first = new int[len], got = new int[len];
            for (int i = 0; i < len; i++) first[i] = (me + i) % 4 == 0 ? 0 : me * len + i;
            w.allreduce(first, got, Op.ofInt((a, b) -> a != 0 ? a : b, false));
            for (int i = 0; i < len; i++) {
                int expect = 0;
                for (int r = 0; r < n && expect == 0; r++) expect = (r + i) % 4 == 0 ? 0 : r * len + i;
                assertEquals(expect, got[i]);
            }
            double[] pairs = new double[len], loc = new double[len];
            for (int i = 0; i < len; i += 2) {
                pairs[i] = (me * 3 + i) % 5;
                pairs[i + 1] = me;
            }
            w.allreduce(pairs, loc, Op.MINLOC);
            for (int i = 0; i < len; i += 2) {
                double best = Double.MAX_VALUE, at = -1;
                for (int r = 0; r < n; r++) if ((r * 3 + i) % 5 < best) { best = (r * 3 + i) % 5; at = r; }
                assertEquals(best, loc[i]);
                assertEquals(at, loc[i + 1]);
            }
            // reduce to a rank that is not where the gather ends, non-commutative
            long[] last = new long[len], red = new long[len];
            for (int i = 0; i < len; i++) last[i] = (me + i) % 3 == 0 ? 0 : me + 1;
            String alg = algorithm(w.ireduce(last, red, Op.ofLong((a, b) -> b != 0 ? b : a, false), n - 1));
            if (n > 1) assertEquals("reduce-scatter + gather (Rabenseifner)", alg);
            if (me == n - 1) {
                for (int i = 0; i < len; i++) {
                    long expect = 0;
                    for (int r = 0; r < n; r++) if ((r + i) % 3 != 0) expect = r + 1;
                    assertEquals(expect, red[i]);
                }
            }
            // bcast of 320 KB from the middle rank
            int root = n / 2;
            double[] b = me == root ? ramp(root, 2 * len) : new double[2 * len];
            assertEquals(n >= 3 ? "scatter + ring allgather" : "binomial tree", algorithm(w.ibcast(b, root)));
            assertArrayEquals(ramp(root, 2 * len), b);
            // gather and scatter of 40 KB blocks: linear
            int blk = 5_000;
            double[] all = new double[n * blk];
            assertEquals("linear", algorithm(w.igather(ramp(me, blk), all, root)));
            if (me == root) for (int r = 0; r < n; r++) assertArrayEquals(ramp(r, blk), Arrays.copyOfRange(all, r * blk, (r + 1) * blk));
            double[] mine = new double[blk];
            w.scatter(all, mine, root);
            if (me == root) assertArrayEquals(ramp(me, blk), mine);
            // allgather of 320 KB in total: ring
            int per = 2 * len / n;
            double[] ag = new double[per * n];
            assertEquals("ring", algorithm(w.iallgather(ramp(me, per), ag)));
            for (int r = 0; r < n; r++) assertArrayEquals(ramp(r, per), Arrays.copyOfRange(ag, r * per, (r + 1) * per));
            // alltoall of 40 KB blocks: pairwise
            double[] out = new double[n * blk], in = new double[n * blk];
            for (int j = 0; j < n; j++) for (int k = 0; k < blk; k++) out[j * blk + k] = me * 1000 + j + k;
            assertEquals("pairwise exchange", algorithm(w.ialltoall(out, in)));
            for (int i = 0; i < n; i++) for (int k = 0; k < blk; k += 999) assertEquals(i * 1000 + me + k, in[i * blk + k]);
            // reduce-scatter of an 80 KB vector: pairwise
            int[] vec = new int[len], part = new int[len / n];
            Arrays.fill(vec, me + 1);
            int[] counts = new int[n];
            Arrays.fill(counts, len / n);
            String rs = algorithm(w.ireduceScatter(vec, part, counts, Op.SUM));
            assertEquals(n == 1 ? "allreduce + copy" : "pairwise exchange", rs);
            for (int v : part) assertEquals(n * (n + 1) / 2, v);
        });
    }

    /** Runs the per-type checks (int, long, double) with every threshold at one extreme. */
    private void forced(int n, Map<String, String> settings) {
        Map<String, String> old = new HashMap<>();
        for (Map.Entry<String, String> e : settings.entrySet()) old.put(e.getKey(), System.setProperty("jmpi." + e.getKey(), e.getValue()));
        try {
            run(n, mpi -> {
                Comm w = mpi.world();
                for (DataType t : new DataType[]{DataType.INT, DataType.LONG, DataType.DOUBLE}) {
                    for (Op op : CollTypes.ops(t)) CollConformance.checkReductions(w, t, op, t == DataType.LONG);
                    CollConformance.checkMovement(w, t, t == DataType.INT);
                }
            });
        } finally {
            for (Map.Entry<String, String> e : old.entrySet()) {
                if (e.getValue() == null) System.clearProperty("jmpi." + e.getKey());
                else System.setProperty("jmpi." + e.getKey(), e.getValue());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("forcedSizes")
    void largeAlgorithmsForcedOnSmallCounts(int n) {
        Map<String, String> s = new HashMap<>();
        for (String k : List.of("collBcastLarge", "collReduceLarge", "collAllreduceLarge", "collReduceScatterLarge",
                "collAllgatherLarge", "collGatherLarge", "collAlltoallSmall", "collAlltoallLarge")) s.put(k, "0");
        forced(n, s);
    }

    @ParameterizedTest
    @MethodSource("forcedSizes")
    void smallAlgorithmsForcedOnAllCounts(int n) {
        Map<String, String> s = new HashMap<>();
        String max = String.valueOf(Integer.MAX_VALUE);
        for (String k : List.of("collBcastLarge", "collReduceLarge", "collAllreduceLarge", "collReduceScatterLarge",
                "collAllgatherLarge", "collGatherLarge", "collAlltoallSmall", "collAlltoallLarge")) s.put(k, max);
        s.put("collBruckMinRanks", "2");
        forced(n, s);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void severalCollectivesInFlightOnDifferentCommunicators(int n) {
        run(n, mpi -> {
            Comm w = mpi.world(), a = w.dup(), b = w.dup(), c = w.split(w.rank() % 2, -w.rank());
            int me = w.rank(), len = 30_000;
            double[] big = me == n - 1 ? ramp(n - 1, len) : new double[len];
            double[] sum = new double[len];
            int[] ones = new int[n], gathered = new int[n];
            Arrays.fill(ones, me + 1);
            int[] a2a = new int[n];
            double[] scan = new double[3];
            int[] cg = new int[c.size()];
            List<Request> reqs = new ArrayList<>(List.of(
                    a.ibcast(big, n - 1),
                    b.iallreduce(ramp(me, len), sum, Op.SUM),
                    c.iallgather(new int[]{me}, cg),
                    w.ibarrier(),
                    w.ialltoall(ones, a2a),
                    w.igather(new int[]{me * me}, gathered, 0),
                    a.iscan(new double[]{1, me, -me}, scan, Op.SUM)));
            if (me % 2 == 1) Collections.reverse(reqs);
            for (Request r : reqs) r.await();
            assertArrayEquals(ramp(n - 1, len), big);
            double[] expect = new double[len];
            for (int r = 0; r < n; r++) {
                double[] x = ramp(r, len);
                for (int i = 0; i < len; i++) expect[i] += x[i];
            }
            assertArrayEquals(expect, sum);
            for (int i = 0; i < c.size(); i++) assertEquals(me % 2 + 2 * (c.size() - 1 - i), cg[i]);
            for (int i = 0; i < n; i++) assertEquals(i + 1, a2a[i]);
            if (me == 0) for (int i = 0; i < n; i++) assertEquals(i * i, gathered[i]);
            assertArrayEquals(new double[]{me + 1, me * (me + 1) / 2.0, -me * (me + 1) / 2.0}, scan);
            // test() drives them too
            Request r = b.iallreduce(new int[]{me}, new int[1], Op.MAX);
            while (r.test() == null) Thread.onSpinWait();
            assertTrue(r.isDone());
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void collectivesFromSeveralThreads(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            Comm[] comms = {w.dup(), w.dup(), w.dup()};
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] threads = new Thread[comms.length];
            for (int k = 0; k < comms.length; k++) {
                Comm c = comms[k];
                int id = k;
                threads[k] = new Thread(() -> {
                    try {
                        for (int it = 0; it < 20; it++) {
                            long[] v = {c.rank() + id, it, 1};
                            long[] s = new long[3];
                            c.allreduce(v, s, Op.SUM);
                            assertArrayEquals(new long[]{n * (n - 1) / 2 + (long) n * id, (long) n * it, n}, s);
                            int[] bc = {c.rank() == it % n ? it * 10 + id : -1};
                            c.ibcast(bc, it % n).await();
                            assertEquals(it * 10 + id, bc[0]);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
                threads[k].start();
            }
            for (Thread t : threads) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void objectTier(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), root = n - 1;
            Map<String, Integer> m = me == root ? Map.of("answer", 42) : null;
            assertEquals(Map.of("answer", 42), w.bcastObject(m, root));
            List<String> g = w.gatherObject("r" + me, n / 2);
            List<String> names = new ArrayList<>();
            for (int r = 0; r < n; r++) names.add("r" + r);
            if (me == n / 2) assertEquals(names, g);
            else assertNull(g);
            assertEquals(names, w.allgatherObject("r" + me));
            List<int[]> parts = new ArrayList<>();
            for (int r = 0; r < n; r++) parts.add(new int[r]);
            assertEquals(me, w.<int[]>scatterObject(me == root ? parts : null, root).length);
            List<String> to = new ArrayList<>();
            for (int j = 0; j < n; j++) to.add(me + ">" + j);
            List<String> from = new ArrayList<>();
            for (int i = 0; i < n; i++) from.add(i + ">" + me);
            assertEquals(from, w.alltoallObject(to));
            String order = String.join(",", names);
            String red = w.reduceObject("r" + me, (x, y) -> x + "," + y, root);
            if (me == root) assertEquals(order, red);
            else assertNull(red);
            assertEquals(order, w.allreduceObject("r" + me, (x, y) -> x + "," + y));
            String at0 = w.reduceObject("r" + me, (x, y) -> x + "," + y, 0);
            if (me == 0) assertEquals(order, at0);
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void byteBuffersAndInPlaceForms(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), root = n / 2;
            ByteBuffer b = ByteBuffer.allocateDirect(12).position(3);
            if (me == root) for (int i = 3; i < 12; i++) b.put(i, (byte) (i * 5));
            w.bcast(b, root);
            assertEquals(3, b.position());
            for (int i = 3; i < 12; i++) assertEquals((byte) (i * 5), b.get(i));
            ByteBuffer mine = ByteBuffer.allocate(4);
            for (int i = 0; i < 4; i++) mine.put(i, (byte) (me * 10 + i));
            ByteBuffer all = ByteBuffer.allocateDirect(4 * n + 2).position(2);
            w.iallgather(mine, all).await();
            for (int r = 0; r < n; r++) for (int i = 0; i < 4; i++) assertEquals((byte) (r * 10 + i), all.get(2 + 4 * r + i));
            ByteBuffer g = ByteBuffer.allocate(4 * n);
            w.gather(mine, g, root);
            if (me == root) assertEquals(all.duplicate().position(2), g.duplicate().position(0));
            ByteBuffer back = ByteBuffer.allocate(4);
            w.scatter(me == root ? g : null, back, root);
            assertEquals(mine, back);
            ByteBuffer out = ByteBuffer.allocate(n), in = ByteBuffer.allocateDirect(n);
            for (int j = 0; j < n; j++) out.put(j, (byte) (me * n + j));
            w.alltoall(out, in);
            for (int i = 0; i < n; i++) assertEquals((byte) (i * n + me), in.get(i));
            // in place: gather and scatter at the root through the same array, reduce in place
            int[] buf = new int[2 * n];
            buf[2 * me] = me;
            buf[2 * me + 1] = -me;
            w.gather(buf, 2 * me, 2, buf, 0, root);
            if (me == root) for (int r = 0; r < n; r++) assertArrayEquals(new int[]{r, -r}, Arrays.copyOfRange(buf, 2 * r, 2 * r + 2));
            int[] sc = new int[2 * n];
            if (me == root) for (int i = 0; i < 2 * n; i++) sc[i] = i;
            w.scatter(sc, 0, sc, 2 * me, 2, root);
            assertArrayEquals(new int[]{2 * me, 2 * me + 1}, Arrays.copyOfRange(sc, 2 * me, 2 * me + 2));
            int[] mix = new int[2 * n];
            for (int j = 0; j < 2 * n; j++) mix[j] = me * 1000 + j;
            w.alltoall(mix, mix);
            for (int i = 0; i < n; i++) assertArrayEquals(new int[]{i * 1000 + 2 * me, i * 1000 + 2 * me + 1}, Arrays.copyOfRange(mix, 2 * i, 2 * i + 2));
            long[] red = {me, 1};
            w.reduce(red, Op.SUM, root);
            if (me == root) assertArrayEquals(new long[]{n * (n - 1) / 2, n}, red);
            else assertArrayEquals(new long[]{me, 1}, red);
            // receive buffers that only the root reads may be null elsewhere
            int[] total = me == root ? new int[1] : null;
            w.reduce(new int[]{1}, total, Op.SUM, root);
            if (me == root) assertEquals(n, total[0]);
            w.gather(new int[]{me}, me == root ? new int[n] : null, root);
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void reductionsAreDeterministic(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            Random rnd = new Random(1234 + w.rank());
            for (int len : new int[]{7, 20_000}) {
                double[] x = new double[len];
                for (int i = 0; i < len; i++) x[i] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6);
                double[] first = new double[len], again = new double[len];
                w.allreduce(x, first, Op.SUM);
                for (int k = 0; k < 3; k++) {
                    w.allreduce(x, again, Op.SUM);
                    assertArrayEquals(first, again, "allreduce differs between runs");
                }
                long h = Arrays.hashCode(first);
                long[] hashes = new long[n];
                w.allgather(new long[]{h}, hashes);
                for (long o : hashes) assertEquals(h, o, "ranks got different bits");
                double[] viaReduce = new double[len];
                w.reduce(x, viaReduce, Op.of((double p, double q) -> p + q, false), 0);
                double[] viaReduce2 = new double[len];
                w.reduce(x, viaReduce2, Op.of((double p, double q) -> p + q, false), 0);
                if (w.rank() == 0) assertArrayEquals(viaReduce, viaReduce2);
            }
        });
    }
}
