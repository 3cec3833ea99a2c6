package io.jmpi.transport.shm;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Payload bytes left in the ring by an earlier lap must never pass for the next record's stamp: a program whose data
 * holds, at every 8-byte offset, exactly the stamp the consumer will expect there one lap later (its ring position
 * plus one) sends a lap of such data; after it is consumed, every poll that finds no new record returns nothing, and
 * the records that follow arrive whole.
 */
@Timeout(30)
class ShmRingStaleStampTest {
    private static final int CAPACITY = 64 * 1024;

    @Test
    void payloadOfAnEarlierLapIsNeverReadAsTheNextStamp() {
        ByteBuffer segment = ByteBuffer.allocateDirect(ShmSegmentDescriptor.RING_META + CAPACITY).order(ByteOrder.LITTLE_ENDIAN);
        ShmRing producer = new ShmRing(segment, 0, CAPACITY, true);
        ShmRing consumer = new ShmRing(segment, 0, CAPACITY, false);
        List<Long> seen = new ArrayList<>();
        FrameHandler handler = new FrameHandler() {
            @Override
            public void onFrame(int peer, FrameHeader h, ByteBuffer data) {
                seen.add((long) h.id);
            }

            @Override
            public void onPeerLost(int peer, boolean graceful, String reason) {
                fail(reason);
            }
        };
        FrameHeader h = new FrameHeader();
        int len = producer.maxPayload();
        byte[] payload = new byte[len];
        ByteBuffer forged = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        long pos = 0; // the producer's position, followed here as the ring computes it
        int id = 0;
        // lap 0: records of the largest payload, each filled with the stamps the consumer will expect at those ring
        // bytes one lap later
        int rec = (ShmRing.PREFIX + len + 7) & ~7;
        while (pos + rec <= CAPACITY) {
            for (int off = 0; off + 8 <= len; off += 8) {
                forged.putLong(off, CAPACITY + pos + ShmRing.PREFIX + off + 1);
            }
            h.set(FrameDescriptor.EAGER, (byte) 1, (short) 0, 0, 0, id, len, id, ~id);
            assertTrue(producer.offer(h, ArrayBuf.of(payload, 0, len), 0, len), "record " + id + " fits");
            pos += rec;
            id++;
            assertEquals(1, consumer.poll(1, handler), "record " + (id - 1));
        }
        // lap 1: empty records (one prefix each) walk over those bytes; after each, a poll with nothing new must find
        // nothing, however the stale bytes read
        while (pos < 2L * CAPACITY - rec) {
            int left = CAPACITY - (int) (pos % CAPACITY);
            if (left < ShmRing.PREFIX) pos += left; // skipped to the start
            h.set(FrameDescriptor.EAGER, (byte) 1, (short) 0, 0, 0, id, 0, id, ~id);
            assertTrue(producer.offer(h, ArrayBuf.of(payload, 0, 0), 0, 0), "empty record " + id + " fits");
            pos += ShmRing.PREFIX;
            id++;
            assertEquals(1, consumer.poll(1, handler), "empty record " + (id - 1));
            assertEquals(0, consumer.poll(1, handler), "a poll after empty record " + (id - 1) + " at " + pos + " found a record");
        }
        for (int i = 0; i < seen.size(); i++) assertEquals((long) i, seen.get(i), "record order");
        assertEquals(id, seen.size(), "records received");
    }
}
