package io.jmpi.bench.jmh;

import io.jmpi.ObjectCodec;
import org.openjdk.jmh.annotations.*;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The object tier's default codec (Java serialization, {@link ObjectCodec#JAVA}): encode and decode of a small record,
 * a map of 1000 entries, and a 1 MiB double array, the three shapes programs send with sendObject/bcastObject.
 * Run with {@code -prof gc} to see the bytes allocated per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObjectCodecBench {
    /** A small message: a few fields, as a work item or a parameter set. */
    public record Particle(int id, double x, double y, double z, String tag) implements Serializable {
    }

    @Param({"record", "map1000", "doubles1MiB"})
    String shape;

    private Object value;
    private byte[] encoded;

    @Setup
    public void setup() {
        switch (shape) {
            case "record" -> value = new Particle(7, 1.5, -2.25, 3.0, "p7");
            case "map1000" -> {
                Map<String, List<Integer>> m = new HashMap<>();
                for (int i = 0; i < 1000; i++) m.put("word" + i, new ArrayList<>(List.of(i, i + 1)));
                value = m;
            }
            default -> value = new double[128 * 1024];
        }
        encoded = ObjectCodec.JAVA.encode(value);
    }

    @Benchmark
    public byte[] encode() {
        return ObjectCodec.JAVA.encode(value);
    }

    @Benchmark
    public Object decode() {
        return ObjectCodec.JAVA.decode(encoded);
    }
}
