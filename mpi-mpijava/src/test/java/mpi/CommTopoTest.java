package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.*;

/** Groups, communicator management, Cartesian and graph topologies, intercommunicators, attributes. */
@Timeout(60)
class CommTopoTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5})
    void groupsSplitCreateCompareClone(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            Group g = w.Group();
            assertEquals(size, g.Size());
            assertEquals(rank, g.Rank());
            Group evens = g.Range_incl(new int[][]{{0, size - 1, 2}});
            Group odds = g.Excl(evenRanks(size));
            assertEquals((size + 1) / 2, evens.Size());
            assertEquals(size / 2, odds.Size());
            assertEquals(MPI.IDENT, Group.Compare(Group.Union(evens, odds).Incl(order(Group.Union(evens, odds), size)), g));
            assertEquals(size == 1 ? MPI.IDENT : MPI.SIMILAR, Group.Compare(Group.Union(evens, odds), g));
            assertEquals(0, Group.Intersection(evens, odds).Size());
            assertEquals(odds.Size(), Group.Difference(g, evens).Size());
            assertEquals(0, MPI.GROUP_EMPTY.Size());
            int[] t = Group.Translate_ranks(evens, new int[]{0}, g);
            assertArrayEquals(new int[]{0}, t);
            assertEquals(rank % 2 == 0 ? rank / 2 : MPI.UNDEFINED, evens.Rank());
            assertEquals(size, g.Range_excl(new int[0][]).Size());

            Intracomm half = w.Split(rank % 2, -rank);
            assertEquals(rank % 2 == 0 ? (size + 1) / 2 : size / 2, half.Size());
            int[] ranks = new int[half.Size()];
            half.Allgather(new int[]{rank}, 0, 1, MPI.INT, ranks, 0, 1, MPI.INT);
            for (int i = 1; i < ranks.length; i++) assertTrue(ranks[i - 1] > ranks[i], "key -rank orders downwards");
            Intracomm only0 = w.Split(rank == 0 ? 0 : MPI.UNDEFINED, 0);
            if (rank == 0) assertEquals(1, only0.Size());
            else assertNull(only0, "MPI.UNDEFINED colour gets no communicator");
            Intracomm ev = w.Create(evens);
            if (rank % 2 == 0) assertEquals(evens.Size(), ev.Size());
            else assertNull(ev);
            assertNull(w.Create(MPI.GROUP_EMPTY));
            Intracomm dup = (Intracomm) w.clone();
            assertEquals(MPI.CONGRUENT, Comm.Compare(dup, w));
            assertEquals(MPI.IDENT, Comm.Compare(w, MPI.COMM_WORLD));
            assertEquals(size == 1 ? MPI.CONGRUENT : MPI.UNEQUAL, Intracomm.Compare(half, w));
            assertEquals(1, MPI.COMM_SELF.Size());
            assertEquals(0, MPI.COMM_SELF.Rank());
            assertFalse(w.Test_inter());
            assertEquals(MPI.UNDEFINED, w.Topo_test());
            assertEquals(Integer.MAX_VALUE, w.Attr_get(MPI.TAG_UB));
            dup.Free();
            half.Free();
        });
    }

    private static int[] evenRanks(int size) {
        int[] e = new int[(size + 1) / 2];
        for (int i = 0; i < e.length; i++) e[i] = 2 * i;
        return e;
    }

    /** The ranks of union (evens then odds) that list world ranks 0..size-1 in order. */
    private static int[] order(Group union, int size) throws MPIException {
        int[] world = new int[size];
        for (int i = 0; i < size; i++) world[i] = i;
        return Group.Translate_ranks(MPI.COMM_WORLD.Group(), world, union);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6, 8})
    void cartesianShiftAtEdgesSubAndDimsCreate(int n) {
        Ranks.run(n, (rank, size) -> {
            int[] dims = {0, 2};
            Cartcomm.Dims_create(size, dims);
            assertEquals(2, dims[1], "a preset dimension is kept");
            assertEquals(size / 2, dims[0]);
            int[] free = new int[2];
            Cartcomm.Dims_create(12, free);
            assertArrayEquals(new int[]{4, 3}, free);
            Cartcomm c = MPI.COMM_WORLD.Create_cart(dims, new boolean[]{false, true}, false);
            assertEquals(MPI.CART, c.Topo_test());
            CartParms p = c.Get();
            assertArrayEquals(dims, p.dims);
            assertArrayEquals(new boolean[]{false, true}, p.periods);
            assertArrayEquals(new int[]{rank / 2, rank % 2}, p.coords);
            assertArrayEquals(p.coords, c.Coords(rank));
            assertEquals(rank, c.Rank(p.coords));
            ShiftParms down = c.Shift(0, 1);
            assertEquals(rank < 2 ? MPI.PROC_NULL : rank - 2, down.rank_source, "open edge: PROC_NULL");
            assertEquals(rank >= size - 2 ? MPI.PROC_NULL : rank + 2, down.rank_dest);
            ShiftParms side = c.Shift(1, 1);
            assertEquals(rank ^ 1, side.rank_dest, "periodic dimension wraps");
            // shifting data along the open dimension: PROC_NULL ends send and receive nothing
            int[] got = {-1};
            c.Sendrecv(new int[]{rank}, 0, 1, MPI.INT, down.rank_dest, 0, got, 0, 1, MPI.INT, down.rank_source, 0);
            assertEquals(rank < 2 ? -1 : rank - 2, got[0]);
            Cartcomm row = c.Sub(new boolean[]{false, true});
            assertEquals(2, row.Size());
            assertEquals(rank % 2, row.Rank());
            assertEquals(rank, c.Map(dims, new boolean[]{false, true}));
            Cartcomm cl = (Cartcomm) c.clone();
            assertArrayEquals(dims, cl.Get().dims);
        });
    }

    @Test
    void graphTopology() {
        Ranks.run(4, (rank, size) -> {
            // a ring 0-1-2-3-0
            int[] index = {2, 4, 6, 8};
            int[] edges = {1, 3, 0, 2, 1, 3, 2, 0};
            Graphcomm g = MPI.COMM_WORLD.Create_graph(index, edges, false);
            assertEquals(MPI.GRAPH, g.Topo_test());
            GraphParms p = g.Get();
            assertArrayEquals(index, p.index);
            assertArrayEquals(edges, p.edges);
            assertArrayEquals(new int[]{(rank + 1) % 4, (rank + 3) % 4}, sorted2(g.Neighbours(rank), rank));
            assertEquals(rank, g.Map(index, edges));
        });
    }

    private static int[] sorted2(int[] a, int rank) {
        return a[0] == (rank + 1) % 4 ? a : new int[]{a[1], a[0]};
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5})
    void intercommunicatorMerge(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int colour = rank < size / 2 ? 0 : 1;
            Intracomm local = w.Split(colour, rank);
            int remoteLeader = colour == 0 ? size / 2 : 0;
            Intercomm ic = w.Create_intercomm(local, 0, remoteLeader, 7);
            assertTrue(ic.Test_inter());
            assertEquals(local.Size(), ic.Size());
            assertEquals(size - local.Size(), ic.Remote_size());
            assertEquals(size - local.Size(), ic.Remote_group().Size());
            Intracomm merged = ic.Merge(colour == 1);
            assertEquals(size, merged.Size());
            assertEquals(rank, merged.Rank(), "the low group first, each in its order");
            int[] sum = new int[1];
            merged.Allreduce(new int[]{rank}, 0, sum, 0, 1, MPI.INT, MPI.SUM);
            assertEquals(size * (size - 1) / 2, sum[0]);
        });
    }
}
