package io.jmpi.launch.testapps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.base.Platform;

/**
 * A rank program for {@code PortableLauncherIT} (issue 22: the paths Windows and macOS take). After {@code Mpi.init}
 * every rank prints {@code portable R of N host HOST shmDir DIR}, then as its arguments say:
 * <pre>
 *   ring ROUNDS       ROUNDS tokens around the ring and an allreduce of the ranks; every rank prints
 *                     "rank R rounds K sum S" (K: tokens it passed on, S: the allreduce's result); exit 0
 *   exit RANK CODE    rank RANK halts with CODE; the others wait in a receive from it
 *   sleep             every rank sleeps until stopped
 * </pre>
 */
public final class PortableApp {
    private PortableApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "ring";
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int rank = w.rank();
            System.out.println("portable " + rank + " of " + w.size() + " host " + mpi.processorName() + " shmDir "
                    + Platform.shmDir(mpi.config()));
            System.out.flush();
            switch (mode) {
                case "ring" -> ring(w, Integer.parseInt(args[1]));
                case "exit" -> {
                    int failer = Integer.parseInt(args[1]);
                    if (rank == failer) Runtime.getRuntime().halt(Integer.parseInt(args[2]));
                    w.recv(new long[1], failer, 9);
                }
                case "sleep" -> Thread.sleep(Long.MAX_VALUE); // under test: the launcher must end ranks that never finish
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
    }

    private static void ring(Comm w, int rounds) {
        int next = (w.rank() + 1) % w.size();
        int prev = (w.rank() + w.size() - 1) % w.size();
        long[] token = new long[1];
        int passed = 0;
        for (int r = 0; r < rounds; r++) {
            if (w.rank() == 0) {
                token[0] = r;
                w.send(token, next, 1);
                w.recv(token, prev, 1);
                if (token[0] != r + w.size() - 1L) throw new IllegalStateException("round " + r + ": token " + token[0]);
            } else {
                w.recv(token, prev, 1);
                token[0]++;
                w.send(token, next, 1);
            }
            passed++;
        }
        long[] sum = new long[1];
        w.allreduce(new long[] {w.rank()}, sum, Op.SUM);
        System.out.println("rank " + w.rank() + " rounds " + passed + " sum " + sum[0]);
    }
}
