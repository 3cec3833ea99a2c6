package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The arithmetic of messages beyond 2^31 bytes (rendezvous sizes, DATA offsets, status counts, truncation, sends to
 * self), without allocating them: {@link PatternBuf} is a buffer of longs that writes a pattern on the way out and
 * checks it on the way in, holding nothing. The real thing (2.5 GiB arrays between JVMs over tcp and shm) is
 * {@code LargeMessageIT}.
 */
@Timeout(120)
class LargeMessageTest {
    /** 2^31 + 1 MiB of longs: every offset past the first 2 GiB overflows an int. */
    static final int ELEMENTS = (int) (((1L << 31) + (1 << 20)) / 8);

    /** {@code count} longs whose element i is {@code i * 31 + 7}; receiving checks each. */
    static final class PatternBuf extends Buf {
        final int count;
        final AtomicLong checked = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();
        volatile long highestEnd;

        PatternBuf(int count) {
            this.count = count;
        }

        static long value(long i) {
            return i * 31 + 7;
        }

        @Override public DataType type() { return DataType.LONG; }
        @Override public int count() { return count; }

        @Override
        public void copyOut(long off, ByteBuffer dst, int len) {
            ByteBuffer d = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int pos = dst.position();
            long first = off / 8;
            for (int k = 0; k < len / 8; k++) d.putLong(pos + 8 * k, value(first + k));
            dst.position(pos + len);
        }

        @Override
        public void copyIn(long off, ByteBuffer src, int len) {
            ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int pos = src.position();
            long first = off / 8;
            long bad = 0;
            for (int k = 0; k < len / 8; k++) if (s.getLong(pos + 8 * k) != value(first + k)) bad++;
            wrong.addAndGet(bad);
            checked.addAndGet(len);
            highestEnd = Math.max(highestEnd, off + len);
            src.position(pos + len);
        }
    }

    @Test
    void statusArithmeticBeyondTwoGiB() {
        Status s = new Status(1, 2, 8L * Integer.MAX_VALUE, 8, false);
        assertEquals(Integer.MAX_VALUE, s.count());
        assertEquals(8L * Integer.MAX_VALUE, s.bytes());
        assertEquals(Integer.MAX_VALUE, s.count(Datatype.LONG));
        assertEquals(8L * Integer.MAX_VALUE, new PatternBuf(Integer.MAX_VALUE).byteLength());
    }

