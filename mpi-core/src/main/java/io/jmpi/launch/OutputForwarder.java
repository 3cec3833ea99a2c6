package io.jmpi.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The launcher's output: forwards each rank's stdout and stderr to its own, line by line, optionally tagged
 * {@code [rank] }, and prints the launcher's own messages. Every line is written whole under one lock shared by
 * both targets, so lines of different ranks (and of the launcher) never interleave mid-line. The lock is ours, not
 * the {@link PrintStream}'s, whose internal locking differs between JDK versions.
 *
 * <p>Forwarding works on bytes, so a rank's output reaches the terminal unchanged whatever its encoding. A line
 * longer than {@link #MAX_LINE} is written in pieces (each ended by a newline) rather than buffered without bound.
 */
final class OutputForwarder {
    static final int MAX_LINE = 1 << 20;
    private final PrintStream out;
    private final PrintStream err;
    private final Object lock = new Object();

    OutputForwarder(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    PrintStream out() {
        return out;
    }

    /** Prints one line of the launcher's own, {@code jmpirun: text}, to stderr. */
    void message(String text) {
        byte[] b = ("jmpirun: " + text).getBytes(StandardCharsets.UTF_8);
        write(err, null, b, b.length);
    }

    /**
     * Starts a daemon thread copying {@code source} line by line to stdout or stderr until the end of the stream.
     *
     * @param prefix tag written before each line, or null
     */
    Thread pump(InputStream source, boolean toStderr, String prefix, String threadName) {
        return pump(source, toStderr, prefix, threadName, null);
    }

    /**
     * Sees every line before it is forwarded, and may change or drop it: remote ranks' start-up line, srun's labels and
     * messages. Lines are given as ISO-8859-1 text, so bytes survive the round trip whatever their encoding.
     */
    interface LineFilter {
        /** Returns the line to forward (without newline, before the tag), or null to drop it. */
        String filter(String line);
    }

    /** As {@link #pump(InputStream, boolean, String, String)}, passing each line through {@code filter} (may be null). */
    Thread pump(InputStream source, boolean toStderr, String prefix, String threadName, LineFilter filter) {
        byte[] tag = prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8);
        PrintStream target = toStderr ? err : out;
        // Small stacks: a 4096-rank job runs 8192 of these.
        Thread t = new Thread(null, () -> copy(source, target, tag, filter), threadName, 256 * 1024);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void copy(InputStream source, PrintStream target, byte[] tag, LineFilter filter) {
        Lines lines = new Lines(target, tag, filter);
        byte[] chunk = new byte[8192];
        try (source) {
            int n;
            while ((n = source.read(chunk)) > 0) lines.feed(chunk, n);
        } catch (IOException e) {
            // the process is gone and its pipe with it; forward what we have
        }
        lines.end();
    }

    /**
     * A line splitter for output that arrives in chunks from elsewhere than a pipe of ours (a launch agent's OUT/ERR
     * frames): lines are forwarded exactly as {@link #pump} forwards a pipe's.
     */
    Lines lines(boolean toStderr, String prefix) {
        return new Lines(toStderr ? err : out, prefix == null ? null : prefix.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Assembles lines from chunks; one instance per stream, fed by one thread at a time. */
    final class Lines {
        private final PrintStream target;
        private final byte[] tag;
        private final LineFilter filter;
        private byte[] line = new byte[8192];
        private int len;

        private Lines(PrintStream target, byte[] tag, LineFilter filter) {
            this.target = target;
            this.tag = tag;
            this.filter = filter;
        }

        /** Forwards every line {@code chunk[0, n)} completes and keeps the rest. */
        void feed(byte[] chunk, int n) {
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (b == '\n') {
                    emit(target, tag, line, len, filter);
                    len = 0;
                    continue;
                }
                if (len == line.length) {
                    if (len >= MAX_LINE) {
                        emit(target, tag, line, len, filter);
                        len = 0;
                    } else {
                        line = Arrays.copyOf(line, Math.min(len * 2, MAX_LINE));
                    }
                }
                line[len++] = b;
            }
        }

        /** The stream ended: forwards an unterminated last line. */
        void end() {
            if (len > 0) emit(target, tag, line, len, filter);
            len = 0;
        }
    }

    private void emit(PrintStream target, byte[] tag, byte[] line, int len, LineFilter filter) {
        if (filter == null) {
            write(target, tag, line, len);
            return;
        }
        String kept = filter.filter(new String(line, 0, len, StandardCharsets.ISO_8859_1));
        if (kept == null) return;
        byte[] b = kept.getBytes(StandardCharsets.ISO_8859_1);
        write(target, tag, b, b.length);
    }

    private void write(PrintStream target, byte[] tag, byte[] line, int len) {
        synchronized (lock) {
            if (tag != null) target.write(tag, 0, tag.length);
            target.write(line, 0, len);
            target.write('\n');
            target.flush();
        }
    }
}
