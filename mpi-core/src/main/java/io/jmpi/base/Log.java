package io.jmpi.base;

/** Diagnostics to stderr, one line each, prefixed with the rank so the launcher's output stays readable. */
public final class Log {
    private Log() {
    }

    public static void warn(int rank, String message) {
        System.err.println("jmpi: rank " + rank + ": " + message);
    }

    public static boolean debug() {
        return Boolean.getBoolean("jmpi.debug");
    }

    public static void debug(int rank, String message) {
        if (debug()) System.err.println("jmpi[debug]: rank " + rank + ": " + message);
    }
}
