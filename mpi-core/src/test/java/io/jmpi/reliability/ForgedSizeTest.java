package io.jmpi.reliability;

import io.jmpi.Mpi;
import io.jmpi.base.MpiException;
import io.jmpi.ObjectRequest;
import io.jmpi.buffer.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.jmpi.wire.FrameDescriptor.RTS;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A rendezvous envelope (RTS) whose size does not fit a Java array must fail the receive, not the rank. */
@Timeout(60)
class ForgedSizeTest {
    /**
     * Regression (fixed in session 2): an object receive sizes its buffer from the RTS's total ({@code BytesBuf.prepareReceive}:
     * {@code new byte[(int) messageBytes]}): a total of 2^31 + 8 bytes becomes a negative int, and the
     * NegativeArraySizeException escapes from {@code Engine.onFrame} through {@code TcpConnection.poll} (which only
     * handles MpiException PROTOCOL) into whichever user call made progress: here {@code Request.test()}; in
     * FrameFuzzTest a rogue's RTS of {@code Long.MAX_VALUE & ~7} (-8 as an int) crashed a {@code sendrecv} between two
     * real ranks. The frame is not consumed, so it is dispatched again with the next bytes from that peer. A total between 2^30 and 2^31 - 1
     * allocates that much before any data arrives (OutOfMemoryError at -Xmx below it). RTS totals above
     * {@code Integer.MAX_VALUE - 8} for an object receive should fail the receive (TRUNCATE) without allocating.
     */
    @Test
    void anRtsLargerThanAnyArrayFailsTheObjectReceiveOnly() throws Exception {
        RogueJob job = new RogueJob(1, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<String> outcome = new AtomicReference<>("not done");
        Thread real = new Thread(() -> {
            try (Mpi mpi = job.initReal(0, Map.of("JMPI_CONNECT_TIMEOUT", "3"))) {
                ObjectRequest<Object> r = mpi.world().irecvObject(1, 4);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!r.isDone() && System.nanoTime() < deadline) {
                    try {
                        r.test();
                    } catch (MpiException e) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                try {
                    if (r.isDone()) r.await();
                    outcome.set(r.isDone() ? "ok" : "not done");
                } catch (MpiException e) {
                    outcome.set(e.errorClass() + ": " + e.getMessage());
                }
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        real.start();
        RogueJob.Wire w = job.joinRogue(1)[0];
        w.send(RTS, DataType.OBJECT.code, (short) 0, 0, 1, 4, 0, 1, (1L << 31) + 8, null);
        Thread.sleep(500);
        w.close();
        real.join(30_000);
        System.out.println("ForgedSizeTest: receive: " + outcome.get() + "; thrown: " + thrown.get());
        assertTrue(thrown.get() == null, "the rank threw " + thrown.get());
        assertTrue(outcome.get().startsWith("TRUNCATE") || outcome.get().startsWith("PROC_FAILED"), outcome.get());
    }
}
