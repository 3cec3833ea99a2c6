package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Graph and distributed-graph topologies, topoTest, cartMap/graphMap, and their argument errors. */
@Timeout(60)
class TopologyTest {
    static void assertError(ErrorClass cls, String message, Executable call) {
        MpiException e = assertThrows(MpiException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(cls, e.errorClass());
    }

    /** A ring of {@code nnodes} with node 0 also joined to itself: node i's neighbours [i+1, i-1] (and 0 first at 0). */
    static int[][] ring(int nnodes) {
        List<Integer> index = new ArrayList<>(), edges = new ArrayList<>();
        for (int i = 0; i < nnodes; i++) {
            if (i == 0) edges.add(0);
            edges.add((i + 1) % nnodes);
            edges.add((i - 1 + nnodes) % nnodes);
            index.add(edges.size());
        }
        return new int[][]{index.stream().mapToInt(Integer::intValue).toArray(), edges.stream().mapToInt(Integer::intValue).toArray()};
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 6})
    void graphQueriesAndRanksBeyondTheNodes(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            int nnodes = Math.max(1, n - 1);
            int[][] g = ring(nnodes);
            assertEquals(me < nnodes ? me : Comm.UNDEFINED, w.graphMap(g[0], g[1]));
            GraphComm gc = w.graphCreate(g[0], g[1], true);
            if (me >= nnodes) {
                assertNull(gc);
                return;
            }
            assertEquals(TopoType.GRAPH, gc.topoTest());
            assertEquals(nnodes, gc.size());
            assertEquals(me, gc.rank());
            assertEquals(new GraphComm.Dims(nnodes, 2 * nnodes + 1), gc.dims());
            assertArrayEquals(g[0], gc.index());
            assertArrayEquals(g[1], gc.edges());
            for (int r = 0; r < nnodes; r++) {
                int[] expected = r == 0 ? new int[]{0, 1 % nnodes, nnodes - 1} : new int[]{(r + 1) % nnodes, r - 1};
                assertArrayEquals(expected, gc.neighbors(r), "neighbours of " + r);
                assertEquals(expected.length, gc.neighborsCount(r));
            }
            assertArrayEquals(gc.neighbors(me), gc.neighbors());
            GraphComm d = gc.dup();
            assertEquals(TopoType.GRAPH, d.topoTest());
            assertArrayEquals(gc.edges(), d.edges());
            assertError(ErrorClass.ARG, "neighbors: rank=" + nnodes + " out of range [0, " + nnodes + ")", () -> gc.neighbors(nnodes));
        });
    }

    @Test
    void topoTestAndCartMap() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            assertEquals(TopoType.UNDEFINED, w.topoTest());
            assertEquals(TopoType.UNDEFINED, w.dup().topoTest());
            CartComm c = w.cartCreate(new int[]{3}, new boolean[]{false}, true);
            if (w.rank() < 3) {
                assertEquals(TopoType.CART, c.topoTest());
                assertEquals(TopoType.CART, c.dup().topoTest());
            } else {
                assertNull(c);
            }
            assertEquals(w.rank() < 3 ? w.rank() : Comm.UNDEFINED, w.cartMap(new int[]{3}, new boolean[]{true}));
            assertEquals(w.rank(), w.cartMap(new int[]{2, 2}, new boolean[]{true, false}));
            assertError(ErrorClass.ARG, "cartMap: dims [3, 2] need 6 ranks, the communicator has 4",
                    () -> w.cartMap(new int[]{3, 2}, new boolean[]{true, false}));
            DistGraphComm dg = w.distGraphCreateAdjacent(new int[0], DistGraphComm.UNWEIGHTED, new int[0], DistGraphComm.UNWEIGHTED, false);
            assertEquals(TopoType.DIST_GRAPH, dg.topoTest());
            assertEquals(TopoType.DIST_GRAPH, dg.dup().topoTest());
            assertEquals(0, dg.inDegree());
            assertFalse(dg.isWeighted());
        });
    }

    /** Edges of the test graph: rank r to r + 1 (weight r + 1) and to r + 2 (weight 10 + r), modulo n. */
    static int[][] edgeList(int n) {
        int[][] e = new int[2 * n][];
        for (int r = 0; r < n; r++) {
            e[2 * r] = new int[]{r, (r + 1) % n, r + 1};
            e[2 * r + 1] = new int[]{r, (r + 2) % n, 10 + r};
        }
        return e;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 6})
    void distGraphAdjacentAndGeneralFormsAgree(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            int[][] edges = edgeList(n);
            // expected: in-edges in the order of the edge list (contributor, then position), out-edges likewise
            List<int[]> in = new ArrayList<>(), out = new ArrayList<>();
            for (int[] e : edges) {
                if (e[1] == me) in.add(e);
                if (e[0] == me) out.add(e);
            }
            int[] src = in.stream().mapToInt(e -> e[0]).toArray(), srcW = in.stream().mapToInt(e -> e[2]).toArray();
            int[] dst = out.stream().mapToInt(e -> e[1]).toArray(), dstW = out.stream().mapToInt(e -> e[2]).toArray();

            DistGraphComm adj = w.distGraphCreateAdjacent(src, srcW, dst, dstW, false);
            // general form, each rank passing its own out-edges
            DistGraphComm own = w.distGraphCreate(new int[]{me}, new int[]{2}, new int[]{(me + 1) % n, (me + 2) % n},
                    new int[]{me + 1, 10 + me}, false);
            // general form, rank 0 passing every edge, grouped by source
            int[] sources = new int[me == 0 ? n : 0], degrees = new int[sources.length];
            int[] dests = new int[2 * sources.length], weights = new int[dests.length];
            for (int r = 0; r < sources.length; r++) {
                sources[r] = r;
                degrees[r] = 2;
                dests[2 * r] = edges[2 * r][1];
                weights[2 * r] = edges[2 * r][2];
                dests[2 * r + 1] = edges[2 * r + 1][1];
                weights[2 * r + 1] = edges[2 * r + 1][2];
            }
            DistGraphComm all = w.distGraphCreate(sources, degrees, dests, weights, true);
            for (DistGraphComm g : new DistGraphComm[]{adj, own, all}) {
                assertEquals(TopoType.DIST_GRAPH, g.topoTest());
                assertTrue(g.isWeighted());
                assertEquals(src.length, g.inDegree());
                assertEquals(dst.length, g.outDegree());
                assertArrayEquals(src, g.inNeighbors(), g.toString());
                assertArrayEquals(srcW, g.inWeights(), g.toString());
                assertArrayEquals(dst, g.outNeighbors(), g.toString());
                assertArrayEquals(dstW, g.outWeights(), g.toString());
            }
            // unweighted
            DistGraphComm u = w.distGraphCreate(new int[]{me}, new int[]{1}, new int[]{(me + 1) % n}, DistGraphComm.UNWEIGHTED, false);
            assertFalse(u.isWeighted());
            assertSame(DistGraphComm.UNWEIGHTED, u.inWeights());
            assertArrayEquals(new int[]{(me - 1 + n) % n}, u.inNeighbors());
            assertArrayEquals(new int[]{(me + 1) % n}, u.outNeighbors());
        });
    }

    @Test
    void badGraphsGetPreciseErrors() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            assertError(ErrorClass.ARG, "graphCreate: index[2]=1 is less than index[1]=3 (index must be non-decreasing from 0)",
                    () -> w.graphCreate(new int[]{1, 3, 1, 4}, new int[]{1, 0, 2, 1}, false));
            assertError(ErrorClass.ARG, "graphCreate: index[0]=-1 is negative (index must be non-decreasing from 0)",
                    () -> w.graphCreate(new int[]{-1, 3}, new int[]{1, 0, 2}, false));
            assertError(ErrorClass.ARG, "graphCreate: edges[1]=4 out of range [0, 4) (nnodes)",
                    () -> w.graphCreate(new int[]{1, 2, 3, 4}, new int[]{1, 4, 3, 2}, false));
            assertError(ErrorClass.ARG, "graphMap: edges[0]=2 out of range [0, 2) (nnodes)",
                    () -> w.graphMap(new int[]{1, 2}, new int[]{2, 0}));
            assertError(ErrorClass.ARG, "graphCreate: index[1]=3 (the number of edges) exceeds edges.length=2",
                    () -> w.graphCreate(new int[]{1, 3}, new int[]{1, 0}, false));
            assertError(ErrorClass.ARG, "graphCreate: index.length=5 (nnodes) out of range [0, 4] (the communicator size)",
                    () -> w.graphCreate(new int[5], new int[0], false));
            assertError(ErrorClass.ARG, "graphCreate: index is null", () -> w.graphCreate(null, new int[0], false));
            assertError(ErrorClass.ARG, "distGraphCreateAdjacent: destinations[1]=4 out of range [0, 4)",
                    () -> w.distGraphCreateAdjacent(new int[0], DistGraphComm.UNWEIGHTED, new int[]{0, 4}, DistGraphComm.UNWEIGHTED, false));
            assertError(ErrorClass.ARG, "distGraphCreateAdjacent: sourceWeights is not UNWEIGHTED but destWeights is (pass UNWEIGHTED for both or neither)",
                    () -> w.distGraphCreateAdjacent(new int[]{1}, new int[]{1}, new int[]{1}, DistGraphComm.UNWEIGHTED, false));
            assertError(ErrorClass.ARG, "distGraphCreateAdjacent: sourceWeights is null (pass DistGraphComm.UNWEIGHTED for an unweighted graph)",
                    () -> w.distGraphCreateAdjacent(new int[]{1}, null, new int[]{1}, new int[]{1}, false));
            assertError(ErrorClass.ARG, "distGraphCreateAdjacent: destWeights.length=1 is less than destinations.length=2",
                    () -> w.distGraphCreateAdjacent(new int[0], new int[0], new int[]{1, 2}, new int[]{1}, false));
            assertError(ErrorClass.ARG, "distGraphCreate: degrees[1]=-1 out of range [0, 4]",
                    () -> w.distGraphCreate(new int[]{0, 1}, new int[]{1, -1}, new int[]{2}, DistGraphComm.UNWEIGHTED, false));
            assertError(ErrorClass.ARG, "distGraphCreate: sum(degrees)=3 exceeds destinations.length=2",
                    () -> w.distGraphCreate(new int[]{0, 1}, new int[]{1, 2}, new int[]{2, 3}, DistGraphComm.UNWEIGHTED, false));
            assertError(ErrorClass.ARG, "distGraphCreate: sources[0]=-2 out of range [0, 4)",
                    () -> w.distGraphCreate(new int[]{-2}, new int[]{1}, new int[]{2}, DistGraphComm.UNWEIGHTED, false));
            assertError(ErrorClass.ARG, "distGraphCreate: weights[0]=-5 out of range [0, 2147483647]",
                    () -> w.distGraphCreate(new int[]{0}, new int[]{1}, new int[]{2}, new int[]{-5}, false));
            // nothing was sent: the world still works, and a good graph can follow
            int[][] g = ring(4);
            GraphComm gc = w.graphCreate(g[0], g[1], false);
            assertEquals(w.rank(), gc.rank());
        });
    }
}
