package io.jmpi.transport.shm;

import io.jmpi.base.Config;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;
import io.jmpi.wire.HandshakeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shared-memory doorbell, mechanism by mechanism, on two transports of one job in this JVM: a producer rings only
 * when the consumer announced that it sleeps; the ring makes the consumer's wait set ready (an unbounded select
 * returns, the JUnit timeout being the only bound); draining re-arms it; a record published before the announcement
 * is found by the consumer's re-poll (the race the announce / re-check / block order closes).
 */
@Timeout(30)
class ShmDoorbellTest {
    @TempDir
    Path dir;
    private ShmTransport t0;
    private ShmTransport t1;
    private Selector waitSet;
    private final FrameHeader h = new FrameHeader();
    private int received;
    private final FrameHandler handler = new FrameHandler() {
        @Override
        public void onFrame(int peer, FrameHeader header, ByteBuffer payload) {
            received++;
        }

        @Override
        public void onPeerLost(int peer, boolean graceful, String reason) {
            throw new AssertionError(reason);
        }
    };

    @BeforeEach
    void connect() throws Exception {
        Config c = Config.of(Map.of("JMPI_SHM_DIR", dir.toString(), "JMPI_SHM_RING_SIZE", "65536"));
        long job = HandshakeDescriptor.newJobId();
        byte[] secret = HandshakeDescriptor.newSecret();
        t0 = new ShmTransport();
        t1 = new ShmTransport();
        t0.listen(new TransportContext(0, 2, job, secret, InetAddress.getLoopbackAddress(), c));
        t1.listen(new TransportContext(1, 2, job, secret, InetAddress.getLoopbackAddress(), c));
        Thread other = new Thread(() -> t1.connect(null, new int[]{0}));
        other.start();
        t0.connect(null, new int[]{1});
        other.join();
        assertTrue(t1.supportsWakeups(), "every peer connected to rank 1's doorbell");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "segments and doorbells are unlinked once every peer attached");
        }
        waitSet = Selector.open();
        t1.registerWakeups(waitSet);
        h.set(FrameDescriptor.EAGER, (byte) 0, (short) 0, 0, 0, 7, 0, 0, 0);
    }

    @AfterEach
    void close() throws Exception {
        t0.close();
        t1.close();
        waitSet.close();
    }

    private void send() {
        assertTrue(t0.link(1).offer(h, null, 0, 0));
    }

    /** Runs the attachments of the ready keys, as the engine's sleeper does after it wakes. */
    private void drain() {
        for (SelectionKey k : waitSet.selectedKeys()) ((Runnable) k.attachment()).run();
        waitSet.selectedKeys().clear();
    }

    @Test
    void noAnnouncementNoRing() throws Exception {
        send();
        assertEquals(0, t0.rings(), "the fast path is a memory write: no ring while nobody sleeps");
        assertEquals(0, waitSet.selectNow());
        assertEquals(1, t1.poll(handler));
        assertEquals(1, received);
    }

    @Test
    void announcedSleeperIsRungAndWakes() throws Exception {
        t1.announceSleep(true);
        assertEquals(0, t1.poll(handler), "the re-check finds nothing: the sleeper may block");
        Thread sender = new Thread(this::send);
        sender.start();
        assertTrue(waitSet.select() > 0, "an unbounded select returns: the doorbell rang"); // no timeout but JUnit's
        sender.join();
        assertEquals(1, t0.rings());
        drain();
        t1.announceSleep(false);
        assertEquals(0, waitSet.selectNow(), "drained: the next sleep blocks again");
        assertEquals(1, t1.poll(handler), "the frame that rang is there");
        send();
        assertEquals(1, t0.rings(), "withdrawn announcement: no more rings");
    }

    @Test
    void recordPublishedBeforeTheAnnouncementIsSeenByTheRecheck() throws Exception {
        send(); // the producer saw no announcement: it did not ring
        assertEquals(0, t0.rings());
        t1.announceSleep(true);
        assertEquals(1, t1.poll(handler), "the poll after announcing finds it, so the sleeper does not block");
        assertEquals(0, waitSet.selectNow());
        t1.announceSleep(false);
    }

    @Test
    void manyRingsOneWakeUp() throws Exception {
        t1.announceSleep(true);
        for (int i = 0; i < 100; i++) send();
        assertEquals(100, t0.rings(), "every record rings while the announcement stands");
        assertTrue(waitSet.selectNow() > 0);
        drain();
        assertEquals(0, waitSet.selectNow(), "one drain empties them all");
        t1.announceSleep(false);
        assertEquals(100, t1.poll(handler));
    }
}
