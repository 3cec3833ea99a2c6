package modapp;

import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.transport.TransportProvider;
import io.jmpi.wire.HandshakeDescriptor;

import java.net.InetAddress;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * Uses jmpi from a named module: lists the transports io.jmpi provides, runs a job of one rank (no launcher), then
 * two process-style ranks (threads here, each with its own engine and transports, found through io.jmpi's
 * {@code uses}/{@code provides}). Prints one line per check; ModulePathIT asserts them.
 */
public final class Main {
    public static void main(String[] args) throws Exception {
        System.out.println("jmpi module: " + Mpi.class.getModule().getName());
        TreeSet<String> transports = new TreeSet<>();
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) transports.add(p.name());
        System.out.println("transports: " + transports);
        try (Mpi mpi = Mpi.init(args)) {
            int[] v = {41 + mpi.rank()};
            mpi.world().allreduce(v, Op.SUM);
            System.out.println("singleton: size=" + mpi.size() + " sum=" + v[0]);
        }

        Config config = Config.of(Map.of("JMPI_TRANSPORT", "auto"));
        long job = HandshakeDescriptor.newJobId();
        byte[] secret = HandshakeDescriptor.newSecret();
        Endpoint[] table = new Endpoint[2];
        CyclicBarrier barrier = new CyclicBarrier(2);
        int[] sums = new int[2];
        Throwable[] failed = new Throwable[2];
        Thread[] ranks = new Thread[2];
        for (int r = 0; r < 2; r++) {
            int rank = r;
            ranks[r] = new Thread(() -> {
                try (Mpi mpi = Mpi.init(new PairBootstrap(rank, job, secret, table, barrier), config)) {
                    int[] v = {10 * (rank + 1)};
                    mpi.world().allreduce(v, Op.SUM);
                    sums[rank] = v[0];
                } catch (Throwable t) {
                    failed[rank] = t;
                }
            });
            ranks[r].start();
        }
        for (Thread t : ranks) {
            t.join(TimeUnit.SECONDS.toMillis(60));
            if (t.isAlive()) throw new AssertionError("rank did not finish in 60 s");
        }
        for (Throwable t : failed) if (t != null) throw new AssertionError("rank failed: " + t, t);
        System.out.println("two ranks: sums=" + sums[0] + "," + sums[1]);
    }

    /** Two ranks in one JVM swap endpoints through a shared array. */
    private record PairBootstrap(int rank, long jobId, byte[] secret, Endpoint[] table, CyclicBarrier barrier)
            implements Bootstrap {
        @Override public int size() { return 2; }
        @Override public InetAddress advertiseAddress() { return InetAddress.getLoopbackAddress(); }

        @Override
        public Endpoint[] exchange(Endpoint mine) {
            table[rank] = mine;
            try {
                barrier.await(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new MpiException(ErrorClass.IO, "exchange failed: " + e, e);
            }
            return table.clone();
        }

        @Override public void reportFailure(String reason) { }
        @Override public void abort(int code, String reason) { throw new MpiException(ErrorClass.ABORTED, reason); }
        @Override public void close() { }
    }
}
