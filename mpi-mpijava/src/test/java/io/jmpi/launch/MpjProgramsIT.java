package io.jmpi.launch;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * "Compiled against mpj.jar, runs unchanged": the sample programs written for the mpiJava 1.2 API
 * ({@code mpi-mpijava/src/test/resources/mpjprograms}) are compiled once against MPJ Express's own {@code mpj.jar}, and
 * the same class files run
 * <ol>
 *   <li>on MPJ Express itself: {@code mpjrun.sh -np 4 -dev multicore} of a working MPJ_HOME ({@link MpjHome}), and</li>
 *   <li>on jmpi: this checkout's {@code bin/mpjrun.sh -np 4 -dev multicore} (ranks as threads) and {@code -dev niodev}
 *   (a JVM per rank).</li>
 * </ol>
 * Every run must print the same result line (each program's rank 0 prints one line, {@code Name: ...}), and the known
 * programs the value their README gives. Skipped, with the reason, where MPJ Express is not installed, where the
 * programs are not in this checkout, and (the jmpi half) where mpi-mpijava's jar is not built.
 */
@Timeout(600)
class MpjProgramsIT {
    private static final Path MPJ_JAR = MpjHome.DEBIAN_LIB.resolve("mpj.jar");
    private static final long RUN_TIMEOUT_SECONDS = 120;
    private static final int NP = 4;
    /** The result lines at 4 ranks (mpjprograms/README.md). */
    private static final Map<String, String> EXPECTED = Map.of(
            "Hello", "Hello: size=4 ranksum=6",
            "Ring", "Ring: size=4 sum=6",
            "Pi", "Pi: 3.141593",
            "ExceptionCatch", "ExceptionCatch: size=4 sum=6");

    @TempDir
    static Path tmp;
    private static final List<Process> started = new ArrayList<>();

    @TestFactory
    Stream<DynamicTest> sameResultLinesOnMpjExpressAndOnJmpi() throws IOException {
        Path home = home();
        Path programs = home.resolve("mpi-mpijava/src/test/resources/mpjprograms");
        assumeTrue(Files.isDirectory(programs), "no " + programs + " in this checkout (the mpi-mpijava module brings it)");
        assumeTrue(Files.isRegularFile(MPJ_JAR), "MPJ Express is not installed (" + MPJ_JAR + "): apt-get install libmpj-java");
        List<Path> sources;
        try (Stream<Path> s = Files.list(programs)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assumeTrue(!sources.isEmpty(), "no programs in " + programs);

        // once, against MPJ Express's jar: the jmpi runs below use these very class files
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        List<String> javac = new ArrayList<>(List.of("-d", classes.toString(), "-cp", MPJ_JAR.toString(), "-nowarn"));
        for (Path p : sources) javac.add(p.toString());
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        assertEquals(0, ApiPrograms.javac(javac.toArray(new String[0]), diagnostics),
                () -> "javac -cp mpj.jar failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));

        Path mpjHome = MpjHome.resolve(System.getenv(), home, MpjHome.DEBIAN_LIB);
        Path apiJar = JmpiHome.newestJar(home.resolve("mpi-mpijava/target"), "mpi-mpijava-");
        return sources.stream().map(src -> {
            String name = src.getFileName().toString().replace(".java", "");
            return DynamicTest.dynamicTest(name, () -> {
                String mpj = resultLine(name, run(List.of(mpjHome.resolve("bin/mpjrun.sh").toString(), "-np",
                        Integer.toString(NP), "-dev", "multicore", "-cp", classes.toString(), name),
                        Map.of("MPJ_HOME", mpjHome.toString()), "MPJ Express multicore"));
                if (EXPECTED.containsKey(name)) assertEquals(EXPECTED.get(name), mpj, "MPJ Express itself");
                assumeTrue(apiJar != null, "mpi-mpijava's jar is not built (mpi-mpijava/target/mpi-mpijava-*.jar): "
                        + "the jmpi half needs it; build with mvn -DskipTests package, then run this IT");
                for (String dev : List.of("multicore", "niodev")) {
                    String jmpi = resultLine(name, run(List.of(home.resolve("bin/mpjrun.sh").toString(), "-np",
                            Integer.toString(NP), "-dev", dev, "-cp", classes.toString(), name),
                            Map.of("JAVA_HOME", System.getProperty("java.home")), "jmpi -dev " + dev));
                    assertEquals(mpj, jmpi, "jmpi's bin/mpjrun.sh -dev " + dev + " vs MPJ Express");
                }
            });
        });
    }

    @AfterAll
    static void killWhatIsLeft() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** The one line starting with {@code name: } that the run printed. */
    private static String resultLine(String name, String output) {
        List<String> lines = output.lines().filter(l -> l.startsWith(name + ": ")).toList();
        if (lines.size() != 1) fail("expected one '" + name + ": ' line, got " + lines.size() + ":\n" + output);
        return lines.get(0);
    }

    /** Runs a command to its end (stdout and stderr together); fails with the output on a non-zero exit or timeout. */
    private static String run(List<String> command, Map<String, String> env, String what) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.directory(tmp.toFile());
        Process p = pb.start();
        started.add(p);
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process ended
            }
        }, "MpjProgramsIT-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            fail(what + ": no end within " + RUN_TIMEOUT_SECONDS + " s: " + String.join(" ", command) + "\n"
                    + out.toString(StandardCharsets.UTF_8));
        }
        reader.join(10_000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> what + " exited " + p.exitValue() + ": " + String.join(" ", command)
                + "\n" + text);
        return text;
    }

    /** This checkout: {@code jmpi.home} (set by failsafe), else the nearest directory above with bin/mpjrun.sh. */
    private static Path home() {
        String prop = System.getProperty("jmpi.home");
        for (Path p = Path.of(prop != null ? prop : "").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/mpjrun.sh"))) return p;
        }
        throw new AssertionError("bin/mpjrun.sh not found above " + Path.of(prop != null ? prop : "").toAbsolutePath());
    }
}
