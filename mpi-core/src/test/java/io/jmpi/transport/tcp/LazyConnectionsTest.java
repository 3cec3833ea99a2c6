package io.jmpi.transport.tcp;

import io.jmpi.Comm;
import io.jmpi.Jobs;
import io.jmpi.Mpi;
import io.jmpi.Request;
import io.jmpi.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TCP connections on first use (setting {@code connections}, default lazy): a rank connects only to the peers it
 * sends to or that send to it, two ranks dialling each other at once end with one connection, and a receive from
 * ANY_SOURCE needs no connection of its own. Counts come from {@link TcpTransport#connectionCount()}.
 */
@Timeout(120)
class LazyConnectionsTest {
    private static final Map<String, String> LAZY = Map.of("JMPI_CONNECTIONS", "lazy");
    private static final Map<String, String> EAGER = Map.of("JMPI_CONNECTIONS", "eager");

    @Test
    void aRingOfTwelveRanksOpensTwoConnectionsPerRank() {
        int n = 12;
        AtomicIntegerArray counts = ring(n, LAZY);
        for (int r = 0; r < n; r++) assertEquals(2, counts.get(r), "connections of rank " + r + " after a ring");
    }

    @Test
    void eagerConnectionsStillConnectEveryPairAtInit() {
        int n = 6;
        AtomicIntegerArray counts = ring(n, EAGER);
        for (int r = 0; r < n; r++) assertEquals(n - 1, counts.get(r), "connections of rank " + r + " with connections=eager");
    }

    /** Three rounds of a ring shift; returns each rank's connection count before close. */
    private static AtomicIntegerArray ring(int n, Map<String, String> env) {
        AtomicIntegerArray counts = new AtomicIntegerArray(n);
        Jobs.run("tcp", n, env, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n, left = (me + n - 1) % n;
            for (int round = 0; round < 3; round++) {
                int[] got = new int[1];
                Request r = w.irecv(got, 0, 1, left, round);
                w.send(new int[]{me * 100 + round}, 0, 1, right, round);
                r.await();
                assertEquals(left * 100 + round, got[0], "round " + round + " at rank " + me);
            }
            counts.set(me, TlsTest.tcpOf(mpi).connectionCount());
        });
        return counts;
    }

    /**
     * Every rank sends to every other at the same moment (a barrier of this JVM lines the first sends up), so every
     * pair dials both ways at once: each message arrives, and each pair keeps exactly one connection.
     */
    @Test
    void simultaneousFirstSendsInBothDirectionsKeepOneConnectionPerPair() {
        for (int attempt = 0; attempt < 3; attempt++) {
            int n = 6;
            CyclicBarrier start = new CyclicBarrier(n);
            AtomicIntegerArray counts = new AtomicIntegerArray(n);
            Jobs.run("tcp", n, LAZY, mpi -> {
                Comm w = mpi.world();
                int me = w.rank();
                Request[] recvs = new Request[n];
                int[][] got = new int[n][1];
                for (int p = 0; p < n; p++) if (p != me) recvs[p] = w.irecv(got[p], 0, 1, p, 9);
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError("ranks did not line up", e);
                }
                Request[] sends = new Request[n];
                for (int p = 0; p < n; p++) if (p != me) sends[p] = w.isend(new int[]{me * 10 + p}, 0, 1, p, 9);
                for (int p = 0; p < n; p++) {
                    if (p == me) continue;
                    sends[p].await();
                    recvs[p].await();
                    assertEquals(p * 10 + me, got[p][0], "message from rank " + p + " at rank " + me);
                }
                counts.set(me, TlsTest.tcpOf(mpi).connectionCount());
            });
            for (int r = 0; r < n; r++) assertEquals(n - 1, counts.get(r), "connections of rank " + r + " (one per pair)");
        }
    }

    /** Two ranks only, many times: the race of two dials is decided the same way on both sides every time. */
    @Test
    void twoRanksDiallingEachOtherAtOnceAgreeOnOneConnection() {
        for (int attempt = 0; attempt < 10; attempt++) {
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicIntegerArray counts = new AtomicIntegerArray(2);
            Jobs.run("tcp", 2, LAZY, mpi -> {
                Comm w = mpi.world();
                int me = w.rank(), other = 1 - me;
                long[] big = new long[200_000]; // rendezvous as well as eager: RTS, CTS and DATA cross the kept connection
                java.util.Arrays.fill(big, me + 1);
                long[] bigIn = new long[big.length];
                int[] small = new int[1];
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                Request r1 = w.irecv(small, 0, 1, other, 1);
                Request r2 = w.irecv(bigIn, 0, bigIn.length, other, 2);
                w.send(new int[]{me}, 0, 1, other, 1);
                w.send(big, 0, big.length, other, 2);
                r1.await();
                r2.await();
                assertEquals(other, small[0]);
                long[] want = new long[big.length];
                java.util.Arrays.fill(want, other + 1);
                assertArrayEquals(want, bigIn);
                counts.set(me, TlsTest.tcpOf(mpi).connectionCount());
            });
            assertEquals(1, counts.get(0), "rank 0's connections");
            assertEquals(1, counts.get(1), "rank 1's connections");
        }
    }

    /**
     * A receive from ANY_SOURCE at a rank that has never talked to the sender: the sender connects, the receiver
     * connects to nobody.
     */
    @Test
    void aWildcardReceiveTakesAMessageFromANeverConnectedPeer() {
        int n = 4;
        AtomicIntegerArray counts = new AtomicIntegerArray(n);
        AtomicIntegerArray source = new AtomicIntegerArray(1);
        Jobs.run("tcp", n, LAZY, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            if (me == 0) {
                int[] got = new int[1];
                Status s = w.recv(got, 0, 1, Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                source.set(0, s.source());
                assertEquals(3333, got[0]);
            } else if (me == 3) {
                w.send(new int[]{3333}, 0, 1, 0, 4);
            }
            counts.set(me, TlsTest.tcpOf(mpi).connectionCount());
        });
        assertEquals(3, source.get(0), "source of the wildcard receive");
        assertEquals(1, counts.get(3), "rank 3 connected to rank 0 only");
        assertEquals(0, counts.get(1), "rank 1 talked to nobody");
        assertEquals(0, counts.get(2), "rank 2 talked to nobody");
    }

    /** TLS on connections made on first use: a ring carries its messages over TLS 1.3. */
    @Test
    void tlsConnectionsAreMadeOnFirstUse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path ks = TlsKeystores.generate(dir, "lazy");
        Map<String, String> env = new java.util.HashMap<>(TlsKeystores.env(ks));
        env.put("JMPI_CONNECTIONS", "lazy");
        int n = 4;
        AtomicIntegerArray counts = new AtomicIntegerArray(n);
        Jobs.run("tcp", n, env, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n, left = (me + n - 1) % n;
            byte[] got = new byte[300_000];
            Request r = w.irecv(got, left, 3);
            w.send(TlsTest.pattern(got.length, me), right, 3);
            r.await();
            assertArrayEquals(TlsTest.pattern(got.length, left), got);
            TcpTransport t = TlsTest.tcpOf(mpi);
            assertEquals("TLSv1.3", t.tlsProtocol(left));
            assertEquals("TLSv1.3", t.tlsProtocol(right));
            counts.set(me, t.connectionCount());
        });
        for (int r = 0; r < n; r++) assertEquals(2, counts.get(r), "connections of rank " + r);
    }

    /**
     * A TLS failure on a connection made on first use fails the operations of both ranks with the reason (not at
     * init, which no longer connects).
     */
    @Test
    void aTlsFailureOnFirstUseFailsBothRanksWithTheReason(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path a = TlsKeystores.generate(dir, "jobA"), b = TlsKeystores.generate(dir, "jobB");
        Throwable[] failed = TlsTest.runRanks(2, r -> {
            Map<String, String> e = new java.util.HashMap<>(TlsKeystores.env(r == 0 ? a : b));
            e.put("JMPI_TRANSPORT", "tcp");
            e.put("JMPI_CONNECTIONS", "lazy");
            e.put("JMPI_CONNECT_TIMEOUT", "20");
            return e;
        }, null, mpi -> {
            if (mpi.rank() == 1) mpi.world().send(new byte[8], 0, 1);
            else mpi.world().recv(new byte[8], 1, 1);
        });
        assertNotNull(failed[1], "rank 1's send should fail");
        assertNotNull(failed[0], "rank 0's receive should fail");
        assertTrue(failed[1].getMessage().contains("TLS handshake failed"), failed[1].getMessage());
        assertTrue(failed[0].getMessage().contains("TLS handshake with rank 1"), failed[0].getMessage());
    }
}
