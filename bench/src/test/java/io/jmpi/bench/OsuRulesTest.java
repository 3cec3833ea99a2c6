package io.jmpi.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The structure of the OSU-style suites: jmpi's {@link Osu} takes its counts from {@link OsuRules}, and the
 * rules agree with {@code bench/c/osu.c} and with the standalone Java suites' own copies ({@code OsuMpj},
 * {@code OsuOpenMpi}), read from their sources (they compile against other libraries' jars, so they cannot share
 * the class).
 */
class OsuRulesTest {
    /** The bench module's directory (surefire runs in it; from the repository root it is {@code bench}). */
    private static Path dir(String name) {
        Path p = Path.of(name);
        return Files.exists(p) ? p : Path.of("bench").resolve(name);
    }

    private static String source(String path) throws IOException {
        return Files.readString(dir(path)).replaceAll("\\s+", " ");
    }

    @Test
    void iterationAndWarmUpCountsPerSizeAreOsuCs() {
        assertEquals(1000, OsuRules.defaultIters(false, 65536));
        assertEquals(100, OsuRules.defaultIters(false, 65537));
        assertEquals(100, OsuRules.defaultIters(true, 65536));
        assertEquals(20, OsuRules.defaultIters(true, 131072));
        assertEquals(100, OsuRules.defaultWarmup(1));
        assertEquals(100, OsuRules.defaultWarmup(65536));
        assertEquals(10, OsuRules.defaultWarmup(131072));
        assertEquals(64, OsuRules.WINDOW);
    }

    @Test
    void sizesDoubleFromMinSkipBelowTheElementAndBarrierHasOne() {
        assertArrayEquals(new long[] {1, 2, 4, 8, 16}, OsuRules.sizes(1, 16, 1, false));
        assertArrayEquals(new long[] {4, 8, 16}, OsuRules.sizes(1, 16, 4, false));
        assertArrayEquals(new long[] {6, 12, 24}, OsuRules.sizes(3, 24, 4, false)); // osu.c skips 3, then doubles
        assertArrayEquals(new long[] {1, 2, 4}, OsuRules.sizes(0, 4, 1, false)); // 0 < 1 byte: skipped, as osu.c
        assertArrayEquals(new long[] {0}, OsuRules.sizes(1, 4194304, 1, true));
        assertEquals(23, OsuRules.sizes(1, 4194304, 1, false).length);
    }

    @Test
    void sizeOptionAcceptsMinMaxAndMaxAlone() {
        assertArrayEquals(new long[] {1, 4096}, OsuRules.parseSizes("4096"));
        assertArrayEquals(new long[] {8, 64}, OsuRules.parseSizes("8:64"));
        assertArrayEquals(new long[] {0, 1L << 30}, OsuRules.parseSizes("0:1073741824"));
        for (String bad : new String[] {"8:4", "-1:4", "x", "1:", "1:1073741825", "4:x"}) {
            assertThrows(IllegalArgumentException.class, () -> OsuRules.parseSizes(bad), bad);
        }
    }

