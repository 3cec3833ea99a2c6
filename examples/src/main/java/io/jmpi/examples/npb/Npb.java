package io.jmpi.examples.npb;

import io.jmpi.Comm;

import java.util.Locale;

/** What the three NPB kernels share: the class letter argument and the results block NPB prints at the end. */
final class Npb {
    private Npb() {
    }

    /** Prints, on rank 0, the results block in the layout of the NPB reference implementations. */
    static void printResults(Comm world, String name, char cls, String size, int iterations, double seconds,
                             double mops, String operation, boolean verified) {
        if (world.rank() != 0) return;
        String f = " %-16s= %24s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n %s Benchmark Completed.%n", name));
        sb.append(String.format(f, "Class", cls));
        sb.append(String.format(f, "Size", size));
        sb.append(String.format(f, "Iterations", iterations));
        sb.append(String.format(Locale.ROOT, f, "Time in seconds", String.format(Locale.ROOT, "%.2f", seconds)));
        sb.append(String.format(f, "Total processes", world.size()));
        sb.append(String.format(Locale.ROOT, f, "Mop/s total", String.format(Locale.ROOT, "%.2f", mops)));
        sb.append(String.format(Locale.ROOT, f, "Mop/s/process", String.format(Locale.ROOT, "%.2f", mops / world.size())));
        sb.append(String.format(f, "Operation type", operation));
        sb.append(String.format(f, "Verification", verified ? "SUCCESSFUL" : "UNSUCCESSFUL"));
        sb.append(String.format(f, "Version", "jmpi examples (from the NPB 3 specification)"));
        System.out.print(sb);
        System.out.flush();
    }
}
