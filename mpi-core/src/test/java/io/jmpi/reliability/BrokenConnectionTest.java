package io.jmpi.reliability;

import io.jmpi.base.ErrorClass;
import io.jmpi.Mpi;
import io.jmpi.base.MpiException;
import io.jmpi.Request;
import io.jmpi.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.jmpi.wire.FrameDescriptor.CTS;
import static io.jmpi.wire.FrameDescriptor.RTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection that breaks while a rank is writing to it (the peer reset it: crashed host, killed process whose reset
 * arrives while data is queued) must be reported like one that breaks while reading: every operation with that peer
 * fails with PROC_FAILED naming it, and the rank closes cleanly.
 */
@Timeout(60)
class BrokenConnectionTest {
    /**
     * Regression (fixed in session 2): {@code TcpConnection.flush()} marks the connection closed and throws PROC_FAILED when a write fails, but never
     * calls {@code FrameHandler.onPeerLost}; from then on {@code poll()} returns at once ({@code if (closed) return 0}),
     * so the engine never learns that the peer is gone. The send streaming to it never completes, a receive posted from
     * it never fails (the rank hangs until the launcher kills it), and {@code Mpi.close()} throws "connection to rank 1
     * is closed" from {@code Engine.pump} (TcpConnection.offer, line 53) before closing the transports.
     */
    @Test
    void aConnectionResetWhileSendingFailsTheOperationsWithThatPeer() throws Exception {
        // which side sees the reset first (the write of the queued data, or the read) is a race: try a few times
        for (int attempt = 0; attempt < 6; attempt++) resetWhileSending();
    }

    private void resetWhileSending() throws Exception {
        RogueJob job = new RogueJob(1, 1);
        List<String> results = new ArrayList<>();
        AtomicReference<Throwable> closeFailure = new AtomicReference<>();
        Thread real = new Thread(() -> {
            Mpi mpi = job.initReal(0, Map.of("JMPI_CONNECT_TIMEOUT", "3"));
            Request send = mpi.world().isend(new byte[64 << 20], 1, 7);   // rendezvous: RTS, then DATA after the CTS
            Request recv = mpi.world().irecv(new byte[16], 1, 8);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((!send.isDone() || !recv.isDone()) && System.nanoTime() < deadline) {
                for (Request r : List.of(send, recv)) {
                    try {
                        r.test(); // drives progress; throws once failed
                    } catch (MpiException e) {
                        // looked at below
                    }
                }
                Thread.onSpinWait();
            }
            for (Request r : List.of(send, recv)) {
                if (!r.isDone()) {
                    results.add("not done");
                    continue;
                }
                try {
                    r.await();
                    results.add("ok");
                } catch (MpiException e) {
                    results.add(e.errorClass() + ": " + e.getMessage());
                }
            }
            try {
                mpi.close();
            } catch (Throwable e) {
                closeFailure.set(e);
            }
        });
        real.start();
        RogueJob.Wire w = job.joinRogue(1)[0];
        Await.until(() -> !w.receivedOfType(RTS).isEmpty(), Duration.ofSeconds(10), "rank 0 sends its RTS");
        long handle = w.receivedOfType(RTS).get(0)[6];
        w.pauseReading();
        w.send(CTS, (byte) 0, (short) 0, 0, 1, 0, 0, handle, 77, null);            // the rank starts streaming 64 MiB
        // its data reaches us and nobody reads it: the rest of the 64 MiB backs up behind it in the rank's writes
        Await.until(() -> w.unread() > 0, Duration.ofSeconds(10), "rank 0 streams DATA after the CTS");
        w.reset();
        real.join(30_000);
        System.out.println("BrokenConnectionTest: after a reset while sending: " + results + ", close: " + closeFailure.get());
        assertEquals(2, results.size());
        for (String r : results) {
            assertTrue(r.startsWith(ErrorClass.PROC_FAILED + ": ") && r.contains("rank 1"), results.toString());
        }
        assertNull(closeFailure.get(), "Mpi.close() threw");
    }

