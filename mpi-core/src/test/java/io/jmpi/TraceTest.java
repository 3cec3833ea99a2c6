package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.trace.TraceFile;
import io.jmpi.trace.TraceFile.Event;
import io.jmpi.trace.TraceFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The recorder behind {@code jmpirun --trace/--profile} (issue 19), on real jobs of ranks in this JVM over TCP: a
 * program with known calls leaves exactly those operations (with peers, bytes, roots, ops) and every message with
 * both of its ends; and recording allocates nothing per event.
 */
@Timeout(120)
class TraceTest {
    static final int RING = 5, BARRIERS = 3, NONBLOCKING = 4;

    @Test
    void everyOperationAndEveryMessageIsRecorded(@TempDir Path dir) throws Exception {
        Jobs.run("tcp", 3, Map.of("JMPI_TRACE_DIR", dir.toString(), "JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % 3, left = (me + 2) % 3;
            long[] v = new long[4], in = new long[4];
            for (int i = 0; i < RING; i++) {
                w.send(v, 0, 4, right, 7);
                w.recv(in, 0, 4, left, 7);
            }
            for (int i = 0; i < BARRIERS; i++) w.barrier();
            double[] d = {me};
            w.allreduce(d, Op.SUM);
            w.bcast(v, 0, 2, 1);
            for (int i = 0; i < NONBLOCKING; i++) {
                Request r = w.irecv(in, 0, 1, Mpi.ANY_SOURCE, 9);
                Request s = w.isend(v, 0, 1, right, 9);
                s.await();
                r.await();
            }
            Comm dup = w.dup();
            dup.free();
        });
        TraceFile t = TraceFile.read(dir);
        assertEquals(3, t.ranks().size());
        for (TraceFile.Rank r : t.ranks()) {
            Map<String, Integer> counts = new HashMap<>();
            for (Event e : r.events()) if (e.kind() == TraceFormat.OP) counts.merge(e.name(), 1, Integer::sum);
            assertEquals(RING, counts.get("send"), "rank " + r.rank() + ": " + counts);
            assertEquals(RING, counts.get("recv"), "rank " + r.rank() + ": " + counts);
            assertEquals(BARRIERS, counts.get("barrier"), counts.toString());
            assertEquals(1, counts.get("allreduce"), counts.toString());
            assertEquals(1, counts.get("bcast"), counts.toString());
            assertEquals(1, counts.get("dup"), counts.toString());
            assertEquals(NONBLOCKING, counts.get("isend"), counts.toString());
            assertEquals(NONBLOCKING, counts.get("irecv"), counts.toString());
            // every irecv was awaited; an isend that completed at once has no wait of the engine to record
            assertTrue(counts.get("wait") >= NONBLOCKING, counts.toString());
            int right = (r.rank() + 1) % 3, left = (r.rank() + 2) % 3;
            for (Event e : r.events()) {
                assertTrue(e.t1() >= e.t0(), e.toString());
                if (e.kind() != TraceFormat.OP) continue;
                switch (e.name()) {
                    case "send" -> assertEquals(List.of(right, 7, 32L), List.of(e.peer(), e.tag(), e.bytes()));
                    case "recv" -> {
                        assertEquals(List.of(left, 7, 32L), List.of(e.peer(), e.tag(), e.bytes()));
                        assertTrue(e.seq() >= 0, e.toString());
                    }
                    case "allreduce" -> assertEquals(List.of("SUM", "DOUBLE", 1L, 8L, -1),
                            List.of(e.op(), e.type(), e.seq(), e.bytes(), e.root()));
                    case "bcast" -> assertEquals(List.of(1, 2L, "LONG"), List.of(e.root(), e.seq(), e.type()));
                    default -> { }
                }
            }
        }
        assertMessagesPaired(t);
    }

