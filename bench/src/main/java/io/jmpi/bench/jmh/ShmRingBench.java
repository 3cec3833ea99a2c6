package io.jmpi.bench.jmh;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.shm.ShmRingProbe;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;
import org.openjdk.jmh.annotations.*;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** One frame through a shared-memory ring (offer + poll on one thread): the ring's own cost per message. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShmRingBench {
    @Param({"8", "4096", "65536"})
    int size;

    private ShmRingProbe ring;
    private ArrayBuf payload;
    private final FrameHeader h = new FrameHeader();
    private long sum;
    private final FrameHandler handler = new FrameHandler() {
        @Override
        public void onFrame(int peer, FrameHeader header, ByteBuffer data) {
            sum += data.get(data.position());
        }

        @Override
        public void onPeerLost(int peer, boolean graceful, String reason) {
        }
    };

    @Setup
    public void setup() {
        ring = new ShmRingProbe(1 << 20);
        payload = ArrayBuf.of(new byte[size], 0, size);
    }

    @Benchmark
    public long offerPoll() {
        h.set(FrameDescriptor.EAGER, (byte) 1, (short) 0, 0, 0, 1, size, 0, 0);
        ring.offer(h, payload, size);
        ring.poll(handler);
        return sum;
    }
}
