package mpi;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code Typed.java} must be exactly what {@code src/build/gen_typed.py} writes today (as mpi-core's
 * GeneratedSourcesTest for its generated files): an edit made only in the generated file would be lost.
 */
@Timeout(120)
class TypedSourceTest {
    private static final String GENERATOR = "src/build/gen_typed.py";
    private static final String GENERATED = "src/main/java/mpi/Typed.java";

    @Test
    void committedFileMatchesGenerator(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(python3Available(), "python3 is not on the PATH: cannot check " + GENERATED);
        Path module = moduleDir();
        Path out = tmp.resolve("Typed.java");
        Process p = new ProcessBuilder("python3", GENERATOR, out.toString()).directory(module.toFile())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), GENERATOR + " did not finish within 60 s");
        assertEquals(0, p.exitValue(), GENERATOR + " failed:\n" + log);
        List<String> committed = Files.readAllLines(module.resolve(GENERATED), StandardCharsets.UTF_8);
        List<String> fresh = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(fresh, committed, "mpi-mpijava/" + GENERATED + " differs from the output of " + GENERATOR
                + ": edit the generator, then regenerate with (cd mpi-mpijava && python3 " + GENERATOR + ")");
    }

    private static Path moduleDir() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(GENERATOR))) return d;
            if (Files.isRegularFile(d.resolve("mpi-mpijava").resolve(GENERATOR))) return d.resolve("mpi-mpijava");
        }
        return fail("cannot find mpi-mpijava/" + GENERATOR + " above " + System.getProperty("user.dir"));
    }

    private static boolean python3Available() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
