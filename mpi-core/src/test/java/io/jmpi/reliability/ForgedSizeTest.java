package io.jmpi.reliability;

import io.jmpi.Mpi;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.ObjectRequest;
import io.jmpi.buffer.DataType;
import io.jmpi.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.jmpi.wire.FrameDescriptor.CTS;
import static io.jmpi.wire.FrameDescriptor.RTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rendezvous envelope (RTS) whose size does not fit a Java array must fail the receive, not the rank. */
@Timeout(120)
class ForgedSizeTest {
    /** The largest DATA frame a rank accepts when configured for it: 2 GiB stream in 257 frames. */
    private static final int CHUNK = 8 << 20;

    /**
     * Regression (fixed in session 2): an object receive sizes its buffer from the RTS's total ({@code BytesBuf.prepareReceive}:
     * {@code new byte[(int) messageBytes]}): a total of 2^31 + 8 bytes becomes a negative int, and the
     * NegativeArraySizeException escapes from {@code Engine.onFrame} through {@code TcpConnection.poll} (which only
     * handles MpiException PROTOCOL) into whichever user call made progress: here {@code Request.test()}; in
     * FrameFuzzTest a rogue's RTS of {@code Long.MAX_VALUE & ~7} (-8 as an int) crashed a {@code sendrecv} between two
     * real ranks. The frame is not consumed, so it is dispatched again with the next bytes from that peer. A total between 2^30 and 2^31 - 1
     * allocates that much before any data arrives (OutOfMemoryError at -Xmx below it). RTS totals above
     * {@code Integer.MAX_VALUE - 8} for an object receive should fail the receive (TRUNCATE) without allocating.
     * This test used to pass on PROC_FAILED too, which is what it got: the rogue hung up before the
     * rendezvous ended, so the TRUNCATE it names was never observed. Now the connection stays up and only TRUNCATE passes.
     */
    @Test
    void anRtsLargerThanAnyArrayFailsTheObjectReceiveWithTruncate() throws Exception {
        RogueJob job = new RogueJob(1, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<ErrorClass> failure = new AtomicReference<>();
        AtomicBoolean completed = new AtomicBoolean();
        CountDownLatch received = new CountDownLatch(1); // the receive has an outcome: the rogue may hang up
        Thread real = new Thread(() -> {
            try (Mpi mpi = job.initReal(0, Map.of("JMPI_CONNECT_TIMEOUT", "3", "JMPI_CHUNK_SIZE", Integer.toString(CHUNK)))) {
                ObjectRequest<Object> r = mpi.world().irecvObject(1, 4);
                try {
                    // test() drives progress: the crash this guards against escaped from it
                    Await.until(() -> r.test() != null, Duration.ofSeconds(60), "the forged RTS ends the object receive");
                    r.await();
                    completed.set(true);
                } catch (MpiException e) {
                    failure.set(e.errorClass());
                } finally {
                    received.countDown();
                }
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                received.countDown();
            }
        }, "forged-size-rank-0");
        real.start();
        RogueJob.Wire w = job.joinRogue(1)[0];
        long total = (1L << 31) + 8;
        w.send(RTS, DataType.OBJECT.code, (short) 0, 0, 1, 4, 0, 1, total, null);
        // Truncation is reported when the rendezvous ends, as for any MPI receive, so the rogue streams the data it
        // announced (discarded by the rank: nothing is allocated for it) unless the receive has already failed.
        Await.until(() -> !w.receivedOfType(CTS).isEmpty() || received.getCount() == 0, Duration.ofSeconds(20),
                "rank 0 answers the forged RTS with a CTS (or fails the receive)");
        if (received.getCount() > 0) {
            long recvHandle = w.receivedOfType(CTS).get(0)[7];
            byte[] chunk = new byte[CHUNK];
            for (long off = 0; off < total && received.getCount() > 0; off += CHUNK) {
                if (!w.data(DataType.OBJECT.code, recvHandle, off, chunk, (int) Math.min(CHUNK, total - off))) break;
            }
        }
        // the connection stays up until the receive is over, so a lost peer (PROC_FAILED) cannot be what ended it
        assertTrue(received.await(60, TimeUnit.SECONDS), "the object receive neither completed nor failed");
        w.close();
        real.join(30_000);
        assertFalse(real.isAlive(), "rank 0 did not finish within 30 s of the rogue hanging up");
        assertNull(thrown.get(), () -> "the rank itself failed: " + thrown.get());
        assertFalse(completed.get(), "a receive of 2^31 + 8 bytes into an object completed");
        assertEquals(ErrorClass.TRUNCATE, failure.get(), "error class of the failed receive");
    }
}
