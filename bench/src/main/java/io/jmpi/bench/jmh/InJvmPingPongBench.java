package io.jmpi.bench.jmh;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.runtime.ThreadJob;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * Ping-pong between two ranks that are threads of this JVM: the JMH thread is rank 0, a partner thread echoes.
 * Measures the engine's full path (matching, eager/rendezvous, progress) without any socket. Run with
 * {@code -prof gc} to see allocation per round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InJvmPingPongBench {
    @Param({"8", "65536", "1048576"})
    int size;

    private Mpi rank0;
    private Comm world;
    private Thread partner;
    private byte[] buf;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        ThreadJob fabric = ThreadJob.create(2);
        buf = new byte[size];
        partner = new Thread(() -> {
            try (Mpi m = Mpi.initThread(fabric, 1)) {
                Comm w = m.world();
                byte[] b = new byte[size];
                while (true) {
                    io.jmpi.Status s = w.recv(b, 0, Mpi.ANY_TAG);
                    if (s.tag() == 1) break;
                    w.send(b, 0, 0);
                }
            }
        }, "echo");
        partner.start();
        rank0 = Mpi.initThread(fabric, 0);
        world = rank0.world();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        world.send(buf, 1, 1);
        partner.join();
        rank0.close();
    }

    @Benchmark
    public int roundTrip() {
        world.send(buf, 1, 0);
        return world.recv(buf, 1, 0).count();
    }
}
