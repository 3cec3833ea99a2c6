package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.util.ArrayList;
import java.util.List;

/**
 * Slurm's compressed host lists ({@code SLURM_STEP_NODELIST}, {@code SLURM_JOB_NODELIST}), expanded in order:
 * {@code h[1-3,5]} is h1 h2 h3 h5, {@code n[01-03]} is n01 n02 n03 (a lower bound with leading zeros sets the
 * width), {@code a1,b[2-3]} is a1 b2 b3, and several bracket groups in one name multiply out
 * ({@code r[1-2]n[1-2]} is r1n1 r1n2 r2n1 r2n2). Duplicates are kept, as Slurm keeps them.
 */
public final class HostList {
    /** Most names one list may expand to: a typo like {@code n[1-999999999]} fails instead of exhausting memory. */
    public static final int MAX_HOSTS = 1 << 20;

    private HostList() {
    }

    /**
     * Expands a host list.
     *
     * @throws MpiException ARG naming the list and what is wrong with it
     */
    public static List<String> expand(String list) {
        if (list == null || list.isBlank()) throw bad(list, "it is empty");
        List<String> out = new ArrayList<>();
        for (String item : splitTopLevel(list.trim(), list)) {
            if (item.isEmpty()) throw bad(list, "it has an empty entry");
            expandItem(item, list, out);
        }
        return out;
    }

    /** Splits at commas outside brackets. */
    private static List<String> splitTopLevel(String s, String whole) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                if (++depth > 1) throw bad(whole, "brackets nest at position " + i);
            } else if (c == ']') {
                if (--depth < 0) throw bad(whole, "']' without '[' at position " + i);
            } else if (c == ',' && depth == 0) {
                items.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (depth != 0) throw bad(whole, "a '[' is not closed");
        items.add(s.substring(start).trim());
        return items;
    }

    /** Expands one name with zero or more bracket groups into {@code out}. */
    private static void expandItem(String item, String whole, List<String> out) {
        List<String> prefixes = new ArrayList<>();
        prefixes.add("");
        int i = 0;
        while (i < item.length()) {
            int open = item.indexOf('[', i);
            String literal = open < 0 ? item.substring(i) : item.substring(i, open);
            if (literal.chars().anyMatch(Character::isWhitespace)) throw bad(whole, "'" + item + "' contains a space");
            for (int k = 0; k < prefixes.size(); k++) prefixes.set(k, prefixes.get(k) + literal);
            if (open < 0) break;
            int close = item.indexOf(']', open);
            List<String> values = ranges(item.substring(open + 1, close), whole);
            long total = (long) prefixes.size() * values.size();
            if (total + out.size() > MAX_HOSTS) throw bad(whole, "it expands to more than " + MAX_HOSTS + " names");
            List<String> next = new ArrayList<>((int) total);
            for (String p : prefixes) {
                for (String v : values) next.add(p + v);
            }
            prefixes = next;
            i = close + 1;
        }
        if (out.size() + prefixes.size() > MAX_HOSTS) throw bad(whole, "it expands to more than " + MAX_HOSTS + " names");
        out.addAll(prefixes);
    }

    /** The numbers of one bracket group, {@code 1-3,5} or {@code 01-10}, as zero-padded text. */
    private static List<String> ranges(String group, String whole) {
        if (group.isBlank()) throw bad(whole, "'[]' is empty");
        List<String> values = new ArrayList<>();
        for (String part : group.split(",", -1)) {
            String p = part.trim();
            int dash = p.indexOf('-');
            String lo = dash < 0 ? p : p.substring(0, dash).trim();
            String hi = dash < 0 ? p : p.substring(dash + 1).trim();
            long a = number(lo, whole);
            long b = number(hi, whole);
            if (b < a) throw bad(whole, "range " + p + " runs backwards");
            if (b - a + 1 + values.size() > MAX_HOSTS) {
                throw bad(whole, "it expands to more than " + MAX_HOSTS + " names");
            }
            int width = lo.length();
            for (long v = a; v <= b; v++) values.add(pad(v, width));
        }
        return values;
    }

    private static long number(String text, String whole) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(whole, "'" + text + "' is not a number");
        }
        return Long.parseLong(text);
    }

    private static String pad(long v, int width) {
        StringBuilder s = new StringBuilder(Long.toString(v));
        while (s.length() < width) s.insert(0, '0');
        return s.toString();
    }

    private static MpiException bad(String list, String why) {
        return new MpiException(ErrorClass.ARG, "hostlist '" + list + "' is not valid: " + why);
    }
}
