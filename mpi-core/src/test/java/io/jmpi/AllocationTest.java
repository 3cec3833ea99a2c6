package io.jmpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Steady-state allocation of the hot paths (DESIGN.md rule 3, docs/ARCHITECTURE.md "Allocation"): after a warm-up,
 * thousands of operations of two ranks in this JVM, over TCP and over shared memory, are counted in bytes allocated
 * by the calling thread (deterministic: {@code ThreadMXBean#getThreadAllocatedBytes}) and by every thread of the
 * JVM (the other rank, the progress agents, the transports' threads). The bounds are per operation.
 */
@Timeout(300)
class AllocationTest {
    static final int OPS = 20_000;

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static long mine() {
        return MX.getCurrentThreadAllocatedBytes();
    }

    /** Bytes allocated so far by every live thread of the JVM (threads that ended are not counted). */
    static long all() {
        long[] ids = MX.getAllThreadIds();
        long sum = 0;
        for (long b : MX.getThreadAllocatedBytes(ids)) if (b > 0) sum += b;
        return sum;
    }

    interface Op {
        void run(Comm w, int i);
    }

    /** Runs {@code op} (after a warm-up of the same count), returns {calling thread, all threads} bytes per op. */
    static long[] measure(Comm w, int ops, Op op) {
        // a barrier every 64 rounds bounds how far a rooted call's sender runs ahead, so the warm-up reaches the
        // receiver's peak backlog of unexpected messages and the measured rounds never pass it (else the peak, and the
        // bytes per call, depend on scheduling)
        for (int i = 0; i < ops; i++) {
            op.run(w, i);
            if ((i & 63) == 63) w.barrier();
        }
        // measured twice, the smaller figure kept: the all-threads figure counts every thread of the JVM, and a
        // thread outside the job (a cleaner, a pool worker started meanwhile) can add to one window (seen once in CI:
        // alltoall 419 B/op on all threads, 0 on the calling thread); the job's own bytes show in both windows
        long[] best = null;
        for (int window = 0; window < 2; window++) {
            w.barrier();
            long a0 = all(), m0 = mine();
            for (int i = 0; i < ops; i++) {
                op.run(w, i);
                if ((i & 63) == 63) w.barrier();
            }
            long m1 = mine();
            w.barrier();
            long a1 = all();
            long[] r = {(m1 - m0) / ops, (a1 - a0) / ops};
            best = best == null ? r : new long[]{Math.min(best[0], r[0]), Math.min(best[1], r[1])};
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "shm"})
    void steadyStateAllocatesNothing(String transport) {
        Map<String, long[]> results = new ConcurrentHashMap<>();
        // collShm=off: this measures the point-to-point schedules (cached, re-run); the shared-memory collectives are
        // measured by shmCollectivesAllocateNothing
        Jobs.run(transport, 2, Map.of("JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            Status st = new Status();
            double[] one = new double[1], got = new double[1];
            ByteBuffer8 bb = new ByteBuffer8();
            results.put("pingpong " + me, measure(w, OPS, (c, i) -> {
                one[0] = i;
                if (me == 0) {
                    c.send(one, 0, 1, peer, 1);
                    c.recv(got, 0, 1, peer, 1, st);
                } else {
                    c.recv(got, 0, 1, peer, 1, st);
                    c.send(got, 0, 1, peer, 1);
                }
                if (got[0] != i || st.source() != peer || st.count() != 1) fail("round " + i + ": " + got[0] + " " + st);
            }));
            results.put("pingpong ByteBuffer " + me, measure(w, OPS, (c, i) -> {
                bb.out.putLong(0, i);
                bb.in.clear();
                if (me == 0) {
                    c.send(bb.out, peer, 2);
                    c.recv(bb.in, peer, 2, st);
                } else {
                    c.recv(bb.in, peer, 2, st);
                    c.send(bb.in.flip(), peer, 2);
                }
                if (bb.in.getLong(0) != i || st.count() != 8) fail("round " + i + ": " + st);
            }));
            double[] rv = new double[16 * 1024], rvIn = new double[16 * 1024]; // 128 KiB: beyond the eager limit
            results.put("pingpong 128 KiB rendezvous " + me, measure(w, OPS / 10, (c, i) -> {
                rv[5] = i;
                if (me == 0) {
                    c.send(rv, 0, rv.length, peer, 7);
                    c.recv(rvIn, 0, rv.length, peer, 7, st);
                } else {
                    c.recv(rvIn, 0, rv.length, peer, 7, st);
                    c.send(rvIn, 0, rv.length, peer, 7);
                }
                if (rvIn[5] != i || st.count() != rv.length) fail("round " + i + ": " + rvIn[5] + " " + st);
            }));
            results.put("isend/irecv " + me, measure(w, OPS, (c, i) -> {
                one[0] = i;
                Request r = c.irecv(got, 0, 1, peer, 3);
                Request s = c.isend(one, 0, 1, peer, 3);
                s.await(st);
                r.await(st);
                if (got[0] != i || st.source() != peer) fail("round " + i + ": " + got[0] + " " + st);
            }));
            Prequest ps = w.sendInit(one, 0, 1, peer, 4), pr = w.recvInit(got, 0, 1, peer, 4);
            Prequest[] both = {pr, ps};
            results.put("persistent send/recv " + me, measure(w, OPS, (c, i) -> {
                one[0] = i;
                Requests.startAll(both);
                ps.await(st);
                pr.await(st);
                if (got[0] != i || st.source() != peer || st.count() != 1) fail("round " + i + ": " + got[0] + " " + st);
            }));
            // a persistent neighbourhood collective restarted 10 000 times: one schedule, re-run (MPI_Neighbor_alltoall_init)
            CartComm ring = w.cartCreate(new int[]{2}, new boolean[]{true}, false);
            long[] nOut = new long[2], nIn = new long[2];
            Prequest na = ring.neighborAlltoallInit(nOut, nIn);
            results.put("persistent neighborAlltoall " + me, measure(w, OPS / 2, (c, i) -> {
                nOut[0] = i;
                nOut[1] = -i;
                na.start().awaitIgnoringStatus();
                if (nIn[0] != -i || nIn[1] != i) fail("neighborAlltoall " + i + ": " + nIn[0] + " " + nIn[1]);
            }));
            // a blocking intercommunicator collective (each rank a group of its own): its cached schedule re-runs
            Comm alone = w.split(me, 0);
            Intercomm ic = alone.createIntercomm(0, w, peer, 3);
            results.put("intercomm allreduce " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                ic.allreduce(one, 0, got, 0, 1, io.jmpi.Op.SUM);
                if (got[0] != i + peer) fail("intercomm allreduce " + i);
            }));
            results.put("barrier " + me, measure(w, OPS, (c, i) -> c.barrier()));
            results.put("bcast 8 B " + me, measure(w, OPS, (c, i) -> {
                one[0] = i;
                c.bcast(one, 0, 1, 0);
                if (one[0] != i) fail("bcast " + i);
            }));
            results.put("allreduce 1 double " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                c.allreduce(one, 0, got, 0, 1, io.jmpi.Op.SUM);
                if (got[0] != 2 * i + 1) fail("allreduce " + i);
            }));
            // non-blocking collectives build a schedule and a request per call (their request escapes): bounded below
            results.put("iallreduce 1 double " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                c.iallreduce(one, 0, got, 0, 1, io.jmpi.Op.SUM).await(st);
                if (got[0] != 2 * i + 1) fail("iallreduce " + i);
            }));
            results.put("ibarrier " + me, measure(w, OPS, (c, i) -> c.ibarrier().await(st)));
            int[] a2a = new int[2], a2aIn = new int[2];
            results.put("alltoall " + me, measure(w, OPS, (c, i) -> {
                a2a[0] = i;
                a2a[1] = i + me;
                c.alltoall(a2a, 0, a2aIn, 0, 1);
                if (a2aIn[0] != i || a2aIn[1] != (me == 0 ? i : i + 1)) fail("alltoall " + i);
            }));
            double[] big = new double[1 << 20], bigOut = new double[1 << 20];
            results.put("allreduce 1M doubles " + me, measure(w, 20, (c, i) -> {
                big[7] = i;
                c.allreduce(big, 0, bigOut, 0, big.length, io.jmpi.Op.SUM);
                if (bigOut[7] != 2 * i) fail("allreduce 1M " + i);
            }));
        });
        StringBuilder report = new StringBuilder(transport + " (bytes per operation: calling thread / all threads)\n");
        results.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> report.append(String.format("  %-28s %8d %8d%n", e.getKey(), e.getValue()[0], e.getValue()[1])));
        System.out.print(report);
        for (Map.Entry<String, long[]> e : results.entrySet()) {
            String op = e.getKey();
            long mine = e.getValue()[0], all = e.getValue()[1];
            // ideally 0; a few bytes per operation leave room for the unexpected-message pools growing to a new peak
            long mineBound = 16, allBound = 256;
            if (op.startsWith("isend/irecv")) {
                mineBound = 64; // the irecv's request (48 B): a Request handle cannot be recycled safely
                allBound = 320;
            } else if (op.startsWith("iallreduce")) {
                // a new schedule (steps, blocks, combiner), its ScheduleRequest and the EngineRequest handle per call:
                // measured 880 / 1 760 (2026-12-03); the bound catches growth, not the figure
                mineBound = 1200;
                allBound = 2400;
            } else if (op.startsWith("ibarrier")) {
                mineBound = 700; // measured 528 / 1 056, as iallreduce
                allBound = 1400;
            } else if (op.startsWith("bcast")) {
                // the root runs ahead (bounded by its credit only): the receiver's pool of unexpected messages grows
                // until it holds the peak backlog, a new Unexpected and 16-byte array per message beyond the last peak
                mineBound = 64;
            } else if (op.startsWith("pingpong 128 KiB")) {
                mineBound = 256; // a typed view per DATA chunk copied, each way (ArrayBuf bulk copies)
            } else if (op.startsWith("allreduce 1M")) {
                mineBound = 16 << 10; // a typed view per large chunk copied (ArrayBuf bulk copies), against 8 MB moved
                allBound = 64 << 10;
            }
            assertTrue(mine <= mineBound, op + ": " + mine + " bytes per operation on the calling thread, bound " + mineBound + "\n" + report);
            assertTrue(all <= allBound, op + ": " + all + " bytes per operation on all threads, bound " + allBound + "\n" + report);
        }
    }

    /**
     * The blocking collectives of the shared-memory component (collShm=auto over shm): after the warm-up a call
     * reuses its argument blocks, combiner, reduction scratch and the segment's typed views, so it allocates nothing,
     * on small messages and on chunked ones (the reduce-scatter over slots; several banks per bcast).
     */
    @org.junit.jupiter.api.Test
    void shmCollectivesAllocateNothing() {
        Map<String, long[]> results = new ConcurrentHashMap<>();
        long[] calls = new long[2];
        Jobs.run("shm", 2, Map.of("JMPI_COLL_SHM_SLOT", "16384"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            assertNotNull(w.shm, "WORLD over shm has the shared-memory component");
            long c0 = w.shm.calls();
            double[] one = new double[1], got = new double[1], pair = new double[2];
            double[] vec = new double[4096], vecOut = new double[4096]; // 32 KiB: 4 chunks of 8 KiB banks
            byte[] msg = new byte[40_000];
            results.put("shm barrier " + me, measure(w, OPS, (c, i) -> c.barrier()));
            results.put("shm bcast 8 B " + me, measure(w, OPS, (c, i) -> {
                one[0] = me == 0 ? i : -1;
                c.bcast(one, 0, 1, 0);
                if (one[0] != i) fail("bcast " + i);
            }));
            results.put("shm bcast 40 kB " + me, measure(w, OPS / 10, (c, i) -> {
                msg[39_999] = (byte) (me == 1 ? i : -1);
                c.bcast(msg, 0, msg.length, 1);
                if (msg[39_999] != (byte) i) fail("bcast 40 kB " + i);
            }));
            results.put("shm allreduce 1 double " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                c.allreduce(one, 0, got, 0, 1, io.jmpi.Op.SUM);
                if (got[0] != 2 * i + 1) fail("allreduce " + i);
            }));
            results.put("shm allreduce 4096 doubles " + me, measure(w, OPS / 10, (c, i) -> {
                vec[4095] = i + me;
                c.allreduce(vec, 0, vecOut, 0, vec.length, io.jmpi.Op.SUM);
                if (vecOut[4095] != 2 * i + 1) fail("allreduce 4096 " + i);
            }));
            results.put("shm reduce 1 double " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                c.reduce(one, 0, got, 0, 1, io.jmpi.Op.MAX, 1);
                if (me == 1 && got[0] != i + 1) fail("reduce " + i);
            }));
            results.put("shm gather " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                c.gather(one, 0, 1, pair, 0, 0);
                if (me == 0 && pair[1] != i + 1) fail("gather " + i);
            }));
            results.put("shm allgather " + me, measure(w, OPS, (c, i) -> {
                one[0] = i + me;
                c.allgather(one, 0, 1, pair, 0);
                if (pair[0] != i || pair[1] != i + 1) fail("allgather " + i);
            }));
            calls[me] = w.shm.calls() - c0;
        });
        StringBuilder report = new StringBuilder("shm collectives (bytes per operation: calling thread / all threads)\n");
        results.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> report.append(String.format("  %-32s %8d %8d%n", e.getKey(), e.getValue()[0], e.getValue()[1])));
        System.out.print(report);
        // every measured call (and the barriers of measure) ran on the component: 2 x (6 x OPS + 2 x OPS / 10) + barriers
        assertTrue(calls[0] >= 2L * (6 * OPS + 2 * (OPS / 10)), "calls on the component: " + calls[0]);
        for (Map.Entry<String, long[]> e : results.entrySet()) {
            assertEquals(0, e.getValue()[0], e.getKey() + ": bytes per operation on the calling thread\n" + report);
            // the other rank's measurement overlaps this window; a call that allocated would show >= 16 B per op
            assertTrue(e.getValue()[1] <= 32, e.getKey() + ": " + e.getValue()[1] + " bytes per operation on all threads, bound 32\n" + report);
        }
    }

    static final int RESTARTS = 10_000;

    /**
     * Every persistent collective family, of a communicator and of an intercommunicator (each rank a group of its
     * own), restarted {@value #RESTARTS} times after as many of warm-up: each start re-runs the schedule built at init
     * and gives its engine operations back to the pool, so a restart allocates nothing (docs/ARCHITECTURE.md,
     * Allocation). Results are checked on every round, so a re-run that read stale input would fail.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "shm", "local"})
    void persistentCollectivesAllocateNothing(String transport) {
        Map<String, long[]> results = new ConcurrentHashMap<>();
        Jobs.run(transport, 2, Map.of("JMPI_COLL_SHM", "off"), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), peer = 1 - me;
            double[] one = new double[1], got = new double[1], two = new double[2], both = new double[2];
            Prequest barrier = w.barrierInit();
            restart(results, "barrierInit " + me, w, barrier, i -> { });
            // a rooted collective lets the sending side run ahead by up to its credit (thousands of rounds); the
            // receiver's pool of unexpected messages grows until it holds that backlog (see the bcast case of
            // steadyStateAllocatesNothing). A barrier every 64 rounds (itself 0 B) bounds the backlog, so what is
            // measured is the restart, not the pool reaching a new peak
            Prequest bcast = w.bcastInit(one, 0, 1, 1);
            restart(results, "bcastInit " + me, w, bcast, i -> {
                if (i % 64 == 0) w.barrier();
                one[0] = me == 1 ? i : -1;
            }, i -> one[0] == i);
            Prequest reduce = w.reduceInit(one, 0, got, 0, 1, io.jmpi.Op.SUM, 0);
            restart(results, "reduceInit " + me, w, reduce, i -> {
                if (i % 64 == 0) w.barrier();
                one[0] = i + me;
            }, i -> me != 0 || got[0] == 2 * i + 1);
            Prequest allreduce = w.allreduceInit(one, 0, got, 0, 1, io.jmpi.Op.SUM);
            restart(results, "allreduceInit " + me, w, allreduce, i -> one[0] = i + me, i -> got[0] == 2 * i + 1);
            Prequest allgather = w.allgatherInit(one, 0, 1, both, 0);
            restart(results, "allgatherInit " + me, w, allgather, i -> one[0] = i + me, i -> both[0] == i && both[1] == i + 1);
            Prequest alltoall = w.alltoallInit(two, 0, both, 0, 1);
            restart(results, "alltoallInit " + me, w, alltoall, i -> {
                two[0] = i * 2 + me;
                two[1] = -(i * 2 + me);
            }, i -> both[0] == (me == 0 ? 2 * i : -2 * i) && both[1] == (me == 0 ? 2 * i + 1 : -(2 * i + 1)));
            double[] inPlace = new double[2];
            Prequest alltoallInPlace = w.alltoallInit(inPlace, 0, inPlace, 0, 1); // the input is copied at each start
            restart(results, "alltoallInit in place " + me, w, alltoallInPlace, i -> {
                inPlace[0] = i * 2 + me;
                inPlace[1] = -(i * 2 + me);
            }, i -> inPlace[0] == (me == 0 ? 2 * i : -2 * i) && inPlace[1] == (me == 0 ? 2 * i + 1 : -(2 * i + 1)));

            Comm alone = w.split(me, 0);
            Intercomm ic = alone.createIntercomm(0, w, peer, 3);
            Prequest iBarrier = ic.barrierInit();
            restart(results, "intercomm barrierInit " + me, w, iBarrier, i -> { });
            Prequest iBcast = ic.bcastInit(one, 0, 1, me == 1 ? Intercomm.ROOT : 0);
            restart(results, "intercomm bcastInit " + me, w, iBcast, i -> one[0] = me == 1 ? i : -1, i -> one[0] == i);
            Prequest iReduce = ic.reduceInit(one, 0, got, 0, 1, io.jmpi.Op.SUM, me == 0 ? Intercomm.ROOT : 0);
            restart(results, "intercomm reduceInit " + me, w, iReduce, i -> one[0] = i + me, i -> me != 0 || got[0] == i + 1);
            Prequest iAllreduce = ic.allreduceInit(one, 0, got, 0, 1, io.jmpi.Op.SUM);
            restart(results, "intercomm allreduceInit " + me, w, iAllreduce, i -> one[0] = i + me, i -> got[0] == i + peer);
            Prequest iAllgather = ic.allgatherInit(one, 0, 1, got, 0);
            restart(results, "intercomm allgatherInit " + me, w, iAllgather, i -> one[0] = i + me, i -> got[0] == i + peer);
            Prequest iAlltoall = ic.alltoallInit(one, 0, got, 0, 1);
            restart(results, "intercomm alltoallInit " + me, w, iAlltoall, i -> one[0] = 3 * i + me, i -> got[0] == 3 * i + peer);
        });
        StringBuilder report = new StringBuilder(transport + " persistent collectives (bytes per restart: calling thread / all threads)\n");
        results.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> report.append(String.format("  %-32s %8d %8d%n", e.getKey(), e.getValue()[0], e.getValue()[1])));
        System.out.print(report);
        for (Map.Entry<String, long[]> e : results.entrySet()) {
            assertEquals(0, e.getValue()[0], e.getKey() + ": bytes per restart on the calling thread\n" + report);
            // measured 0 but for a rare 10-20 B on one line over tcp: the whole JVM's threads (the transport's, the
            // other rank's pool of unexpected messages reaching a new peak) in a window that the other rank's
            // measurement overlaps; a persistent start that allocated anything would show at least one object (16 B)
            assertTrue(e.getValue()[1] <= 32, e.getKey() + ": " + e.getValue()[1] + " bytes per restart on all threads, bound 32\n" + report);
        }
    }

    interface Round {
        void at(int i);
    }

    interface Check {
        boolean ok(int i);
    }

    private static void restart(Map<String, long[]> results, String name, Comm w, Prequest p, Round fill) {
        restart(results, name, w, p, fill, i -> true);
    }

    /** Measures {@link #RESTARTS} rounds of: {@code fill}, start, await (no status), {@code check}. */
    private static void restart(Map<String, long[]> results, String name, Comm w, Prequest p, Round fill, Check check) {
        results.put(name, measure(w, RESTARTS, (c, i) -> {
            fill.at(i);
            p.start().awaitIgnoringStatus();
            if (!check.ok(i)) fail(name + ": wrong result in round " + i);
        }));
        p.free();
    }

    /** The two 8-byte buffers of the ByteBuffer ping-pong. */
    static final class ByteBuffer8 {
        final java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8), in = java.nio.ByteBuffer.allocate(8);
    }
}
