package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every point-to-point entry point rejects bad arguments with a message naming call, argument, value and range. */
@Timeout(30)
class BadInputTest {
    @Test
    void pointToPointArgumentsAreCheckedBeforeAnythingIsSent() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            if (w.rank() != 0) return;
            Map<String, Executable> cases = new LinkedHashMap<>();
            Map<String, String> expected = new LinkedHashMap<>();
            add(cases, expected, "send: dest=7 out of range [0, 4) (or PROC_NULL)", () -> w.send(new double[1], 7, 0));
            add(cases, expected, "send: dest=-5 out of range [0, 4) (or PROC_NULL)", () -> w.send(new double[1], -5, 0));
            add(cases, expected, "isend: tag=-3 out of range [0, 2147483647]", () -> w.isend(new int[1], 1, -3));
            add(cases, expected, "send: tag=-1 out of range [0, 2147483647]", () -> w.send(new int[1], 1, Mpi.ANY_TAG));
            add(cases, expected, "send: buf is null", () -> w.send((double[]) null, 1, 0));
            add(cases, expected, "recv: buf is null", () -> w.recv((long[]) null, 0, 3, 1, 0));
            add(cases, expected, "send: count=-1 out of range [0, 5]", () -> w.send(new int[5], 0, -1, 1, 0));
            add(cases, expected, "send: offset=-2 out of range [0, 5]", () -> w.send(new int[5], -2, 1, 1, 0));
            add(cases, expected, "send: offset=3 + count=3 exceeds buf length 5", () -> w.send(new int[5], 3, 3, 1, 0));
            add(cases, expected, "irecv: offset=1 + count=5 exceeds buf length 5", () -> w.irecv(new float[5], 1, 5, 1, 0));
            add(cases, expected, "recv: source=4 out of range [0, 4) (or ANY_SOURCE, PROC_NULL)", () -> w.recv(new int[1], 4, 0));
            add(cases, expected, "recv: tag=-7 out of range [0, 2147483647] (or ANY_TAG)", () -> w.recv(new int[1], 1, -7));
            add(cases, expected, "probe: source=9 out of range [0, 4) (or ANY_SOURCE, PROC_NULL)", () -> w.probe(9, 0));
            add(cases, expected, "sendrecv: recvTag=-9 out of range [0, 2147483647] (or ANY_TAG)",
                    () -> w.sendrecv(new int[1], 1, 0, new int[1], 1, -9));
            add(cases, expected, "sendrecv: recvBuf is null", () -> w.sendrecv(new int[1], 1, 0, null, 1, 0));
            add(cases, expected, "ssend: buf is null", () -> w.ssend((java.nio.ByteBuffer) null, 1, 0));
            for (Map.Entry<String, Executable> c : cases.entrySet()) {
                MpiException e = assertThrows(MpiException.class, c.getValue(), c.getKey());
                assertEquals(expected.get(c.getKey()), e.getMessage());
            }
            // nothing was sent: no rank has a message waiting
        });
    }

    private static void add(Map<String, Executable> cases, Map<String, String> expected, String message, Executable e) {
        cases.put(message, e);
        expected.put(message, message);
    }

    @Test
    void useAfterCloseIsAnError() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            mpi.close();
            MpiException e = assertThrows(MpiException.class, () -> w.send(new int[1], 0, 0));
            assertEquals(ErrorClass.STATE, e.errorClass());
            assertEquals("send: Mpi is closed", e.getMessage());
            MpiException e2 = assertThrows(MpiException.class, mpi::world);
            assertEquals("world: Mpi is closed", e2.getMessage());
        });
    }

    @Test
    void nothingIsSentWhenArgumentsAreBad() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                assertThrows(MpiException.class, () -> w.send(new int[2], 1, 3, 1, 5));
                w.send(new int[]{11}, 1, 6);
            } else {
                int[] x = new int[1];
                Status s = w.recv(x, 0, Mpi.ANY_TAG);
                assertEquals(6, s.tag(), "the rejected send must not have reached the receiver");
                assertEquals(11, x[0]);
            }
        });
    }
}
