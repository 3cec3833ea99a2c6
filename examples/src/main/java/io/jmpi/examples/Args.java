package io.jmpi.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of an example: named options {@code --name=value} or {@code --name value}, or the same values
 * by position ({@code pi 100000000} is {@code pi --n=100000000}). Every example declares its options by asking for
 * them in order, then calls {@link #done()}, which rejects anything it did not ask for:
 *
 * <pre>{@code
 * Args a = new Args("pi", args);
 * long n = a.integer("n", 100_000_000, 1, Long.MAX_VALUE);   // --n=..., or the first positional argument
 * a.done();
 * }</pre>
 * A bad argument prints one line naming the example, the option, the value and the allowed range (on the first
 * rank only, so a job of 4 ranks says it once) and exits with code 2. Numbers may contain underscores: {@code 1_000_000}.
 */
public final class Args {
    private final String example;
    private final List<String> tokens;
    private final boolean[] used;
    private final List<String> known = new ArrayList<>();
    private int nextPositional;

    public Args(String example, String[] args) {
        this.example = example;
        this.tokens = List.of(args);
        this.used = new boolean[args.length];
    }

    /** An integer option in {@code [min, max]}. */
    public long integer(String name, long def, long min, long max) {
        String s = value(name, def);
        if (s == null) return def;
        long v;
        try {
            v = Long.parseLong(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw fail("--" + name + "=" + s + " is not an integer; allowed [" + min + ", " + max + "]");
        }
        if (v < min || v > max) throw fail("--" + name + "=" + v + " out of range [" + min + ", " + max + "]");
        return v;
    }

    /** An int option in {@code [min, max]}. */
    public int integer(String name, int def, int min, int max) {
        return (int) integer(name, (long) def, min, max);
    }

    /** A floating-point option in {@code [min, max]}. */
    public double real(String name, double def, double min, double max) {
        String s = value(name, def);
        if (s == null) return def;
        double v;
        try {
            v = Double.parseDouble(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw fail("--" + name + "=" + s + " is not a number; allowed [" + min + ", " + max + "]");
        }
        if (!(v >= min && v <= max)) throw fail("--" + name + "=" + s + " out of range [" + min + ", " + max + "]");
        return v;
    }

    /** A string option; the empty string is allowed (e.g. {@code --png=} for "no image"). */
    public String string(String name, String def) {
        String s = value(name, def);
        return s == null ? def : s;
    }

    /** One of a fixed set of choices, case-insensitive; returned in upper case. */
    public String choice(String name, String def, String... choices) {
        String s = value(name, String.join("|", choices));
        if (s == null) return def;
        for (String c : choices) if (c.equalsIgnoreCase(s)) return c.toUpperCase(Locale.ROOT);
        throw fail("--" + name + "=" + s + " is not one of " + String.join(", ", choices));
    }

    /** Rejects arguments that no option asked for; {@code --help} lists the options and exits. */
    public void done() {
        if (tokens.contains("--help") || tokens.contains("-h")) {
            String rank = System.getenv("JMPI_RANK");
            if (rank == null || rank.equals("0")) {
                System.out.println("usage: jmpirun -np N --example " + example + " "
                        + String.join(" ", known.stream().map(k -> "[" + k + "]").toList()) + "   (defaults shown)");
            }
            System.exit(0);
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (!used[i]) {
                throw fail("unexpected argument '" + tokens.get(i) + "'; options (defaults): " + String.join(" ", known));
            }
        }
    }

    /** The value of {@code --name}, or of the next positional argument, or null. */
    private String value(String name, Object def) {
        known.add("--" + name + "=" + def);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.startsWith("--" + name + "=")) {
                used[i] = true;
                return t.substring(name.length() + 3);
            }
            if (t.equals("--" + name)) {
                if (i + 1 >= tokens.size()) throw fail("option --" + name + " needs a value");
                used[i] = used[i + 1] = true;
                return tokens.get(i + 1);
            }
        }
        // positional: the n-th argument that is not an option or an option's value
        int seen = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.startsWith("--")) {
                if (!t.contains("=")) i++; // skip the option's separate value
                continue;
            }
            if (seen++ == nextPositional) {
                nextPositional++;
                used[i] = true;
                return t;
            }
        }
        nextPositional++;
        return null;
    }

    private RuntimeException fail(String message) {
        String rank = System.getenv("JMPI_RANK");
        if (rank == null || rank.equals("0")) {
            System.err.println(example + ": " + message);
        } else {
            // every rank parses the same arguments; let rank 0 say it and fail first (the launcher then stops us)
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        System.exit(2);
        return new IllegalStateException(message); // not reached
    }
}
