package io.jmpi.launch.testapps;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * Programs that hang on purpose, for the launcher's hang diagnosis. Modes:
 * <ul>
 *   <li>{@code recv-first}: the classic deadlock: ranks 0 and 1 both receive from each other (tag 7) before sending;
 *       the other ranks wait in a barrier;</li>
 *   <li>{@code barrier}: rank 2 waits for a message from rank 3 with tag 7 that is never sent, rank 3 waits in a
 *       barrier (as do all others);</li>
 *   <li>{@code compute}: rank 1 computes (sleeps) outside jmpi, the others wait for it in a barrier.</li>
 * </ul>
 * Each rank prints {@code ready R} just before it blocks.
 */
public final class HangApp {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int me = w.rank();
            double[] buf = new double[1];
            System.out.println("ready " + me);
            System.out.flush();
            switch (mode) {
                case "recv-first":
                    if (me < 2) {
                        w.recv(buf, 1 - me, 7);
                        w.send(buf, 1 - me, 7);
                    }
                    w.barrier();
                    break;
                case "barrier":
                    if (me == 2) w.recv(buf, 3, 7);
                    w.barrier();
                    break;
                case "compute":
                    if (me == 1) Thread.sleep(600_000); // under test: computing, away from MPI, is no hang in jmpi
                    w.barrier();
                    break;
                default:
                    throw new IllegalArgumentException(mode);
            }
        }
    }
}
