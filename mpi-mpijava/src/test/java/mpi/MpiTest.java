package mpi;

import io.jmpi.Mpi;
import io.jmpi.runtime.ThreadJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** MPI's static entry points: Init's arguments, per-rank state, timers, Abort, error handlers; and the test harness itself. */
@Timeout(60)
class MpiTest {
    @Test
    void initStripsMpjExpressLeadingArguments() {
        assertArrayEquals(new String[]{"a", "b"}, MPI.programArgs(new String[]{"0", "/tmp/mpj.conf", "niodev", "a", "b"}));
        assertArrayEquals(new String[]{}, MPI.programArgs(new String[]{"3", "x", "multicore"}));
        assertArrayEquals(new String[]{"1", "2", "hybdev2"}, MPI.programArgs(new String[]{"1", "2", "hybdev2"}));
        assertArrayEquals(new String[]{"x"}, MPI.programArgs(new String[]{"x"}));
        assertArrayEquals(new String[0], MPI.programArgs(null));
    }

    @Test
    void initUnderAThreadJobKeepsStatePerRankAndFinalizeClosesIt() {
        AtomicInteger sum = new AtomicInteger();
        ThreadJob.run(3, rank -> {
            assertFalse(MPI.Initialized());
            String[] args = MPI.Init(new String[]{"0", "mpj.conf", "niodev", "keep"});
            assertArrayEquals(new String[]{"keep"}, args);
            assertTrue(MPI.Initialized());
            assertEquals(rank, MPI.COMM_WORLD.Rank(), "COMM_WORLD resolves to this thread's rank");
            // a thread the rank starts inherits its rank
            int[] seen = new int[1];
            Thread t = new Thread(() -> seen[0] = MPI.COMM_WORLD.Rank());
            t.start();
            t.join();
            assertEquals(rank, seen[0]);
            int[] s = new int[1];
            MPI.COMM_WORLD.Allreduce(new int[]{rank}, 0, s, 0, 1, MPI.INT, MPI.SUM);
            sum.addAndGet(s[0]);
            MPIException twice = assertThrows(MPIException.class, () -> MPI.Init(new String[0]));
            assertEquals("Init: MPI is already initialised on this rank", twice.getMessage());
            MPI.Finalize();
            MPIException after = assertThrows(MPIException.class, MPI.COMM_WORLD::Rank);
            assertEquals("MPI.Finalize has been called on this rank", after.getMessage());
        });
        assertEquals(9, sum.get());
    }

    @Test
    void callsBeforeInitFail() {
        MPIException e = assertThrows(MPIException.class, MPI.COMM_WORLD::Size);
        assertEquals("MPI.Init has not been called on this rank", e.getMessage());
    }

    @Test
    void timersProcessorNameAndErrhandlers() {
        Ranks.run(1, (rank, size) -> {
            assertEquals(1e-9, MPI.Wtick());
            double t0 = MPI.Wtime();
            long n0 = System.nanoTime();
            while (System.nanoTime() - n0 < 1_000_000) {
                Thread.onSpinWait();
            }
            double dt = MPI.Wtime() - t0;
            assertTrue(dt >= 1e-3 && dt < 10, "Wtime advances in seconds: " + dt);
            assertFalse(MPI.Get_processor_name().isEmpty());
            assertEquals(MPI.THREAD_MULTIPLE, MPI.queryThread());
            assertSame(MPI.ERRORS_RETURN, MPI.Errorhandler_get()); // jmpi's default: errors are exceptions the program may catch, as in MPJ Express
            MPI.Errorhandler_set(MPI.ERRORS_ARE_FATAL);
            assertSame(MPI.ERRORS_ARE_FATAL, MPI.Errorhandler_get());
            MPI.Errorhandler_set(MPI.ERRORS_RETURN);
            assertSame(MPI.ERRORS_RETURN, MPI.Errorhandler_get());
        });
    }

    @Test
    void abortEndsTheWholeJob() {
        Throwable t = assertThrows(Throwable.class, () -> Ranks.run(3, (rank, size) -> {
            if (rank == 1) MPI.COMM_WORLD.Abort(7);
            MPI.COMM_WORLD.Barrier(); // the other ranks would wait here for ever without the abort
        }));
        String all = describe(t);
        assertTrue(all.contains("abort(7)") || all.contains("code 7"), all);
    }

    @Test
    void aFailingRankFailsTheHarness() {
        AssertionError e = assertThrows(AssertionError.class, () -> Ranks.run(2, (rank, size) -> {
            if (rank == 1) fail("rank 1 fails");
        }));
        assertTrue(describe(e).contains("rank 1 fails"));
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) b.append(c).append(" | ");
        return b.toString();
    }

    @Test
    void mpiRunThreadsRanksAreLentNotClosedByFinalize() {
        Mpi.runThreads(2, m -> {
            MPI.adopt(m);
            try {
                MPI.Init(new String[0]);
                MPI.Finalize();
                assertEquals(2, m.world().size(), "the lent rank is still open after MPI.Finalize");
            } finally {
                MPI.release();
            }
        });
    }
}
