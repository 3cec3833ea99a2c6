package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The buffer attached for buffered sends ({@code MPI_Buffer_attach}), one per rank, and a first-fit allocator over
 * it. A buffered send copies its message into a block of {@code bytes + BSEND_OVERHEAD} (rounded up to 8) and sends
 * from there; the block is given back when the engine completes that send (eager: copied into the link at once;
 * rendezvous: once the receiver has taken the data), as MPI reclaims space when the send completes.
 *
 * <p>Why the overhead: MPI programs size their buffer as the sum of (message + {@code MPI_BSEND_OVERHEAD}); keeping
 * 64 bytes per block leaves room for alignment and keeps such programs correct here. The block map is a TreeMap:
 * buffered sends copy their whole message anyway, so the allocator is not the cost that matters.
 */
final class BsendBuffer {
    static final int OVERHEAD = 64;

    private ByteBuffer buffer;
    /** Allocated blocks: offset -> length. */
    private final TreeMap<Integer, Integer> blocks = new TreeMap<>();
    private int used;

    synchronized void attach(ByteBuffer b) {
        if (b == null) throw new MpiException(ErrorClass.BUFFER, "bufferAttach: buffer is null");
        if (buffer != null) {
            throw new MpiException(ErrorClass.STATE, "bufferAttach: a buffer of " + buffer.capacity()
                    + " bytes is already attached (bufferDetach first)");
        }
        buffer = b.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Waits until every buffered send has completed, driving progress, then detaches; returns the buffer. */
    ByteBuffer detach(Engine engine) {
        int step = 0;
        while (true) {
            synchronized (this) {
                if (buffer == null) throw new MpiException(ErrorClass.STATE, "bufferDetach: no buffer is attached");
                if (blocks.isEmpty()) {
                    ByteBuffer b = buffer;
                    buffer = null;
                    return b;
                }
            }
            if (engine.progress() > 0) step = 0;
            else step = engine.idle(step);
        }
    }

    /** Copies the message into a new block; returns a send buffer over it whose {@code offset} frees it. */
    synchronized Region copyIn(String call, Buf message) {
        long bytes = message.byteLength();
        if (buffer == null) {
            throw new MpiException(ErrorClass.BUFFER, call + ": no buffer is attached for buffered sends: attach one "
                    + "with Mpi.bufferAttach (needs " + (bytes + OVERHEAD) + " bytes for this message)");
        }
        long need = (bytes + OVERHEAD + 7) & ~7L;
        int at = firstFit(need);
        if (at < 0) {
            throw new MpiException(ErrorClass.BUFFER, call + ": attached buffer too small: message of " + bytes
                    + " bytes needs " + need + " bytes (with BSEND_OVERHEAD=" + OVERHEAD + "), but only "
                    + (buffer.capacity() - used) + " of " + buffer.capacity() + " bytes are free (largest free block "
                    + largestFree() + " bytes)");
        }
        blocks.put(at, (int) need);
        used += (int) need;
        ByteBuffer region = buffer.slice(at + OVERHEAD, (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        message.copyOut(0, region, (int) bytes);
        region.clear();
        return new Region(this, at, message.type(), region, (int) bytes);
    }

    synchronized void release(int offset) {
        Integer len = blocks.remove(offset);
        if (len != null) used -= len;
    }

    /** Bytes held by buffered sends not yet complete (tests). */
    synchronized int used() {
        return used;
    }

    private int firstFit(long need) {
        long cursor = 0;
        for (Map.Entry<Integer, Integer> e : blocks.entrySet()) {
            if (e.getKey() - cursor >= need) return (int) cursor;
            cursor = e.getKey() + e.getValue();
        }
        return buffer.capacity() - cursor >= need ? (int) cursor : -1;
    }

    private long largestFree() {
        long best = 0, cursor = 0;
        for (Map.Entry<Integer, Integer> e : blocks.entrySet()) {
            best = Math.max(best, e.getKey() - cursor);
            cursor = e.getKey() + e.getValue();
        }
        return Math.max(best, buffer.capacity() - cursor);
    }

    /** A message copied into the attached buffer, typed as the original, sent from there. */
    static final class Region extends Buf {
        final BsendBuffer owner;
        final int offset;
        private final DataType type;
        private final ByteBuffer bytes;
        private final int length;

        Region(BsendBuffer owner, int offset, DataType type, ByteBuffer bytes, int length) {
            this.owner = owner;
            this.offset = offset;
            this.type = type;
            this.bytes = bytes;
            this.length = length;
        }

        /** Gives the block back (the send completed). */
        void release() {
            owner.release(offset);
        }

        @Override public DataType type() { return type; }
        @Override public int count() { return length / type.size; }
        @Override public long byteLength() { return length; }

        @Override
        public void copyOut(long off, ByteBuffer dst, int len) {
            int pos = dst.position();
            dst.put(pos, bytes, (int) off, len);
            dst.position(pos + len);
        }

        @Override
        public void copyIn(long off, ByteBuffer src, int len) {
            throw new IllegalStateException("a buffered-send region is never received into");
        }
    }
}
