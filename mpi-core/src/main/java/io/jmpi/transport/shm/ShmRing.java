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
 * Each record starts with a stamp, its own ring position plus one: the producer copies the frame header and payload in
 * with plain stores and publishes the record with a volatile store of its stamp; the consumer reads the stamp at its
 * head with acquire and takes the record when the stamp is its head plus one, reads it in place, and frees it with a
 * release store of {@code head}. So a consumer that sees a message pays one cache-line transfer (stamp, header and a
 * small payload share it) instead of two serial ones (a separate tail counter, then the record), and the producer
 * re-reads {@code head} only when the ring looks full. A stale stamp cannot match: positions only grow, a record's
 * stamp from an earlier lap is smaller by a multiple of the capacity, and the word where the consumer will look for the
 * next stamp is cleared by the producer before it publishes a record (so payload bytes of an earlier lap that happen to
 * equal a future position are never read as a stamp; the ring keeps those 8 bytes free for it). Model: Agrona's
 * OneToOneRingBuffer (claim, copy, release-store of the record's length word).
 */
final class ShmRing {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Stamp and frame header: the smallest record. */
    static final int PREFIX = STAMP_LENGTH + FrameDescriptor.HEADER_LENGTH;

    private final ByteBuffer meta;   // the ring's 256-byte counter block
    private final ByteBuffer data;   // the ring's data bytes, little-endian, absolute indexing
    private final int capacity;
    private final int mask;
    private final FrameHeader header = new FrameHeader();
    private long cachedHead;         // producer: last head seen
    private long mine;               // producer: tail; consumer: head

    ShmRing(ByteBuffer segment, long ringOffset, int capacity, boolean producer) {
        ByteBuffer s = segment.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        s.position((int) ringOffset).limit((int) ringOffset + RING_META);
        this.meta = s.slice().order(ByteOrder.LITTLE_ENDIAN);
        s.limit((int) ringOffset + RING_META + capacity).position((int) ringOffset + RING_META);
        this.data = s.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.capacity = capacity;
        this.mask = capacity - 1;
        // a ring is fresh when attached (its segment was just created): both ends start at the consumer's head
        this.mine = (long) LONGS.getAcquire(meta, HEAD_OFFSET);
        this.cachedHead = mine;
    }

    /**
     * Largest payload one record may carry: an eighth of the ring, so that a large message streams as at least
     * eight records in flight (the producer copies one while the consumer copies another).
     */
    int maxPayload() {
        return capacity / 8 - PREFIX;
    }

    // ------------------------------------------------------------------ producer

    boolean offer(FrameHeader h, Buf payload, long payloadOffset, int length) {
        int rec = align8(PREFIX + length);
        int idx = (int) (mine & mask);
        int toEnd = capacity - idx;
        int need = toEnd < rec ? toEnd + rec : rec;
        // where the consumer will look for the next record's stamp: right after this one, or at the ring's start when
        // no record fits before the end; that word must be free too, because it is cleared before this record is
        // published (so stale bytes of an earlier lap can never pass for the next stamp, whatever data they held)
        int nextIdx = (int) ((mine + need) & mask);
        int skip = capacity - nextIdx < PREFIX ? capacity - nextIdx : 0;
        long reach = need + skip + STAMP_LENGTH;
        if (mine + reach - cachedHead > capacity) {
            cachedHead = (long) LONGS.getAcquire(meta, HEAD_OFFSET);
            if (mine + reach - cachedHead > capacity) return false;
        }
        long pos = mine;
        if (toEnd < rec) {
            if (toEnd >= PREFIX) {
                data.putInt(idx + STAMP_LENGTH + FrameDescriptor.LENGTH_OFFSET, toEnd - PREFIX);
                data.put(idx + STAMP_LENGTH + FrameDescriptor.TYPE_OFFSET, PAD);
                LONGS.setRelease(data, idx, pos + 1);
            }
            pos += toEnd;
            idx = 0;
        }
        data.position(idx + STAMP_LENGTH);
        h.encode(data);
        if (length > 0) payload.copyOut(payloadOffset, data, length);
        mine = pos + rec;
        data.putLong(skip > 0 ? 0 : nextIdx, 0L); // the next stamp's word: ordered before the publication below
        // volatile, not just release: the store must be ordered before the producer's load of the consumer's waiters
        // word (a store-load pair, as in a futex): else a consumer announcing sleep could miss this record and the
        // producer miss its announcement. x86: one locked instruction per record.
        LONGS.setVolatile(data, idx, pos + 1);
        return true;
    }

    boolean hasBacklog() {
        return false;
    }

    // ------------------------------------------------------------------ consumer

    /** Dispatches every published record; returns the number of frames. */
    int poll(int peer, io.jmpi.transport.FrameHandler handler) {
        int frames = 0;
        while (true) {
            int idx = (int) (mine & mask);
            int toEnd = capacity - idx;
            if (toEnd < PREFIX) { // no record fits before the end: the producer skipped to the start too
                mine += toEnd;
                continue;
            }
            if ((long) LONGS.getAcquire(data, idx) != mine + 1) return frames;
            int hdr = idx + STAMP_LENGTH;
            header.decode(data, hdr);
            int len = header.length;
            if (len < 0 || len > toEnd - PREFIX) {
                throw new MpiException(ErrorClass.PROTOCOL, "shm: corrupt record from rank " + peer + " at " + mine
                        + ": length " + len + " out of range [0, " + (toEnd - PREFIX) + "]");
            }
            if (header.type == PAD) {
                mine += PREFIX + len;
                continue;
            }
            data.limit(hdr + FrameDescriptor.HEADER_LENGTH + len).position(hdr + FrameDescriptor.HEADER_LENGTH);
            // consumed before it is dispatched, so a record whose handling throws is never dispatched again; the
            // producer may reuse its space only once the handler is done reading it (the release in finally)
            mine += align8(PREFIX + len);
            frames++;
            try {
                handler.onFrame(peer, header, data);
            } finally {
                data.limit(capacity);
                LONGS.setRelease(meta, HEAD_OFFSET, mine);
            }
        }
    }
}
