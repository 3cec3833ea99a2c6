package io.jmpi.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the ranks' answers to a hang diagnosis ({@code DIAG}) into what the launcher prints: one block per rank, and a
 * summary of who waits for whom, naming wait-for cycles (deadlocks) when there are any. Pure logic, unit tested.
 *
 * <p>The summary reads the ranks' own lines ({@link io.jmpi.engine.Engine#diagnose}): a thread "blocked in" an
 * operation that "waits for a message from rank N" or "waits for rank N to post the matching receive" waits for
 * rank N; one blocked in a receive from any rank waits for every rank. A cycle among these edges is a deadlock
 * (every rank in it waits for the next); a rank waiting for a rank that is not blocked in jmpi waits for that rank's
 * computation (or for a message it will never send).
 */
final class HangReport {
    private static final Pattern BLOCKED = Pattern.compile("^thread \"([^\"]*)\" blocked in (\\S+) on (\\S+)");
    private static final Pattern WAITS_FOR = Pattern.compile("waits for (?:a message from )?rank (\\d+)");

    private HangReport() {
    }

    /**
     * The report: {@code why} as the heading, then per rank its lines, then the summary.
     *
     * @param names how to name each rank ("rank 2 (pid 123)" or "rank 2 on h2 (pid 9)")
     */
    static List<String> format(String why, List<List<String>> perRank, List<String> names) {
        List<String> out = new ArrayList<>();
        out.add("hang diagnosis (" + why + "):");
        for (int r = 0; r < perRank.size(); r++) {
            List<String> lines = perRank.get(r);
            out.add("  " + names.get(r) + ":");
            if (lines.isEmpty()) out.add("      (nothing pending)");
            for (String l : lines) out.add("      " + l);
        }
        out.addAll(summary(perRank));
        return out;
    }

    /** "rank 0 waits for rank 1 (recv on world, tag 7)", "rank 3 waits in barrier", and cycles. */
    static List<String> summary(List<List<String>> perRank) {
        int n = perRank.size();
        List<Set<Integer>> waitsFor = new ArrayList<>();
        List<String> said = new ArrayList<>();
        boolean[] blocked = new boolean[n];
        for (int r = 0; r < n; r++) {
            Set<Integer> peers = new TreeSet<>();
            List<String> what = new ArrayList<>();
            for (String l : perRank.get(r)) {
                Matcher b = BLOCKED.matcher(l);
                if (!b.find()) continue;
                blocked[r] = true;
                String call = b.group(2).replaceAll(":$", "");
                String comm = b.group(3).replaceAll(":$", "");
                Matcher w = WAITS_FOR.matcher(l);
                if (w.find()) {
                    int p = Integer.parseInt(w.group(1));
                    if (p >= 0 && p < n) peers.add(p);
                    String tag = l.contains(" with tag ") ? ", tag " + l.replaceAll("^.* with tag (-?\\d+).*$", "$1") : "";
                    if (l.contains("(collective ")) what.add("rank " + p + " in " + call + " on " + comm);
                    else what.add("rank " + p + " (" + call + " on " + comm + tag + ")");
                } else if (l.contains("waits for a message from any rank")) {
                    for (int p = 0; p < n; p++) if (p != r) peers.add(p);
                    what.add("any rank (" + call + " on " + comm + ")");
                } else {
                    what.add("progress of " + call + " on " + comm);
                }
            }
            waitsFor.add(peers);
            said.add(what.isEmpty() ? null : String.join(" and ", what));
        }
        List<String> out = new ArrayList<>();
        out.add("  summary:");
        for (int r = 0; r < n; r++) {
            if (said.get(r) != null) out.add("    rank " + r + " waits for " + said.get(r));
            else out.add("    rank " + r + (perRank.get(r).stream().anyMatch(l -> l.startsWith("not blocked in jmpi"))
                    ? " is not blocked in jmpi (computing, or waiting outside jmpi)" : " is not blocked in a jmpi call it reported"));
        }
        List<Integer> cycle = findCycle(waitsFor, blocked);
        if (cycle != null) {
            StringBuilder sb = new StringBuilder("    DEADLOCK: ");
            for (int i = 0; i < cycle.size(); i++) {
                if (i > 0) sb.append(" -> ");
                sb.append("rank ").append(cycle.get(i));
            }
            sb.append(" -> rank ").append(cycle.get(0)).append(": each waits for the next, none can proceed");
            out.add(sb.toString());
        }
        return out;
    }

    /** A cycle of blocked ranks in the wait-for graph, or null. Only definite edges (not ANY_SOURCE) count. */
    static List<Integer> findCycle(List<Set<Integer>> waitsFor, boolean[] blocked) {
        int n = waitsFor.size();
        int[] state = new int[n]; // 0 new, 1 on the path, 2 done
        for (int s = 0; s < n; s++) {
            if (state[s] != 0 || !blocked[s]) continue;
            List<Integer> path = new ArrayList<>();
            List<Integer> c = dfs(s, waitsFor, blocked, state, path);
            if (c != null) return c;
        }
        return null;
    }

    private static List<Integer> dfs(int r, List<Set<Integer>> waitsFor, boolean[] blocked, int[] state, List<Integer> path) {
        state[r] = 1;
        path.add(r);
        // an ANY_SOURCE wait (edges to every rank) is a deadlock only if every rank is blocked; skip such fans here
        Set<Integer> next = waitsFor.get(r);
        if (next.size() < waitsFor.size() - 1 || waitsFor.size() <= 2) {
            for (int p : next) {
                if (!blocked[p]) continue;
                if (state[p] == 1) return new ArrayList<>(path.subList(path.indexOf(p), path.size()));
                if (state[p] == 0) {
                    List<Integer> c = dfs(p, waitsFor, blocked, state, path);
                    if (c != null) return c;
                }
            }
        }
        path.remove(path.size() - 1);
        state[r] = 2;
        return null;
    }
}
