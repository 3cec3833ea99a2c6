package io.jmpi.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code jmpirun --trace} and {@code --profile} on the ring and Jacobi examples (issue 19, docs/TOOLS.md): rank JVMs
 * record, the launcher merges one Chrome Trace Event JSON in which every message has its send and its receive
 * (flow events with one id) in an order the aligned clocks allow, writes the HTML timeline (rendered by headless
 * Chromium when installed) and a profile whose counts are the programs' own.
 */
@Timeout(600)
class TraceIT {
    private static final ExampleJobs jobs = new ExampleJobs();
    private static final int LAPS = 200, NP = 3;
    /** One event per line: {"name":..,"ph":"s"|"f"|"X",...,"id":N,"pid":R,"tid":T,"ts":US ...}. */
    private static final Pattern FIELD = Pattern.compile("\"(ph|id|pid|ts|dur|name|cat)\":(\"[^\"]*\"|[-0-9.]+)");

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() {
        jobs.killAll();
    }

    @AfterAll
    static void nothingLeft() {
        jobs.assertNothingLeft();
    }

    @Test
    void ringTraceHasEveryMessagePairedAndItsProfileCountsTheCalls() throws Exception {
        Path json = dir.resolve("ring.json"), prof = dir.resolve("profile");
        jobs.run(NP, List.of("--trace", json.toString(), "--profile", "--profile-dir", prof.toString()), "ring",
                "--laps=" + LAPS).assertVerified();
        List<Map<String, String>> events = events(json);
        int flows = assertFlowsPaired(events);
        assertTrue(flows >= LAPS * NP, flows + " messages, the ring alone sends " + LAPS * NP);
        assertEquals(NP, count(events, "M", "process_name"));
        assertFalse(Files.exists(dir.resolve("ring.json.ranks")), "the ranks' folder is removed after the merge");
        // the profile: every rank sent and received the token once per lap
        Map<String, Long> ops = profileCounts(prof.resolve("profile-ops.csv"));
        for (int r = 0; r < NP; r++) {
            assertEquals(LAPS, ops.get("send/" + r), ops.toString());
            assertEquals(LAPS, ops.get("recv/" + r), ops.toString());
        }
        long[][] msgs = matrix(prof.resolve("profile-matrix-messages.csv"));
        for (int r = 0; r < NP; r++) assertTrue(msgs[r][(r + 1) % NP] >= LAPS, "ring messages " + r + " -> " + (r + 1) % NP);
        BufferedImage heat = ImageIO.read(prof.resolve("profile-matrix.png").toFile());
        assertNotNull(heat, "profile-matrix.png is a PNG");
        assertTrue(heat.getWidth() >= NP * 4 && heat.getWidth() == heat.getHeight(), heat.getWidth() + "x" + heat.getHeight());
        assertTrue(Files.readString(prof.resolve("profile-sites.csv")).contains("Ring:"), "call sites name the program's lines");
        screenshotOf(dir.resolve("ring.html"));
    }

    @Test
    void jacobiTraceHasEveryMessagePaired() throws Exception {
        Path json = dir.resolve("jacobi.json");
        jobs.run(NP, List.of("--trace", json.toString()), "jacobi", "--n=48", "--iterations=40", "--check=5",
                "--png=" + dir.resolve("j.png")).assertVerified();
        List<Map<String, String>> events = events(json);
        int flows = assertFlowsPaired(events);
        // halo exchange: the middle rank has two neighbours, the others one; two messages each way per iteration
        assertTrue(flows >= 40 * 4, flows + " messages");
        assertTrue(count(events, "X", "allreduce") >= NP * 40 / 5, "allreduce every 5 iterations on every rank");
        assertTrue(Files.size(dir.resolve("jacobi.html")) > 1000);
    }

    /** Every flow start has exactly one end with its id, no later... than its clock allows; returns the number. */
    private static int assertFlowsPaired(List<Map<String, String>> events) {
        Map<String, Double> starts = new HashMap<>();
        Set<String> ended = new HashSet<>();
        double slackUs = 1000; // clocks are aligned to within half a round trip (tens of us here)
        for (Map<String, String> e : events) {
            if ("\"s\"".equals(e.get("ph"))) assertNull(starts.put(e.get("id"), Double.parseDouble(e.get("ts"))), e.toString());
        }
        for (Map<String, String> e : events) {
            if (!"\"f\"".equals(e.get("ph"))) continue;
            Double s = starts.get(e.get("id"));
            assertNotNull(s, "a receive without its send: " + e);
            assertTrue(ended.add(e.get("id")), "two receives of one message: " + e);
            assertTrue(Double.parseDouble(e.get("ts")) >= s - slackUs, "received before sent: " + e + " sent at " + s);
        }
        assertEquals(starts.keySet(), ended, "every message sent was received");
        for (Map<String, String> e : events) {
            if (e.containsKey("dur")) assertTrue(Double.parseDouble(e.get("dur")) >= 0, e.toString());
        }
        return starts.size();
    }

    private static List<Map<String, String>> events(Path json) throws IOException {
        List<String> lines = Files.readAllLines(json, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("{\"displayTimeUnit\""), lines.get(0));
        assertTrue(lines.get(0).contains("\"rank1ClockOffsetNs\":"), "clock offsets in the metadata: " + lines.get(0));
        List<Map<String, String>> out = new ArrayList<>();
        for (String l : lines) {
            if (!l.startsWith("{\"name\"")) continue;
            Map<String, String> m = new HashMap<>();
            Matcher f = FIELD.matcher(l);
            while (f.find()) m.putIfAbsent(f.group(1), f.group(2));
            out.add(m);
        }
        return out;
    }

    private static long count(List<Map<String, String>> events, String ph, String name) {
        return events.stream().filter(e -> ("\"" + ph + "\"").equals(e.get("ph")) && ("\"" + name + "\"").equals(e.get("name"))).count();
    }

    /** operation/rank -> count of profile-ops.csv. */
    private static Map<String, Long> profileCounts(Path csv) throws IOException {
        Map<String, Long> m = new HashMap<>();
        List<String> lines = Files.readAllLines(csv);
        assertEquals("operation,rank,count,total_ns,mean_ns,bytes", lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            m.put(f[0] + "/" + f[1], Long.parseLong(f[2]));
        }
        return m;
    }

    private static long[][] matrix(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        long[][] m = new long[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            m[i - 1] = new long[f.length - 1];
            for (int j = 1; j < f.length; j++) m[i - 1][j - 1] = Long.parseLong(f[j]);
        }
        return m;
    }

    /**
     * Renders the HTML timeline in headless Chromium (Debian's chromium, cluster-config/install-deps.sh) and checks
     * the screenshot: the asked size, and drawn (a good share of pixels neither white nor background grey).
     */
    private void screenshotOf(Path html) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Assumptions.assumeTrue(Files.isExecutable(chromium),
                "headless Chromium is not installed (cluster-config/install-deps.sh --chromium): HTML rendering not checked");
        Path png = dir.resolve("timeline.png");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + dir.resolve("chromium-profile"), "--window-size=1300,500",
                "--screenshot=" + png, html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + Files.readString(dir.resolve("chromium.log")));
        }
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "screenshot is a PNG");
        assertEquals(1300, img.getWidth());
        assertEquals(500, img.getHeight());
        int coloured = 0, total = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int c = img.getRGB(x, y) & 0xffffff;
                int r = c >> 16, g = (c >> 8) & 0xff, b = c & 0xff;
                total++;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 40) coloured++; // not a grey
            }
        }
        assertTrue(coloured > total / 100, "the timeline drew operations: " + coloured + " coloured pixels of " + total);
    }
}
