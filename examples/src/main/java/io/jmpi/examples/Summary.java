package io.jmpi.examples;

import io.jmpi.Comm;
import io.jmpi.Op;

/**
 * What every example prints on rank 0 and how it ends:
 * <ul>
 *   <li>{@code <name> result: <value>}: the answer, in a form that can be compared between runs on different
 *       numbers of ranks ({@link #result});</li>
 *   <li>{@code <name> ranks=<n> size=<problem> time=<s>s verified: yes|no}: the one summary line ({@link #report});</li>
 *   <li>exit code 0 when verified, 1 when not ({@link #exitCode}).</li>
 * </ul>
 * The time is the wall time of the parallel kernel, from a barrier before it to the slowest rank's end
 * ({@link #start}, {@link #stop}); start-up, input generation and verification are not in it.
 */
public final class Summary {
    private Summary() {
    }

    /** Synchronises all ranks and returns the start time of a timed region. */
    public static double start(Comm world) {
        world.barrier();
        return world.mpi().wtime();
    }

    /** Seconds since {@code t0} on the slowest rank (an allreduce MAX: every rank gets the same value). */
    public static double stop(Comm world, double t0) {
        double[] t = {world.mpi().wtime() - t0};
        world.allreduce(t, Op.MAX);
        return t[0];
    }

    /** Whether every rank's {@code ok} is true (an allreduce LAND: every rank gets the same answer). */
    public static boolean all(Comm world, boolean ok) {
        boolean[] b = {ok};
        world.allreduce(b, Op.LAND);
        return b[0];
    }

    /** Prints {@code <name> result: <text>} on rank 0. */
    public static void result(Comm world, String name, String text) {
        if (world.rank() == 0) System.out.println(name + " result: " + text);
    }

    /** Prints the summary line on rank 0. */
    public static void report(Comm world, String name, String problemSize, double seconds, boolean verified) {
        if (world.rank() == 0) {
            System.out.printf("%s ranks=%d size=%s time=%.6fs verified: %s%n", name, world.size(), problemSize, seconds,
                    verified ? "yes" : "no");
            System.out.flush();
        }
    }

    /** Exit status for a verification result: call {@code System.exit(exitCode(verified))} after closing Mpi. */
    public static int exitCode(boolean verified) {
        return verified ? 0 : 1;
    }
}