    @Test
    void calibrationIsTheBudgetOverTheWarmUpsPaceWithinBounds() {
        assertEquals(10_000, OsuRules.calibrate(0.1, 0.001, 100, -1));
        assertEquals(500, OsuRules.calibrate(0.1, 0.001, 100, 500));
        assertEquals(OsuRules.MAX_ITERS, OsuRules.calibrate(0.1, 0, 100, -1));
        assertEquals(OsuRules.MAX_ITERS, OsuRules.calibrate(3600, 1e-6, 100, -1));
        assertEquals(1, OsuRules.calibrate(0.1, 10, 2, -1));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] x = {10, 20, 30, 40};
        assertEquals(20, OsuRules.percentile(x, 4, 0.5));
        assertEquals(40, OsuRules.percentile(x, 4, 0.99));
        assertEquals(10, OsuRules.percentile(x, 1, 0.99));
        long[] y = new long[200];
        for (int i = 0; i < y.length; i++) y[i] = i;
        assertEquals(197, OsuRules.percentile(y, 199, 0.99)); // ceil(197.01) - 1
    }

    private static Osu parse(String... args) {
        Osu o = new Osu();
        new CommandLine(o).parseArgs(args);
        o.validate();
        return o;
    }

    @Test
    void optionsDefaultToOsuCs() {
        Osu o = parse("bw", "-m", "4096");
        assertEquals(1, o.min);
        assertEquals(4096, o.max);
        assertEquals(0, o.budget); // no budget: the default counts
        assertEquals(-1, o.iterations);
        assertEquals(-1, o.warmup);
        assertEquals(OsuRules.WINDOW, o.window);
        Osu t = parse("allreduce", "-m", "8:1024", "-t", "0.05", "-i", "300", "-x", "0");
        assertEquals(8, t.min);
        assertEquals(0.05, t.budget);
        assertEquals(300, t.iterations);
        assertEquals(0, t.warmup);
    }

    @Test
    void badOptionsAreUsageErrors() {
        String[][] bad = {
            {"bw", "-m", "8:4"}, {"bw", "-m", "1:2147483648"}, {"bw", "-i", "0"}, {"bw", "-i", "10000001"},
            {"bw", "-x", "-2"}, {"bw", "-t", "-1"}, {"bw", "-t", "3601"}, {"bw", "--window", "0"},
        };
        for (String[] args : bad) assertThrows(ParameterException.class, () -> parse(args), String.join(" ", args));
    }

    @Test
    void testKindsAndElementSizes() {
        assertEquals(Osu.Kind.P2P_LAT, Osu.kind(Osu.Test.latency));
        assertEquals(Osu.Kind.P2P_BW, Osu.kind(Osu.Test.bibw));
        assertEquals(Osu.Kind.COLL, Osu.kind(Osu.Test.barrier));
        assertEquals(Osu.Kind.RMA_LAT, Osu.kind(Osu.Test.get_latency));
        assertEquals(4, Osu.element(Osu.Test.allreduce));
        assertEquals(4, Osu.element(Osu.Test.reduce));
        assertEquals(1, Osu.element(Osu.Test.bcast));
    }

    private static long constant(String src, String regex) {
        Matcher m = Pattern.compile(regex).matcher(src);
        assertTrue(m.find(), "no match for " + regex);
        return Long.parseLong(m.group(1).replace("_", ""));
    }

    @Test
    void osuCHasTheSameRules() throws IOException {
        String c = source("c/osu.c");
        assertEquals(OsuRules.WINDOW, constant(c, "#define WINDOW (\\d+)"));
        assertEquals(OsuRules.LARGE, constant(c, "#define LARGE (\\d+)L"));
        assertEquals(OsuRules.MAX_ITERS, constant(c, "#define MAX_ITERS (\\d+)L"));
        assertTrue(c.contains("if (t->kind == P2P_BW) return size > LARGE ? 20 : 100; return size > LARGE ? 100 : 1000;"));
        assertTrue(c.contains("(size > LARGE ? 10 : 100)"));
        assertTrue(c.contains("MPI_Reduce(&value, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD); value = sum / np;"),
                "collective value: the mean over ranks, as OSU");
        String bibw = c.substring(c.indexOf("strcmp(n, \"bibw\")"), c.indexOf("t->kind == RMA_LAT) {"));
        assertFalse(bibw.contains("MPI_Sendrecv"), "bibw has no acknowledgement, as OSU");
    }

    @Test
    void standaloneJavaSuitesHaveTheSameRules() throws IOException {
        for (String path : new String[] {"mpj/OsuMpj.java", "openmpi/OsuOpenMpi.java"}) {
            String j = source(path);
            assertEquals(OsuRules.WINDOW, constant(j, "int WINDOW = (\\d+);"), path);
            assertEquals(OsuRules.LARGE, constant(j, "long LARGE = (\\d+);"), path);
            assertEquals(OsuRules.MAX_ITERS, constant(j, "long MAX_ITERS = ([\\d_]+)L;"), path);
            assertTrue(j.contains("? (size > LARGE ? 20 : 100) : (size > LARGE ? 100 : 1000)"), path + ": iterations");
            assertTrue(j.contains("size > LARGE ? 10 : 100"), path + ": warm-up");
            assertTrue(j.contains("Math.ceil(q * x.length) - 1"), path + ": nearest-rank percentiles");
        }
        String mpj = source("mpj/OsuMpj.java");
        assertTrue(mpj.contains("MPI.SUM, 0); value = out[0] / np;"), "OsuMpj: collective value is the mean over ranks");
        assertFalse(mpj.contains("Sendrecv(ack"), "OsuMpj: bibw has no acknowledgement");
    }
}
