package io.jmpi;

import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Communicators (dup, split, create, groups, free), their separate message spaces, and Cartesian topologies. */
@Timeout(60)
class CommTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void splitDupCreateAndGroups(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // split by rank % 3, ordered by descending rank (key = -rank)
            Comm s = w.split(me % 3, -me);
            List<Integer> members = new ArrayList<>();
            for (int r = n - 1; r >= 0; r--) if (r % 3 == me % 3) members.add(r);
            assertEquals(members.size(), s.size());
            assertEquals(members.indexOf(me), s.rank());
            for (int i = 0; i < s.size(); i++) assertEquals((int) members.get(i), s.worldRank(i));
            int[] sum = new int[1];
            s.allreduce(new int[]{me}, sum, Op.SUM);
            assertEquals(members.stream().mapToInt(Integer::intValue).sum(), sum[0]);
            assertEquals("WORLD.split(" + me % 3 + ")", s.name());
            // split of a split, and UNDEFINED / negative colors
            Comm ss = s.split(0, s.size() - s.rank());
            assertEquals(s.size(), ss.size());
            assertEquals(s.size() - 1 - s.rank(), ss.rank());
            Comm u = w.split(me == 0 ? Comm.UNDEFINED : 1, 0);
            if (me == 0) assertNull(u);
            else assertEquals(n - 1, u.size());
            assertNull(w.split(-5, me));
            // dup: same ranks, own message space
            Comm d = w.dup();
            assertEquals(n, d.size());
            assertEquals(me, d.rank());
            assertEquals("WORLD.dup", d.name());
            // groups
            Group g = w.group();
            assertEquals(n, g.size());
            assertEquals(me, g.rank());
            int[] evens = java.util.stream.IntStream.range(0, n).filter(r -> r % 2 == 0).toArray();
            Group ge = g.incl(evens), go = g.excl(evens);
            assertEquals((n + 1) / 2, ge.size());
            assertEquals(me % 2 == 0 ? me / 2 : Comm.UNDEFINED, ge.rank());
            assertEquals(me % 2 == 1 ? me / 2 : Comm.UNDEFINED, go.rank());
            Group union = go.union(ge);
            assertEquals(n, union.size());
            if (n > 1) assertEquals(1, union.worldRank(0));
            assertEquals(0, ge.intersection(go).size());
            assertEquals(ge, g.difference(go));
            assertEquals(go, g.difference(ge));
            int[] tr = g.translateRanks(new int[]{0, n - 1}, ge);
            assertEquals(0, tr[0]);
            assertEquals((n - 1) % 2 == 0 ? (n - 1) / 2 : Comm.UNDEFINED, tr[1]);
            // create from a group, on the world and on a derived communicator (reversed order)
            Comm ce = w.create(ge);
            if (me % 2 == 0) {
                assertEquals(me / 2, ce.rank());
                ce.barrier();
            } else {
                assertNull(ce);
            }
            int[] rev = new int[n];
            for (int i = 0; i < n; i++) rev[i] = n - 1 - i;
            Comm cr = d.create(d.group().incl(rev));
            assertEquals(n - 1 - me, cr.rank());
            int[] lo = new int[1];
            cr.allreduce(new int[]{cr.rank() == 0 ? me : Integer.MAX_VALUE}, lo, Op.MIN);
            assertEquals(n - 1, lo[0]);
            // free
            d.free();
            MpiException e = assertThrows(MpiException.class, d::barrier);
            assertEquals("barrier: communicator WORLD.dup has been freed", e.getMessage());
            try (Comm t = w.dup()) {
                t.barrier();
            }
            e = assertThrows(MpiException.class, w::free);
            assertEquals("free: communicator WORLD cannot be freed", e.getMessage());
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void eachCommunicatorHasItsOwnMessageSpace(String transport) {
        Jobs.run(transport, 3, mpi -> {
            Comm w = mpi.world(), a = w.dup(), b = w.dup();
            int me = w.rank();
            // the same tag on three communicators, received in another order
            if (me == 0) {
                a.send(new int[]{1}, 1, 5);
                b.send(new int[]{2}, 1, 5);
                w.send(new int[]{3}, 1, 5);
            } else if (me == 1) {
                int[] x = new int[1];
                b.recv(x, 0, 5);
                assertEquals(2, x[0]);
                w.recv(x, Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                assertEquals(3, x[0]);
                a.recv(x, 0, 5);
                assertEquals(1, x[0]);
            }
            // a wildcard receive posted on a communicator is never matched by its collectives
            int[] any = new int[1];
            Request r = w.irecv(any, Mpi.ANY_SOURCE, Mpi.ANY_TAG);
            w.barrier();
            w.allreduce(new int[]{me}, new int[1], Op.SUM);
            w.bcast(new int[1], 0);
            assertFalse(r.isDone());
            w.barrier(); // nobody sends before every rank has checked
            w.send(new int[]{70 + me}, (me + 1) % 3, 9);
            assertEquals((me + 2) % 3, r.await().source());
            assertEquals(70 + (me + 2) % 3, any[0]);
            // collectives with the same sequence numbers on two communicators at once
            int[] x = {me == 0 ? 11 : 0}, y = {me == 2 ? 22 : 0};
            Request ra = a.ibcast(x, 0), rb = b.ibcast(y, 2);
            rb.await();
            ra.await();
            assertEquals(11, x[0]);
            assertEquals(22, y[0]);
        });
    }

    @Test
    void communicatorsCreatedConcurrentlyFromThreadsGetDistinctContexts() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            Comm a = w.dup(), b = w.dup();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Comm> made = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread ta = new Thread(() -> {
                try {
                    for (int i = 0; i < 6; i++) made.add(a.dup());
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Thread tb = new Thread(() -> {
                try {
                    for (int i = 0; i < 6; i++) made.add(b.split(b.rank() % 2, 0));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            ta.start();
            tb.start();
            ta.join();
            tb.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            w.barrier();
            // every communicator works, in an order that differs between ranks' threads but not between its members
            List<Comm> sorted = new ArrayList<>(made);
            sorted.sort((p, q) -> Integer.compare(p.context, q.context));
            java.util.Set<Integer> contexts = new java.util.HashSet<>();
            for (Comm c : sorted) contexts.add(c.context);
            assertEquals(12, contexts.size(), "every new communicator of this rank has its own context");
        });
    }

    @Test
    void splitByHostGroupsTheRanksOfAMachine() {
        Mpi.runThreads(3, mpi -> {
            Comm h = mpi.world().splitByHost();
            assertEquals(3, h.size());
            assertEquals(mpi.rank(), h.rank());
            h.barrier();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 6, 7, 12})
    void cartesianGrids(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            int[] dims = Mpi.dimsCreate(n, 2);
            CartComm c = w.cartCreate(dims, new boolean[]{true, false}, false);
            assertArrayEquals(dims, c.dims());
            assertEquals(2, c.ndims());
            for (int r = 0; r < n; r++) assertEquals(r, c.rank(c.coords(r)));
            int[] at = c.coords();
            assertArrayEquals(new int[]{me / dims[1], me % dims[1]}, at);
            CartComm.Shift down = c.shift(0, 1), right = c.shift(1, 1);
            assertEquals(c.rank(new int[]{at[0] + 1, at[1]}), down.dest());
            assertEquals(c.rank(new int[]{at[0] - 1, at[1]}), down.source());
            assertEquals(at[1] + 1 < dims[1] ? me + 1 : Mpi.PROC_NULL, right.dest());
            assertEquals(at[1] > 0 ? me - 1 : Mpi.PROC_NULL, right.source());
            // halo exchange along both dimensions
            for (CartComm.Shift s : new CartComm.Shift[]{down, right}) {
                int[] halo = {-1};
                c.sendrecv(new int[]{me}, s.dest(), 3, halo, s.source(), 3);
                assertEquals(s.source() == Mpi.PROC_NULL ? -1 : s.source(), halo[0]);
            }
            // rows and columns
            CartComm row = c.cartSub(new boolean[]{false, true}), col = c.cartSub(new boolean[]{true, false});
            assertArrayEquals(new int[]{dims[1]}, row.dims());
            assertEquals(at[1], row.rank());
            assertEquals(at[0], col.rank());
            assertArrayEquals(new boolean[]{true}, col.periods());
            int[] rowSum = new int[1];
            row.allreduce(new int[]{me}, rowSum, Op.SUM);
            assertEquals(at[0] * dims[1] * dims[1] + dims[1] * (dims[1] - 1) / 2, rowSum[0]);
            CartComm none = c.cartSub(new boolean[]{false, false});
            assertEquals(1, none.size());
            assertEquals(c.dims().length, c.dup().ndims());
            // a grid smaller than the communicator leaves the last rank out
            if (n > 1) {
                CartComm line = w.cartCreate(new int[]{n - 1}, new boolean[]{false}, true);
                if (me == n - 1) assertNull(line);
                else assertEquals(me, line.rank());
            }
        });
    }

    @Test
    void dimsCreateBalancesLikeMpi() {
        assertArrayEquals(new int[]{3, 2}, Mpi.dimsCreate(6, 2));
        assertArrayEquals(new int[]{7, 1}, Mpi.dimsCreate(7, 2));
        assertArrayEquals(new int[]{4, 2, 2}, Mpi.dimsCreate(16, 3));
        assertArrayEquals(new int[]{3, 2, 2}, Mpi.dimsCreate(12, 3));
        assertArrayEquals(new int[]{4, 4, 4}, Mpi.dimsCreate(64, 3));
        assertArrayEquals(new int[]{5, 3, 2}, Mpi.dimsCreate(30, 3));
        assertArrayEquals(new int[]{6, 6}, Mpi.dimsCreate(36, 2));
        assertArrayEquals(new int[]{1, 1, 1}, Mpi.dimsCreate(1, 3));
        assertArrayEquals(new int[]{4, 3, 2}, Mpi.dimsCreate(24, new int[]{0, 3, 0}));
        assertArrayEquals(new int[0], Mpi.dimsCreate(1, 0));
        assertEquals("dimsCreate: the fixed dims [3, 0] (product 3) do not divide nnodes=8",
                assertThrows(MpiException.class, () -> Mpi.dimsCreate(8, new int[]{3, 0})).getMessage());
        assertEquals("dimsCreate: nnodes=0 out of range [1, 2147483647]",
                assertThrows(MpiException.class, () -> Mpi.dimsCreate(0, 2)).getMessage());
    }

    @Test
    void groupAndTopologyErrorsNameTheArgument() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            Group g = w.group();
            assertEquals("incl: ranks[1]=7 out of range [0, 4)",
                    assertThrows(MpiException.class, () -> g.incl(0, 7)).getMessage());
            assertEquals("excl: ranks[2]=1 is listed twice",
                    assertThrows(MpiException.class, () -> g.excl(1, 2, 1)).getMessage());
            assertEquals("cartCreate: dims [3, 3] need 9 ranks, the communicator has 4",
                    assertThrows(MpiException.class, () -> w.cartCreate(new int[]{3, 3}, new boolean[2], false)).getMessage());
            assertEquals("cartCreate: dims[1]=0 out of range [1, 2147483647]",
                    assertThrows(MpiException.class, () -> w.cartCreate(new int[]{2, 0}, new boolean[2], false)).getMessage());
            CartComm c = w.cartCreate(new int[]{2, 2}, new boolean[]{true, false}, false);
            assertEquals("rank: coords[1]=5 out of range [0, 2) (dimension 1 is not periodic)",
                    assertThrows(MpiException.class, () -> c.rank(new int[]{0, 5})).getMessage());
            assertEquals(1, c.rank(new int[]{-2, 1}));
            assertEquals("shift: direction=2 out of range [0, 2)",
                    assertThrows(MpiException.class, () -> c.shift(2, 1)).getMessage());
            assertEquals("coords: rank=4 out of range [0, 4)",
                    assertThrows(MpiException.class, () -> c.coords(4)).getMessage());
            assertEquals("cartSub: remainDims.length=1 differs from ndims 2",
                    assertThrows(MpiException.class, () -> c.cartSub(new boolean[1])).getMessage());
            Comm sub = w.split(mpi.rank() % 2, 0);
            int other = mpi.rank() % 2 == 0 ? 1 : 0;
            assertEquals("create: group member 0 (world rank " + other + ") is not in communicator " + sub.name(),
                    assertThrows(MpiException.class, () -> sub.create(g.incl(other))).getMessage());
        });
    }
}
