package io.jmpi.launch;

import io.jmpi.bootstrap.HostList;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads srun's output for the launcher. With {@code --label} srun prefixes each task's line with {@code N: }, which
 * becomes jmpirun's own {@code [N] } tag. srun's error lines about tasks, e.g.
 * {@code srun: error: h2: task 3: Exited with exit code 7} or {@code srun: error: h1: tasks 0-1: Killed}, tell
 * which rank failed, on which node and how: each becomes {@link JobEvent.Located} and {@link JobEvent.Exited} events.
 * srun reports nodes in no particular order (often the ranks that died of a lost peer first), so the rank to blame
 * is chosen by {@link JobState} by when each hung up its control connection. All lines are still forwarded.
 */
final class SrunOutput {
    private static final Pattern LABEL = Pattern.compile("^\\s*(\\d+): ?(.*)$", Pattern.DOTALL);
    private static final Pattern TASKS = Pattern.compile("^srun: error: (\\S+): tasks? ([0-9,\\-\\[\\] ]+): (.*)$");
    private static final Pattern EXIT = Pattern.compile("Exited with exit code (\\d+)");

    private final int size;
    private final Consumer<JobEvent> events;
    private final boolean labels;

    /** @param labels srun runs with {@code --label}: rewrite its labels as tags */
    SrunOutput(int size, boolean labels, Consumer<JobEvent> events) {
        this.size = size;
        this.labels = labels;
        this.events = events;
    }

    /** A stdout (or stderr) line of srun with {@code --label}: {@code 3: text} becomes {@code [3] text}. */
    String labelled(String line) {
        if (!labels) return line;
        Matcher m = LABEL.matcher(line);
        return m.matches() ? "[" + m.group(1) + "] " + m.group(2) : line;
    }

    /** A stderr line of srun: task labels are rewritten, error lines about tasks become events. */
    synchronized String stderrLine(String line) {
        Matcher m = TASKS.matcher(line);
        if (!m.matches()) return labelled(line);
        String node = m.group(1);
        List<String> ranks;
        try {
            ranks = HostList.expand("t[" + m.group(2).replace(" ", "") + "]");
        } catch (RuntimeException e) {
            return line;
        }
        int code = code(m.group(3));
        for (String t : ranks) {
            int r = Integer.parseInt(t.substring(1));
            if (r < 0 || r >= size) continue;
            events.accept(new JobEvent.Located(r, node, -1));
            events.accept(new JobEvent.Exited(r, code));
        }
        return line;
    }

    /** The exit code srun's words stand for: 128 + signal for a signal's name. */
    static int code(String text) {
        Matcher e = EXIT.matcher(text);
        if (e.find()) return Integer.parseInt(e.group(1));
        String t = text.trim();
        if (t.startsWith("Killed")) return 128 + 9;
        if (t.startsWith("Terminated")) return 128 + 15;
        if (t.startsWith("Segmentation fault")) return 128 + 11;
        if (t.startsWith("Aborted")) return 128 + 6;
        if (t.startsWith("Bus error")) return 128 + 7;
        if (t.startsWith("Hangup")) return 128 + 1;
        if (t.startsWith("Interrupt")) return 128 + 2;
        return 1;
    }
}
