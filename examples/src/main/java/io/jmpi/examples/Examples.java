package io.jmpi.examples;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an example by name: {@code jmpirun -np 4 --example ring [args]} starts this class with {@code ring args};
 * {@code --example list} prints the catalogue.
 */
public final class Examples {
    private static final Map<String, Entry> CATALOGUE = new LinkedHashMap<>();

    private record Entry(Class<?> main, String description) {
    }

    static {
        add("hello", Hello.class, "every rank says hello with its rank, size and host");
        add("ring", Ring.class, "a token travels around the ring of ranks; timed");
        add("pi", Pi.class, "pi by the midpoint rule; fixed-order sum, bit-identical on any rank count");
        add("montecarlo-pi", MonteCarloPi.class, "pi by Monte Carlo with independent reproducible streams");
        add("mandelbrot", Mandelbrot.class, "master/worker with dynamic load balancing (ANY_SOURCE, tags); PNG");
        add("matmul", MatMul.class, "dense matrix multiply, SUMMA on a 2-D Cartesian grid");
        add("jacobi", Jacobi.class, "2-D heat: halo exchange overlapping computation, allreduce convergence; PNG");
        add("samplesort", SampleSort.class, "sample sort of random longs with alltoallv");
        add("nbody", NBody.class, "all-pairs gravity with allgatherv; momentum conservation");
        add("wordcount", WordCount.class, "map-reduce word count with object collectives");
        add("rma-histogram", RmaHistogram.class, "distributed histogram: one-sided accumulate, fetch-and-op tickets");
        add("npb-ep", io.jmpi.examples.npb.Ep.class, "NAS Parallel Benchmarks EP, classes S W A (B C)");
        add("npb-is", io.jmpi.examples.npb.Is.class, "NAS Parallel Benchmarks IS, classes S W A (B C)");
        add("npb-cg", io.jmpi.examples.npb.Cg.class, "NAS Parallel Benchmarks CG, classes S W A (B C)");
    }

    private Examples() {
    }

    static void add(String name, Class<?> main, String description) {
        CATALOGUE.put(name, new Entry(main, description));
    }

    /** The examples' names, in catalogue order (jmpirun checks {@code --example NAME} against them before starting). */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(CATALOGUE.keySet());
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals("list")) {
            System.out.println("examples (run with: bin/jmpirun -np N --example NAME [--option=value ...]; NAME --help lists its options):");
            CATALOGUE.forEach((n, e) -> System.out.printf("  %-14s %s%n", n, e.description()));
            return;
        }
        Entry e = CATALOGUE.get(args[0]);
        if (e == null) {
            System.err.println("unknown example '" + args[0] + "'; known: " + String.join(", ", CATALOGUE.keySet()));
            System.exit(2);
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Method m = e.main().getMethod("main", String[].class);
        try {
            m.invoke(null, (Object) rest);
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }
}
