package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code MPI_Testany}, {@code MPI_Testsome}, {@code MPI_Waitall}/{@code MPI_Testall} into arrays, and futures. */
@Timeout(60)
class RequestCompletionTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void testAnyAndTestSome(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.recv(new int[0], 1, 99); // rank 1 has posted its receives
                w.send(new int[]{2}, 1, 2);
                w.recv(new int[0], 1, 99);
                w.send(new int[]{0}, 1, 0);
                w.send(new int[]{1}, 1, 1);
            } else {
                int[][] got = new int[3][1];
                Request[] rs = {w.irecv(got[0], 0, 0), w.irecv(got[1], 0, 1), w.irecv(got[2], 0, 2), null};
                assertEquals(-1, Requests.testAny(rs), "nothing sent yet");
                assertEquals(0, Requests.testSome(rs).length);
                Status[] st = new Status[4];
                assertFalse(Requests.testAll(rs, st));
                assertNull(st[2], "testAll leaves the statuses alone until all are done");
                w.send(new int[0], 0, 99);
                int i;
                while ((i = Requests.testAny(rs)) < 0) Thread.onSpinWait();
                assertEquals(2, i);
                assertEquals(2, got[2][0]);
                w.send(new int[0], 0, 99);
                int[] some = {};
                while (some.length < 3) some = Requests.testSome(rs);
                assertArrayEquals(new int[]{0, 1, 2}, some);
                while (!Requests.testAll(rs, st)) Thread.onSpinWait();
                for (int t = 0; t < 3; t++) assertEquals(t, st[t].tag());
                assertNull(st[3]);
                Status[] st2 = new Status[4];
                Requests.awaitAll(rs, st2);
                assertEquals(1, st2[1].tag());
                // a caller's reusable statuses are filled in place (no Status allocated per completed request)
                Status[] st3 = {new Status(), new Status(), new Status(), new Status()};
                Status kept = st3[1];
                Requests.awaitAll(rs, st3);
                assertSame(kept, st3[1]);
                assertEquals(1, st3[1].tag());
                assertEquals(2, st3[2].tag());
                assertNull(st3[3]);
                assertThrows(MpiException.class, () -> Requests.awaitAll(rs, new Status[1]));
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void futuresCompleteWithoutAnyoneWaiting(String transport) {
        Jobs.run(transport, 3, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.recv(new int[0], 1, 99);
                w.send(new double[]{1.5, 2.5}, 1, 4);
                w.isend(new double[100_000], 1, 5).await(); // rendezvous
                w.send(new int[3], 1, 6);                   // too long for the receive: its future fails
            } else if (w.rank() == 1) {
                double[] d = new double[2];
                CompletableFuture<Status> f = w.irecv(d, 0, 4).toFuture();
                CompletableFuture<Status> big = Requests.future(w.irecv(new double[100_000], 0, 5));
                CompletableFuture<Status> bad = w.irecv(new int[1], 0, 6).toFuture();
                CompletableFuture<Double> sum = f.thenApply(s -> d[0] + d[1]);
                assertFalse(f.isDone());
                w.send(new int[0], 0, 99);
                assertEquals(4.0, sum.get(30, TimeUnit.SECONDS));
                assertEquals(4, f.get().tag());
                assertEquals(100_000, big.get(30, TimeUnit.SECONDS).count());
                ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(30, TimeUnit.SECONDS));
                assertEquals(ErrorClass.TRUNCATE, ((MpiException) e.getCause()).errorClass());
            }
            // a collective's request has no hook: polled by the futures thread
            CompletableFuture<Status> barrier = w.ibarrier().toFuture();
            assertNotNull(barrier.get(30, TimeUnit.SECONDS));
            assertTrue(w.isend(new int[1], Mpi.PROC_NULL, 0).toFuture().isDone());
        });
    }
}
