package io.jmpi.examples;

import io.jmpi.Comm;

/**
 * The one summary line every example prints on rank 0, and the exit status that goes with it:
 * {@code <name> ranks=<n> size=<problem> time=<s>s verified: yes|no}. An unverified result exits with code 1.
 */
public final class Summary {
    private Summary() {
    }

    /** Prints the summary on rank 0; every rank exits non-zero when not verified (call after Mpi is closed or last). */
    public static void report(Comm world, String name, String problemSize, double seconds, boolean verified) {
        if (world.rank() == 0) {
            System.out.printf("%s ranks=%d size=%s time=%.6fs verified: %s%n", name, world.size(), problemSize, seconds,
                    verified ? "yes" : "no");
            System.out.flush();
        }
    }

    /** Exit status for a verification result. */
    public static int exitCode(boolean verified) {
        return verified ? 0 : 1;
    }

    /** Parses an integer argument {@code args[i]} or returns {@code def}; errors name the argument. */
    public static long arg(String[] args, int i, String name, long def, long min, long max) {
        if (args.length <= i) return def;
        long v;
        try {
            v = Long.parseLong(args[i].replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + args[i] + " is not a number");
        }
        if (v < min || v > max) throw new IllegalArgumentException(name + "=" + v + " out of range [" + min + ", " + max + "]");
        return v;
    }
}
