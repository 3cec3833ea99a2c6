package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jmpirun --check} (setting {@code check}; issue 19): each check has a program that triggers it and one, doing
 * the same thing correctly, that does not. Findings are read from {@link Mpi#checkFindings()} after close.
 */
@Timeout(120)
class ChecksTest {
    private static final Map<String, String> CHECK = Map.of("JMPI_CHECK", "true");

    interface Program {
        void run(Mpi mpi, Comm w, int me) throws Exception;
    }

    /** Runs {@code p} on 2 ranks over TCP with checks on; the findings of each rank (kinds only, in order). */
    static List<List<String>> findings(Program p) {
        Map<Integer, List<String>> out = new ConcurrentHashMap<>();
        Jobs.run("tcp", 2, CHECK, mpi -> {
            Comm w = mpi.world();
            try {
                p.run(mpi, w, w.rank());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            mpi.close();
            List<String> kinds = new ArrayList<>();
            for (String f : mpi.checkFindings()) kinds.add(f.substring(0, f.indexOf(':')));
            out.put(w.rank(), kinds);
        });
        return List.of(out.get(0), out.get(1));
    }

    @Test
    void sendBufferModifiedWhileSending() {
        // 128 KiB: rendezvous, so the send is still pending until rank 1 receives after the barrier
        assertEquals(List.of(List.of("SEND_BUFFER_MODIFIED"), List.of()), findings((mpi, w, me) -> {
            double[] big = new double[16 * 1024];
            if (me == 0) {
                Request r = w.isend(big, 1, 3);
                big[7] = 42; // erroneous: the send owns the buffer until it completes
                w.barrier();
                r.await();
            } else {
                w.barrier();
                w.recv(big, 0, 3);
            }
        }));
        assertEquals(List.of(List.of(), List.of()), findings((mpi, w, me) -> {
            double[] big = new double[16 * 1024];
            if (me == 0) {
                Request r = w.isend(big, 1, 3);
                w.barrier();
                r.await();
                big[7] = 42; // fine: the send is complete
            } else {
                w.barrier();
                w.recv(big, 0, 3);
            }
        }));
    }

    @Test
    void requestNeverCompleted() {
        assertEquals(List.of(List.of("REQUEST_NOT_COMPLETED"), List.of()), findings((mpi, w, me) -> {
            int[] x = new int[1];
            if (me == 0) w.irecv(x, 1, 5); // never awaited nor tested
            else w.send(x, 0, 5);
            w.barrier();
        }));
        assertEquals(List.of(List.of(), List.of()), findings((mpi, w, me) -> {
            int[] x = new int[1];
            if (me == 0) w.irecv(x, 1, 5).await();
            else w.send(x, 0, 5);
            w.barrier();
        }));
    }

    @Test
    void collectiveCalledDifferently() {
        List<List<String>> f = findings((mpi, w, me) -> {
            long[] v = new long[2];
            MpiException e = assertThrows(MpiException.class, () -> w.bcast(v, 0, 2, me)); // roots differ
            assertEquals(ErrorClass.COLLECTIVE, e.errorClass());
            double[] d = {me};
            e = assertThrows(MpiException.class, () -> w.allreduce(d, me == 0 ? Op.SUM : Op.MAX)); // ops differ
            assertEquals(ErrorClass.COLLECTIVE, e.errorClass());
            w.barrier(); // the communicator is still usable
        });
        assertEquals(List.of(List.of("COLLECTIVE_MISMATCH", "COLLECTIVE_MISMATCH"), List.of("COLLECTIVE_MISMATCH", "COLLECTIVE_MISMATCH")), f);
        assertEquals(List.of(List.of(), List.of()), findings((mpi, w, me) -> {
            long[] v = new long[2];
            w.bcast(v, 0, 2, 1);
            double[] d = {me};
            w.allreduce(d, Op.SUM);
            int[] counts = {1, 2};
            int[] all = new int[3];
            w.allgatherv(new int[me + 1], 0, me + 1, all, counts, new int[]{0, 1}); // counts may differ per rank here
        }));
    }

    @Test
    void messageNeverReceived() {
        assertEquals(List.of(List.of("UNMATCHED_MESSAGE"), List.of()), findings((mpi, w, me) -> {
            if (me == 1) w.send(new int[3], 0, 9); // rank 0 never receives it
            w.barrier();
        }));
        assertEquals(List.of(List.of(), List.of()), findings((mpi, w, me) -> {
            if (me == 1) w.send(new int[3], 0, 9);
            else w.recv(new int[3], 1, 9);
            w.barrier();
        }));
    }
}
