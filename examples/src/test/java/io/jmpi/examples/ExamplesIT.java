package io.jmpi.examples;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example as a real job on 1, 3 and 4 ranks over the default transport, and on 3 ranks over TCP, with sizes
 * small enough for CI. Each must exit 0 with {@code verified: yes}; where an example's result does not depend on the
 * number of ranks (pi, matmul, jacobi, samplesort by design, and several others), the result printed must be the
 * same on every rank count; the PNGs must open as images of the requested size.
 */
@Timeout(300)
class ExamplesIT {
    private static final int[] RANKS = {1, 3, 4};
    private static final ExampleJobs jobs = new ExampleJobs();

    @TempDir
    static Path dir;

    @AfterEach
    void cleanUp() {
        jobs.killAll(); // only does something when a test failed half-way
    }

    @AfterAll
    static void nothingLeft() {
        jobs.assertNothingLeft();
    }

    /** Runs the example on 1, 3 and 4 ranks; all must verify; returns the jobs. */
    private static List<ExampleJobs.Job> onEveryRankCount(String example, String... args) {
        List<ExampleJobs.Job> runs = new ArrayList<>();
        for (int np : RANKS) {
            String[] a = args.clone();
            for (int i = 0; i < a.length; i++) a[i] = a[i].replace("{np}", Integer.toString(np));
            runs.add(jobs.run(np, example, a).assertVerified());
        }
        jobs.assertNothingLeft();
        return runs;
    }

