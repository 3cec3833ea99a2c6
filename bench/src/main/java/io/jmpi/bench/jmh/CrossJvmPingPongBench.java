package io.jmpi.bench.jmh;

import io.jmpi.Comm;
import io.jmpi.base.Config;
import io.jmpi.Mpi;
import io.jmpi.Status;
import io.jmpi.wire.HandshakeDescriptor;
import org.openjdk.jmh.annotations.*;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ping-pong between this JVM (rank 0, the JMH fork) and a partner JVM it starts in setup, over shared memory or
 * TCP: the real cross-process path. With {@code -prof gc} it shows rank 0's allocation per round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CrossJvmPingPongBench {
    @Param({"shm", "tcp"})
    String transport;

    @Param({"8", "65536"})
    int size;

    private Process partner;
    private Mpi mpi;
    private Comm world;
    private byte[] buf;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        long job = HandshakeDescriptor.newJobId();
        byte[] secret = HandshakeDescriptor.newSecret();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), Echo.class.getName());
            pb.environment().put("PAIR_PORT", String.valueOf(server.getLocalPort()));
            pb.environment().put("PAIR_JOB", Long.toHexString(job));
            pb.environment().put("PAIR_SECRET", HexFormat.of().formatHex(secret));
            pb.environment().put("PAIR_SIZE", String.valueOf(size));
            pb.environment().put("JMPI_TRANSPORT", transport);
            pb.inheritIO();
            partner = pb.start();
            server.setSoTimeout(30_000);
            Socket s = server.accept();
            mpi = Mpi.init(new PairBootstrap(0, job, secret, s), Config.of(Map.of("JMPI_TRANSPORT", transport)));
        }
        world = mpi.world();
        buf = new byte[size];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        world.send(buf, 1, 1);
        mpi.close();
        if (!partner.waitFor(10, TimeUnit.SECONDS)) partner.destroyForcibly();
    }

    @Benchmark
    public int roundTrip() {
        world.send(buf, 1, 0);
        return world.recv(buf, 1, 0).count();
    }

    /** The partner: echoes every message until one with tag 1 arrives. */
    public static final class Echo {
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(System.getenv("PAIR_PORT"));
            long job = Long.parseUnsignedLong(System.getenv("PAIR_JOB"), 16);
            byte[] secret = HexFormat.of().parseHex(System.getenv("PAIR_SECRET"));
            byte[] b = new byte[Integer.parseInt(System.getenv("PAIR_SIZE"))];
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            try (Mpi m = Mpi.init(new PairBootstrap(1, job, secret, s), Config.fromEnvironment())) {
                Comm w = m.world();
                while (true) {
                    Status st = w.recv(b, 0, Mpi.ANY_TAG);
                    if (st.tag() == 1) break;
                    w.send(b, 0, 0);
                }
            }
        }
    }
}
