package io.jmpi.transport.tcp;

import io.jmpi.Comm;
import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.Jobs;
import io.jmpi.Mpi;
import io.jmpi.base.MpiException;
import io.jmpi.Op;
import io.jmpi.Request;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.wire.HandshakeDescriptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * TLS on TCP connections (setting tls): jobs of 2 and 3 ranks with small, large (rendezvous) messages and
 * collectives; ranks whose certificates the others do not trust cannot join; bad settings fail at init with the
 * setting's name; and what travels on the wire is not the plaintext.
 */
class TlsTest {
    @TempDir
    static Path dir;
    static Path keystoreA;
    static Path keystoreB;

    @BeforeAll
    static void keystores() {
        keystoreA = TlsKeystores.generate(dir, "jobA");
        keystoreB = TlsKeystores.generate(dir, "jobB");
    }

    /**
     * TLS settings with every pair connected at init (connections=eager), as these tests check TLS at start-up; TLS on
     * connections made on first use is LazyConnectionsTest's.
     */
    static Map<String, String> tls(Path ks) {
        Map<String, String> env = new HashMap<>(TlsKeystores.env(ks));
        env.put("JMPI_CONNECTIONS", "eager");
        return env;
    }

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (i * 31 + seed * 7 + (i >>> 11));
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    @Timeout(120)
    void smallLargeAndCollectivesOverTls(int n) {
        Jobs.run("tcp", n, tls(keystoreA), mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), right = (me + 1) % n, left = (me + n - 1) % n;
            TcpTransport t = tcpOf(mpi);
            for (int p = 0; p < n; p++) {
                if (p != me) assertEquals("TLSv1.3", t.tlsProtocol(p), "protocol with rank " + p);
            }
            for (int len : new int[]{0, 1, 100, 64 * 1024, 300_000, 8 << 20}) {
                byte[] got = new byte[len];
                Request r = w.irecv(got, left, 5);
                w.send(pattern(len, me), right, 5);
                r.await();
                assertArrayEquals(pattern(len, left), got, "message of " + len + " bytes from rank " + left);
            }
            // many small messages in a row (records of several frames, frames split across reads)
            for (int i = 0; i < 2000; i++) {
                byte[] got = new byte[8];
                Request r = w.irecv(got, left, 6);
                w.send(pattern(8, me + i), right, 6);
                r.await();
                assertArrayEquals(pattern(8, left + i), got);
            }
            long[] v = new long[100_000];
            for (int i = 0; i < v.length; i++) v[i] = me * 1_000_000L + i;
            long[] sum = new long[v.length];
            w.allreduce(v, sum, Op.SUM);
            long ranks = (long) n * (n - 1) / 2;
            for (int i = 0; i < v.length; i++) assertEquals(ranks * 1_000_000L + (long) n * i, sum[i]);
            byte[] b = me == 0 ? pattern(1 << 20, 99) : new byte[1 << 20];
            w.bcast(b, 0);
            assertArrayEquals(pattern(1 << 20, 99), b);
            w.barrier();
        });
    }

    @Test
    @Timeout(60)
    void rankWithAnotherKeystoreCannotJoin() {
        // rank 1 neither trusts rank 0 nor is trusted: its handshake fails, and so does rank 0's
        Throwable[] failed = runRanks(2, r -> withTimeout(tls(r == 0 ? keystoreA : keystoreB)), null, mpi -> {
        });
        assertInitFailure(failed[1], "TLS handshake failed");
        assertInitFailure(failed[0], "TLS handshake with rank 1");
    }

    @Test
    @Timeout(60)
    void rankWhoseCertificateIsRefusedCannotJoin() {
        // rank 1 trusts rank 0's certificate, but rank 0 does not trust rank 1's: rank 1 learns it from the
        // confirmation it never gets, at init, not with its first frame
        Throwable[] failed = runRanks(2, r -> {
            Map<String, String> e = withTimeout(tls(r == 0 ? keystoreA : keystoreB));
            if (r == 1) e.put("JMPI_TLS_TRUSTSTORE", keystoreA.toString());
            return e;
        }, null, mpi -> {
        });
        assertInitFailure(failed[1], "TLS handshake failed");
        assertInitFailure(failed[0], "TLS handshake with rank 1");
    }

    static Map<String, String> withTimeout(Map<String, String> env) {
        env.put("JMPI_TRANSPORT", "tcp");
        env.put("JMPI_CONNECT_TIMEOUT", "20");
        return env;
    }

    static void assertInitFailure(Throwable t, String expected) {
        assertNotNull(t, "init should have failed");
        assertTrue(t instanceof MpiException, () -> "not an MpiException: " + t);
        assertTrue(t.getMessage().contains(expected), () -> "message: " + t.getMessage());
        assertTrue(t.getMessage().contains("tlsKeystore="), () -> "message: " + t.getMessage());
    }

    @Test
    @Timeout(60)
    void badSettingsFailAtInitNamingTheSetting() throws IOException {
        Path missing = dir.resolve("nothing-here.p12");
        Map<String, String> e = withTimeout(tls(missing));
        assertAllFail(e, "tlsKeystore=" + missing + ": no such file");

        e = withTimeout(tls(keystoreA));
        e.put("JMPI_TLS_PASSWORD", "not-the-password");
        assertAllFail(e, "tlsKeystore=" + keystoreA + ": wrong password (setting tlsPassword");

        e = withTimeout(tls(keystoreA));
        e.remove("JMPI_TLS_KEYSTORE");
        assertAllFail(e, "tls=true needs tlsKeystore");

        Path garbage = dir.resolve("garbage.p12");
        Files.write(garbage, "not a keystore".getBytes(StandardCharsets.US_ASCII));
        e = withTimeout(tls(keystoreA));
        e.put("JMPI_TLS_TRUSTSTORE", garbage.toString());
        assertAllFail(e, "tlsTruststore=" + garbage);

        e = withTimeout(tls(keystoreA));
        e.put("JMPI_TLS", "maybe");
        assertAllFail(e, "tls=maybe is not valid");
    }

    private static void assertAllFail(Map<String, String> env, String expected) {
        Throwable[] failed = runRanks(2, r -> env, null, mpi -> {
        });
        for (int r = 0; r < 2; r++) {
            Throwable t = failed[r];
            assertNotNull(t, "rank " + r + " should fail at init");
            assertTrue(t instanceof MpiException && ((MpiException) t).errorClass() == ErrorClass.ARG, "rank " + r + ": " + t);
            assertTrue(t.getMessage().contains(expected), "rank " + r + ": " + t.getMessage());
            assertFalse(t.getMessage().contains(TlsKeystores.PASSWORD), "the password must not be in messages");
        }
    }

    @Test
    @Timeout(120)
    void theWireCarriesNoPlaintext() throws Exception {
        byte[] marker = "PLAINTEXT-MARKER-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (boolean tls : new boolean[]{false, true}) {
            try (Proxy proxy = new Proxy()) {
                Map<String, String> env = tls ? tls(keystoreA) : new HashMap<>();
                env.put("JMPI_TRANSPORT", "tcp");
                env.put("JMPI_CONNECTIONS", "eager"); // rank 1 dials rank 0 (through the proxy), never the other way
                // rank 1 reaches rank 0 through the proxy, which records every byte both ways
                Throwable[] failed = runRanks(2, r -> env, (r, table) -> {
                    if (r != 1) return table;
                    proxy.target(table[0].port());
                    Endpoint e = table[0];
                    table[0] = new Endpoint(e.rank(), e.host(), proxy.port(), e.hostId(), e.pid());
                    return table;
                }, mpi -> {
                    Comm w = mpi.world();
                    int other = 1 - w.rank();
                    for (int len : new int[]{marker.length, 1000 * marker.length, 40_000 * marker.length}) {
                        byte[] msg = new byte[len];
                        for (int i = 0; i < len; i++) msg[i] = marker[i % marker.length];
                        byte[] got = new byte[len];
                        Request r = w.irecv(got, other, 1);
                        w.send(msg, other, 1);
                        r.await();
                        assertArrayEquals(msg, got);
                    }
                    assertEquals(tls ? "TLSv1.3" : null, tcpOf(mpi).tlsProtocol(other));
                });
                for (Throwable t : failed) if (t != null) throw new AssertionError("job failed", t);
                String wire = proxy.seen();
                assertTrue(wire.length() > 40_000 * marker.length, "the proxy saw " + wire.length() + " bytes");
                String m = new String(marker, StandardCharsets.ISO_8859_1);
                if (tls) {
                    assertFalse(wire.contains(m), "plaintext on the wire with tls=true");
                    assertFalse(wire.contains("PLAINTEXT"), "plaintext on the wire with tls=true");
                } else {
                    assertTrue(wire.contains(m), "the proxy should see the plaintext without TLS");
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ harness

    static TcpTransport tcpOf(Mpi mpi) {
        try {
            Object engine = field(mpi, "engine");
            for (Object t : (Object[]) field(field(engine, "progress"), "transports")) {
                if (t instanceof TcpTransport) return (TcpTransport) t;
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no tcp transport");
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    /**
     * Runs n ranks as threads, each with its own settings; {@code rewrite} may change the endpoint table a rank
     * sees. Returns each rank's failure (null: none).
     */
    static Throwable[] runRanks(int n, IntFunction<Map<String, String>> envOf,
                                BiFunction<Integer, Endpoint[], Endpoint[]> rewrite, Mpi.RankMain body) {
        long job = HandshakeDescriptor.newJobId();
        byte[] secret = HandshakeDescriptor.newSecret();
        Endpoint[] table = new Endpoint[n];
        CyclicBarrier barrier = new CyclicBarrier(n);
        Throwable[] failed = new Throwable[n];
        Thread[] threads = new Thread[n];
        for (int r = 0; r < n; r++) {
            int rank = r;
            Config config = Config.of(envOf.apply(r));
            threads[r] = new Thread(() -> {
                Bootstrap b = new Jobs.MemoryBootstrap(rank, n, job, secret, table, barrier, rewrite);
                try (Mpi mpi = Mpi.init(b, config)) {
                    body.run(mpi);
                } catch (Throwable t) {
                    failed[rank] = t;
                }
            }, "tls-rank-" + r);
            threads[r].setDaemon(true);
            threads[r].start();
        }
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(50));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertFalse(t.isAlive(), t.getName() + " hangs");
        }
        return failed;
    }

    /** A TCP forwarder on loopback that keeps a copy of every byte it forwards, both ways. */
    static final class Proxy implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        private volatile int target = -1;
        private final Thread acceptor;

        Proxy() throws IOException {
            acceptor = new Thread(this::accept, "tls-test-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void target(int port) {
            target = port;
        }

        String seen() {
            synchronized (seen) {
                return seen.toString(StandardCharsets.ISO_8859_1);
            }
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket a = server.accept();
                    Socket b = new Socket(InetAddress.getLoopbackAddress(), target);
                    pump(a, b);
                    pump(b, a);
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (seen) {
                            seen.write(buf, 0, n);
                        }
                        out.write(buf, 0, n);
                    }
                } catch (IOException e) {
                    // one side closed
                } finally {
                    try {
                        to.shutdownOutput();
                    } catch (IOException ignored) {
                        // closed already
                    }
                }
            }, "tls-test-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
