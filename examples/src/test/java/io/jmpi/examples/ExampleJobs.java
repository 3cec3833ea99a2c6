package io.jmpi.examples;

import io.jmpi.launch.JmpiRun;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs examples as real jobs: the launcher in-process ({@link JmpiRun#run}, which finds the examples jar through the
 * {@code jmpi.home} property the failsafe configuration sets), one JVM per rank. Every rank JVM carries a marker
 * property, so a test can prove that none is left behind and kill them if a test fails half-way.
 */
final class ExampleJobs {
    private static final String MARKER = "jmpi.examples.it";
    private final String marker = UUID.randomUUID().toString();

    /** A finished job: exit code, output, and the example's result and summary lines. */
    record Job(String example, int ranks, int code, String out, String err, long millis) {
        /** The summary line {@code <example> ranks=<n> ... verified: yes|no}. */
        String summary() {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(example) + " ranks=" + ranks + " .*$").matcher(out);
            assertTrue(m.find(), "no summary line for " + this);
            return m.group();
        }

        /** The text after {@code <example> result: }. */
        String result() {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(example) + " result: (.*)$").matcher(out);
            assertTrue(m.find(), "no result line for " + this);
            return m.group(1);
        }

        /** The first group of {@code regex} in the result line. */
        String result(String regex) {
            Matcher m = Pattern.compile(regex).matcher(result());
            assertTrue(m.find(), "result of " + example + " on " + ranks + " ranks has no " + regex + ": " + result());
            return m.groupCount() == 0 ? m.group() : m.group(1);
        }

        /** Asserts exit code 0 and {@code verified: yes}. */
        Job assertVerified() {
            assertEquals(0, code, "exit code of " + this);
            assertTrue(summary().endsWith(" verified: yes"), summary());
            return this;
        }

        @Override
        public String toString() {
            return example + " on " + ranks + " ranks (exit " + code + ", " + millis + " ms)\n--- stdout\n" + out
                    + "--- stderr\n" + err;
        }
    }

    /** Runs {@code example} on {@code ranks} ranks; {@code launcherOptions} go before {@code --example}. */
    Job run(int ranks, List<String> launcherOptions, String example, String... args) {
        List<String> cmd = new ArrayList<>(List.of("-np", Integer.toString(ranks), "--timeout", "240",
                "--jvm-args=-D" + MARKER + "=" + marker + " -XX:+UseSerialGC -Xss1m"));
        cmd.addAll(launcherOptions);
        cmd.add("--example");
        cmd.add(example);
        cmd.addAll(Arrays.asList(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = JmpiRun.run(cmd.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Job job = new Job(example, ranks, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                (System.nanoTime() - t0) / 1_000_000);
        System.out.printf("ExamplesIT: %-14s %d ranks %-30s %6d ms  %s%n", example, ranks, String.join(" ", launcherOptions),
                job.millis(), job.out().lines().filter(l -> l.startsWith(example + " ranks=")).findFirst()
                        .orElse("exit " + job.code()));
        return job;
    }

    Job run(int ranks, String example, String... args) {
        return run(ranks, List.of(), example, args);
    }

    /** Rank JVMs of this test class still alive (the launcher's command line has the marker only in --jvm-args=). */
    List<ProcessHandle> alive() {
        String arg = "-D" + MARKER + "=" + marker;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(arg)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
    }

    /** Asserts that no rank JVM of this test class is left. */
    void assertNothingLeft() {
        List<ProcessHandle> left = alive();
        assertTrue(left.isEmpty(), "rank JVMs left behind: " + left.stream()
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("\n")));
    }

    /** Kills the rank JVMs of this test class (cleanup after a failed test). */
    void killAll() {
        for (ProcessHandle p : alive()) p.destroyForcibly();
    }
}