    @Test
    void rendezvousBeyondTwoGiBOverTheInJvmTransport() {
        long bytes = 8L * ELEMENTS;
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.send("send", new PatternBuf(ELEMENTS), 1, 3, false);
                // a receive too small by 1 MiB: truncated, and nothing written past its end
                w.send("send", new PatternBuf(ELEMENTS), 1, 4, false);
            } else {
                PatternBuf in = new PatternBuf(ELEMENTS);
                Status s = w.recv("recv", in, 0, 3);
                assertEquals(bytes, s.bytes());
                assertEquals(ELEMENTS, s.count());
                assertEquals(bytes, in.checked.get());
                assertEquals(0, in.wrong.get());

                PatternBuf small = new PatternBuf(ELEMENTS - (1 << 17));
                MpiException e = assertThrows(MpiException.class, () -> w.recv("recv", small, 0, 4));
                assertEquals(ErrorClass.TRUNCATE, e.errorClass());
                assertEquals("recv: message truncated: " + ELEMENTS + " elements (" + bytes + " bytes) from rank 0 tag 4"
                        + " do not fit a receive buffer of " + (ELEMENTS - (1 << 17)) + " elements ("
                        + (bytes - (1 << 20)) + " bytes)", e.getMessage());
                assertEquals(bytes - (1 << 20), small.highestEnd);
                assertEquals(0, small.wrong.get());
            }
        });
    }

    @Test
    void sendToSelfBeyondTwoGiB() {
        Mpi.runThreads(1, mpi -> {
            Comm w = mpi.world();
            MpiException e = assertThrows(MpiException.class, () -> w.send("send", new PatternBuf(ELEMENTS), 0, 1, false));
            assertEquals(ErrorClass.BUFFER, e.errorClass());
            assertEquals("send: a send to self of " + 8L * ELEMENTS + " bytes (more than 2147483639, the largest byte[] to"
                    + " hold it) needs its receive posted first (irecv, then send)", e.getMessage());
            PatternBuf in = new PatternBuf(ELEMENTS);
            Request r = w.irecv("irecv", in, 0, 1);
            w.send("send", new PatternBuf(ELEMENTS), 0, 1, false);
            assertEquals(8L * ELEMENTS, r.await().bytes());
            assertEquals(8L * ELEMENTS, in.checked.get());
            assertEquals(0, in.wrong.get());
        });
    }

    /** A stream of longs whose element k is {@code periodic(k)}, generated on the way out and checked on the way in. */
    static final class PeriodicBuf extends Buf {
        static final int PERIOD = 1 << 16;
        final int count;
        final AtomicLong checked = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();

        PeriodicBuf(int count) {
            this.count = count;
        }

        /** Element j of type element e: what a type repeating the same {@code PERIOD} longs carries, plus e. */
        static long periodic(long k) {
            return (k % PERIOD) * 31 + 7 + k / PERIOD;
        }

        @Override public DataType type() { return DataType.LONG; }
        @Override public int count() { return count; }

        @Override
        public void copyOut(long off, ByteBuffer dst, int len) {
            ByteBuffer d = dst.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int pos = dst.position();
            for (int k = 0; k < len / 8; k++) d.putLong(pos + 8 * k, periodic(off / 8 + k));
            dst.position(pos + len);
        }

        @Override
        public void copyIn(long off, ByteBuffer src, int len) {
            ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int pos = src.position();
            long bad = 0;
            // the sender's type repeats one array, so element e carries the same values for every e
            for (int k = 0; k < len / 8; k++) if (s.getLong(pos + 8 * k) != periodic((off / 8 + k) % PERIOD)) bad++;
            wrong.addAndGet(bad);
            checked.addAndGet(len);
            src.position(pos + len);
        }
    }

    /**
     * A derived datatype message of more than 2 GiB needs no 2 GiB array: a type of extent 0 over 64 Ki longs
     * (512 KiB) repeats them, so 4097 elements are a 2 GiB + 512 KiB stream whose byte offsets pass 2^31. The send
     * gathers it from the array through {@code LayoutBuf} (checked element by element by the receiver); the receive
     * scatters such a stream into the same kind of type, whose last element must end up whole in the array.
     * Collectives stop at 2^31 primitive elements per block, with a clear error.
     */
    @Test
    void derivedDatatypeMessagesBeyondTwoGiB() {
        int p = PeriodicBuf.PERIOD, items = (int) ((1L << 31) / (8L * p)) + 1;
        long bytes = 8L * p * items;
        Datatype repeated = Datatype.resized(Datatype.contiguous(p, Datatype.LONG), 0, 0).commit();
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            long[] storage = new long[p];
            // collectives keep a cap of 2^31 units per block (their blocks count ints): 2049 x 1 MiB of bytes passes it
            Datatype mib = Datatype.resized(Datatype.contiguous(1 << 20, Datatype.BYTE), 0, 0).commit();
            MpiException e = assertThrows(MpiException.class, () -> w.bcast(new byte[1 << 20], 0, 2049, mib, 0));
            assertEquals(ErrorClass.ARG, e.errorClass());
            assertTrue(e.getMessage().startsWith("bcast: count=2049 x 1048576 byte elements of "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" exceeds 2147483647 per rank's block (collectives with a derived datatype;"
                    + " point-to-point has no such limit)"), e.getMessage());
            if (w.rank() == 0) {
                for (int j = 0; j < p; j++) storage[j] = PeriodicBuf.periodic(j);
                w.send(storage, 0, items, repeated, 1, 5);
                Status s = w.recv(storage, 0, items, repeated, 1, 6);
                assertEquals(bytes, s.bytes());
                assertEquals(items, s.count(repeated));
                assertEquals((long) p * items, s.elements(repeated));
                for (int j = 0; j < p; j++) {
                    if (storage[j] != PeriodicBuf.periodic((long) (items - 1) * p + j)) {
                        fail("element " + j + " of the last item: " + storage[j]);
                    }
                }
            } else {
                PeriodicBuf in = new PeriodicBuf(p * items);
                Status s = w.recv("recv", in, 0, 5);
                assertEquals(bytes, s.bytes());
                assertEquals(bytes, in.checked.get());
                assertEquals(0, in.wrong.get());
                w.send("send", new PeriodicBuf(p * items), 0, 6, false);
            }
        });
    }
}
