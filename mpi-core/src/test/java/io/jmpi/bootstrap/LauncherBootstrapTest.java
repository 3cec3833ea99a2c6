package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.launch.RendezvousServer;
import io.jmpi.wire.HandshakeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rank's side of the rendezvous, against the real launcher server, in one JVM (the lost-launcher halt is replaced). */
@Timeout(20)
class LauncherBootstrapTest {
    private final long jobId = HandshakeDescriptor.newJobId();
    private final byte[] secret = HandshakeDescriptor.newSecret();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<LauncherBootstrap> opened = new ArrayList<>();
    private RendezvousServer server;

    @BeforeEach
    void startServer() {
        server = new RendezvousServer(InetAddress.getLoopbackAddress(), 2, jobId, secret, new RendezvousServer.Listener() {
            @Override
            public void failed(int rank, String reason) {
                events.add("failed " + rank + " " + reason);
            }

            @Override
            public void bye(int rank) {
                events.add("bye " + rank);
            }

            @Override
            public void refused(String from, String reason) {
                events.add("refused " + reason);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        for (LauncherBootstrap b : opened) b.close();
        server.close();
    }

    private LauncherBootstrap connect(int rank, byte[] key, Map<String, String> settings, Runnable onLost) {
        RankEnvironment env = new RankEnvironment(rank, 2, rank, jobId, key, "127.0.0.1", server.address().getPort());
        LauncherBootstrap b = new LauncherBootstrap(env, Config.of(settings), onLost);
        opened.add(b);
        return b;
    }

    private LauncherBootstrap connect(int rank) {
        return connect(rank, secret, Map.of(), () -> events.add("lost " + rank));
    }

    private static Endpoint endpoint(int rank) {
        return new Endpoint(rank, "127.0.0.1", 7000 + rank, HostIdentity.hostId(), 100 + rank);
    }

    @Test
    void exchangeGivesEveryRankTheTableInRankOrder() throws Exception {
        LauncherBootstrap b0 = connect(0);
        LauncherBootstrap b1 = connect(1);
        assertEquals(InetAddress.getByName("127.0.0.1"), b0.advertiseAddress());
        assertEquals(jobId, b1.jobId());
        assertEquals(2, b1.size());
        CompletableFuture<Endpoint[]> t1 = CompletableFuture.supplyAsync(() -> b1.exchange(endpoint(1)));
        Endpoint[] t0 = b0.exchange(endpoint(0));
        Endpoint[] expected = {endpoint(0), endpoint(1)};
        assertArrayEquals(expected, t0);
        assertArrayEquals(expected, t1.get(10, TimeUnit.SECONDS));
        MpiException twice = assertThrows(MpiException.class, () -> b0.exchange(endpoint(0)));
        assertEquals(ErrorClass.STATE, twice.errorClass());
    }

    @Test
    void failureReportAndByeReachTheLauncher() throws Exception {
        LauncherBootstrap b0 = connect(0);
        LauncherBootstrap b1 = connect(1);
        b1.reportFailure("java.lang.OutOfMemoryError: heap\n\tat Foo.bar(Foo.java:1)");
        assertEquals("failed 1 java.lang.OutOfMemoryError: heap  at Foo.bar(Foo.java:1)", events.poll(5, TimeUnit.SECONDS));
        b0.close();
        b0.close(); // idempotent
        assertEquals("bye 0", events.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aRankNoticesThatItsLauncherIsGone() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        connect(0, secret, Map.of(), lost::countDown);
        long t0 = System.nanoTime();
        server.close();
        assertTrue(lost.await(5, TimeUnit.SECONDS), "lost-launcher action ran");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void closingIsNotLosingTheLauncher() throws Exception {
        CountDownLatch lost = new CountDownLatch(1);
        LauncherBootstrap b = connect(0, secret, Map.of(), lost::countDown);
        b.close();
        server.close();
        assertFalse(lost.await(300, TimeUnit.MILLISECONDS), "no lost-launcher action after close");
    }

    @Test
    void aWrongSecretFailsTheHandshake() throws Exception {
        MpiException e = assertThrows(MpiException.class,
                () -> connect(0, HandshakeDescriptor.newSecret(), Map.of(), () -> { }));
        assertEquals(ErrorClass.PROTOCOL, e.errorClass());
        assertEquals("handshake: peer does not know this job's secret", e.getMessage());
        assertTrue(events.poll(5, TimeUnit.SECONDS).startsWith("refused "));
        connect(0); // the server goes on serving the real rank 0
    }

    @Test
    void bindSettingChoosesTheAdvertisedAddress() throws Exception {
        LauncherBootstrap b = connect(0, secret, Map.of("JMPI_BIND", "127.0.0.0/8"), () -> { });
        assertEquals(InetAddress.getByName("127.0.0.1"), b.advertiseAddress());
        MpiException e = assertThrows(MpiException.class,
                () -> connect(1, secret, Map.of("JMPI_BIND", "203.0.113.0/24"), () -> { }));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertTrue(e.getMessage().startsWith("bootstrap: bind=203.0.113.0/24 matches no local interface address"));
    }

    @Test
    void exchangeTimesOutWhenARankNeverComes() {
        LauncherBootstrap b = connect(0, secret, Map.of("JMPI_CONNECT_TIMEOUT", "1"), () -> { });
        long t0 = System.nanoTime();
        MpiException e = assertThrows(MpiException.class, () -> b.exchange(endpoint(0)));
        assertEquals(ErrorClass.TIMEOUT, e.errorClass());
        assertEquals("exchange: no endpoint table from the launcher within 1 s (connectTimeout); a rank did not "
                + "start or did not reach init", e.getMessage());
        assertFalse(System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void fromEnvironmentJoinsTheLauncherNamedThere() {
        Map<String, String> env = new RankEnvironment(1, 2, 1, jobId, secret, "127.0.0.1",
                server.address().getPort()).toEnvironment();
        Bootstrap b = Bootstraps.fromEnvironment(Config.of(Map.of()), env);
        try {
            assertTrue(b instanceof LauncherBootstrap);
            assertEquals(1, b.rank());
            assertEquals(1, ((LauncherBootstrap) b).localRank());
        } finally {
            b.close();
        }
    }
}
