package io.jmpi.mpj;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport's frame arrays: big enough, little-endian, reused by size class (no MPJ Express needed). */
class FramePoolTest {
    @Test
    void buffersFitAndAreReused() {
        int max = MpjTransport.DEFAULT_MAX_FRAME;
        MpjTransport.FramePool pool = new MpjTransport.FramePool(max);
        for (int n : new int[] {40, 41, 64, 65, 1000, 4096, 65_576, 65_536 + 40, max - 1, max}) {
            ByteBuffer b = pool.take(n);
            assertTrue(b.capacity() >= n, n + " -> " + b.capacity());
            assertTrue(b.capacity() <= max || b.capacity() == n, n + " -> " + b.capacity());
            assertEquals(0, b.position());
            assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
            b.putInt(7);
            pool.give(b);
            ByteBuffer again = pool.take(n);
            assertSame(b, again, "size " + n + " not reused");
            assertEquals(0, again.position());
            pool.give(again);
        }
        // the largest class (cut to max, not a power of two) serves the largest frames
        ByteBuffer big = pool.take(max);
        assertEquals(max, big.capacity());
        pool.give(big);
        assertSame(big, pool.take(max - 100));
    }
}
