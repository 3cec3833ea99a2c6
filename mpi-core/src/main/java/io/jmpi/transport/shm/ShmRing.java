package io.jmpi.transport.shm;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.jmpi.transport.shm.ShmSegmentDescriptor.*;

/**
 * One single-producer/single-consumer ring of frames in shared memory (see {@link ShmSegmentDescriptor}).
 * The producer copies a record in with plain stores and publishes it with a volatile store of {@code tail}; the
 * consumer reads {@code tail} with acquire, reads records in place, and frees them with a release store of
 * {@code head}. Each side caches the other's counter and re-reads it only when it must. Model: Agrona's
 * OneToOneRingBuffer (claim, copy, release-store).
 */
final class ShmRing {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ByteBuffer meta;   // the ring's 256-byte counter block
    private final ByteBuffer data;   // the ring's data bytes, little-endian, absolute indexing
    private final int capacity;
    private final int mask;
    private final FrameHeader header = new FrameHeader();
    private long cachedOther;        // producer: last head seen; consumer: last tail seen
    private long mine;               // producer: tail; consumer: head

    ShmRing(ByteBuffer segment, long ringOffset, int capacity, boolean producer) {
        ByteBuffer s = segment.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        s.position((int) ringOffset).limit((int) ringOffset + RING_META);
        this.meta = s.slice().order(ByteOrder.LITTLE_ENDIAN);
        s.limit((int) ringOffset + RING_META + capacity).position((int) ringOffset + RING_META);
        this.data = s.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.mine = producer ? (long) LONGS.getAcquire(meta, TAIL_OFFSET) : (long) LONGS.getAcquire(meta, HEAD_OFFSET);
        this.cachedOther = producer ? (long) LONGS.getAcquire(meta, HEAD_OFFSET) : (long) LONGS.getAcquire(meta, TAIL_OFFSET);
    }

    /**
     * Largest payload one record may carry: an eighth of the ring, so that a large message streams as at least
     * eight records in flight (the producer copies one while the consumer copies another).
     */
    int maxPayload() {
        return capacity / 8 - FrameDescriptor.HEADER_LENGTH;
    }

    // ------------------------------------------------------------------ producer

    boolean offer(FrameHeader h, Buf payload, long payloadOffset, int length) {
        int rec = align8(FrameDescriptor.HEADER_LENGTH + length);
        int idx = (int) (mine & mask);
        int toEnd = capacity - idx;
        int need = toEnd < rec ? toEnd + rec : rec;
        if (mine + need - cachedOther > capacity) {
            cachedOther = (long) LONGS.getAcquire(meta, HEAD_OFFSET);
            if (mine + need - cachedOther > capacity) return false;
        }
        long tail = mine;
        if (toEnd < rec) {
            if (toEnd >= FrameDescriptor.HEADER_LENGTH) {
                data.putInt(idx + FrameDescriptor.LENGTH_OFFSET, toEnd - FrameDescriptor.HEADER_LENGTH);
                data.put(idx + FrameDescriptor.TYPE_OFFSET, PAD);
            }
            tail += toEnd;
            idx = 0;
        }
        data.position(idx);
        h.encode(data);
        if (length > 0) payload.copyOut(payloadOffset, data, length);
        mine = tail + rec;
        // volatile, not just release: the store must be ordered before the producer's load of the consumer's waiters
        // word (a store-load pair, as in a futex): else a consumer announcing sleep could miss this record and the
        // producer miss its announcement. x86: one locked instruction per record.
        LONGS.setVolatile(meta, TAIL_OFFSET, mine);
        return true;
    }

    boolean hasBacklog() {
        return false;
    }

    // ------------------------------------------------------------------ consumer

    /** Dispatches every published record; returns the number of frames. */
    int poll(int peer, io.jmpi.transport.FrameHandler handler) {
        if (mine == cachedOther) {
            cachedOther = (long) LONGS.getAcquire(meta, TAIL_OFFSET);
            if (mine == cachedOther) return 0;
        }
        int frames = 0;
        while (mine < cachedOther) {
            int idx = (int) (mine & mask);
            int toEnd = capacity - idx;
            if (toEnd < FrameDescriptor.HEADER_LENGTH) {
                mine += toEnd;
                continue;
            }
            header.decode(data, idx);
            int len = header.length;
            if (len < 0 || len > capacity - FrameDescriptor.HEADER_LENGTH || FrameDescriptor.HEADER_LENGTH + len > toEnd) {
                throw new MpiException(ErrorClass.PROTOCOL, "shm: corrupt record from rank " + peer + " at " + mine
                        + ": length " + len + " out of range [0, " + (toEnd - FrameDescriptor.HEADER_LENGTH) + "]");
            }
            if (header.type == PAD) {
                mine += FrameDescriptor.HEADER_LENGTH + len;
                continue;
            }
            data.limit(idx + FrameDescriptor.HEADER_LENGTH + len).position(idx + FrameDescriptor.HEADER_LENGTH);
            // consumed before it is dispatched, so a record whose handling throws is never dispatched again; the
            // producer may reuse its space only once the handler is done reading it (the release in finally)
            mine += align8(FrameDescriptor.HEADER_LENGTH + len);
            frames++;
            try {
                handler.onFrame(peer, header, data);
            } finally {
                data.limit(capacity);
                LONGS.setRelease(meta, HEAD_OFFSET, mine);
            }
        }
        return frames;
    }
}
