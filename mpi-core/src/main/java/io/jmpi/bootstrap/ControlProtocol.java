package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The control protocol between a rank and the jmpirun launcher (docs/BOOTSTRAP.md). After the authenticated
 * handshake ({@link io.jmpi.wire.HandshakeDescriptor}, kind {@code KIND_LAUNCHER}) both sides speak UTF-8 lines,
 * each ending in {@code \n} and at most {@link #MAX_LINE} bytes long:
 *
 * <pre>
 *  rank     -&gt; launcher   ENDPOINT &lt;rank&gt; &lt;host&gt; &lt;port&gt; &lt;hostId&gt; &lt;pid&gt;   once, to publish its endpoint
 *  launcher -&gt; rank       TABLE &lt;n&gt;, then n endpoint lines in rank order     once every endpoint is in
 *  rank     -&gt; launcher   FAIL &lt;reason&gt;                                    about to die; the launcher prints why
 *                         (FAIL lost rank &lt;p&gt;: &lt;why&gt; when peer p was lost without its goodbye: a
 *                         failure seen, not caused, by this rank)
 *  rank     -&gt; launcher   ABORT &lt;code&gt; &lt;reason&gt;                            MPI_Abort: end the job with code
 *  rank     -&gt; launcher   BYE                                              clean end of the rank
 *  launcher -&gt; rank       DIAG                                             hang diagnosis request
 *  rank     -&gt; launcher   DIAG &lt;text&gt; (any number), then DIAGEND              what it is blocked in, pending
 * </pre>
 * A line that is too long is a protocol violation: a peer can never make the other side buffer unbounded data.
 * A connection that closes without {@code BYE} means the rank failed; a rank whose connection closes has lost its
 * launcher and halts. Unknown verbs are ignored, so either side may learn new ones later.
 */
public final class ControlProtocol {
    /** Longest line, in bytes, including the newline. */
    public static final int MAX_LINE = 64 * 1024;
    public static final String ENDPOINT = "ENDPOINT";
    public static final String TABLE = "TABLE";
    public static final String FAIL = "FAIL";
    public static final String ABORT = "ABORT";
    public static final String BYE = "BYE";
    /** Launcher to rank: describe what you are blocked in; the rank answers DIAG lines, then DIAGEND. */
    public static final String DIAG = "DIAG";
    public static final String DIAGEND = "DIAGEND";

    private ControlProtocol() {
    }

    private static final String LOST_PREFIX = "lost rank ";

    /** The FAIL reason of a rank that lost peer {@code peer} without its goodbye. */
    public static String lostPeer(int peer, String why) {
        return LOST_PREFIX + peer + ": " + why;
    }

    /** The peer a FAIL reason made by {@link #lostPeer} names, or -1 for any other reason. */
    public static int lostPeerOf(String reason) {
        if (reason == null || !reason.startsWith(LOST_PREFIX)) return -1;
        int end = reason.indexOf(':', LOST_PREFIX.length());
        if (end < 0) return -1;
        try {
            return Integer.parseInt(reason.substring(LOST_PREFIX.length(), end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads one line without its newline. Returns null at the end of the stream (an unterminated last line is
     * dropped: the peer died while writing it).
     *
     * @throws MpiException PROTOCOL when the line exceeds {@link #MAX_LINE} bytes
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) return null;
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            if (line.size() >= MAX_LINE - 1) {
                throw new MpiException(ErrorClass.PROTOCOL, "control: line longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    /** Writes one line and flushes. The text must not contain a newline (use {@link #oneLine} for free text). */
    public static void writeLine(OutputStream out, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
        if (text.indexOf('\n') >= 0 || bytes.length > MAX_LINE) {
            throw new MpiException(ErrorClass.ARG, "control: line must be one line of at most " + MAX_LINE + " bytes");
        }
        out.write(bytes);
        out.flush();
    }

    /**
     * Makes free text (a failure reason, a stack trace) fit one protocol line: control characters become spaces
     * and the text is cut to a few KiB, which is plenty for a human-readable reason.
     */
    public static String oneLine(String text) {
        if (text == null || text.isBlank()) return "(no reason given)";
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 4096));
        for (int i = 0; i < text.length() && sb.length() < 4000; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (sb.length() < text.length()) sb.append(" ...");
        return sb.toString().trim();
    }

    /** The verb of a line: the text before the first space. */
    public static String verb(String line) {
        int sp = line.indexOf(' ');
        return sp < 0 ? line : line.substring(0, sp);
    }

    /** The rest of a line after its verb and one space; empty when there is none. */
    public static String rest(String line) {
        int sp = line.indexOf(' ');
        return sp < 0 ? "" : line.substring(sp + 1);
    }
}
