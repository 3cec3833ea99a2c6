package io.jmpi.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code jmpirun --tag-output} for an in-JVM job: every rank thread writes to the one {@code System.out} of the JVM,
 * so the launcher cannot tell the ranks apart by pipe as it does for a JVM per rank. This stream, installed as
 * {@code System.out} and {@code System.err}, keeps a line buffer per thread and writes each complete line to the real
 * stream as one unit, prefixed with {@code [rank] } of the writing thread ({@link ThreadJob#current()}, an
 * inheritable thread-local, so threads a rank starts write under its tag). Lines of other threads (the JVM's own)
 * pass through untagged. A partial last line is written when its rank ends ({@link #endLine()}).
 */
final class RankOutput extends OutputStream {
    private final PrintStream target;
    private final ThreadLocal<ByteArrayOutputStream> line = ThreadLocal.withInitial(() -> new ByteArrayOutputStream(128));

    private RankOutput(PrintStream target) {
        this.target = target;
    }

    /** Replaces {@code System.out} and {@code System.err} with tagging streams over the current ones. */
    static void install() {
        System.setOut(new Tagged(new RankOutput(System.out)));
        System.setErr(new Tagged(new RankOutput(System.err)));
    }

    /** Writes the calling thread's partial lines, if any (its rank ends). */
    static void endLines() {
        end(System.out);
        end(System.err);
    }

    private static void end(PrintStream s) {
        s.flush();
        if (s instanceof Tagged) ((Tagged) s).tags.endLine();
    }

    @Override
    public void write(int b) {
        ByteArrayOutputStream buf = line.get();
        buf.write(b);
        if (b == '\n') emit(buf);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ByteArrayOutputStream buf = line.get();
        int from = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                buf.write(b, from, i + 1 - from);
                emit(buf);
                from = i + 1;
            }
        }
        if (from < off + len) buf.write(b, from, off + len - from);
    }

    /** Writes the calling thread's partial line, ended by a newline. */
    void endLine() {
        ByteArrayOutputStream buf = line.get();
        if (buf.size() > 0) {
            buf.write('\n');
            emit(buf);
        }
        line.remove();
    }

    private void emit(ByteArrayOutputStream buf) {
        ThreadJob.Rank r = ThreadJob.current();
        synchronized (target) {
            if (r != null) {
                byte[] tag = ("[" + r.rank() + "] ").getBytes(StandardCharsets.US_ASCII);
                target.write(tag, 0, tag.length);
            }
            target.write(buf.toByteArray(), 0, buf.size());
            target.flush();
        }
        buf.reset();
    }

    /** The PrintStream over a {@link RankOutput}, autoflushing on println as System.out does. */
    private static final class Tagged extends PrintStream {
        final RankOutput tags;

        Tagged(RankOutput tags) {
            super(tags, true);
            this.tags = tags;
        }
    }
}
