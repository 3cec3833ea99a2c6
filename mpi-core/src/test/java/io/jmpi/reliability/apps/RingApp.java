package io.jmpi.reliability.apps;

import io.jmpi.Comm;
import io.jmpi.Mpi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A verified workload that runs until told to stop, for tests that disturb a live job (fuzzers). Each lap passes a
 * token around the ring (every rank adds {@code (rank + 1) * lap}) and a {@code --big} byte message (rendezvous
 * size by default) that every rank checks against its expected contents before forwarding it. Rank 0 stops after
 * the lap in which the file {@code --stop-file} exists (or after {@code --max-laps}), and prints
 * {@code ring ok laps=N}; any wrong value prints {@code ring wrong ...} and exits 1. Every rank prints
 * {@code ready RANK PID} once initialised.
 */
public final class RingApp {
    public static void main(String[] args) {
        var o = SoakApp.options(args);
        Path stop = o.containsKey("stop-file") ? Path.of(o.get("stop-file")) : null;
        int big = Integer.parseInt(o.getOrDefault("big", "300000"));
        long maxLaps = Long.parseLong(o.getOrDefault("max-laps", "1000000"));
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size(), me = w.rank(), next = (me + 1) % n, prev = (me + n - 1) % n;
            System.out.println("ready " + me + " " + ProcessHandle.current().pid());
            System.out.flush();
            long[] token = new long[3];
            byte[] msg = new byte[big];
            byte[] want = new byte[big];
            long lap = 0;
            while (true) {
                lap++;
                new SplittableRandom(lap).nextBytes(want);
                if (me == 0) {
                    token[0] = lap;
                    token[1] = lap; // rank 0's own (0 + 1) * lap
                    token[2] = (stop != null && Files.exists(stop)) || lap >= maxLaps ? 1 : 0;
                    w.send(token, next, 1);
                    w.send(want, next, 2);
                    w.recv(token, prev, 1);
                    w.recv(msg, prev, 2);
                    long expect = lap * n * (n + 1L) / 2;
                    if (token[0] != lap || token[1] != expect || !Arrays.equals(msg, want)) {
                        System.out.println("ring wrong at lap " + lap + ": token " + Arrays.toString(token) + ", expected sum " + expect);
                        System.exit(1);
                    }
                } else {
                    w.recv(token, prev, 1);
                    w.recv(msg, prev, 2);
                    if (token[0] != lap || !Arrays.equals(msg, want)) {
                        System.out.println("ring wrong at rank " + me + " lap " + lap + ": token " + Arrays.toString(token));
                        System.exit(1);
                    }
                    token[1] += (me + 1L) * lap;
                    w.send(token, next, 1);
                    w.send(msg, next, 2);
                }
                if (token[2] == 1) break;
            }
            if (me == 0) System.out.println("ring ok laps=" + lap);
        }
    }
}
