package io.jmpi.launch.testapps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Request;
import io.jmpi.bootstrap.HostIdentity;

import java.lang.reflect.Method;

/**
 * A rank program for the cluster launch tests, on the real engine. Every mode starts with {@code Mpi.init} and prints
 * {@code ready R of N on HOST host-id ID pid P} (HOST is the UTS host name, {@code Mpi.processorName}). Modes:
 * <pre>
 *   ringonly       the token around the ring only (each rank talks to its two neighbours: ScaleIT)
 *   ring           a token around the ring, then every rank exchanges a value with every other rank (all pairs
 *                  cross hosts); rank 0 prints "ring ok", every rank "pairs ok R"; then, when the API has them
 *                  (Comm.barrier, Comm.allreduce(long[], long[], Op)), a barrier and an allreduce of the ranks
 *                  ("allreduce ok R" or "collectives unavailable"); exit 0
 *   fail R CODE    rank R prints "failing at MILLIS" and halts with CODE; the others wait in a receive from R
 *   sleep          every rank sleeps until killed
 * </pre>
 */
public final class ClusterApp {
    private ClusterApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "ring";
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int rank = w.rank();
            int size = w.size();
            System.out.println("ready " + rank + " of " + size + " on " + mpi.processorName() + " host-id "
                    + HostIdentity.hostId() + " pid " + ProcessHandle.current().pid());
            System.out.flush();
            switch (mode) {
                case "ring":
                    ring(w);
                    pairs(w);
                    collectives(w);
                    break;
                case "ringonly": // the token around the ring only: each rank talks to two peers (ScaleIT)
                    ring(w);
                    break;
                case "fail":
                    int failer = Integer.parseInt(args[1]);
                    if (rank == failer) {
                        // the others are on their way into the receive below (it fails at once if posted later)
                        for (int k = 1; k < size; k++) w.recv(new long[1], Mpi.ANY_SOURCE, 8);
                        System.out.println("failing at " + System.currentTimeMillis());
                        System.out.flush();
                        Runtime.getRuntime().halt(Integer.parseInt(args[2]));
                    }
                    w.send(new long[1], failer, 8);
                    w.recv(new long[1], failer, 9);
                    break;
                case "sleep":
                    Thread.sleep(Long.MAX_VALUE); // under test: the launcher must end ranks that never finish
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }

    /** A token around the ring; rank 0 prints {@code ring ok} (also EngineApp's ring). */
    static void ring(Comm w) {
        long[] token = {0};
        int next = (w.rank() + 1) % w.size();
        int prev = (w.rank() + w.size() - 1) % w.size();
        if (w.rank() == 0) {
            token[0] = 1;
            w.send(token, next, 0);
            w.recv(token, prev, 0);
            System.out.println(token[0] == w.size() ? "ring ok" : "ring wrong " + token[0]);
        } else {
            w.recv(token, prev, 0);
            token[0]++;
            w.send(token, next, 0);
        }
    }

    /** Every pair of ranks exchanges a small and a large (rendezvous) message. */
    private static void pairs(Comm w) {
        int r = w.rank();
        int n = w.size();
        boolean ok = true;
        for (int k = 1; k < n; k++) {
            int dest = (r + k) % n;
            int src = (r - k + n) % n;
            long[] out = new long[100_000];
            java.util.Arrays.fill(out, r * 1000L + dest);
            long[] in = new long[100_000];
            Request rq = w.irecv(in, src, 1);
            w.send(out, dest, 1);
            rq.await();
            for (long v : in) ok &= v == src * 1000L + r;
        }
        System.out.println((ok ? "pairs ok " : "pairs wrong ") + r);
    }

    private static void collectives(Comm w) throws Exception {
        Method barrier;
        Method allreduce;
        Object sum;
        try {
            barrier = w.getClass().getMethod("barrier");
            Class<?> op = Class.forName("io.jmpi.Op");
            sum = op.getField("SUM").get(null);
            allreduce = w.getClass().getMethod("allreduce", long[].class, long[].class, op);
        } catch (ReflectiveOperationException e) {
            if (w.rank() == 0) System.out.println("collectives unavailable: " + e);
            return;
        }
        barrier.invoke(w);
        long[] in = {w.rank()};
        long[] out = new long[1];
        allreduce.invoke(w, in, out, sum);
        long want = (long) w.size() * (w.size() - 1) / 2;
        System.out.println((out[0] == want ? "allreduce ok " : "allreduce wrong " + out[0] + " ") + w.rank());
    }
}
