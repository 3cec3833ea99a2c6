package io.jmpi;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Point-to-point, collective, datatype and asynchronous errors all go through the communicator's error handler:
 * under ERRORS_ARE_FATAL the failing rank's call aborts the job even if the exception is caught (the other ranks,
 * blocked in a receive nobody will satisfy, fail), under ERRORS_RETURN only the caller sees it.
 */
@Timeout(60)
class ErrhandlerRoutingTest {
    /**
     * Runs a 3-rank thread job whose WORLD is FATAL; rank 0 runs {@code failing} (and catches what it throws), the
     * others block in a receive that only the abort ends. Returns the message rank 0 caught.
     */
    private static String fatalOnRank0(Consumer<Comm> failing) {
        AtomicReference<String> caught = new AtomicReference<>();
        AtomicInteger othersFailed = new AtomicInteger();
        assertThrows(MpiException.class, () -> Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_ARE_FATAL);
            if (w.rank() == 0) {
                try {
                    failing.accept(w);
                } catch (MpiException e) {
                    caught.set(e.getMessage()); // too late: the job is already aborted
                }
            } else {
                try {
                    w.recv(new int[1], 0, 99);
                } catch (MpiException e) {
                    othersFailed.incrementAndGet();
                    throw e;
                }
            }
        }));
        assertEquals(2, othersFailed.get(), "the other ranks were aborted");
        return caught.get();
    }

    @Test
    void pointToPointArgumentErrorIsFatal() {
        assertEquals("send: dest=7 out of range [0, 3) (or PROC_NULL)", fatalOnRank0(w -> w.send(new int[1], 7, 0)));
        assertEquals("isend: offset=2 + count=5 exceeds buf length 4",
                fatalOnRank0(w -> w.isend(new double[4], 2, 5, 1, 0)));
        assertEquals("recv: tag=-5 out of range [0, " + Mpi.TAG_UB + "] (or ANY_TAG)",
                fatalOnRank0(w -> w.recv(new int[1], 1, -5)));
    }

    @Test
    void collectiveAndDatatypeArgumentErrorsAreFatal() {
        assertEquals("bcast: root=5 out of range [0, 3)", fatalOnRank0(w -> w.bcast(new int[1], 5)));
        assertEquals("allreduce: op is null", fatalOnRank0(w -> w.allreduce(new int[2], null)));
        assertEquals("send: buf is null", fatalOnRank0(w -> w.send((Object) null, 0, 1, Datatype.INT, 1, 0)));
    }

    @Test
    void asynchronousErrorGoesToTheRequestsCommunicator() {
        // rank 1 sends 4 ints where rank 0 posted a receive of 1: the truncation shows at await, and is fatal
        AtomicReference<String> caught = new AtomicReference<>();
        AtomicInteger othersFailed = new AtomicInteger();
        assertThrows(MpiException.class, () -> Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_ARE_FATAL);
            if (w.rank() == 0) {
                Request r = w.irecv(new int[1], 1, 5);
                try {
                    r.await();
                } catch (MpiException e) {
                    caught.set(e.getMessage());
                }
            } else if (w.rank() == 1) {
                w.send(new int[4], 0, 5);
                try {
                    w.recv(new int[1], 0, 99);
                } catch (MpiException e) {
                    othersFailed.incrementAndGet();
                    throw e;
                }
            } else {
                try {
                    w.recv(new int[1], 0, 99);
                } catch (MpiException e) {
                    othersFailed.incrementAndGet();
                    throw e;
                }
            }
        }));
        assertNotNull(caught.get());
        assertTrue(caught.get().contains("irecv"), caught.get());
        assertEquals(2, othersFailed.get());
    }

    @Test
    void errorsReturnOnADupLeaveTheJobAlive() {
        Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_ARE_FATAL);
            Comm d = w.dup();
            d.setErrhandler(Errhandler.ERRORS_RETURN);
            MpiException e = assertThrows(MpiException.class, () -> d.bcast(new int[1], -1));
            assertEquals(ErrorClass.ARG, e.errorClass());
            assertEquals("bcast: root=-1 out of range [0, 3)", e.getMessage());
            e = assertThrows(MpiException.class, () -> d.send(new int[1], 3, 0));
            assertEquals("send: dest=3 out of range [0, 3) (or PROC_NULL)", e.getMessage());
            int[] v = {w.rank()};
            w.allreduce(v, Op.SUM);
            assertEquals(3, v[0], "the job goes on");
        });
    }

    @Test
    void errorsSettingChoosesTheInitialHandler() {
        assertEquals("return", Config.of(Map.of()).get(Config.ERRORS));
        assertEquals("fatal", Config.of(Map.of("JMPI_ERRORS", "fatal")).get(Config.ERRORS));
        MpiException e = assertThrows(MpiException.class, () -> Config.ERRORS.parse("loud"));
        assertEquals("config: errors=loud out of range [return, fatal]", e.getMessage());
    }
}
