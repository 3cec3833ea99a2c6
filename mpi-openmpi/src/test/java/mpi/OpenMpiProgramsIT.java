package mpi;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Programs written for Open MPI's Java API ({@code src/test/resources/programs}: Hello, Ring, Connectivity,
 * Collectives, Datatypes, NonBlocking, CommSplit, CartTopology, CatchErrors) give on jmpi exactly what they give on
 * Open MPI.
 * <ol>
 *   <li>Always (CI): compiled against this module, run by {@code bin/jmpirun --api openmpi -np 4}; their output
 *   (lines sorted: ranks print concurrently) must equal {@code programs/expected/<Name>.np4.txt}, recorded from Open
 *   MPI 4.1.4's own Java bindings.</li>
 *   <li>Where Open MPI's Java bindings are installed ({@code /opt/ompi-java}, or {@code -Dompi.java.home}; built as
 *   docs/OPENMPI-JAVA.md says): the programs, and Open MPI's own examples in {@code <home>/examples} (Hello.java and
 *   Ring.java of its source tree), are compiled ONCE against Open MPI's {@code mpi.jar}; the same class files run on
 *   Open MPI ({@code mpirun -np 4}, btl self,vader,tcp on loopback) and on jmpi; both outputs must be equal, and
 *   equal to the recorded file. With {@code -Dopenmpi.record=true} the recorded files are rewritten from Open MPI's
 *   runs instead (then review and commit them).</li>
 * </ol>
 */
@Timeout(900)
class OpenMpiProgramsIT {
    private static final int NP = 4;
    private static final long RUN_TIMEOUT_SECONDS = 120;
    private static final Path OMPI = Path.of(System.getProperty("ompi.java.home", "/opt/ompi-java"));
    private static final List<Process> started = new ArrayList<>();

    @TempDir
    static Path tmp;

    @TestFactory
    Stream<DynamicTest> onJmpiTheProgramsPrintWhatOpenMpiPrinted() throws IOException {
        Path home = home();
        Path programs = home.resolve("mpi-openmpi/src/test/resources/programs");
        List<Path> sources = sources(programs);
        Path classes = compile(sources, System.getProperty("java.class.path"), tmp.resolve("against-jmpi"));
        return sources.stream().map(src -> {
            String name = name(src);
            return DynamicTest.dynamicTest(name, () -> {
                Path expected = programs.resolve("expected/" + name + ".np" + NP + ".txt");
                assertTrue(Files.isRegularFile(expected), "no recorded output " + expected);
                List<String> jmpi = sorted(jmpirun(home, classes, name));
                assertEquals(Files.readAllLines(expected), jmpi, name + " on jmpi vs the output recorded from Open MPI");
            });
        });
    }

    @TestFactory
    Stream<DynamicTest> sameClassFilesOnOpenMpiAndOnJmpi() throws IOException {
        Path jar = OMPI.resolve("lib/mpi.jar");
        assumeTrue(Files.isRegularFile(jar) && Files.isExecutable(OMPI.resolve("bin/mpirun")),
                "Open MPI's Java bindings are not installed at " + OMPI + " (build them as docs/OPENMPI-JAVA.md says; "
                        + "-Dompi.java.home=DIR for another place); the jmpi half runs in onJmpiTheProgramsPrintWhatOpenMpiPrinted");
        Path home = home();
        Path programs = home.resolve("mpi-openmpi/src/test/resources/programs");
        boolean record = Boolean.getBoolean("openmpi.record");
        List<DynamicTest> tests = new ArrayList<>();
        Path ours = compile(sources(programs), jar.toString(), tmp.resolve("against-openmpi"));
        for (Path src : sources(programs)) {
            String name = name(src);
            tests.add(DynamicTest.dynamicTest(name, () -> {
                List<String> ompi = sorted(mpirun(ours, name));
                Path expected = programs.resolve("expected/" + name + ".np" + NP + ".txt");
                if (record) Files.write(expected, ompi);
                assertEquals(Files.readAllLines(expected), ompi, name + " on Open MPI vs its recorded output");
                assertEquals(ompi, sorted(jmpirun(home, ours, name)), name + " compiled against mpi.jar: jmpi vs Open MPI");
            }));
        }
        Path examples = OMPI.resolve("examples");
        if (Files.isDirectory(examples)) {
            List<Path> theirs = sources(examples);
            Path exClasses = compile(theirs, jar.toString(), tmp.resolve("openmpi-examples"));
            for (Path src : theirs) {
                String name = name(src);
                tests.add(DynamicTest.dynamicTest("Open MPI's examples/" + name, () -> assertEquals(
                        sorted(mpirun(exClasses, name)), sorted(jmpirun(home, exClasses, name)),
                        "Open MPI's own examples/" + name + ".java compiled against mpi.jar: jmpi vs Open MPI")));
            }
        }
        return tests.stream();
    }

