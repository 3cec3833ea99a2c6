package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.Config;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.wire.HandshakeDescriptor;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * Test harness: runs a job of n ranks as threads of this JVM over a chosen transport. "local" uses the in-JVM
 * transport; "tcp" gives every rank its own engine and real loopback sockets, bootstrapped in memory; "shm" the
 * same with shared-memory rings between the ranks (all on this host) and TCP only watching liveness.
 */
public final class Jobs {
    private Jobs() {
    }

    public static void run(String transport, int n, Mpi.RankMain body) {
        run(transport, n, Map.of(), body);
    }

    public static void run(String transport, int n, Map<String, String> env, Mpi.RankMain body) {
        switch (transport) {
            case "local": Mpi.runThreads(n, body); return;
            case "tcp":
            case "shm":
            case "auto": {
                Map<String, String> e = new java.util.HashMap<>(env);
                e.put("JMPI_TRANSPORT", transport);
                runTcp(n, e, body);
                return;
            }
            default: throw new IllegalArgumentException(transport);
        }
    }

    static void runTcp(int n, Map<String, String> env, Mpi.RankMain body) {
        Config config = Config.of(env);
        long job = HandshakeDescriptor.newJobId();
        byte[] secret = HandshakeDescriptor.newSecret();
        Endpoint[] table = new Endpoint[n];
        CyclicBarrier barrier = new CyclicBarrier(n);
        Mpi[] ranks = new Mpi[n];
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread[] threads = new Thread[n];
        for (int r = 0; r < n; r++) {
            final int rank = r;
            threads[r] = new Thread(() -> {
                Bootstrap b = new MemoryBootstrap(rank, n, job, secret, table, barrier);
                try (Mpi mpi = Mpi.init(b, config)) {
                    ranks[rank] = mpi;
                    body.run(mpi);
                } catch (Throwable t) {
                    if (first.compareAndSet(null, t)) {
                        for (Mpi m : ranks) {
                            if (m != null) m.abortLocally(new MpiException(ErrorClass.PROC_FAILED, "rank " + rank + " failed: " + t, t));
                        }
                    }
                }
            }, "tcp-rank-" + r);
            threads[r].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
        }
        Throwable t = first.get();
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        if (t != null) throw new RuntimeException(t);
    }

    /**
     * Exchanges endpoints through a shared array and a barrier; a test may rewrite the table each rank gets (to point
     * a rank at a proxy, say).
     */
    public static final class MemoryBootstrap implements Bootstrap {
        private final int rank, size;
        private final long job;
        private final byte[] secret;
        private final Endpoint[] table;
        private final CyclicBarrier barrier;
        private final BiFunction<Integer, Endpoint[], Endpoint[]> rewrite;

        public MemoryBootstrap(int rank, int size, long job, byte[] secret, Endpoint[] table, CyclicBarrier barrier) {
            this(rank, size, job, secret, table, barrier, null);
        }

        /** {@code rewrite} (rank, table) gives the table that rank sees; null: the table as exchanged. */
        public MemoryBootstrap(int rank, int size, long job, byte[] secret, Endpoint[] table, CyclicBarrier barrier,
                               BiFunction<Integer, Endpoint[], Endpoint[]> rewrite) {
            this.rank = rank;
            this.size = size;
            this.job = job;
            this.secret = secret;
            this.table = table;
            this.barrier = barrier;
            this.rewrite = rewrite;
        }

        @Override public int rank() { return rank; }
        @Override public int size() { return size; }
        @Override public long jobId() { return job; }
        @Override public byte[] secret() { return secret; }

        @Override
        public InetAddress advertiseAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public Endpoint[] exchange(Endpoint mine) {
            table[rank] = mine;
            try {
                barrier.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new MpiException(ErrorClass.IO, "exchange failed", e);
            }
            Endpoint[] t = table.clone();
            return rewrite == null ? t : rewrite.apply(rank, t);
        }

        @Override public void reportFailure(String reason) { }
        @Override public void abort(int code, String reason) { throw new MpiException(ErrorClass.ABORTED, reason); }
        @Override public void close() { }
    }
}