    /**
     * A blocking collective whose argument checks throw leaves no open entry: it is not recorded, the thread is not
     * "inside a collective" afterwards (so its later waits are recorded), and the next collective is recorded alone.
     */
    @Test
    void aCollectiveThatThrowsInItsChecksLeavesNoOpenEntry(@TempDir Path dir) throws Exception {
        Jobs.run("tcp", 2, Map.of("JMPI_TRACE_DIR", dir.toString(), "JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            long[] v = new long[4], in = new long[4];
            double[] d = new double[2], out = new double[2];
            for (int i = 0; i < 10; i++) { // more than the recorder's nesting depth (8)
                assertThrows(MpiException.class, () -> w.bcast(v, 0, 2, 5)); // root out of range
                assertThrows(MpiException.class, () -> w.allreduce(d, 0, out, 0, 3, Op.SUM)); // count beyond the arrays
                assertThrows(MpiException.class, () -> w.gather(v, 0, 1, in, 0, 7)); // root out of range
            }
            assertFalse(w.trace.inCollective());
            assertFalse(w.trace.collectivePending());
            Request r = w.irecv(in, 0, 1, peer, 9);
            w.send(v, 0, 1, peer, 9);
            r.await();
            w.barrier();
            w.allreduce(d, 0, out, 0, 2, Op.SUM);
            assertFalse(w.trace.collectivePending());
        });
        TraceFile t = TraceFile.read(dir);
        for (TraceFile.Rank r : t.ranks()) {
            Map<String, Integer> counts = new HashMap<>();
            for (Event e : r.events()) if (e.kind() == TraceFormat.OP) counts.merge(e.name(), 1, Integer::sum);
            assertNull(counts.get("bcast"), counts.toString());
            assertNull(counts.get("gather"), counts.toString());
            assertEquals(1, counts.get("allreduce"), counts.toString());
            assertEquals(1, counts.get("barrier"), counts.toString());
            assertTrue(counts.getOrDefault("wait", 0) >= 1, "the irecv's wait was recorded: " + counts);
        }
    }

    /** One-sided calls are recorded (category rma): each operation when posted, with its target and bytes; each synchronisation when it returns. */
    @Test
    void rmaCallsAreRecorded(@TempDir Path dir) throws Exception {
        Jobs.run("tcp", 2, Map.of("JMPI_TRACE_DIR", dir.toString(), "JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            Win win = Win.allocate(w, 64, 1);
            long[] v = {1};
            win.fence(0);
            if (w.rank() == 0) win.put(v, 0, 1, 1, 0);
            win.fence(0);
            if (w.rank() == 1) {
                win.lock(Win.LOCK_SHARED, 0, 0);
                win.get(v, 0, 1, 0, 8);
                win.unlock(0);
            }
            win.free();
        });
        TraceFile t = TraceFile.read(dir);
        for (TraceFile.Rank r : t.ranks()) {
            Map<String, Integer> counts = new HashMap<>();
            for (Event e : r.events()) {
                if (e.kind() != TraceFormat.OP || !e.name().startsWith("Win.")) continue;
                counts.merge(e.name(), 1, Integer::sum);
                assertEquals(TraceFormat.RMA, e.category(), e.toString());
                if (e.name().equals("Win.put") || e.name().equals("Win.get")) {
                    assertEquals(List.of(1 - r.rank(), 8L), List.of(e.peer(), e.bytes()), e.toString());
                }
            }
            assertEquals(2, counts.get("Win.fence"), counts.toString());
            if (r.rank() == 0) {
                assertEquals(1, counts.get("Win.put"), counts.toString());
                assertNull(counts.get("Win.lock"), counts.toString());
            } else {
                assertEquals(List.of(1, 1, 1), List.of(counts.get("Win.lock"), counts.get("Win.get"), counts.get("Win.unlock")),
                        counts.toString());
            }
        }
    }

