package io.jmpi.reliability;

import io.jmpi.launch.JmpiRun;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jmpirun run in-process ({@link JmpiRun#run}) on a background thread, with its output captured line by line so a
 * test can wait for a line while the job runs, and the moment the launcher returned.
 */
final class LauncherRun {
    /** Collects what is written, and wakes whoever waits for a line. */
    static final class Lines extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (b == '\n') notifyAll();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            notifyAll();
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Waits for a whole line matching {@code p}; returns its matcher, or null after {@code limit}. */
        synchronized Matcher await(Pattern p, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                Matcher m = p.matcher(text());
                if (m.find()) return m;
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /** Every line matching {@code p}. */
        List<Matcher> all(Pattern p) {
            List<Matcher> out = new ArrayList<>();
            for (String l : text().split("\n")) {
                Matcher m = p.matcher(l);
                if (m.matches()) out.add(m);
            }
            return out;
        }
    }

    final Lines out = new Lines();
    final Lines err = new Lines();
    private final Thread thread;
    private volatile int code = Integer.MIN_VALUE;
    private volatile long endNanos;
    private volatile long endMillis;

    private LauncherRun(List<String> args) {
        thread = new Thread(() -> {
            try {
                code = JmpiRun.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
            } finally {
                endNanos = System.nanoTime();
                endMillis = System.currentTimeMillis();
            }
        }, "jmpirun-under-test");
        thread.setDaemon(true);
    }

    static LauncherRun start(List<String> args) {
        LauncherRun r = new LauncherRun(args);
        r.thread.start();
        return r;
    }

    /** Waits for the launcher to return; its exit code. Fails the test after {@code limit}. */
    int await(Duration limit) throws InterruptedException {
        thread.join(limit.toMillis());
        if (thread.isAlive()) throw new AssertionError("jmpirun did not return within " + limit + "\nout:\n" + out.text() + "\nerr:\n" + err.text());
        return code;
    }

    boolean done() {
        return !thread.isAlive();
    }

    /** System.nanoTime() when the launcher returned. */
    long endNanos() {
        return endNanos;
    }

    /** System.currentTimeMillis() when the launcher returned. */
    long endMillis() {
        return endMillis;
    }

    String describe() {
        return "exit " + code + "\n--- out:\n" + out.text() + "--- err:\n" + err.text();
    }
}
