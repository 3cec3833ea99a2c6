package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.jmpi.TopologyTest.assertError;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Neighbourhood collectives on Cartesian, graph and distributed-graph communicators against a serial computation of
 * who sends which block to whom (MPI 4.1 section 8.6), over the in-JVM transport at 1-6 ranks and over TCP.
 */
@Timeout(120)
class NeighborCollTest {
    static final int NULL = Mpi.PROC_NULL;

    /** Every rank's in- and out-neighbours, and the pairing rule (Cartesian: block s lands in block s ^ 1). */
    record Hood(int[][] in, int[][] out, boolean cart) {
        /** The sender and its out-edge whose block in-edge i of rank r receives; null for PROC_NULL. */
        int[] origin(int r, int i) {
            int p = in[r][i];
            if (p == NULL) return null;
            if (cart) return new int[]{p, i ^ 1};
            int k = 0;
            for (int a = 0; a < i; a++) if (in[r][a] == p) k++;
            for (int j = 0, seen = 0; j < out[p].length; j++) if (out[p][j] == r && seen++ == k) return new int[]{p, j};
            throw new AssertionError("no out-edge of rank " + p + " for in-edge " + i + " of rank " + r);
        }

        /** Occurrence of the edge: the index among the sender's edges to the same receiver (Cartesian: the block). */
        int occurrence(int p, int j) {
            if (cart) return j;
            int k = 0;
            for (int a = 0; a < j; a++) if (out[p][a] == out[p][j]) k++;
            return k;
        }

        static Hood cart(int[] dims, boolean[] periods) {
            int n = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            int[][] nb = new int[n][2 * dims.length];
            for (int r = 0; r < n; r++) {
                int[] c = new int[dims.length];
                for (int d = dims.length - 1, x = r; d >= 0; d--, x /= dims[d + 1]) c[d] = x % dims[d];
                for (int d = 0; d < dims.length; d++) {
                    for (int s = 0; s < 2; s++) {
                        int[] q = c.clone();
                        q[d] += s == 0 ? -1 : 1;
                        if (q[d] < 0 || q[d] >= dims[d]) {
                            if (!periods[d]) {
                                nb[r][2 * d + s] = NULL;
                                continue;
                            }
                            q[d] = Math.floorMod(q[d], dims[d]);
                        }
                        int rank = 0;
                        for (int e = 0; e < dims.length; e++) rank = rank * dims[e] + q[e];
                        nb[r][2 * d + s] = rank;
                    }
                }
            }
            return new Hood(nb, nb, true);
        }

        static Hood graph(int[] index, int[] edges) {
            int[][] nb = new int[index.length][];
            for (int i = 0; i < index.length; i++) nb[i] = Arrays.copyOfRange(edges, i == 0 ? 0 : index[i - 1], index[i]);
            return new Hood(nb, nb, false);
        }

