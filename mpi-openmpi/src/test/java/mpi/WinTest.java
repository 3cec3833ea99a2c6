package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Win} over jmpi's native RMA, as Open MPI's Java programs use it (direct buffers), on thread ranks. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WinTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void fenceEpochsAgainstASerialModel(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank(), right = (me + 1) % n, left = (me + n - 1) % n;
            int len = n + 2;
            IntBuffer mem = MPI.newIntBuffer(len);
            Win win = new Win(mem, len * 4, 4, new Info(), w);
            win.fence(0);
            // put: my rank into slot me of my right neighbour
            IntBuffer src = MPI.newIntBuffer(1);
            src.put(0, 100 + me);
            win.put(src, 1, MPI.INT, right, me, 1, MPI.INT);
            win.fence(0);
            assertEquals(100 + left, mem.get(left), "put from the left neighbour");
            // accumulate: everyone adds (rank + 1) into slot n of rank 0, and takes MAX into slot n + 1
            IntBuffer add = MPI.newIntBuffer(2);
            add.put(0, me + 1).put(1, me * 7);
            win.accumulate(add, 1, MPI.INT, 0, n, 1, MPI.INT, MPI.SUM);
            win.accumulate(MPI.slice(add, 1), 1, MPI.INT, 0, n + 1, 1, MPI.INT, MPI.MAX);
            win.fence(0);
            if (me == 0) {
                assertEquals(n * (n + 1) / 2, mem.get(n), "sum of rank + 1");
                assertEquals((n - 1) * 7, mem.get(n + 1), "max of rank * 7");
            }
            // get: read the right neighbour's whole window
            IntBuffer got = MPI.newIntBuffer(len);
            win.get(got, len, MPI.INT, right, 0, len, MPI.INT);
            win.fence(MPI.MODE_NOSUCCEED);
            assertEquals(100 + me, got.get(me), "the right neighbour holds my put");
            assertEquals(4, win.getAttr(MPI.WIN_DISP_UNIT));
            assertEquals(len * 4, win.getAttr(MPI.WIN_SIZE));
            assertEquals(n, win.getGroup().getSize());
            win.free();
            MPI.Finalize();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void passiveTargetLockCounterAndFetchAndOp(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            LongBuffer mem = MPI.newLongBuffer(2);
            Win win = new Win(mem, 16, 8, new Info(), w);
            // exclusive-lock read-modify-write on rank 0's slot 0, 5 times per rank
            LongBuffer v = MPI.newLongBuffer(1);
            for (int i = 0; i < 5; i++) {
                win.lock(MPI.LOCK_EXCLUSIVE, 0, 0);
                win.get(v, 1, MPI.LONG, 0, 0, 1, MPI.LONG);
                win.flush(0);
                v.put(0, v.get(0) + 1);
                win.put(v, 1, MPI.LONG, 0, 0, 1, MPI.LONG);
                win.unlock(0);
            }
            // fetch-and-op tickets on rank 0's slot 1: all distinct
            LongBuffer one = MPI.newLongBuffer(1), ticket = MPI.newLongBuffer(1);
            one.put(0, 1);
            win.lockAll(0);
            win.fetchAndOp(one, ticket, MPI.LONG, 0, 1, MPI.SUM);
            win.unlockAll();
            long[] tickets = new long[n];
            w.allGather(new long[]{ticket.get(0)}, 1, MPI.LONG, tickets, 1, MPI.LONG);
            java.util.Arrays.sort(tickets);
            for (int i = 0; i < n; i++) assertEquals(i, tickets[i], "tickets are 0..n-1, each once");
            // compare-and-swap: exactly one rank swaps -1 into rank 0's slot 1 (which holds n now)
            w.barrier();
            LongBuffer swap = MPI.newLongBuffer(1), cmp = MPI.newLongBuffer(1), old = MPI.newLongBuffer(1);
            swap.put(0, -1);
            cmp.put(0, n);
            win.lock(MPI.LOCK_SHARED, 0, 0);
            win.compareAndSwap(swap, cmp, old, MPI.LONG, 0, 1);
            win.unlock(0);
            int[] won = new int[1];
            w.allReduce(new int[]{old.get(0) == n ? 1 : 0}, won, 1, MPI.INT, MPI.SUM);
            assertEquals(1, won[0], "one compare-and-swap winner");
            w.barrier();
            if (me == 0) {
                assertEquals(5L * n, mem.get(0), "every locked increment counted");
                assertEquals(-1, mem.get(1));
            }
            // request-based forms and getAccumulate with NO_OP (an atomic read)
            win.lockAll(0);
            LongBuffer r = MPI.newLongBuffer(1);
            win.rGetAccumulate(null, 0, MPI.LONG, r, 1, MPI.LONG, 0, 0, 1, MPI.LONG, MPI.NO_OP).waitFor();
            assertEquals(5L * n, r.get(0), "NO_OP reads the counter");
            win.unlockAll();
            win.free();
            MPI.Finalize();
        });
    }

    @Test
    void pscwAndDynamicAndAllocatedWindows() {
        Ranks.run(2, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank(), other = 1 - me;
            ByteBuffer mem = MPI.newByteBuffer(8);
            Win win = new Win(8, 1, new Info(), w, mem, Win.FLAVOR_PRIVATE);
            Group peer = w.getGroup().incl(new int[]{other});
            win.post(peer, 0);
            win.start(peer, 0);
            IntBuffer x = MPI.newIntBuffer(1);
            x.put(0, 40 + me);
            win.rPut(x, 1, MPI.INT, other, 4, 1, MPI.INT).waitFor();
            win.complete();
            win.waitFor();
            assertEquals(40 + other, mem.getInt(4));
            win.setName("w1");
            assertEquals("w1", win.getName());
            int key = Win.createKeyval();
            win.setAttr(key, "v");
            assertEquals("v", win.getAttr(key));
            win.deleteAttr(key);
            assertNull(win.getAttr(key));
            Win.freeKeyval(key);
            win.free();
            Win dyn = new Win(new Info(), w);
            IntBuffer region = MPI.newIntBuffer(4);
            dyn.attach(region, 16);
            dyn.detach(region);
            dyn.free();
            MPI.Finalize();
        });
    }

    @Test
    void badInputGivesOpenMpisErrorClasses() {
        Ranks.run(2, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            w.setErrhandler(MPI.ERRORS_RETURN);
            int me = w.getRank();
            IntBuffer mem = MPI.newIntBuffer(4);
            assertEquals(MPI.ERR_BUFFER, assertThrows(MPIException.class,
                    () -> new Win(java.nio.IntBuffer.allocate(4), 16, 4, new Info(), w)).getErrorClass(), "heap window");
            assertEquals(MPI.ERR_SIZE, assertThrows(MPIException.class,
                    () -> new Win(mem, 17, 4, new Info(), w)).getErrorClass(), "size over capacity");
            Win win = new Win(mem, 16, 4, new Info(), w);
            assertEquals(MPI.ERRORS_RETURN, win.getErrhandler());
            IntBuffer o = MPI.newIntBuffer(4);
            assertEquals(MPI.ERR_RMA_SYNC, assertThrows(MPIException.class,
                    () -> win.put(o, 1, MPI.INT, 1 - me, 0, 1, MPI.INT)).getErrorClass(), "put outside an epoch");
            assertEquals(MPI.ERR_BUFFER, assertThrows(MPIException.class,
                    () -> win.put(IntBuffer.allocate(1), 1, MPI.INT, 0, 0, 1, MPI.INT)).getErrorClass());
            assertEquals(MPI.ERR_LOCKTYPE, assertThrows(MPIException.class, () -> win.lock(7, 0, 0)).getErrorClass());
            assertEquals(MPI.ERR_ASSERT, assertThrows(MPIException.class, () -> win.fence(1 << 10)).getErrorClass());
            win.fence(0);
            assertEquals(MPI.ERR_ARG, assertThrows(MPIException.class,
                    () -> win.put(o, 2, MPI.INT, 1 - me, 3, 2, MPI.INT)).getErrorClass(), "target outside the window");
            assertEquals(MPI.ERR_OP, assertThrows(MPIException.class,
                    () -> win.accumulate(o, 1, MPI.INT, 0, 0, 1, MPI.INT, new Op(new UserFunction() { }, true))).getErrorClass());
            assertEquals(MPI.ERR_UNSUPPORTED_OPERATION, assertThrows(MPIException.class,
                    () -> win.setErrhandler(MPI.ERRORS_ARE_FATAL)).getErrorClass());
            win.fence(0);
            assertEquals(0, mem.get(3), "nothing written by the refused calls");
            win.free();
            assertEquals(MPI.ERR_WIN, assertThrows(MPIException.class, () -> win.fence(0)).getErrorClass());
            MPI.Finalize();
        });
    }
}
