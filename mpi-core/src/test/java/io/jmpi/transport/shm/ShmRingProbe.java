package io.jmpi.transport.shm;

import io.jmpi.buffer.Buf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;

/**
 * A ring over private direct memory with both ends in hand, for benchmarks and stress tests of the ring itself.
 * A test source in the ring's package (it reaches package-private classes), shipped to bench/'s ShmRingBench in
 * mpi-core's test-jar, so the library's main jar carries no benchmark code.
 */
public final class ShmRingProbe {
    private final ShmRing producer;
    private final ShmRing consumer;

    public ShmRingProbe(int capacity) {
        ByteBuffer b = ByteBuffer.allocateDirect(ShmSegmentDescriptor.RING_META + capacity);
        producer = new ShmRing(b, 0, capacity, true);
        consumer = new ShmRing(b, 0, capacity, false);
    }

    public boolean offer(FrameHeader h, Buf payload, int length) {
        return producer.offer(h, payload, 0, length);
    }

    public int poll(FrameHandler handler) {
        return consumer.poll(0, handler);
    }
}
