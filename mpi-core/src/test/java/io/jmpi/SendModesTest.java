package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/** Buffered ({@code MPI_Bsend}) and ready ({@code MPI_Rsend}) sends, over the in-JVM transport and TCP. */
@Timeout(60)
class SendModesTest {
    static final int BIG = 100_000; // doubles: 800 KB, far above the 64 KiB eager limit (rendezvous)

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void bsendManyLargeMessagesWithoutPostedReceive(String transport) {
        int count = 6, len = 20_000; // 160 KB each
        int size = count * (len * 8 + Mpi.BSEND_OVERHEAD) + 8 + Mpi.BSEND_OVERHEAD; // the big ones and one int
        Jobs.run(transport, 3, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                mpi.bufferAttach(size);
                for (int i = 0; i < count; i++) {
                    double[] d = new double[len];
                    java.util.Arrays.fill(d, i + 0.25);
                    w.bsend(d, 1, i); // returns at once: no receive is posted yet (the barrier follows)
                    java.util.Arrays.fill(d, -1); // the buffer is ours again: bsend copied it
                }
                w.ibsend(new int[]{42}, 2, 7).await();
                assertTrue(mpi.bsendBuffer().used() > 0, "rendezvous messages still held in the attached buffer");
            }
            w.barrier();
            if (w.rank() == 1) {
                for (int i = count - 1; i >= 0; i--) { // any order: each by its tag
                    double[] got = new double[len];
                    Status s = w.recv(got, 0, i);
                    assertEquals(len, s.count());
                    assertEquals(i + 0.25, got[0]);
                    assertEquals(i + 0.25, got[len - 1]);
                }
            }
            if (w.rank() == 2) {
                int[] v = new int[1];
                w.recv(v, 0, 7);
                assertEquals(42, v[0]);
            }
            if (w.rank() == 0) {
                ByteBuffer b = mpi.bufferDetach();
                assertEquals(size, b.capacity());
                assertEquals(0, mpi.bsendBuffer().used());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void bufferErrorsNameNeededAndFreeBytes(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                MpiException none = assertThrows(MpiException.class, () -> w.bsend(new byte[10], 1, 0));
                assertEquals(ErrorClass.BUFFER, none.errorClass());
                assertTrue(none.getMessage().startsWith("bsend: no buffer is attached"), none.getMessage());
                mpi.bufferAttach(1000);
                MpiException small = assertThrows(MpiException.class, () -> w.bsend(new long[250], 1, 0));
                assertEquals(ErrorClass.BUFFER, small.errorClass());
                assertTrue(small.getMessage().contains("message of 2000 bytes needs 2064 bytes"), small.getMessage());
                assertTrue(small.getMessage().contains("only 1000 of 1000 bytes are free"), small.getMessage());
                MpiException twice = assertThrows(MpiException.class, () -> mpi.bufferAttach(10));
                assertEquals(ErrorClass.STATE, twice.errorClass());
                w.bsend(new byte[900], 1, 1); // fits: 964 bytes
                mpi.bufferDetach();
            } else {
                byte[] b = new byte[900];
                assertEquals(900, w.recv(b, 0, 1).count());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void detachWaitsUntilBufferedMessagesAreDelivered(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            double[] got = new double[BIG];
            if (w.rank() == 0) {
                mpi.bufferAttach(BIG * 8 + Mpi.BSEND_OVERHEAD);
                double[] d = new double[BIG];
                java.util.Arrays.fill(d, 3.5);
                w.bsend(d, 1, 1);
                CompletableFuture<ByteBuffer> detached = CompletableFuture.supplyAsync(mpi::bufferDetach);
                // the receiver has not posted its receive, so the rendezvous data cannot have gone: detach must wait
                assertThrows(TimeoutException.class, () -> detached.get(300, TimeUnit.MILLISECONDS));
                w.send(new int[0], 1, 2); // go
                assertEquals(BIG * 8 + Mpi.BSEND_OVERHEAD, detached.get(30, TimeUnit.SECONDS).capacity());
                assertEquals(0, mpi.bsendBuffer().used());
            } else {
                w.recv(new int[0], 0, 2);
                w.recv(got, 0, 1);
                assertEquals(3.5, got[BIG - 1]);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void rsendWithPostedReceiveWorks(String transport) {
        Jobs.run(transport, 3, mpi -> {
            Comm w = mpi.world();
            if (w.rank() != 0) {
                long[] small = new long[4];
                double[] big = new double[BIG];
                Request a = w.irecv(small, 0, 1);
                Request b = w.irecv(big, 0, 2);
                w.barrier(); // the receives are posted before anyone sends
                assertEquals(4, a.await().count());
                assertEquals(BIG, b.await().count());
                assertEquals(w.rank() * 10L, small[3]);
                assertEquals(7.0, big[BIG - 1]);
            } else {
                w.barrier();
                double[] big = new double[BIG];
                java.util.Arrays.fill(big, 7.0);
                for (int r = 1; r < w.size(); r++) {
                    w.rsend(new long[]{0, 0, 0, r * 10L}, r, 1);
                    w.irsend(big, r, 2).await();
                }
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void rsendWithoutPostedReceiveFailsTheReceiveButDeliversTheData(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.rsend(new int[]{5, 6}, 1, 1);       // eager
                Request big = w.irsend(new double[BIG], 1, 2); // rendezvous
                w.barrier();
                big.await(); // the sender is not failed: the error is the receiver's
                w.send(new int[]{9}, 1, 3);
            } else {
                w.barrier(); // frames are ordered per sender: both rsends have arrived, with no receive posted
                int[] v = new int[2];
                MpiException e = assertThrows(MpiException.class, () -> w.recv(v, 0, 1));
                assertEquals(ErrorClass.STATE, e.errorClass());
                assertTrue(e.getMessage().startsWith("recv: message from rank 0 tag 1 was sent by rsend"), e.getMessage());
                assertArrayEquals(new int[]{5, 6}, v, "nothing is lost: the data was delivered");
                MpiException e2 = assertThrows(MpiException.class, () -> w.recv(new double[BIG], 0, 2));
                assertTrue(e2.getMessage().contains("before this receive was posted"), e2.getMessage());
                int[] after = new int[1];
                w.recv(after, 0, 3); // the rank goes on normally
                assertEquals(9, after[0]);
            }
        });
    }
}
