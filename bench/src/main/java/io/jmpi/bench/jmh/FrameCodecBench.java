package io.jmpi.bench.jmh;

import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;
import org.openjdk.jmh.annotations.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/** Encoding and decoding one 40-byte frame header into a direct buffer (the per-message fixed cost). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {
    private final ByteBuffer buf = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
    private final FrameHeader out = new FrameHeader();
    private final FrameHeader in = new FrameHeader();
    private int tag;

    @Benchmark
    public long encodeDecode() {
        buf.clear();
        out.set(FrameDescriptor.EAGER, (byte) 7, (short) 0, 4, 1, tag++, 8, 0, 0);
        out.encode(buf);
        in.decode(buf, 0);
        return in.tag + in.length;
    }
}
