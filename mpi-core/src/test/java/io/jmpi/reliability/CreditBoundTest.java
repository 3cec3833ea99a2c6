package io.jmpi.reliability;

import io.jmpi.Comm;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.Jobs;
import io.jmpi.Mpi;
import io.jmpi.Request;
import io.jmpi.Requests;
import io.jmpi.Status;
import io.jmpi.testing.Await;
import io.jmpi.wire.FrameDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource bounds at the receiver: a flood of unexpected messages from one peer is bounded by the peer's credit
 * ({@code peerCredit}, default 4 MiB): beyond it the sender's messages go as rendezvous envelopes and wait, the
 * receiver buffers no more data. Measured through {@link Mpi#pendingOperations()}, which lists every unexpected
 * message with its size.
 */
@Timeout(60)
class CreditBoundTest {
    static final long CREDIT = 4 << 20;
    private static final Pattern UNEXPECTED = Pattern.compile("^unmatched message from rank (\\d+) on .* with tag \\d+, (\\d+) bytes( \\(rendezvous\\))?$");

    /** Eager bytes (with their frame headers, as credit counts them) and envelopes buffered from {@code source}. */
    static long[] unexpectedFrom(Mpi mpi, int source) {
        long eager = 0, envelopes = 0;
        for (String l : mpi.pendingOperations()) {
            Matcher m = UNEXPECTED.matcher(l);
            // a reworded line must fail here, not count as nothing buffered (which every bound would accept)
            if (l.startsWith("unexpected") && !m.find()) throw new AssertionError("unparsed pending operation: " + l);
            if (!m.find(0) || Integer.parseInt(m.group(1)) != source) continue;
            if (m.group(3) != null) envelopes++;
            else eager += Long.parseLong(m.group(2)) + FrameDescriptor.HEADER_LENGTH;
        }
        return new long[]{eager, envelopes};
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "shm", "local"})
    void aFloodOfUnexpectedMessagesIsBoundedByTheSendersCredit(String transport) {
        int count = 8000, size = 1000; // 8 MB, twice the credit
        CountDownLatch flooded = new CountDownLatch(1); // the receiver holds all the eager data credit allows
        CountDownLatch started = new CountDownLatch(1); // the sender has counted its completed sends
        AtomicLong maxBuffered = new AtomicLong(), envelopes = new AtomicLong(), completedEarly = new AtomicLong();
        Jobs.run(transport, 2, Map.of(), mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                List<Request> sends = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    byte[] b = new byte[size];
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, i);
                    sends.add(w.isend(b, 1, 5));
                }
                Request last = sends.get(count - 1);
                Await.until(() -> { // drive progress (for the whole engine) until the receiver has taken in what it will
                    last.test();
                    return flooded.getCount() == 0;
                }, Duration.ofSeconds(30), "the receiver is flooded");
                completedEarly.set(sends.stream().filter(Request::isDone).count());
                started.countDown();
                Requests.awaitAll(sends);
            } else {
                // the receiver makes progress, but receives nothing yet, until credit is spent: envelopes arrive
                Await.until(() -> {
                    w.iprobe(0, 99);
                    long[] u = unexpectedFrom(mpi, 0);
                    maxBuffered.accumulateAndGet(u[0], Math::max);
                    envelopes.accumulateAndGet(u[1], Math::max);
                    return u[1] > 0 && u[0] > CREDIT / 2;
                }, Duration.ofSeconds(30), "rank 0's credit is spent: rendezvous envelopes follow its eager data");
                flooded.countDown();
                assertTrue(started.await(30, TimeUnit.SECONDS));
                for (int k = 0; k < 20; k++) { // and no more data comes in while it waits
                    w.iprobe(0, 99);
                    long[] u = unexpectedFrom(mpi, 0);
                    maxBuffered.accumulateAndGet(u[0], Math::max);
                    envelopes.accumulateAndGet(u[1], Math::max);
                }
                byte[] b = new byte[size];
                for (int i = 0; i < count; i++) {
                    Status s = w.recv(b, 0, 5);
                    assertEquals(size, s.bytes());
                    assertEquals(i, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0), "message order");
                }
                assertEquals(List.of(), mpi.pendingOperations());
            }
        });
        System.out.println("CreditBoundTest[" + transport + "]: 8000 x 1000 B unexpected: receiver buffered at most "
                + maxBuffered + " B (credit " + CREDIT + ") and " + envelopes + " envelopes; " + completedEarly
                + " sends completed before any receive");
        assertTrue(maxBuffered.get() <= CREDIT, maxBuffered + " > " + CREDIT);
        assertTrue(maxBuffered.get() > CREDIT / 2, "the flood did not reach the receiver: " + maxBuffered);
        assertTrue(envelopes.get() > 0);
        assertTrue(completedEarly.get() <= CREDIT / (size + FrameDescriptor.HEADER_LENGTH), completedEarly + " sends completed");
    }

    /**
     * A peer that ignores its credit (it knows the job secret, but is buggy or hostile) makes the receiver buffer
     * whatever it sends: the receiver does not count what each peer has outstanding, so nothing cuts the peer off at
     * {@code peerCredit}. Here a rogue rank sends 12 MiB of eager frames nobody receives; the real rank buffers all of
     * them. Wanted: the connection is closed (PROTOCOL, "exceeded its credit") once a peer's unexpected bytes pass
     * peerCredit, as for any other invalid frame.
     */
    @Test
    void aPeerThatIgnoresItsCreditIsCutOff() throws Exception {
        RogueJob job = new RogueJob(1, 1);
        long[] buffered = new long[1];
        CountDownLatch rogueDone = new CountDownLatch(1); // the rogue has sent all, or was cut off
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<ErrorClass> lostWith = new AtomicReference<>();
        Thread real = new Thread(() -> {
            try (Mpi mpi = job.initReal(0, Map.of())) {
                Await.until(() -> { // progress, and watch what is buffered, until the rogue is done
                    buffered[0] = Math.max(buffered[0], unexpectedFrom(mpi, 1)[0]);
                    try {
                        mpi.world().iprobe(1, 99);
                    } catch (MpiException e) {
                        lostWith.set(e.errorClass()); // the rank has closed the rogue's connection
                        return true;
                    }
                    return buffered[0] >= 12L << 20 || rogueDone.getCount() == 0;
                }, Duration.ofSeconds(30), "the rogue has sent 12 MiB or was cut off");
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "credit-rank-0");
        real.start();
        RogueJob.Wire w = job.joinRogue(1)[0];
        byte[] chunk = new byte[64 * 1024];
        int sent = 0;
        for (int i = 0; i < 192 && !w.closedByPeer; i++) { // 12 MiB, three times the credit
            if (w.send(FrameDescriptor.EAGER, io.jmpi.buffer.DataType.BYTE.code, (short) 0, 0, 1, 5, chunk.length, 0, 0, chunk)) sent++;
        }
        boolean cutOff = w.awaitClosed(5000);
        rogueDone.countDown();
        w.close();
        real.join(20_000);
        assertNull(failure.get(), () -> "rank 0 failed: " + failure.get());
        System.out.println("CreditBoundTest: a rogue ignoring its credit sent " + sent + " x 64 KiB; the rank buffered "
                + buffered[0] + " B (credit " + CREDIT + "); connection closed by the rank: " + cutOff);
        assertTrue(buffered[0] <= CREDIT, "the rank buffered " + buffered[0] + " B from one peer, credit is " + CREDIT);
        assertTrue(cutOff, "the rank should close the connection of a peer that exceeds its credit");
        assertEquals(ErrorClass.PROC_FAILED, lostWith.get(), "a probe for the rogue after it was cut off");
    }
}
