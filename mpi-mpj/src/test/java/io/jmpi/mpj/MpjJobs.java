package io.jmpi.mpj;

import io.jmpi.launch.JmpiRun;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test harness: runs {@code jmpirun --backend mpj ...} in this JVM (the launcher starts real MPJ Express processes:
 * the multicore JVM, or a daemon, mpjrun and a JVM per rank) and checks what it leaves behind.
 */
final class MpjJobs {
    private MpjJobs() {
    }

    /** Skips (loudly, with the reason) when MPJ Express is not installed here. */
    static void assumeMpj() {
        String home = System.getenv("MPJ_HOME");
        boolean installed = Files.isRegularFile(Path.of("/usr/share/mpj/lib/mpj.jar"))
                || (home != null && Files.isRegularFile(Path.of(home, "lib", "mpj.jar")));
        if (!installed) {
            System.err.println("SKIPPED: MPJ Express is not installed (apt-get install libmpj-java, or "
                    + "cluster-config/install-deps.sh --mpj): the MPJ backend's integration tests do not run");
        }
        assumeTrue(installed, "MPJ Express is not installed (apt-get install libmpj-java, or cluster-config/install-deps.sh --mpj)");
    }

    record Result(int code, String out, String err, double seconds) {
        String all() {
            return out + err;
        }

        /** The job id (hex) the ranks printed as {@code job=<hex>}, or null. */
        String jobHex() {
            Matcher m = Pattern.compile("job=([0-9a-f]+)").matcher(out);
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * Runs jmpirun with {@code args}; its output is kept and also shown in the test log, without the stack frames of
     * the exceptions that the failure tests throw on purpose (a passing test's log shows no stack trace; the result
     * keeps them all).
     */
    static Result jmpirun(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.out.println("$ jmpirun " + String.join(" ", args).replace(testClassPath(), "<test class path>"));
        long t0 = System.nanoTime();
        OutputStream shownOut = withoutStackFrames(System.out), shownErr = withoutStackFrames(System.err);
        int code = JmpiRun.run(args, new PrintStream(tee(out, shownOut), true, StandardCharsets.UTF_8),
                new PrintStream(tee(err, shownErr), true, StandardCharsets.UTF_8));
        try {
            shownOut.flush();
            shownErr.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("(exit %d after %.1f s)%n", code, s);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), s);
    }

    /** Passes whole lines to {@code to}, leaving out stack frames ({@code \tat ...}, {@code \t... N more}). */
    private static OutputStream withoutStackFrames(PrintStream to) {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int x) {
                line.write(x);
                if (x == '\n') flush();
            }

            @Override
            public synchronized void flush() {
                String l = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!l.startsWith("\tat ") && !l.startsWith("\t... ")) to.print(l);
                to.flush();
            }
        };
    }

    private static OutputStream tee(OutputStream a, OutputStream b) {
        return new OutputStream() {
            @Override
            public void write(int x) {
                try {
                    a.write(x);
                    b.write(x);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void write(byte[] x, int off, int len) {
                try {
                    a.write(x, off, len);
                    b.write(x, off, len);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
    }

    /**
     * The class path of the ranks: this test JVM's (test classes of mpi-mpj and mpi-core's suites, JUnit's API),
     * without MPJ Express's own jar (MPJ Express's runtime provides it), mpi-mpijava's (its package mpi would clash
     * with MPJ Express's; jmpirun adds it for {@code --api mpijava}) and the test runner's.
     */
    static String testClassPath() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(e).getFileName() == null ? e : Path.of(e).getFileName().toString();
            if (name.startsWith("mpj-") || name.equals("mpj.jar") || e.contains("mpi-mpijava") || name.startsWith("surefire") || name.startsWith("failsafe")
                    || name.contains("junit-platform-launcher") || name.contains("junit-jupiter-engine")) continue;
            out.add(e);
        }
        return String.join(File.pathSeparator, out);
    }

    /** Processes and files of job {@code hex} still there: its JVMs, daemon, mpjrun, job directory. */
    static List<String> leftovers(String hex) {
        List<String> left = new ArrayList<>();
        if (hex == null) return left;
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().forEach(h -> {
            if (h.pid() == self || !h.isAlive()) return;
            String cmd = h.info().commandLine().orElse("");
            if (cmd.contains("jmpi.job=" + hex) || cmd.contains("jmpi-mpj-" + hex)) left.add("pid " + h.pid() + ": " + cmd);
        });
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(p -> p.getFileName().toString().startsWith("jmpi-mpj-" + hex)).forEach(p -> left.add("dir " + p));
        } catch (java.io.IOException e) {
            // nothing to list
        }
        return left;
    }
}
