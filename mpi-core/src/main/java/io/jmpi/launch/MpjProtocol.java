package io.jmpi.launch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code jmpirun --backend mpj} ({@link MpjLauncher}) and the rank entry point {@code io.jmpi.mpj.MpjMain} say
 * to each other through MPJ Express, which carries only a command line one way and output lines the other way.
 *
 * <p>Program. MPJ Express's {@code mpjrun} takes its own options from anywhere in its command line, including the
 * program's arguments ({@code -np 3} after the class name changes the job), and may re-split arguments with spaces
 * on their way through its daemon. So the launcher passes the program (main class, then its arguments) as one
 * token, {@code jmpi64:} + base64url(UTF-8 of the arguments joined by NUL), that no layer of MPJ Express can
 * mistake or split; the rank decodes it. A plain {@code MAIN args...} is accepted too, for people who start
 * {@code MpjMain} under {@code mpjrun} by hand.
 *
 * <p>Status lines. MPJ Express's {@code mpjrun} exits 0 whatever its ranks do, so a rank that fails says so on
 * stderr in one line, which the launcher takes out of the output and turns into the job's outcome:
 * <pre>
 *   [jmpi-mpj] rank 2 failed: java.lang.IllegalStateException: boom
 *   [jmpi-mpj] rank 1 failed (peer gone): io.jmpi.base.MpiException: recv: cannot receive from rank 2: ...
 *   [jmpi-mpj] rank 0 aborted with code 3: rank 0 called abort(3)
 * </pre>
 */
public final class MpjProtocol {
    /** Prefix of the single token that carries the program. */
    public static final String PROGRAM_PREFIX = "jmpi64:";
    /**
     * First element of the program when it uses an {@code mpi} API ({@code --api mpijava}); the next is that API's
     * class path (its jar, then the program's entries, absolute), which the rank loads in a class loader of its own
     * so that the program's package {@code mpi} is the API's and not MPJ Express's.
     */
    public static final String API_CLASS_PATH = "--api-class-path";
    /** Prefix of every status line. */
    public static final String MARK = "[jmpi-mpj] ";

    private static final Pattern STATUS = Pattern.compile(
            "\\[jmpi-mpj] rank (\\d+) (failed( \\(peer gone\\))?|aborted with code (-?\\d+)): (.*)");

    private MpjProtocol() {
    }

    /** The one token that carries {@code program} (main class, then its arguments). */
    public static String encodeProgram(List<String> program) {
        String joined = String.join("\0", program);
        return PROGRAM_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The program (main class, then its arguments) from what {@code MPI.Init} left of a rank's arguments: one
     * {@link #encodeProgram encoded} token, or the plain list.
     */
    public static List<String> decodeProgram(String[] rest) {
        if (rest.length == 1 && rest[0].startsWith(PROGRAM_PREFIX)) {
            byte[] b = Base64.getUrlDecoder().decode(rest[0].substring(PROGRAM_PREFIX.length()));
            String joined = new String(b, StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            int from = 0;
            while (true) {
                int nul = joined.indexOf('\0', from);
                if (nul < 0) {
                    out.add(joined.substring(from));
                    return out;
                }
                out.add(joined.substring(from, nul));
                from = nul + 1;
            }
        }
        return List.of(rest);
    }

    /** The status line of a rank that failed. */
    public static String failed(int rank, String reason) {
        return MARK + "rank " + rank + " failed: " + oneLine(reason);
    }

    /**
     * The status line of a rank that failed because a peer had gone first (a receive from a rank that closed or
     * died): the launcher names the peer's own failure rather than this one when both arrive.
     */
    public static String failedAfterPeer(int rank, String reason) {
        return MARK + "rank " + rank + " failed (peer gone): " + oneLine(reason);
    }

    /** The status line of a rank that called abort. */
    public static String aborted(int rank, int code, String reason) {
        return MARK + "rank " + rank + " aborted with code " + code + ": " + oneLine(reason);
    }

    private static String oneLine(String s) {
        return s == null ? "(no reason)" : s.replace('\r', ' ').replace('\n', ' ');
    }

    /**
     * A parsed status line.
     *
     * @param rank    the rank that wrote it
     * @param aborted true for abort, false for a failure
     * @param code    the abort code (0 for a failure)
     * @param reason  what the rank said
     * @param secondary a failure caused by a peer that had gone first
     */
    public record Status(int rank, boolean aborted, int code, String reason, boolean secondary) {
    }

    /** The status in {@code line}, or null when it is not a status line. */
    public static Status parse(String line) {
        if (!line.startsWith(MARK)) return null;
        Matcher m = STATUS.matcher(line);
        if (!m.matches()) return null;
        try {
            int rank = Integer.parseInt(m.group(1));
            boolean aborted = m.group(4) != null;
            int code = aborted ? Integer.parseInt(m.group(4)) : 0;
            return new Status(rank, aborted, code, m.group(5), m.group(3) != null);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