    /**
     * Regression (fixed in session 2): a receive from ANY_SOURCE is not failed when a peer is lost ({@code Engine.onPeerLost} fails only the
     * receives posted for that peer, {@code MatchQueues.postedFrom}), so a rank whose only possible sender vanished
     * waits forever. With MPI's errors-are-fatal default the job should end; as ULFM does, the receive should fail
     * with PROC_FAILED naming the lost rank.
     */
    @Test
    void anAnySourceReceiveFailsWhenAPeerIsLost() throws Exception {
        RogueJob job = new RogueJob(1, 1);
        AtomicReference<String> outcome = new AtomicReference<>("not done");
        CountDownLatch posted = new CountDownLatch(1);
        Thread real = new Thread(() -> {
            try (Mpi mpi = job.initReal(0, Map.of("JMPI_CONNECT_TIMEOUT", "3"))) {
                Request r = mpi.world().irecv(new byte[16], Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                posted.countDown();
                try {
                    Await.holds(() -> r.test() != null, Duration.ofSeconds(3)); // test() drives progress; throws once failed
                } catch (MpiException e) {
                    // looked at below
                }
                try {
                    if (r.isDone()) {
                        r.await();
                        outcome.set("ok");
                    } else {
                        r.cancel();
                    }
                } catch (MpiException e) {
                    outcome.set(e.errorClass() + ": " + e.getMessage());
                }
            } finally {
                posted.countDown();
            }
        });
        real.start();
        RogueJob.Wire w = job.joinRogue(1)[0];
        assertTrue(posted.await(20, TimeUnit.SECONDS), "rank 0 did not post its receive");
        w.reset(); // the only other rank is gone
        real.join(20_000);
        System.out.println("BrokenConnectionTest: ANY_SOURCE receive after the only peer was lost: " + outcome.get());
        assertTrue(outcome.get().startsWith("PROC_FAILED") && outcome.get().contains("rank 1"), outcome.get());
    }

    /**
     * Regression (fixed in session 2): a receive posted for a peer after that peer's goodbye (BYE: it called Mpi.close) waits until the peer's
     * connection closes, instead of failing at once: {@code Engine.onFrame(BYE)} fails only the receives posted at that
     * moment, and {@code Engine.post}/{@code iprobe} check {@code peers[source].lost}, not {@code byeReceived}. The peer
     * keeps the connection open while it waits (up to connectTimeout, 60 s) for this rank's goodbye, which this rank
     * will not send while it waits in the receive: both wait out the timeout. In FaultInjectionIT this turns a dropped
     * connection during rendezvous traffic into a job that ends only after 60 s (the failing ranks' Mpi.close() waits
     * for goodbyes from ranks stuck in such receives).
     */
    @Test
    void aReceivePostedAfterThePeersGoodbyeFailsAtOnce() {
        long[] waited = {-1};
        String[] error = {null};
        // eager: connected at init, so rank 1's goodbye reaches rank 0 (a peer never connected to sends no goodbye)
        io.jmpi.Jobs.run("tcp", 2, Map.of("JMPI_CONNECT_TIMEOUT", "5", "JMPI_CONNECTIONS", "eager"), mpi -> {
            if (mpi.rank() == 1) return; // closes at once: BYE to rank 0, then waits for rank 0's goodbye
            // rank 1's BYE has arrived once a probe for it fails: the probe checks the goodbye on its own path
            Await.until(() -> {
                try {
                    mpi.world().iprobe(1, Mpi.ANY_TAG);
                    return false;
                } catch (MpiException e) {
                    return true;
                }
            }, Duration.ofSeconds(10), "rank 0 learns of rank 1's goodbye");
            long t0 = System.nanoTime();
            try {
                mpi.world().recv(new byte[8], 1, 0);
            } catch (MpiException e) {
                error[0] = e.errorClass().name();
            }
            waited[0] = (System.nanoTime() - t0) / 1_000_000;
        });
        System.out.println("BrokenConnectionTest: a receive posted after the peer's goodbye failed with " + error[0]
                + " after " + waited[0] + " ms");
        assertEquals("PROC_FAILED", error[0]);
        assertTrue(waited[0] < 1000, waited[0] + " ms");
    }
}