    /** Intercommunicator collectives are recorded like the others; one that fails its checks leaves no entry. */
    @Test
    void intercommCollectivesAreRecorded(@TempDir Path dir) throws Exception {
        Jobs.run("tcp", 2, Map.of("JMPI_TRACE_DIR", dir.toString(), "JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            Comm alone = w.split(me, 0);
            Intercomm ic = alone.createIntercomm(0, w, peer, 3);
            double[] one = {me}, got = new double[1];
            ic.allreduce(one, 0, got, 0, 1, Op.SUM);
            ic.barrier();
            assertThrows(MpiException.class, () -> ic.allreduce(one, 0, got, 0, 2, Op.SUM)); // count beyond the arrays
            assertFalse(w.trace.collectivePending());
            ic.free();
            alone.free();
        });
        TraceFile t = TraceFile.read(dir);
        for (TraceFile.Rank r : t.ranks()) {
            Map<String, Integer> counts = new HashMap<>();
            for (Event e : r.events()) {
                if (e.kind() != TraceFormat.OP) continue;
                counts.merge(e.name(), 1, Integer::sum);
                if (e.name().equals("allreduce") && e.category() == TraceFormat.COLL && "SUM".equals(e.op())) {
                    assertEquals(List.of("DOUBLE", 1L, 8L), List.of(e.type(), e.seq(), e.bytes()), e.toString());
                }
            }
            // split and createIntercomm's own agreements may add collectives of their own: count the intercomm's
            assertTrue(counts.getOrDefault("allreduce", 0) >= 1, counts.toString());
            assertTrue(counts.getOrDefault("barrier", 0) >= 1, counts.toString());
        }
    }

    /** Every message sent has exactly one receive with the same (sender, receiver, sequence), and none is extra. */
    static void assertMessagesPaired(TraceFile t) {
        Map<String, Event> sends = new HashMap<>();
        int received = 0;
        for (Event e : t.events()) {
            if (e.kind() == TraceFormat.MSG_SEND) assertNull(sends.put(e.rank() + ">" + e.peer() + "#" + e.seq(), e), e.toString());
        }
        assertFalse(sends.isEmpty());
        for (Event e : t.events()) {
            if (e.kind() != TraceFormat.MSG_RECV) continue;
            Event s = sends.remove(e.peer() + ">" + e.rank() + "#" + e.seq());
            assertNotNull(s, "a receive without its send: " + e);
            assertEquals(s.bytes(), e.bytes(), e.toString());
            assertEquals(s.tag(), e.tag(), e.toString());
            assertTrue(e.t0() >= s.t0(), "a message received before it was sent (clocks): " + s + " -> " + e);
            received++;
        }
        assertTrue(sends.isEmpty(), "messages sent and never received: " + sends.values());
        assertTrue(received > 0);
    }

    @Test
    void recordingAllocatesNothingPerEvent(@TempDir Path dir) {
        Map<String, long[]> results = new ConcurrentHashMap<>();
        Jobs.run("tcp", 2, Map.of("JMPI_TRACE_DIR", dir.toString(), "JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            Status st = new Status();
            double[] one = new double[1], got = new double[1];
            results.put("pingpong " + me, AllocationTest.measure(w, AllocationTest.OPS, (c, i) -> {
                one[0] = i;
                if (me == 0) {
                    c.send(one, 0, 1, peer, 1);
                    c.recv(got, 0, 1, peer, 1, st);
                } else {
                    c.recv(got, 0, 1, peer, 1, st);
                    c.send(got, 0, 1, peer, 1);
                }
            }));
            results.put("allreduce " + me, AllocationTest.measure(w, AllocationTest.OPS, (c, i) -> {
                one[0] = i;
                c.allreduce(one, 0, got, 0, 1, Op.SUM);
            }));
        });
        StringBuilder report = new StringBuilder("bytes per operation with tracing on (calling thread / all threads)\n");
        results.forEach((k, v) -> report.append(String.format("  %-16s %6d %6d%n", k, v[0], v[1])));
        System.out.print(report);
        for (Map.Entry<String, long[]> e : results.entrySet()) {
            // a ping-pong round records 4 events (2 operations, 2 messages), an allreduce 1 + its messages: 0 B each
            assertTrue(e.getValue()[0] <= 16, e.getKey() + "\n" + report);
        }
    }
}
