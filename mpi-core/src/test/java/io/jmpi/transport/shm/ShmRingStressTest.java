package io.jmpi.transport.shm;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A concurrency stress harness for the SPSC ring (the equivalent of a jcstress test, bounded in time): a producer
 * and a consumer thread on their own views of one direct buffer, frames of random size (wrapping the ring often,
 * with padding records and back-pressure), each carrying a sequence number and a content pattern. Any lost,
 * duplicated, reordered or torn frame fails the test.
 */
@Timeout(60)
class ShmRingStressTest {
    private static final int CAPACITY = 64 * 1024;

    @Test
    void framesArriveWholeAndInOrderUnderContention() throws Exception {
        ByteBuffer segment = ByteBuffer.allocateDirect(ShmSegmentDescriptor.RING_META + CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
        ShmRing producer = new ShmRing(segment, 0, CAPACITY, true);
        ShmRing consumer = new ShmRing(segment, 0, CAPACITY, false);
        final int frames = 200_000;
        final long seed = 42;
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread p = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            FrameHeader h = new FrameHeader();
            byte[] payload = new byte[CAPACITY / 2];
            try {
                for (int seq = 0; seq < frames; seq++) {
                    int len = rnd.nextInt(10) == 0 ? rnd.nextInt(CAPACITY / 2 - ShmRing.PREFIX) : rnd.nextInt(64);
                    for (int i = 0; i < len; i++) payload[i] = (byte) (seq * 31 + i);
                    h.set(FrameDescriptor.EAGER, (byte) 1, (short) 0, 0, 0, seq, len, seq, ~seq);
                    int spins = 0;
                    while (!producer.offer(h, ArrayBuf.of(payload, 0, len), 0, len)) {
                        if (failure.get() != null) return;
                        if (++spins % 1000 == 0) Thread.yield();
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
        long[] received = {0};
        FrameHandler check = new FrameHandler() {
            @Override
            public void onFrame(int peer, FrameHeader h, ByteBuffer data) {
                long seq = received[0];
                if (h.tag != seq || h.id != seq || h.id2 != ~seq) {
                    throw new AssertionError("frame " + seq + " arrived as " + h);
                }
                int base = data.position();
                for (int i = 0; i < h.length; i++) {
                    if (data.get(base + i) != (byte) (seq * 31 + i)) throw new AssertionError("torn payload in frame " + seq + " at " + i);
                }
                received[0]++;
            }

            @Override
            public void onPeerLost(int peer, boolean graceful, String reason) {
                throw new AssertionError(reason);
            }
        };
        p.start();
        long deadline = System.nanoTime() + 50_000_000_000L;
        while (received[0] < frames && failure.get() == null && System.nanoTime() < deadline) {
            try {
                if (consumer.poll(1, check) == 0) Thread.onSpinWait();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
        p.join(5_000);
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertEquals(frames, received[0], "frames received");
        assertEquals(0, consumer.poll(1, check), "no frame beyond the last");
    }
}