        /** In- and out-lists of a distributed graph in the order the general form builds them (the edge list order). */
        static Hood dist(int[][] edgeList, int n) {
            List<List<Integer>> in = new ArrayList<>(), out = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                in.add(new ArrayList<>());
                out.add(new ArrayList<>());
            }
            for (int[] e : edgeList) {
                out.get(e[0]).add(e[1]);
                in.get(e[1]).add(e[0]);
            }
            int[][] a = new int[n][], b = new int[n][];
            for (int r = 0; r < n; r++) {
                a[r] = in.get(r).stream().mapToInt(Integer::intValue).toArray();
                b[r] = out.get(r).stream().mapToInt(Integer::intValue).toArray();
            }
            return new Hood(a, b, false);
        }
    }

    /** A multigraph: node i joined twice to i + 1 and twice to i - 1 (mod n); node 0 also to itself, twice. */
    static int[][] multigraph(int n) {
        List<Integer> index = new ArrayList<>(), edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i == 0) edges.add(0);
            edges.addAll(List.of((i + 1) % n, (i - 1 + n) % n, (i + 1) % n, (i - 1 + n) % n));
            if (i == 0) edges.add(0);
            index.add(edges.size());
        }
        return new int[][]{index.stream().mapToInt(Integer::intValue).toArray(), edges.stream().mapToInt(Integer::intValue).toArray()};
    }

    static int value(int p, int j, int e) {
        return p * 10000 + j * 100 + e;
    }

    /** neighborAlltoall and neighborAllgather of int, long, double and byte blocks against the serial oracle. */
    static void checkAlltoallAndAllgather(Comm c, Hood h, int count) {
        int r = c.rank(), outdeg = h.out()[r].length, indeg = h.in()[r].length;
        int[] is = new int[outdeg * count];
        long[] ls = new long[is.length];
        double[] ds = new double[is.length];
        byte[] bs = new byte[is.length];
        for (int j = 0; j < outdeg; j++) {
            for (int e = 0; e < count; e++) {
                int v = value(r, j, e);
                is[j * count + e] = v;
                ls[j * count + e] = v * 1_000_000_007L;
                ds[j * count + e] = v + 0.5;
                bs[j * count + e] = (byte) v;
            }
        }
        int[] ir = new int[indeg * count];
        long[] lr = new long[ir.length];
        double[] dr = new double[ir.length];
        byte[] br = new byte[ir.length];
        Arrays.fill(ir, -1);
        Arrays.fill(lr, -1);
        Arrays.fill(dr, -1);
        Arrays.fill(br, (byte) -1);
        c.neighborAlltoall(is, ir);
        c.neighborAlltoall(ls, 0, lr, 0, count);
        c.neighborAlltoall(ds, dr);
        c.neighborAlltoall(bs, 0, br, 0, count);
        for (int i = 0; i < indeg; i++) {
            int[] o = h.origin(r, i);
            for (int e = 0; e < count; e++) {
                int at = i * count + e;
                int v = o == null ? -1 : value(o[0], o[1], e);
                String where = c + " in-edge " + i + " element " + e;
                assertEquals(v, ir[at], where);
                assertEquals(o == null ? -1 : v * 1_000_000_007L, lr[at], where);
                assertEquals(o == null ? -1 : v + 0.5, dr[at], where);
                assertEquals(o == null ? (byte) -1 : (byte) v, br[at], where);
            }
        }
        // allgather: the same block to every out-neighbour
        int[] mine = new int[count];
        for (int e = 0; e < count; e++) mine[e] = value(r, 0, e);
        int[] all = new int[indeg * count + 2];
        Arrays.fill(all, -1);
        c.neighborAllgather(mine, 0, count, all, 1);
        for (int i = 0; i < indeg; i++) {
            int[] o = h.origin(r, i);
            for (int e = 0; e < count; e++) assertEquals(o == null ? -1 : value(o[0], 0, e), all[1 + i * count + e], c + " allgather " + i);
        }
        assertEquals(-1, all[0]);
        assertEquals(-1, all[all.length - 1]);
    }

    /** Grids of {@code n} ranks: 2-D periodic, non-periodic and mixed, 1-D periodic (size 1 and 2 at n = 1, 2), 3-D. */
    static void allGrids(Comm w, int count) {
        int n = w.size();
        int[] d2 = Mpi.dimsCreate(n, 2), d3 = Mpi.dimsCreate(n, 3);
        Object[][] grids = {
                {d2, new boolean[]{true, true}}, {d2, new boolean[]{false, false}}, {d2, new boolean[]{false, true}},
                {new int[]{n}, new boolean[]{true}}, {new int[]{n}, new boolean[]{false}}, {d3, new boolean[]{true, false, true}},
        };
        for (Object[] g : grids) {
            int[] dims = (int[]) g[0];
            boolean[] periods = (boolean[]) g[1];
            CartComm c = w.cartCreate(dims, periods, false);
            checkAlltoallAndAllgather(c, Hood.cart(dims, periods), count);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void cartesianGridsMatchSerial(int n) {
        Mpi.runThreads(n, mpi -> allGrids(mpi.world(), 3));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void periodicDimensionOfOneOrTwoRanksSwapsDirections(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            CartComm ring = w.cartCreate(new int[]{n}, new boolean[]{true}, false);
            int me = ring.rank(), other = (me + 1) % n;
            int[] recv = new int[2];
            // block 0 goes in the negative direction, block 1 in the positive one
            ring.neighborAlltoall(new int[]{100 + me, 200 + me}, recv);
            // the block from the negative neighbour is what it sent in the positive direction, and vice versa
            assertArrayEquals(new int[]{200 + other, 100 + other}, recv);
            // the same halo exchange with sendrecv along shift(0, 1) gives the same answer
            int[] halo = new int[2];
            CartComm.Shift s = ring.shift(0, 1);
            ring.sendrecv(new int[]{200 + me}, 0, 1, s.dest(), 7, halo, 0, 1, s.source(), 7);
            ring.sendrecv(new int[]{100 + me}, 0, 1, s.source(), 8, halo, 1, 1, s.dest(), 8);
            assertArrayEquals(halo, recv);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 6})
    void multigraphWithSelfLoopsMatchesSerial(int n) {
        Mpi.runThreads(n, mpi -> {
            int[][] g = multigraph(n);
            GraphComm gc = mpi.world().graphCreate(g[0], g[1], false);
            checkAlltoallAndAllgather(gc, Hood.graph(g[0], g[1]), 2);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 6})
    void distGraphMatchesSerial(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            int[][] edges = TopologyTest.edgeList(n);
            DistGraphComm g = w.distGraphCreate(new int[]{me}, new int[]{2}, new int[]{(me + 1) % n, (me + 2) % n},
                    DistGraphComm.UNWEIGHTED, false);
            checkAlltoallAndAllgather(g, Hood.dist(edges, n), 3);
        });
    }

    /** Elements on edge (sender p, out-edge j) in the v-variants: uneven, some zero. */
    static int vcount(Hood h, int p, int j) {
        int q = h.out()[p][j];
        return (p * 7 + (q == NULL ? 0 : q) * 3 + h.occurrence(p, j)) % 4;
    }

    /** neighborAlltoallv with uneven counts and reversed, gapped displacements; allgatherv; alltoallw over bytes. */
    static void checkV(Comm c, Hood h) {
        int r = c.rank(), outdeg = h.out()[r].length, indeg = h.in()[r].length;
        int[] sc = new int[outdeg], sd = new int[outdeg];
        int at = 1;
        for (int j = outdeg - 1; j >= 0; j--) {
            sc[j] = vcount(h, r, j);
            sd[j] = at;
            at += sc[j] + 2;
        }
        double[] send = new double[at];
        for (int j = 0; j < outdeg; j++) for (int e = 0; e < sc[j]; e++) send[sd[j] + e] = value(r, j, e);
        int[] rc = new int[indeg], rd = new int[indeg];
        at = 0;
        for (int i = indeg - 1; i >= 0; i--) {
            int[] o = h.origin(r, i);
            rc[i] = o == null ? 1 : vcount(h, o[0], o[1]);
            rd[i] = at;
            at += rc[i] + 1;
        }
        double[] recv = new double[at];
        Arrays.fill(recv, -1);
        c.neighborAlltoallv(send, sc, sd, recv, rc, rd);
        for (int i = 0; i < indeg; i++) {
            int[] o = h.origin(r, i);
            for (int e = 0; e < rc[i]; e++) assertEquals(o == null ? -1 : value(o[0], o[1], e), recv[rd[i] + e], c + " v in-edge " + i);
            if (rd[i] + rc[i] < recv.length) assertEquals(-1, recv[rd[i] + rc[i]], "gap after in-edge " + i);
        }
        // the same as alltoallw over bytes: 8 bytes per double, byte displacements, heap and direct buffers
        ByteBuffer bsend = ByteBuffer.allocateDirect(send.length * 8), brecv = ByteBuffer.allocate(recv.length * 8 + 3);
        for (double x : send) bsend.putDouble(x);
        bsend.clear();
        brecv.position(3);
        int[] bsc = scale(sc), bsd = scale(sd), brc = scale(rc), brd = scale(rd);
        c.neighborAlltoallw(bsend, bsc, bsd, brecv, brc, brd);
        assertEquals(3, brecv.position());
        for (int i = 0; i < indeg; i++) {
            int[] o = h.origin(r, i);
            for (int e = 0; e < rc[i]; e++) {
                assertEquals(o == null ? 0.0 : value(o[0], o[1], e), brecv.getDouble(3 + 8 * (rd[i] + e)), c + " w in-edge " + i);
            }
        }
        byte[] raw = new byte[send.length * 8], rawRecv = new byte[recv.length * 8];
        bsend.get(0, raw);
        c.neighborAlltoallw(raw, bsc, bsd, rawRecv, brc, brd);
        for (int i = 0; i < indeg; i++) {
            if (h.origin(r, i) == null) continue;
            assertArrayEquals(Arrays.copyOfRange(brecv.array(), 3 + 8 * rd[i], 3 + 8 * (rd[i] + rc[i])),
                    Arrays.copyOfRange(rawRecv, 8 * rd[i], 8 * (rd[i] + rc[i])));
        }
        // allgatherv: rank p sends p % 3 + 1 elements to every out-neighbour
        long[] mine = new long[r % 3 + 1];
        Arrays.fill(mine, 1000L + r);
        int[] gc = new int[indeg], gd = new int[indeg];
        at = 0;
        for (int i = 0; i < indeg; i++) {
            int p = h.in()[r][i];
            gc[i] = p == NULL ? 0 : p % 3 + 1;
            gd[i] = at;
            at += gc[i];
        }
        long[] got = new long[at];
        c.neighborAllgatherv(mine, got, gc, gd);
        for (int i = 0; i < indeg; i++) for (int e = 0; e < gc[i]; e++) assertEquals(1000L + h.in()[r][i], got[gd[i] + e]);
    }

    private static int[] scale(int[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = 8 * a[i];
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void vAndWVariantsWithUnevenCounts(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int[] dims = Mpi.dimsCreate(n, 2);
            boolean[] periods = {true, false};
            checkV(w.cartCreate(dims, periods, false), Hood.cart(dims, periods));
            int[][] g = multigraph(n);
            checkV(w.graphCreate(g[0], g[1], false), Hood.graph(g[0], g[1]));
            int me = w.rank();
            checkV(w.distGraphCreate(new int[]{me}, new int[]{2}, new int[]{(me + 1) % n, (me + 2) % n}, new int[]{1, 2}, false),
                    Hood.dist(TopologyTest.edgeList(n), n));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void nonBlockingFormsInFlightTogether(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            CartComm cart = w.cartCreate(new int[]{n}, new boolean[]{true}, false);
            int[][] g = multigraph(n);
            GraphComm graph = w.graphCreate(g[0], g[1], false);
            Hood hc = Hood.cart(new int[]{n}, new boolean[]{true}), hg = Hood.graph(g[0], g[1]);
            int[] cs = {value(me, 0, 0), value(me, 1, 0)}, cr = new int[2];
            int gdeg = hg.out()[me].length;
            float[] gs = new float[gdeg], gr = new float[gdeg];
            for (int j = 0; j < gdeg; j++) gs[j] = value(me, j, 0);
            short[] as = {(short) me}, ar = new short[gdeg];
            Request[] reqs = {
                    cart.ineighborAlltoall(cs, cr),
                    graph.ineighborAlltoall(gs, 0, gr, 0, 1),
                    graph.ineighborAllgather(as, ar),
                    w.iallreduce(new int[]{1}, new int[1], Op.SUM),
            };
            for (int k = 0; k < reqs.length; k++) reqs[(k + me) % reqs.length].await();
            for (int i = 0; i < 2; i++) {
                int[] o = hc.origin(me, i);
                assertEquals(value(o[0], o[1], 0), cr[i]);
            }
            for (int i = 0; i < gdeg; i++) {
                int[] o = hg.origin(me, i);
                assertEquals(value(o[0], o[1], 0), gr[i], 0.0);
                assertEquals(o[0], ar[i]);
            }
        });
    }

    @Test
    void badCallsGetPreciseErrors() {
        Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            assertError(ErrorClass.ARG, "neighborAlltoall: communicator WORLD has no topology (neighbourhood collectives need a "
                    + "communicator from cartCreate, graphCreate, distGraphCreate or distGraphCreateAdjacent)",
                    () -> w.neighborAlltoall(new int[3], new int[3]));
            assertError(ErrorClass.ARG, "ineighborAllgather: communicator WORLD.dup has no topology (neighbourhood collectives need a "
                    + "communicator from cartCreate, graphCreate, distGraphCreate or distGraphCreateAdjacent)",
                    () -> w.dup().ineighborAllgather(new double[1], new double[3]));
            CartComm c = w.cartCreate(new int[]{3}, new boolean[]{true}, false);
            assertError(ErrorClass.ARG, "neighborAlltoallv: sendCounts.length=3 differs from the out-degree 2",
                    () -> c.neighborAlltoallv(new int[4], new int[3], new int[3], new int[4], new int[2], new int[2]));
            assertError(ErrorClass.BUFFER, "neighborAlltoallv: rdispls[1]=3 + recvCounts[1]=2 exceeds recv length 4",
                    () -> c.neighborAlltoallv(new int[4], new int[]{1, 1}, new int[]{0, 1}, new int[4], new int[]{1, 2}, new int[]{0, 3}));
            assertError(ErrorClass.BUFFER, "neighborAllgather: recvOffset=0 + 2 blocks of count=3 exceeds recv length 5",
                    () -> c.neighborAllgather(new long[3], new long[5]));
            assertError(ErrorClass.BUFFER, "neighborAlltoall: send length 5 is not a multiple of the out-degree 2",
                    () -> c.neighborAlltoall(new int[5], new int[4]));
            assertError(ErrorClass.ARG, "ineighborAlltoallv: sendCounts[0]=-1 out of range [0, 4]",
                    () -> c.ineighborAlltoallv(new byte[4], new int[]{-1, 1}, new int[2], new byte[4], new int[2], new int[2]));
            // an edge to itself is a local copy: both ends must agree
            GraphComm self = w.graphCreate(new int[]{1}, new int[]{0}, false);
            if (w.rank() == 0) {
                assertError(ErrorClass.ARG, "neighborAlltoallv: sendCounts[0]=2 differs from recvCounts[0]=1 (both ends of an edge "
                        + "from this rank to itself)", () -> self.neighborAlltoallv(new int[2], new int[]{2}, new int[1], new int[2], new int[]{1}, new int[1]));
                int[] out = new int[1];
                self.neighborAlltoall(new int[]{42}, out);
                assertEquals(42, out[0]);
            }
            // the communicators still work after the errors
            int[] recv = new int[2];
            c.neighborAllgather(new int[]{c.rank()}, recv);
            assertArrayEquals(new int[]{(c.rank() + 2) % 3, (c.rank() + 1) % 3}, recv);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void overTcp(int n) {
        Jobs.run("tcp", n, mpi -> {
            Comm w = mpi.world();
            allGrids(w, 2);
            int[][] g = multigraph(n);
            GraphComm gc = w.graphCreate(g[0], g[1], false);
            checkAlltoallAndAllgather(gc, Hood.graph(g[0], g[1]), 10_000); // blocks of 80 KB longs: rendezvous
            checkV(gc, Hood.graph(g[0], g[1]));
        });
    }
}
