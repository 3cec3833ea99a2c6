package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.*;

/** Matched probe and receive ({@code MPI_Mprobe}, {@code MPI_Improbe}, {@code MPI_Mrecv}, {@code MPI_Imrecv}). */
@Timeout(60)
class MatchedProbeTest {
    static final int BIG = 50_000; // ints: 200 KB, rendezvous

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void twoThreadsProbingTheSameSourceGetDifferentMessages(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            int pairs = 50;
            if (w.rank() == 0) {
                for (int i = 0; i < pairs; i++) {
                    w.send(new int[]{2 * i, 7}, 1, 2 * i);          // eager
                    int[] big = new int[BIG];
                    big[0] = 2 * i + 1;
                    big[BIG - 1] = 2 * i + 1;
                    w.isend(big, 1, 2 * i + 1).await();            // rendezvous (the other thread may take either)
                }
            } else {
                Set<Integer> seen = ConcurrentHashMap.newKeySet();
                CyclicBarrier start = new CyclicBarrier(2);
                Runnable taker = () -> {
                    try {
                        start.await();
                        for (int i = 0; i < pairs; i++) {
                            Message m = w.mprobe(0, Mpi.ANY_TAG);
                            Status st = m.status();
                            int[] buf = new int[st.count()];
                            Status got = m.recv(buf);
                            assertEquals(st.tag(), got.tag());
                            assertEquals(st.tag(), buf[0], "the probed message is the one received");
                            assertTrue(seen.add(st.tag()), "tag " + st.tag() + " received twice");
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                };
                Thread other = new Thread(taker, "second-prober");
                java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
                other.setUncaughtExceptionHandler((t, e) -> failure.set(e));
                other.start();
                taker.run();
                other.join();
                if (failure.get() != null) throw new AssertionError("second thread failed", failure.get());
                assertEquals(2 * pairs, seen.size());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "tcp"})
    void aProbedMessageIsInvisibleToOtherReceives(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.send(new long[]{1}, 1, 5);
                w.isend(new long[BIG], 1, 5).await();
                w.send(new byte[]{3}, 1, 6);
            } else {
                Message first = w.mprobe(0, 5);
                assertEquals(1, first.status().count());
                long[] b = new long[BIG];
                assertEquals(BIG, w.recv(b, 0, 5).count(), "the plain receive gets the second message, not the probed one");
                long[] one = new long[1];
                Request r = first.irecv(one);
                assertEquals(0, r.await().source());
                assertEquals(1L, one[0]);
                MpiException again = assertThrows(MpiException.class, () -> first.recv(one));
                assertEquals(ErrorClass.STATE, again.errorClass());
                Message m = null;
                while (m == null) m = w.improbe(Mpi.ANY_SOURCE, 6);
                ByteBuffer bb = ByteBuffer.allocate(4);
                assertEquals(1, m.recv(bb).count());
                assertEquals(1, bb.position());
                assertEquals(3, bb.get(0));
                assertNull(w.improbe(Mpi.ANY_SOURCE, 6), "nothing more");
                Message none = w.mprobe(Mpi.PROC_NULL, 0);
                assertSame(Message.NO_PROC, none);
                assertEquals(Mpi.PROC_NULL, none.recv(new int[0]).source());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local"})
    void objectsThroughMatchedProbe(String transport) {
        Jobs.run(transport, 2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) w.sendObject("hello", 1, 1);
            else assertEquals("hello", w.mprobe(0, 1).recvObject());
        });
    }
}
