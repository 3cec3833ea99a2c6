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
    }

    private Examples() {
    }

    static void add(String name, Class<?> main, String description) {
        CATALOGUE.put(name, new Entry(main, description));
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals("list")) {
            System.out.println("examples (run with: bin/jmpirun -np N --example NAME [args]):");
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
