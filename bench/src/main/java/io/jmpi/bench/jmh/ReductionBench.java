package io.jmpi.bench.jmh;

import io.jmpi.Op;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The reduction kernels of reduce/allreduce/scan ({@code Op.reduceLocal}, the same code the collectives run on each
 * received block): built-in SUM and MAX on doubles and longs, and a user operation (a lambda), per element count.
 * Report as ns per operation; divide by {@code count} for ns per element.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReductionBench {
    @Param({"1", "1024", "65536"})
    int count;

    private double[] din, dio;
    private long[] lin, lio;
    private final Op userSum = Op.of((double a, double b) -> a + b, true);

    @Setup
    public void setup() {
        din = new double[count];
        dio = new double[count];
        lin = new long[count];
        lio = new long[count];
        for (int i = 0; i < count; i++) {
            din[i] = i * 0.5;
            lin[i] = i;
        }
    }

    @Benchmark
    public double sumDoubles() {
        Op.SUM.reduceLocal(din, dio);
        return dio[0];
    }

    @Benchmark
    public double maxDoubles() {
        Op.MAX.reduceLocal(din, dio);
        return dio[0];
    }

    @Benchmark
    public long sumLongs() {
        Op.SUM.reduceLocal(lin, lio);
        return lio[0];
    }

    @Benchmark
    public double userLambdaSumDoubles() {
        userSum.reduceLocal(din, dio);
        return dio[0];
    }
}
