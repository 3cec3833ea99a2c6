package io.jmpi;

import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The later MPI features (send modes, persistent point-to-point and collective requests, matched probe, completion
 * of request sets, communicator management, intercommunicators, topologies with neighbourhood collectives, object
 * slices and object scans), each a small case checked against a serial computation; written once and run for every
 * transport (subclasses) and world size ({@link #sizes()}), and by {@code MpjConformanceMain} over MPJ Express.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeatureConformance {
    abstract String transport();

    /** World sizes the cases run at; odd sizes and non-powers of two included. */
    int[] sizes() {
        return new int[]{1, 2, 3, 4, 5};
    }

    /** The sizes at which a case needs two groups. */
    int[] sizesFrom2() {
        return IntStream.of(sizes()).filter(n -> n >= 2).toArray();
    }

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void bsendFromAttachedBufferAndRsendToPostedReceive(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            int len = 100;
            mpi.bufferAttach(2 * (4 * len + Mpi.BSEND_OVERHEAD));
            int[] a = IntStream.range(0, len).map(i -> w.rank() * 1000 + i).toArray();
            w.bsend(a, right, 1);
            w.bsend(a, 0, 10, right, 2);
            int[] got = new int[len];
            assertEquals(len, w.recv(got, left, 1).count());
            assertArrayEquals(IntStream.range(0, len).map(i -> left * 1000 + i).toArray(), got);
            int[] ten = new int[len];
            assertEquals(10, w.recv(ten, left, 2).count());
            assertEquals(left * 1000 + 9, ten[9]);
            assertEquals(0, ten[10]);
            assertEquals(2 * (4 * len + Mpi.BSEND_OVERHEAD), mpi.bufferDetach().remaining());
            // rsend: the receive is posted everywhere before any rank passes the barrier
            double[] r = new double[3];
            Request posted = w.irecv(r, left, 3);
            w.barrier();
            w.rsend(new double[]{w.rank(), w.rank() + 0.5, -w.rank()}, right, 3);
            assertEquals(left, posted.await().source());
            assertArrayEquals(new double[]{left, left + 0.5, -left}, r);
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void persistentRingRestartedFiftyTimes(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            long[] out = new long[4], in = new long[4];
            Prequest recv = w.recvInit(in, left, 4);
            Prequest send = w.sendInit(out, right, 4);
            for (int i = 0; i < 50; i++) {
                for (int k = 0; k < 4; k++) out[k] = w.rank() * 1_000_000L + i * 10L + k;
                Requests.startAll(recv, send);
                Status[] s = Requests.awaitAll(recv, send);
                assertEquals(left, s[0].source());
                assertEquals(4, s[0].count());
                for (int k = 0; k < 4; k++) assertEquals(left * 1_000_000L + i * 10L + k, in[k], "round " + i);
            }
            recv.free();
            send.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void persistentAllreduceAndBcastRestarted(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int[] mine = new int[2], sum = new int[2];
            double[] b = new double[3];
            Prequest ar = w.allreduceInit(mine, sum, Op.SUM);
            Prequest[] bc = new Prequest[n];
            for (int root = 0; root < n; root++) bc[root] = w.bcastInit(b, root);
            for (int i = 0; i < 12; i++) {
                mine[0] = w.rank() + i;
                mine[1] = w.rank() * i;
                ar.start().await();
                assertEquals(n * (n - 1) / 2 + n * i, sum[0], "round " + i);
                assertEquals(n * (n - 1) / 2 * i, sum[1], "round " + i);
                int root = i % n;
                Arrays.fill(b, w.rank() == root ? i + 0.25 : -1);
                bc[root].start().await();
                assertArrayEquals(new double[]{i + 0.25, i + 0.25, i + 0.25}, b, "round " + i);
            }
            ar.free();
            for (Prequest p : bc) p.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void mprobeThenMessageRecv(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            Request s = w.isend(IntStream.rangeClosed(0, w.rank()).toArray(), right, 7);
            Message m = w.mprobe(left, 7);
            assertEquals(left, m.status().source());
            assertEquals(4L * (left + 1), m.status().bytes());
            int[] got = new int[left + 1];
            assertEquals(left + 1, m.recv(got).count());
            assertArrayEquals(IntStream.rangeClosed(0, left).toArray(), got);
            s.await();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void testAnyTestSomeAndAwaitAllIntoStatuses(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            int[][] in = new int[3][1];
            Request[] rs = new Request[3];
            for (int t = 0; t < 3; t++) rs[t] = w.irecv(in[t], left, 20 + t);
            // nobody sends before the barrier, so nothing can have completed
            assertEquals(-1, Requests.testAny(rs));
            assertEquals(0, Requests.testSome(rs).length);
            w.barrier();
            Request[] ss = new Request[3];
            for (int t = 2; t >= 0; t--) ss[t] = w.isend(new int[]{w.rank() * 10 + t}, right, 20 + t);
            int first;
            do {
                first = Requests.testAny(rs);
            } while (first < 0);
            assertTrue(rs[first].isDone());
            boolean[] seen = new boolean[3];
            int seenCount = 0;
            while (seenCount < 3) {
                for (int i : Requests.testSome(rs)) {
                    if (!seen[i]) seenCount++;
                    seen[i] = true;
                }
            }
            Status[] st = new Status[3];
            Requests.awaitAll(rs, st);
            for (int t = 0; t < 3; t++) {
                assertEquals(left, st[t].source());
                assertEquals(20 + t, st[t].tag());
                assertEquals(left * 10 + t, in[t][0]);
            }
            Requests.awaitAll(ss);
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void compareDupSplitAttributesCreateGroupAndName(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int r = w.rank();
            Keyval copied = Comm.createKeyval(Keyval.DUP_COPY, Keyval.NULL_DELETE);
            AtomicInteger deleted = new AtomicInteger();
            Keyval dropped = Comm.createKeyval(Keyval.NULL_COPY, (c, k, v) -> deleted.incrementAndGet());
            Comm d = w.dup();
            d.setAttr(copied, "kept-" + r);
            d.setAttr(dropped, r);
            Comm dd = d.dup();
            assertEquals(Comparison.IDENT, w.compare(w));
            assertEquals(Comparison.CONGRUENT, w.compare(d));
            assertEquals(Comparison.CONGRUENT, d.compare(dd));
            assertEquals("kept-" + r, dd.getAttr(copied));
            assertNull(dd.getAttr(dropped));
            assertEquals(r, d.getAttr(dropped));
            Comm reversed = w.split(0, n - r);
            assertEquals(n - 1 - r, reversed.rank());
            assertEquals(n == 1 ? Comparison.CONGRUENT : Comparison.SIMILAR, w.compare(reversed));
            Comm parity = w.split(r % 2, r);
            assertEquals(n == 1 ? Comparison.CONGRUENT : Comparison.UNEQUAL, w.compare(parity));
            // only the even ranks call createGroup
            int[] evens = IntStream.range(0, n).filter(i -> i % 2 == 0).toArray();
            if (r % 2 == 0) {
                Comm e = w.createGroup(w.group().incl(evens), 5);
                assertEquals(evens.length, e.size());
                assertEquals(r / 2, e.rank());
                assertEquals(Comparison.CONGRUENT, e.compare(parity));
                e.setName("evens");
                assertEquals("evens", e.name());
                int[] s = {r};
                e.allreduce(s, Op.SUM);
                assertEquals(IntStream.of(evens).sum(), s[0]);
                e.free();
            }
            d.setName("d");
            assertEquals("d", d.name());
            assertNotEquals("d", w.name());
            d.free();
            assertEquals(1, deleted.get());
            dd.free();
            reversed.free();
            parity.free();
            copied.free();
            dropped.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizesFrom2")
    void intercommOfHalvesAllreducesOtherSumAndMerges(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int r = w.rank(), half = n / 2;
            int color = r < half ? 0 : 1;
            Comm local = w.split(color, r);
            Intercomm ic = local.createIntercomm(0, w, color == 0 ? half : 0, 31);
            int mySize = color == 0 ? half : n - half;
            assertEquals(mySize, ic.size());
            assertEquals(n - mySize, ic.remoteSize());
            int[] sum = new int[1];
            ic.allreduce(new int[]{r}, sum, Op.SUM);
            int other = color == 0 ? IntStream.range(half, n).sum() : IntStream.range(0, half).sum();
            assertEquals(other, sum[0]);
            Comm merged = ic.merge(color == 1);
            assertEquals(n, merged.size());
            assertEquals(r, merged.rank()); // the low group first, each in world order
            int[] all = {r + 1};
            merged.allreduce(all, Op.SUM);
            assertEquals(n * (n + 1) / 2, all[0]);
            merged.free();
            ic.free();
            local.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void graphAndDistGraphNeighboursAndNeighborAlltoall(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int r = w.rank(), right = (r + 1) % n, left = (r + n - 1) % n;
            // a ring as a graph: node i's neighbours are i-1 and i+1
            int[] index = new int[n], edges = new int[2 * n];
            for (int i = 0; i < n; i++) {
                index[i] = 2 * (i + 1);
                edges[2 * i] = (i + n - 1) % n;
                edges[2 * i + 1] = (i + 1) % n;
            }
            GraphComm g = w.graphCreate(index, edges, false);
            assertEquals(2, g.neighborsCount());
            assertArrayEquals(new int[]{left, right}, g.neighbors());
            assertArrayEquals(new int[]{r, (r + 2) % n}, g.neighbors(right));
            // the same ring with a rank's two edges out to r+1 and r+2, in from r-1 and r-2
            int left2 = (r + 2 * n - 2) % n;
            DistGraphComm dg = w.distGraphCreateAdjacent(new int[]{left, left2}, DistGraphComm.UNWEIGHTED,
                    new int[]{right, (r + 2) % n}, DistGraphComm.UNWEIGHTED, false);
            assertArrayEquals(new int[]{left, left2}, dg.inNeighbors());
            assertArrayEquals(new int[]{right, (r + 2) % n}, dg.outNeighbors());
            int[] send = {r * 10, r * 10 + 1}, recv = new int[2];
            dg.neighborAlltoall(send, recv);
            // block 0 comes from r-1's block 0 (sent to its r+1), block 1 from r-2's block 1 (sent to its r+2)
            assertArrayEquals(new int[]{left * 10, left2 * 10 + 1}, recv);
            g.free();
            dg.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void neighborAlltoallOnPeriodic2dGrid(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int[] dims = Mpi.dimsCreate(n, 2);
            CartComm cart = w.cartCreate(dims, new boolean[]{true, true}, false);
            int me = cart.rank(), count = 2;
            // block 2d goes to the -1 neighbour in dimension d, block 2d+1 to the +1 neighbour
            int[] send = new int[4 * count], recv = new int[4 * count];
            for (int j = 0; j < 4; j++) for (int k = 0; k < count; k++) send[j * count + k] = me * 100 + j * 10 + k;
            cart.neighborAlltoall(send, recv);
            int[] expected = new int[4 * count];
            int[] c = cart.coords();
            for (int d = 0; d < 2; d++) {
                for (int dir = 0; dir < 2; dir++) { // 0: from the -1 neighbour (its block 2d+1), 1: from the +1
                    int[] nc = c.clone();
                    nc[d] = Math.floorMod(c[d] + (dir == 0 ? -1 : 1), dims[d]);
                    int src = cart.rank(nc);
                    int block = 2 * d + dir, theirs = 2 * d + (1 - dir);
                    for (int k = 0; k < count; k++) expected[block * count + k] = src * 100 + theirs * 10 + k;
                }
            }
            assertArrayEquals(expected, recv, "rank " + me + " dims " + Arrays.toString(dims));
            cart.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void persistentNeighborCollectivesOnPeriodicGridRestarted(int n) {
        run(n, mpi -> {
            int[] dims = Mpi.dimsCreate(n, 2);
            CartComm cart = mpi.world().cartCreate(dims, new boolean[]{true, true}, false);
            int me = cart.rank();
            int[] c = cart.coords();
            long[] send = new long[4], recv = new long[4], mine = new long[1], all = new long[4];
            Prequest a2a = cart.neighborAlltoallInit(send, recv);
            Prequest ag = cart.neighborAllgatherInit(mine, all);
            for (int round = 0; round < 30; round++) {
                for (int j = 0; j < 4; j++) send[j] = me * 1000L + j * 100L + round;
                mine[0] = -me - round;
                a2a.start();
                ag.start();
                Requests.awaitAll(new Request[]{ag, a2a});
                for (int d = 0; d < 2; d++) {
                    for (int dir = 0; dir < 2; dir++) { // block 2d + dir comes from the -1 (dir 0) or +1 neighbour
                        int[] nc = c.clone();
                        nc[d] = Math.floorMod(c[d] + (dir == 0 ? -1 : 1), dims[d]);
                        int src = cart.rank(nc), block = 2 * d + dir;
                        assertEquals(src * 1000L + (2 * d + 1 - dir) * 100L + round, recv[block], "round " + round);
                        assertEquals(-src - round, all[block], "round " + round);
                    }
                }
            }
            a2a.free();
            ag.free();
            cart.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void neighborAlltoallwWithADatatypePerNeighbour(int n) {
        run(n, mpi -> {
            CartComm ring = mpi.world().cartCreate(new int[]{n}, new boolean[]{true}, false);
            int me = ring.rank(), left = Math.floorMod(me - 1, n), right = (me + 1) % n;
            // a 4x4 row-major tile: column 0 goes to the left neighbour and arrives as row 0 of its 4x5 halo; row 3 goes
            // to the right neighbour and arrives as column 4 of its halo: a type per edge on both sides
            Datatype column = Datatype.vector(4, 1, 4, Datatype.DOUBLE).commit();
            Datatype haloColumn = Datatype.vector(4, 1, 5, Datatype.DOUBLE).commit();
            double[] tile = new double[16], halo = new double[20];
            Datatype[] sendTypes = {column, Datatype.DOUBLE}, recvTypes = {haloColumn, Datatype.DOUBLE};
            int[] sendCounts = {1, 4}, sdispls = {0, 12}, recvCounts = {1, 4}, rdispls = {4, 0};
            Prequest p = ring.neighborAlltoallwInit(tile, sendCounts, sdispls, sendTypes, halo, recvCounts, rdispls, recvTypes);
            for (int round = 0; round < 6; round++) {
                for (int k = 0; k < 16; k++) tile[k] = me * 100 + k + round * 10_000;
                if (round % 2 == 0) ring.neighborAlltoallw(tile, sendCounts, sdispls, sendTypes, halo, recvCounts, rdispls, recvTypes);
                else p.start().await();
                double[] expected = new double[20];
                for (int i = 0; i < 4; i++) expected[i * 5 + 4] = left * 100 + 12 + i + round * 10_000; // the left's row 3
                for (int j = 0; j < 4; j++) expected[j] = right * 100 + j * 4 + round * 10_000;        // the right's column 0
                assertArrayEquals(expected, halo, "rank " + me + " round " + round);
            }
            p.free();
            mpi.world().setErrhandler(Errhandler.ERRORS_RETURN);
            ring.setErrhandler(Errhandler.ERRORS_RETURN);
            io.jmpi.base.MpiException e = assertThrows(io.jmpi.base.MpiException.class, () -> ring.neighborAlltoallw(tile,
                    sendCounts, sdispls, new Datatype[]{column}, halo, recvCounts, rdispls, recvTypes));
            assertEquals("neighborAlltoallw: sendTypes.length=1 differs from the out-degree 2", e.getMessage());
            e = assertThrows(io.jmpi.base.MpiException.class, () -> ring.neighborAlltoallw(tile, sendCounts, new int[]{0, 13},
                    sendTypes, halo, recvCounts, rdispls, recvTypes));
            assertEquals(io.jmpi.base.ErrorClass.BUFFER, e.errorClass());
            ring.free();
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void objectSliceSendRecvAndScanObject(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int r = w.rank(), right = (r + 1) % n, left = (r + n - 1) % n;
            Object[] out = {"skip", "from-" + r, List.of(r, r + 1), "skip too"};
            Object[] in = new Object[5];
            Request q = w.irecv(in, 2, 2, left, 9);
            w.send(out, 1, 2, right, 9);
            q.await();
            assertArrayEquals(new Object[]{null, null, "from-" + left, List.of(left, left + 1), null}, in);
            assertEquals((r + 1) * (r + 2) / 2, (int) w.<Integer>scanObject(r + 1, Integer::sum));
            // a non-commutative operation: the prefix keeps rank order
            List<Integer> prefix = w.scanObject(List.of(r), (a, b) -> {
                List<Integer> ab = new ArrayList<>(a);
                ab.addAll(b);
                return ab;
            });
            assertEquals(IntStream.rangeClosed(0, r).boxed().toList(), prefix);
        });
    }
}
