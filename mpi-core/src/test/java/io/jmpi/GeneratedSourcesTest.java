package io.jmpi;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The three generated API files must be exactly what their generators write today: an edit to a generated file
 * that is not made in its generator is lost at the next regeneration, and a generator edit that was never run
 * leaves the API behind. Each generator writes into a temporary file and the committed file is compared with it.
 */
@Timeout(120)
class GeneratedSourcesTest {
    private static final String GENERATOR_PROBE = "src/build/gen_p2p.py";

    @ParameterizedTest(name = "{1} is what {0} generates")
    @CsvSource({
            "src/build/gen_p2p.py,        src/main/java/io/jmpi/PointToPoint.java",
            "src/build/gen_coll.py,       src/main/java/io/jmpi/Collectives.java",
            "src/build/gen_reductions.py, src/main/java/io/jmpi/Reductions.java",
            "src/build/gen_neighbor.py,   src/main/java/io/jmpi/NeighborCollectives.java",
            "src/build/gen_message.py,    src/main/java/io/jmpi/Message.java",
            "src/build/gen_intercomm.py,  src/main/java/io/jmpi/InterCollectives.java",
            "src/build/gen_file.py,       src/main/java/io/jmpi/FileAccess.java",
    })
    void committedFileMatchesGenerator(String generator, String generated, @TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(python3Available(), "python3 is not on the PATH: cannot check " + generated
                + " against " + generator);
        Path module = moduleDir();
        Path out = tmp.resolve(Path.of(generated).getFileName());
        ProcessBuilder pb = new ProcessBuilder("python3", generator, out.toString())
                .directory(module.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        // read before waiting: a generator that writes much to stderr would otherwise block on a full pipe
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), generator + " did not finish within 60 s");
        assertEquals(0, p.exitValue(), generator + " failed:\n" + log);

        List<String> committed = Files.readAllLines(module.resolve(generated), StandardCharsets.UTF_8);
        List<String> fresh = Files.readAllLines(out, StandardCharsets.UTF_8);
        if (!committed.equals(fresh)) {
            fail("mpi-core/" + generated + " differs from the output of mpi-core/" + generator + " ("
                    + firstDifference(committed, fresh) + "). Edit the generator, not the generated file, then "
                    + "regenerate with: (cd mpi-core && python3 " + generator + ")");
        }
    }

    private static String firstDifference(List<String> committed, List<String> fresh) {
        int n = Math.min(committed.size(), fresh.size());
        for (int i = 0; i < n; i++) {
            if (!committed.get(i).equals(fresh.get(i))) {
                return "first difference at line " + (i + 1) + ": committed \"" + committed.get(i).strip()
                        + "\", generated \"" + fresh.get(i).strip() + "\"";
            }
        }
        return "committed has " + committed.size() + " lines, generated " + fresh.size();
    }

    private static boolean python3Available() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // not installed
        }
    }

    /**
     * The mpi-core module directory. Surefire runs in it, but an IDE may run from the repository root or elsewhere,
     * so the working directory and the test classes' location are both searched upwards.
     */
    private static Path moduleDir() throws URISyntaxException {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of(System.getProperty("user.dir")).toAbsolutePath());
        starts.add(Path.of(GeneratedSourcesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        for (Path start : starts) {
            for (Path d = start; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve(GENERATOR_PROBE))) return d;
                if (Files.isRegularFile(d.resolve("mpi-core").resolve(GENERATOR_PROBE))) return d.resolve("mpi-core");
            }
        }
        return fail("cannot find mpi-core/" + GENERATOR_PROBE + " above " + starts);
    }
}
