package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts a job may use and how many ranks each takes, from an Open MPI style hostfile ({@code --hostfile}) or a
 * host list ({@code --host h1:2,h2:2}).
 *
 * <p>Hostfile syntax, one host per line: {@code name [slots=K] [max_slots=M]}; {@code #} starts a comment, blank
 * lines are ignored, a host without {@code slots=} has one slot, and a host named on several lines gets the sum of
 * their slots (as in Open MPI). {@code max_slots} is accepted and ignored: {@code --oversubscribe} decides.
 */
final class Hostfile {
    /** One host and its slots, in the order first named. */
    record Host(String name, int slots) {
    }

    static final int MAX_SLOTS = 4096;

    private Hostfile() {
    }

    /** Reads a hostfile. */
    static List<Host> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usage("--hostfile " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        return parse(text, "--hostfile " + file);
    }

    /** Parses hostfile text; {@code source} names it in errors ({@code --hostfile FILE}). */
    static List<Host> parse(String text, String source) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.trim();
            if (line.isEmpty()) continue;
            String where = source + " line " + (i + 1);
            // "slots = 2" is written with spaces sometimes; join them before splitting into words
            String[] words = line.replaceAll("\\s*=\\s*", "=").split("\\s+");
            String name = checkName(words[0], where);
            int n = 1;
            for (int w = 1; w < words.length; w++) {
                String word = words[w];
                int eq = word.indexOf('=');
                String key = eq < 0 ? word : word.substring(0, eq);
                String value = eq < 0 ? "" : word.substring(eq + 1);
                switch (key) {
                    case "slots":
                    case "cpu":
                        n = count(value, where + ": " + key);
                        break;
                    case "max_slots":
                    case "max-slots":
                        count(value, where + ": " + key);
                        break;
                    default:
                        throw usage(where + ": unknown attribute '" + word + "'; expected slots=K or max_slots=M");
                }
            }
            add(slots, name, n, where);
        }
        if (slots.isEmpty()) throw usage(source + " names no host");
        return toList(slots);
    }

    /** Parses {@code --host h1:2,h2,h3:4} (a host without {@code :K} has one slot). */
    static List<Host> parseList(String list) {
        Map<String, Integer> slots = new LinkedHashMap<>();
        for (String item : list.split(",", -1)) {
            String it = item.trim();
            String where = "--host " + list;
            if (it.isEmpty()) throw usage(where + ": empty host name");
            int colon = it.lastIndexOf(':');
            String name = colon < 0 ? it : it.substring(0, colon);
            int n = colon < 0 ? 1 : count(it.substring(colon + 1), where + ": " + it);
            add(slots, checkName(name, where), n, where);
        }
        return toList(slots);
    }

    private static void add(Map<String, Integer> slots, String name, int n, String where) {
        int total = slots.getOrDefault(name, 0) + n;
        if (total > MAX_SLOTS) throw usage(where + ": host " + name + " has more than " + MAX_SLOTS + " slots");
        slots.put(name, total);
    }

    private static List<Host> toList(Map<String, Integer> slots) {
        List<Host> hosts = new ArrayList<>();
        slots.forEach((name, n) -> hosts.add(new Host(name, n)));
        return hosts;
    }

    private static String checkName(String name, String where) {
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._:\\[\\]%-]+") || name.startsWith("-")) {
            throw usage(where + ": '" + name + "' is not a host name or address");
        }
        return name;
    }

    private static int count(String text, String what) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw usage(what + "=" + text + " is not an integer; allowed [1, " + MAX_SLOTS + "]");
        }
        if (v < 1 || v > MAX_SLOTS) throw usage(what + "=" + text + " out of range [1, " + MAX_SLOTS + "]");
        return v;
    }

    private static MpiException usage(String message) {
        return new MpiException(ErrorClass.ARG, message);
    }
}
