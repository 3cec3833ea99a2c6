package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Source compatibility with MPJ Express: the sample programs of src/test/resources/mpjprograms (written for MPJ
 * Express) compile against MPJ Express's own jar and against this module's classes.
 */
@Timeout(120)
class MpjProgramsCompileTest {
    static final Path PROGRAMS = Paths.get("src/test/resources/mpjprograms");

    static List<Path> programs() throws IOException {
        try (Stream<Path> s = Files.list(PROGRAMS)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    /** Compiles every program against {@code classpath}; returns the errors, empty when all compile. */
    static String compile(String classpath) throws IOException {
        Path out = Files.createTempDirectory("mpjprograms");
        try {
            return compile(classpath, out);
        } finally {
            delete(out);
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    static String compile(String classpath, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK (javax.tools)");
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diags, null, null)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(programs());
            List<String> options = List.of("-cp", classpath, "-d", out.toString(), "-proc:none", "-Xlint:none");
            boolean ok = javac.getTask(null, fm, diags, options, null, units).call();
            StringBuilder errors = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) errors.append(d).append('\n');
            }
            if (!ok && errors.length() == 0) errors.append("javac failed without diagnostics");
            return errors.toString();
        }
    }

    /**
     * The programs also run on jmpi, as ranks that are threads of this JVM (MPI.Init on a thread-job thread), and
     * print their expected line. Runs on processes under jmpirun and on MPJ Express are the launch side's tests.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 4})
    void samplesRunOnJmpiThreads(int n) throws Exception {
        Path out = Files.createTempDirectory("mpjprograms");
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        try {
            assertEquals("", compile(System.getProperty("mpijava.classes", "target/classes") + java.io.File.pathSeparator
                    + System.getProperty("java.class.path"), out));
            try (java.net.URLClassLoader programs = new java.net.URLClassLoader(new java.net.URL[]{out.toUri().toURL()},
                    getClass().getClassLoader())) {
                System.setOut(new java.io.PrintStream(captured, true, "UTF-8"));
                for (String name : List.of("Hello", "Ring", "Pi", "ExceptionCatch")) {
                    java.lang.reflect.Method main = programs.loadClass(name).getMethod("main", String[].class);
                    io.jmpi.runtime.ThreadJob.run(n, rank -> main.invoke(null, (Object) new String[0]));
                }
            }
        } finally {
            System.setOut(stdout);
            delete(out);
        }
        int sum = n * (n - 1) / 2;
        assertEquals(List.of("Hello: size=" + n + " ranksum=" + sum, "Ring: size=" + n + " sum=" + sum, "Pi: 3.141593",
                "ExceptionCatch: size=" + n + " sum=" + sum), List.of(captured.toString("UTF-8").split("\\R")));
    }

    @Test
    void samplesExist() throws IOException {
        List<String> names = programs().stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
        assertTrue(names.containsAll(List.of("Hello.java", "Ring.java", "Pi.java", "ExceptionCatch.java")), names.toString());
    }

    @Test
    void compileAgainstThisModule() throws IOException {
        String classes = System.getProperty("mpijava.classes", "target/classes");
        assertEquals("", compile(classes + java.io.File.pathSeparator + System.getProperty("java.class.path")));
    }

    @Test
    void compileAgainstMpjExpress() throws IOException {
        Path jar = Paths.get(System.getProperty("mpj.jar", "/usr/share/mpj/lib/mpj.jar"));
        assumeTrue(Files.isRegularFile(jar), "MPJ Express is not installed (" + jar + "): skipping the MPJ Express side");
        assertEquals("", compile(jar.toString()));
    }

    /** A program started as a plain JVM (no launcher) is a job of one rank: MPI's state is the process-wide one. */
    @Test
    void aSampleRunsAsASingletonProcess() throws Exception {
        Path out = Files.createTempDirectory("mpjprograms");
        Process p = null;
        try {
            String cp = System.getProperty("mpijava.classes", "target/classes") + java.io.File.pathSeparator
                    + System.getProperty("java.class.path");
            assertEquals("", compile(cp, out));
            Path javaBin = Paths.get(System.getProperty("java.home"), "bin", "java");
            p = new ProcessBuilder(javaBin.toString(), "-cp", out + java.io.File.pathSeparator + cp, "Ring")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "Ring did not end within 60 s");
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), text);
            assertEquals("Ring: size=1 sum=0", text.strip());
        } finally {
            if (p != null) p.destroyForcibly();
            delete(out);
        }
    }
}