    /** The part of the result matched by {@code regex} is the same on every rank count. */
    private static void sameOnEveryRankCount(List<ExampleJobs.Job> runs, String regex) {
        String first = runs.get(0).result(regex);
        for (ExampleJobs.Job j : runs) {
            assertEquals(first, j.result(regex), "result of " + j.example() + " on " + j.ranks() + " ranks differs from 1 rank");
        }
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, png + " is not an image");
        assertEquals(width, img.getWidth(), png + " width");
        assertEquals(height, img.getHeight(), png + " height");
    }

    @Test
    void listNamesEveryExample() {
        ExampleJobs.Job list = jobs.run(1, "list");
        assertEquals(0, list.code(), list.toString());
        for (String name : List.of("hello", "ring", "pi", "montecarlo-pi", "mandelbrot", "matmul", "jacobi", "samplesort",
                "nbody", "wordcount", "rma-histogram", "npb-ep", "npb-is", "npb-cg")) {
            assertTrue(list.out().contains("  " + name + " "), name + " missing from\n" + list.out());
        }
    }

    @Test
    void anUnknownExampleIsSaidOnceByTheLauncherBeforeAnyRankStarts() {
        ExampleJobs.Job job = jobs.run(3, "no-such-example");
        assertEquals(2, job.code(), job.toString()); // ExitCodes.USAGE
        assertEquals(1, job.err().lines().filter(l -> l.contains("unknown example 'no-such-example'")).count(), job.toString());
        assertTrue(job.err().startsWith("jmpirun: unknown example 'no-such-example'; known: hello, ring, pi,"), job.toString());
        String known = job.err().lines().findFirst().orElse("");
        for (String name : Examples.names()) assertTrue(known.contains(" " + name), name + " missing from: " + known);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "ring"})
    void firstExamples(String example) {
        onEveryRankCount(example, example.equals("ring") ? new String[]{"--laps=200"} : new String[0]);
    }

    @Test
    void piIsBitIdenticalOnEveryRankCount() {
        sameOnEveryRankCount(onEveryRankCount("pi", "--n=3000001"), "^(\\S+)");
    }

    @Test
    void montecarloPiIsTheSameOnEveryRankCount() {
        sameOnEveryRankCount(onEveryRankCount("montecarlo-pi", "--samples=2000003"), "^(\\S+ hits=\\d+)");
    }

    @Test
    void mandelbrotBalancesRowsAndWritesItsPng() throws IOException {
        List<ExampleJobs.Job> runs = onEveryRankCount("mandelbrot", "--width=321", "--height=243", "--iterations=300",
                "--out=" + dir, "--png=mandelbrot-{np}.png");
        sameOnEveryRankCount(runs, "(iterations=\\d+ fingerprint=\\S+)");
        for (int np : RANKS) assertImage(dir.resolve("mandelbrot-" + np + ".png"), 321, 243);
    }

    @Test
    void matmulIsBitIdenticalOnEveryRankCount() {
        // n not divisible by the grid, panels narrower than the blocks: uneven blocks and several panels per block
        sameOnEveryRankCount(onEveryRankCount("matmul", "--n=151", "--panel=16"), "(fingerprint=\\S+)");
    }

    @Test
    void jacobiIsBitIdenticalOnEveryRankCountAndWritesItsPng() throws IOException {
        List<ExampleJobs.Job> runs = onEveryRankCount("jacobi", "--n=97", "--iterations=300", "--check=7",
                "--out=" + dir, "--png=jacobi-{np}.png");
        sameOnEveryRankCount(runs, "(iterations=\\d+ change=\\S+ fingerprint=\\S+ center=\\S+)");
        for (int np : RANKS) assertImage(dir.resolve("jacobi-" + np + ".png"), 97, 97);
    }

    @Test
    void jacobiRestartsFromItsCheckpointWithTheSameResult() throws IOException {
        // checkpoint at 4 ranks (a 2x2 grid: interleaved blocks, two-phase collective write), restart at 3 (3x1)
        Path ckpt = dir.resolve("jacobi.ckpt");
        jobs.run(4, "jacobi", "--n=61", "--iterations=120", "--check=7", "--png=", "--checkpoint=" + ckpt).assertVerified();
        assertEquals(16 + 61 * 61 * 8, Files.size(ckpt));
        ExampleJobs.Job restarted = jobs.run(3, "jacobi", "--n=61", "--iterations=250", "--check=7", "--png=",
                "--restart=" + ckpt).assertVerified();
        ExampleJobs.Job straight = jobs.run(1, "jacobi", "--n=61", "--iterations=250", "--check=7", "--png=").assertVerified();
        String what = "(iterations=\\d+ change=\\S+ fingerprint=\\S+ center=\\S+)";
        assertEquals(straight.result(what), restarted.result(what));
        jobs.assertNothingLeft();
    }

    @Test
    void jacobiStopsAtItsToleranceOnEveryRankCount() {
        List<ExampleJobs.Job> runs = onEveryRankCount("jacobi", "--n=24", "--iterations=100000", "--tol=1e-6",
                "--png=");
        sameOnEveryRankCount(runs, "(iterations=\\d+ change=\\S+ fingerprint=\\S+)");
        assertTrue(Integer.parseInt(runs.get(0).result("iterations=(\\d+)")) < 100000, runs.get(0).result());
    }

    @Test
    void samplesortIsTheSameSequenceOnEveryRankCount() {
        sameOnEveryRankCount(onEveryRankCount("samplesort", "--n=300007"), "(fingerprint=\\S+)");
    }

    @Test
    void nbodyConservesMomentumAndIsBitIdenticalOnEveryRankCount() {
        sameOnEveryRankCount(onEveryRankCount("nbody", "--n=301", "--steps=5"), "(fingerprint=\\S+)");
    }

    @Test
    void wordcountAgreesWithTheSerialCountOnEveryRankCount() {
        sameOnEveryRankCount(onEveryRankCount("wordcount", "--words=100003", "--vocabulary=3000"), "(distinct=.*)");
    }

    @Test
    void rmaHistogramCountsExactlyOnEveryRankCount() {
        sameOnEveryRankCount(onEveryRankCount("rma-histogram", "--keys=300007", "--chunk=10000"), "(fingerprint \\S+)");
    }

    @Test
    void overTcpTheResultsAreTheSame() {
        List<String> tcp = List.of("--transport", "tcp");
        String[][] cases = {
                {"jacobi", "(fingerprint=\\S+)", "--n=61", "--iterations=100", "--png="},
                {"samplesort", "(fingerprint=\\S+)", "--n=100003"},
                {"matmul", "(fingerprint=\\S+)", "--n=64", "--panel=8"},
                {"wordcount", "(distinct=.*)", "--words=20011", "--vocabulary=500"}};
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
            ExampleJobs.Job overTcp = jobs.run(3, tcp, c[0], args).assertVerified();
            ExampleJobs.Job local = jobs.run(1, c[0], args).assertVerified();
            assertEquals(local.result(c[1]), overTcp.result(c[1]), c[0] + " over tcp");
        }
        jobs.assertNothingLeft();
    }

    @Test
    void aBadArgumentIsOneClearLineAndExitCode2() {
        ExampleJobs.Job bad = jobs.run(2, "pi", "--n=lots");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("pi: --n=lots is not an integer; allowed [1, "), bad.err());
        ExampleJobs.Job unknown = jobs.run(1, "matmul", "--size=3");
        assertEquals(2, unknown.code(), unknown.toString());
        assertTrue(unknown.err().contains("matmul: unexpected argument '--size=3'; options (defaults): --n=1000 --panel=64"), unknown.err());
        jobs.assertNothingLeft();
    }
}
