package io.jmpi.reliability.apps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Status;

/**
 * One message of more than 2 GiB between two ranks: rank 0 sends a {@code long[]} of {@code --elements} (default
 * 335 544 320, 2.5 GiB) filled with {@code i * 31 + 7}; rank 1 receives it into an array of its own, checks every
 * element and the status, and prints {@code large ok bytes=B count=N send+recv=MS ms} (or {@code large wrong ...}
 * and exits 1). Needs about 2.6 GiB of heap per rank.
 */
public final class LargeMessageApp {
    public static void main(String[] args) {
        var o = SoakApp.options(args);
        int n = Integer.parseInt(o.getOrDefault("elements", "335544320"));
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            long[] a = new long[n];
            if (w.rank() == 0) {
                for (int i = 0; i < n; i++) a[i] = i * 31L + 7;
                w.barrier();
                w.send(a, 1, 5);
            } else if (w.rank() == 1) {
                w.barrier();
                long t0 = System.nanoTime();
                Status s = w.recv(a, 0, 5);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                long bad = 0, firstBad = -1;
                for (int i = 0; i < n; i++) {
                    if (a[i] != i * 31L + 7) {
                        if (bad++ == 0) firstBad = i;
                    }
                }
                if (bad != 0 || s.count() != n || s.bytes() != 8L * n || s.source() != 0 || s.tag() != 5) {
                    System.out.println("large wrong: " + bad + " wrong elements (first at " + firstBad + "), status " + s);
                    System.exit(1);
                }
                System.out.println("large ok bytes=" + s.bytes() + " count=" + s.count() + " send+recv=" + ms + " ms");
            } else {
                w.barrier();
            }
        }
    }
}
