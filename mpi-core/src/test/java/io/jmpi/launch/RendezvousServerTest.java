package io.jmpi.launch;

import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.ControlProtocol;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.wire.HandshakeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's server against strangers and real ranks, speaking the wire protocol by hand: strangers are refused
 * and logged, and the job goes on serving the legitimate ranks.
 */
@Timeout(20)
class RendezvousServerTest {
    private final long jobId = HandshakeDescriptor.newJobId();
    private final byte[] secret = HandshakeDescriptor.newSecret();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<Socket> sockets = new ArrayList<>();
    private RendezvousServer server;

    @BeforeEach
    void start() {
        server = new RendezvousServer(InetAddress.getLoopbackAddress(), 2, jobId, secret, new RendezvousServer.Listener() {
            @Override
            public void connected(int rank) {
                events.add("connected " + rank);
            }

            @Override
            public void endpoint(int rank, Endpoint endpoint) {
                events.add("endpoint " + rank);
            }

            @Override
            public void failed(int rank, String reason) {
                events.add("failed " + rank + ": " + reason);
            }

            @Override
            public void aborted(int rank, int code, String reason) {
                events.add("aborted " + rank + " " + code + ": " + reason);
            }

            @Override
            public void bye(int rank) {
                events.add("bye " + rank);
            }

            @Override
            public void closed(int rank) {
                events.add("closed " + rank);
            }

            @Override
            public void refused(String from, String reason) {
                assertTrue(from.startsWith("127.0.0.1:"), from);
                events.add("refused: " + reason);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        server.close();
    }

    private Socket open() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    /** A legitimate rank: handshake, then its control connection. */
    private Socket rank(int rank) throws IOException {
        Socket s = open();
        HandshakeDescriptor.client(new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()),
                secret, jobId, HandshakeDescriptor.KIND_LAUNCHER, rank, -1);
        assertEquals("connected " + rank, next());
        return s;
    }

    private String next() {
        try {
            return events.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] hello(long job, short kind, int from, int to) {
        return ByteBuffer.allocate(HandshakeDescriptor.HELLO_LENGTH).putInt(HandshakeDescriptor.MAGIC)
                .putShort(HandshakeDescriptor.VERSION).putShort(kind).putInt(from).putInt(to).putLong(job)
                .put(new byte[16]).array();
    }

    @Test
    void strangerWithoutTheSecretIsRefusedAndLogged() throws Exception {
        Socket s = open();
        s.getOutputStream().write(hello(jobId, HandshakeDescriptor.KIND_LAUNCHER, 0, -1));
        new DataInputStream(s.getInputStream()).readFully(new byte[HandshakeDescriptor.CHALLENGE_LENGTH]);
        s.getOutputStream().write(new byte[HandshakeDescriptor.PROOF_LENGTH]); // a guess, not an HMAC
        assertEquals("refused: claiming rank 0: it does not know the job secret", next());
        assertEquals(-1, s.getInputStream().read(), "the server closed the connection");
    }

    @Test
    void garbageIsRefusedAndLogged() throws Exception {
        Socket s = open();
        s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        assertEquals("refused: not a jmpi hello (magic 0x47455420)", next());
        assertEquals(-1, s.getInputStream().read(), "garbage gets no answer, only the end of the connection");
    }

    @Test
    void otherJobsRankKindsAndDuplicatesAreRefused() throws Exception {
        Socket other = open();
        MpiException e = assertThrows(MpiException.class, () -> HandshakeDescriptor.client(
                new DataInputStream(other.getInputStream()), new DataOutputStream(other.getOutputStream()), secret,
                jobId ^ 1, HandshakeDescriptor.KIND_LAUNCHER, 0, -1));
        assertEquals("handshake: refused by peer (status 1)", e.getMessage());
        assertEquals("refused: job id " + Long.toHexString(jobId ^ 1) + " is not this job's", next());

        Socket peer = open();
        HandshakeDescriptor.client(new DataInputStream(peer.getInputStream()), new DataOutputStream(peer.getOutputStream()),
                secret, jobId, HandshakeDescriptor.KIND_RANK, 1, -1);
        assertEquals("refused: rank 1 opened a rank-to-rank connection (kind 0) to the launcher", next());

        rank(0);
        Socket twin = open();
        HandshakeDescriptor.client(new DataInputStream(twin.getInputStream()), new DataOutputStream(twin.getOutputStream()),
                secret, jobId, HandshakeDescriptor.KIND_LAUNCHER, 0, -1);
        assertEquals("refused: rank 0 is already connected", next());
    }

    @Test
    void afterRefusingStrangersItServesTheJob() throws Exception {
        Socket garbage = open();
        garbage.getOutputStream().write(new byte[HandshakeDescriptor.HELLO_LENGTH]);
        assertTrue(next().startsWith("refused: not a jmpi hello"));

        Socket r0 = rank(0);
        Socket r1 = rank(1);
        Endpoint e0 = new Endpoint(0, "127.0.0.1", 5000, "host-a", 10);
        Endpoint e1 = new Endpoint(1, "127.0.0.1", 5001, "host-a", 11);
        ControlProtocol.writeLine(r1.getOutputStream(), "ENDPOINT " + e1.encode());
        assertEquals("endpoint 1", next());
        ControlProtocol.writeLine(r0.getOutputStream(), "ENDPOINT " + e0.encode());
        assertEquals("endpoint 0", next());
        for (Socket s : List.of(r0, r1)) {
            InputStream in = s.getInputStream();
            assertEquals("TABLE 2", ControlProtocol.readLine(in));
            assertEquals(e0, Endpoint.decode(ControlProtocol.readLine(in)));
            assertEquals(e1, Endpoint.decode(ControlProtocol.readLine(in)));
        }
        ControlProtocol.writeLine(r1.getOutputStream(), "FAIL something broke");
        assertEquals("failed 1: something broke", next());
        ControlProtocol.writeLine(r1.getOutputStream(), "ABORT 7 giving up");
        assertEquals("aborted 1 7: giving up", next());
        ControlProtocol.writeLine(r0.getOutputStream(), "BYE");
        assertEquals("bye 0", next());
        r0.close();
        assertEquals("closed 0", next());
        assertNull(events.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void protocolViolationsEndTheRanksConnection() throws Exception {
        Socket r0 = rank(0);
        ControlProtocol.writeLine(r0.getOutputStream(), "ENDPOINT 1 127.0.0.1 5000 h 1");
        assertEquals("failed 0: broke the control protocol: rank 0 published an endpoint for rank 1", next());
        assertEquals("closed 0", next());
        Socket r1 = rank(1);
        ControlProtocol.writeLine(r1.getOutputStream(), "ABORT x y");
        assertEquals("failed 1: broke the control protocol: ABORT code 'x' is not an integer", next());
        assertEquals("closed 1", next());
    }
}
