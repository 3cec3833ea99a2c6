package io.jmpi.bench.jmh;

import io.jmpi.engine.MatchingProbe;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/** Matching cost against the depth of the posted-receive queue (receives outstanding ahead of the match). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MatchingBench {
    @Param({"0", "16", "256"})
    int depth;

    private MatchingProbe probe;

    @Setup
    public void setup() {
        probe = new MatchingProbe(depth);
    }

    @Benchmark
    public int postedMatch() {
        return probe.arriveAndMatch();
    }

    @Benchmark
    public int unexpectedMatch() {
        return probe.postAndFindUnexpected();
    }
}
