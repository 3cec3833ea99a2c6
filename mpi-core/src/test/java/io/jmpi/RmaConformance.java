package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.rma.Pending;
import io.jmpi.wire.RmaDescriptor;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One-sided communication ({@link Win}): every synchronisation mode with put/get/accumulate checked against a serial
 * model, atomics, derived datatypes on both sides, request-based operations, allocated/dynamic/shared windows,
 * passive-target progress while the target computes, bad input and forged headers. Written once, run over every
 * transport (subclasses) at world sizes 1-8.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RmaConformance {
    abstract String transport();

    int[] sizes() {
        return new int[]{1, 2, 3, 5, 8};
    }

    int[] sizesFrom2() {
        return IntStream.of(sizes()).filter(n -> n >= 2).toArray();
    }

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @MethodSource("sizes")
    void fenceEpochsPutGetAccumulateMatchTheSerialModel(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // slots: [0, n) puts by each origin, [n, 2n) REPLACE by each origin, 2n: SUM of rank + 1, 2n+1: SUM of
            // ones, 2n+2: MAX of ranks (one operation per location, as MPI requires for a defined result)
            double[] mem = new double[2 * n + 3];
            try (Win win = Win.create(w, mem)) {
                win.fence(0);
                for (int t = 0; t < n; t++) {
                    win.put(new double[]{me * 10 + t}, 0, 1, t, me);
                    win.accumulate(new double[]{me + 1, 1}, 0, 2, t, 2 * n, Op.SUM);
                    win.accumulate(new double[]{me}, 0, 1, t, 2 * n + 2, Op.MAX);
                    win.accumulate(new double[]{t}, 0, 1, t, n + me, Op.REPLACE);
                }
                win.fence(0);
                for (int o = 0; o < n; o++) {
                    assertEquals(o * 10 + me, mem[o], "put from " + o);
                    assertEquals(me, mem[n + o], "replace from " + o);
                }
                assertEquals(n * (n + 1) / 2.0, mem[2 * n]);
                assertEquals(n, mem[2 * n + 1]);
                assertEquals(n - 1, mem[2 * n + 2]);
                double[] got = new double[2 * n + 3];
                int right = (me + 1) % n;
                win.get(got, 0, got.length, right, 0);
                win.fence(Win.MODE_NOSUCCEED);
                for (int o = 0; o < n; o++) assertEquals(o * 10 + right, got[o]);
                assertEquals(n * (n + 1) / 2.0, got[2 * n]);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void postStartCompleteWaitRing(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n, left = (me + n - 1) % n;
            long[] mem = new long[4];
            try (Win win = Win.create(w, mem)) {
                Group g = w.group();
                for (int round = 1; round <= 3; round++) {
                    win.post(g.incl(left), 0);
                    win.start(g.incl(right), 0);
                    win.put(new long[]{me, round}, 0, 2, right, 0);
                    win.accumulate(new long[]{me + round}, 0, 1, right, 2, Op.SUM);
                    long[] peek = new long[1];
                    win.get(peek, 0, 1, right, 3);
                    win.complete();
                    assertEquals(round - 1, peek[0], "get in round " + round);
                    if (round % 2 == 0) {
                        io.jmpi.testing.Await.until(win::test, java.time.Duration.ofSeconds(10), "Win.test of round " + round);
                    } else {
                        win.waitFor();
                    }
                    assertEquals(left, mem[0]);
                    assertEquals(round, mem[1]);
                    long sum = 0;
                    for (int r = 1; r <= round; r++) sum += left + r;
                    assertEquals(sum, mem[2]);
                    mem[3] = round; // local store between epochs: the next round's get must see it
                    w.barrier();
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void exclusiveLocksSerialiseReadModifyWrite(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            long[] mem = new long[1];
            try (Win win = Win.create(w, mem)) {
                for (int i = 0; i < 10; i++) {
                    win.lock(Win.LOCK_EXCLUSIVE, 0, 0);
                    long[] v = new long[1];
                    win.get(v, 0, 1, 0, 0);
                    win.flush(0);
                    v[0]++;
                    win.put(v, 0, 1, 0, 0);
                    win.unlock(0);
                }
                w.barrier();
                if (w.rank() == 0) assertEquals(10L * n, mem[0]);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void lockAllFetchAndOpGivesDistinctTicketsAndOneCasWinner(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            long[] mem = new long[]{0, -1, 0};
            try (Win win = Win.create(w, mem)) {
                win.lockAll(0);
                long[] tickets = new long[20];
                long[] one = {1}, old = new long[1];
                for (int i = 0; i < tickets.length; i++) {
                    win.fetchAndOp(one, 0, old, 0, 0, 0, Op.SUM);
                    tickets[i] = old[0];
                }
                win.compareAndSwap(new long[]{w.rank()}, 0, new long[]{-1}, 0, old, 0, 0, 1);
                long won = old[0] == -1 ? 1 : 0;
                long[] read = new long[1];
                win.getAccumulate(null, 0, 1, read, 0, 0, 0, Op.NO_OP);
                assertTrue(read[0] >= tickets[tickets.length - 1] + 1);
                win.accumulate(new long[]{0xF0L << w.rank()}, 0, 1, 0, 2, Op.BOR);
                win.flushAll();
                win.unlockAll();
                long[] all = new long[20 * n];
                w.allgather(tickets, all);
                Arrays.sort(all);
                assertArrayEquals(IntStream.range(0, 20 * n).asLongStream().toArray(), all);
                long[] winners = new long[1];
                w.allreduce(new long[]{won}, winners, Op.SUM);
                assertEquals(1, winners[0]);
                w.barrier();
                if (w.rank() == 0) {
                    assertEquals(20L * n, mem[0]);
                    assertTrue(mem[1] >= 0 && mem[1] < n);
                    long bits = 0;
                    for (int r = 0; r < n; r++) bits |= 0xF0L << r;
                    assertEquals(bits, mem[2]);
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void derivedDatatypesOnOriginAndTarget(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), rows = 4, cols = n + 1;
            int[] matrix = new int[rows * cols]; // row-major; column c written by origin c
            Datatype column = Datatype.vector(rows, 1, cols, Datatype.INT).commit();
            Datatype pairs = Datatype.vector(rows, 1, 2, Datatype.INT).commit(); // every other element of the origin
            try (Win win = Win.create(w, matrix)) {
                win.fence(0);
                int[] src = new int[2 * rows];
                for (int i = 0; i < rows; i++) src[2 * i] = me * 100 + i;
                for (int t = 0; t < n; t++) win.put(src, 0, 1, pairs, t, me, 1, column);
                win.fence(0);
                for (int c = 0; c < n; c++) for (int i = 0; i < rows; i++) assertEquals(c * 100 + i, matrix[i * cols + c]);
                int[] back = new int[2 * rows];
                win.get(back, 0, 1, pairs, (me + 1) % n, me, 1, column);
                win.accumulate(new int[]{1, 1, 1, 1}, 0, 4, Datatype.INT, (me + 1) % n, n, 1, column, Op.SUM);
                win.fence(0);
                for (int i = 0; i < rows; i++) assertEquals(me * 100 + i, back[2 * i]);
                int left = (me + n - 1) % n;
                for (int i = 0; i < rows; i++) assertEquals(1, matrix[i * cols + n], "accumulate from " + left);
                win.fence(Win.MODE_NOSUCCEED);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void requestBasedOperationsComplete(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n;
            double[] mem = new double[8];
            try (Win win = Win.create(w, mem)) {
                win.lockAll(0);
                Request p = win.rput(new double[]{me, me}, 0, 2, Datatype.DOUBLE, right, 0, 2, Datatype.DOUBLE);
                p.await();
                win.flush(right);
                double[] g = new double[2];
                Request r = win.rget(g, 0, 2, Datatype.DOUBLE, right, 0, 2, Datatype.DOUBLE);
                r.await();
                assertArrayEquals(new double[]{me, me}, g);
                win.raccumulate(new double[]{2.5}, 0, 1, Datatype.DOUBLE, right, 4, 1, Datatype.DOUBLE, Op.SUM).await();
                double[] old = new double[1];
                win.rgetAccumulate(new double[]{1}, 0, 1, Datatype.DOUBLE, old, 0, 1, Datatype.DOUBLE, right, 4, 1, Datatype.DOUBLE, Op.PROD).await();
                assertEquals(2.5, old[0]);
                win.unlockAll();
                w.barrier();
                assertEquals(2.5, mem[4]);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void allocatedAndDynamicWindows(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n, left = (me + n - 1) % n;
            try (Win win = Win.allocate(w, 64, 8)) {
                assertEquals(64, win.size());
                assertEquals(Win.FLAVOR_ALLOCATE, win.flavor());
                win.fence(0);
                ByteBuffer src = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(me).putLong(-me);
                src.flip();
                win.put(src, 0, 16, right, 2);
                win.fence(Win.MODE_NOSUCCEED);
                assertEquals(left, win.buffer().getLong(16));
                assertEquals(-left, win.buffer().getLong(24));
            }
            try (Win dyn = Win.createDynamic(w)) {
                int[] region = new int[8];
                long address = dyn.attach(region);
                long[] addresses = new long[n];
                w.allgather(new long[]{address}, addresses);
                dyn.lockAll(0);
                dyn.put(new int[]{me + 7}, 0, 1, right, addresses[right] + 4 * 3);
                dyn.flush(right);
                dyn.unlockAll();
                w.barrier();
                assertEquals(left + 7, region[3]);
                dyn.lock(Win.LOCK_SHARED, right, 0);
                MpiException e = assertThrows(MpiException.class, () -> {
                    dyn.put(new int[]{1}, 0, 1, right, addresses[right] + 4 * 8); // one past the region
                    dyn.flush(right);
                });
                assertEquals(ErrorClass.ARG, e.errorClass());
                dyn.unlock(right);
                w.barrier();
                dyn.detach(region);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizes")
    void sharedWindowLoadsAndStoresAreVisibleToEveryRank(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            try (Win win = Win.allocateShared(w, 8L * (me + 1), 8)) {
                ByteBuffer mine = win.sharedQuery(me);
                assertEquals(8L * (me + 1), mine.capacity());
                for (int i = 0; i <= me; i++) LONGS.setVolatile(mine, 8 * i, 1000L * me + i);
                w.barrier();
                for (int r = 0; r < n; r++) {
                    ByteBuffer seg = win.sharedQuery(r);
                    for (int i = 0; i <= r; i++) assertEquals(1000L * r + i, (long) LONGS.getVolatile(seg, 8 * i));
                }
                // RMA on the same memory: an accumulate lands in the neighbour's segment everyone sees
                win.fence(0);
                win.accumulate(new long[]{1}, 0, 1, (me + 1) % n, 0, Op.SUM);
                win.fence(Win.MODE_NOSUCCEED);
                w.barrier();
                for (int r = 0; r < n; r++) assertEquals(1000L * r + 1, (long) LONGS.getVolatile(win.sharedQuery(r), 0));
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizesFrom2")
    void passiveTargetProgressesWhileTheTargetSpinsWithoutCallingMpi(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            try (Win win = Win.allocate(w, 8L * n, 8)) {
                if (w.rank() == 1) {
                    ByteBuffer mem = win.buffer();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    // user code: polls its own memory, no MPI call, until every origin's value has arrived
                    boolean all = false;
                    while (!all && System.nanoTime() < deadline) {
                        all = true;
                        for (int r = 0; r < n; r++) if (r != 1 && (long) LONGS.getVolatile(mem, 8 * r) != 100 + r) all = false;
                    }
                    assertTrue(all, "the puts of the origins arrived while the target computed");
                } else {
                    win.lock(Win.LOCK_SHARED, 1, 0);
                    win.put(new long[]{100 + w.rank()}, 0, 1, 1, w.rank());
                    win.unlock(1); // returns only once the target applied it: its agent did, not an MPI call
                }
                w.barrier();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("sizesFrom2")
    void badInputGetsPreciseErrorsAndLeavesTheWindowIntact(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n;
            double[] mem = new double[4];
            Arrays.fill(mem, 7);
            try (Win win = Win.create(w, mem)) {
                MpiException e = assertThrows(MpiException.class, () -> win.put(new double[1], 0, 1, right, 0));
                assertEquals(ErrorClass.STATE, e.errorClass()); // outside an epoch
                win.lockAll(0);
                e = assertThrows(MpiException.class, () -> win.put(new double[2], 0, 2, right, 3));
                assertEquals(ErrorClass.ARG, e.errorClass()); // beyond the window: [24, 40) of 32 bytes
                e = assertThrows(MpiException.class, () -> win.get(new double[1], 0, 1, right, -1));
                assertEquals(ErrorClass.ARG, e.errorClass());
                e = assertThrows(MpiException.class, () -> win.put(new double[1], 0, 1, n, 0));
                assertEquals(ErrorClass.ARG, e.errorClass()); // unknown rank
                e = assertThrows(MpiException.class, () -> win.put(new double[1], 0, 1, Datatype.DOUBLE, right, 0, 2, Datatype.FLOAT));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                e = assertThrows(MpiException.class, () -> win.accumulate(new double[1], 0, 1, right, 0, Op.BAND));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                e = assertThrows(MpiException.class, () -> win.accumulate(new double[2], 0, 2, right, 0, Op.MINLOC));
                assertEquals(ErrorClass.ARG, e.errorClass());
                // the target holds doubles: ints are refused there and reported at the next flush
                win.put(new int[]{1, 2}, 0, 2, right, 0);
                e = assertThrows(MpiException.class, () -> win.flush(right));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                // a forged header: a get far outside the window, straight to the engine
                long id = win.endpoint.newRequest();
                double[] into = new double[1];
                Pending p = win.endpoint.expect(id, w.toWorld(right), new io.jmpi.buffer.ArrayBuf(DataType.DOUBLE, into, 0, 1), 8);
                io.jmpi.rma.RmaMessage forged = new io.jmpi.rma.RmaMessage()
                        .start(RmaDescriptor.GET, DataType.DOUBLE, 0, 0, 1, 1L << 40, id);
                win.endpoint.send("test", forged, w.toWorld(right));
                win.waitFor("test", p::isDone, -1);
                assertEquals(ErrorClass.ARG, p.error().errorClass());
                // a forged accumulate with an unknown op code and a data length that lies
                io.jmpi.rma.RmaMessage bad = new io.jmpi.rma.RmaMessage()
                        .start(RmaDescriptor.ACCUMULATE, DataType.DOUBLE, 99, 0, 1, 0, win.endpoint.newRequest())
                        .data(BytesBuf.forSend(DataType.BYTE, new byte[8]), 8);
                win.endpoint.send("test", bad, w.toWorld(right));
                io.jmpi.rma.RmaMessage lying = new io.jmpi.rma.RmaMessage()
                        .start(RmaDescriptor.PUT, DataType.DOUBLE, 0, 0, 1000, 0, win.endpoint.newRequest())
                        .data(BytesBuf.forSend(DataType.BYTE, new byte[8]), 8);
                win.endpoint.send("test", lying, w.toWorld(right));
                e = assertThrows(MpiException.class, () -> win.flush(right));
                assertNotNull(e.errorClass());
                win.flush(right); // the window works on
                win.put(new double[]{3}, 0, 1, right, 1);
                win.unlockAll();
                w.barrier();
                assertArrayEquals(new double[]{7, 3, 7, 7}, mem);
                assertTrue(win.refusedAsTarget() >= 4, "refused " + win.refusedAsTarget());
                assertThrows(MpiException.class, () -> win.unlock(right));
                assertThrows(MpiException.class, () -> win.flush(right));
            }
        });
    }
}