    @AfterAll
    static void killWhatIsLeft() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String jmpirun(Path home, Path classes, String name) throws Exception {
        return run(List.of(home.resolve("bin/jmpirun").toString(), "--api", "openmpi", "-np", Integer.toString(NP),
                "-cp", classes.toString(), name), Map.of("JAVA_HOME", System.getProperty("java.home")), "jmpi " + name);
    }

    private static String mpirun(Path classes, String name) throws Exception {
        String lib = OMPI.resolve("lib").toString(), cp = classes + ":" + OMPI.resolve("lib/mpi.jar");
        return run(List.of(OMPI.resolve("bin/mpirun").toString(), "--allow-run-as-root", "--oversubscribe", "-np",
                Integer.toString(NP), "--mca", "btl", "self,vader,tcp", "--mca", "btl_tcp_if_include", "lo",
                "--mca", "oob_tcp_if_include", "lo", "-x", "LD_LIBRARY_PATH", "-x", "CLASSPATH",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.library.path=" + lib,
                "-cp", cp, name), Map.of("LD_LIBRARY_PATH", lib, "CLASSPATH", cp), "Open MPI " + name);
    }

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
            assumeTrue(!l.isEmpty(), "no programs in " + dir);
            return l;
        }
    }

    private static String name(Path src) {
        return src.getFileName().toString().replace(".java", "");
    }

    /** javac {@code sources} against {@code classPath} into {@code out}. */
    private static Path compile(List<Path> sources, String classPath, Path out) throws IOException {
        Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of("-nowarn", "-cp", classPath, "-d", out.toString()));
        for (Path p : sources) args.add(p.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, err, err, args.toArray(new String[0]));
        assertEquals(0, rc, () -> "javac -cp " + classPath + " failed:\n" + err.toString(StandardCharsets.UTF_8));
        return out;
    }

    private static List<String> sorted(String output) {
        return output.lines().filter(l -> !l.isBlank()).sorted().collect(Collectors.toList());
    }

    /** Runs a command to its end; returns its standard output; fails with both streams on a non-zero exit or timeout. */
    private static String run(List<String> command, Map<String, String> env, String what) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.directory(tmp.toFile());
        Path err = Files.createTempFile(tmp, "stderr", ".txt");
        pb.redirectError(err.toFile());
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
        }, "OpenMpiProgramsIT-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            fail(what + ": no end within " + RUN_TIMEOUT_SECONDS + " s: " + String.join(" ", command) + "\n"
                    + out.toString(StandardCharsets.UTF_8) + Files.readString(err));
        }
        reader.join(10_000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> what + " exited " + p.exitValue() + ": " + String.join(" ", command) + "\n"
                + text + readQuietly(err));
        return text;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** This checkout: {@code jmpi.home} (set by failsafe), else the nearest directory above with bin/jmpirun. */
    private static Path home() {
        String prop = System.getProperty("jmpi.home");
        for (Path p = Path.of(prop != null ? prop : "").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/jmpirun"))) return p;
        }
        throw new AssertionError("bin/jmpirun not found above " + Path.of(prop != null ? prop : "").toAbsolutePath());
    }
}
