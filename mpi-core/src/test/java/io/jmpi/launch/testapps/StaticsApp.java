package io.jmpi.launch.testapps;

import io.jmpi.Comm;
import io.jmpi.Mpi;

/**
 * A program with per-rank static state, for ThreadRanksIT: each rank increments a static counter 10 times, stores its
 * rank in a static field, and reads both back after a barrier. In a JVM per rank the answer is {@code counter 10} and
 * the rank's own number; ranks as threads of one JVM must give the same (a class loader per rank), not 10 x np and
 * whichever rank wrote last. Its static initialiser
 * runs once per rank too ({@code fresh true}: it saw the fields unwritten).
 * <pre>
 *   (no arguments)         print "rank R counter C myRank M"
 *   exit RANK CODE         then rank RANK calls System.exit(CODE); the others wait in a barrier it never joins
 * </pre>
 */
public final class StaticsApp {
    private static int counter;
    private static int myRank = -1;
    private static final boolean FRESH;

    static {
        FRESH = counter == 0 && myRank == -1;
    }

    private StaticsApp() {
    }

    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            myRank = w.rank();
            for (int i = 0; i < 10; i++) counter++;
            w.barrier();
            System.out.println("rank " + w.rank() + " counter " + counter + " myRank " + myRank + " fresh " + FRESH);
            if (args.length == 3 && args[0].equals("exit")) {
                if (w.rank() == Integer.parseInt(args[1])) System.exit(Integer.parseInt(args[2]));
                w.barrier();
            }
        }
    }
}
