package io.jmpi.distribution;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary distribution as a user gets it: jmpi-VERSION-bin.tar.gz unpacked into an empty folder, run with a Java
 * runtime and nothing else (an {@code mvn} on PATH that fails the test if called, no sources): an example, and the
 * sample application (samples/hello-app) compiled against the release's lib/jmpi.jar.
 */
@Timeout(300)
class ReleaseIT {
    private Path dir;
    private Path release;
    private Path work;
    private Path stub;

    @BeforeEach
    void unpack() throws Exception {
        Path tarball = Path.of(System.getProperty("jmpi.release.tarball"));
        assertTrue(Files.isRegularFile(tarball), "no " + tarball + " (mvn package makes it)");
        dir = Files.createTempDirectory("jmpi-release");
        assertEquals(0, run(dir, List.of("tar", "xzf", tarball.toString()), 60).code);
        release = dir.resolve("jmpi-" + System.getProperty("jmpi.version"));
        work = Files.createDirectories(dir.resolve("work"));
        stub = Files.createDirectories(dir.resolve("stub"));
        // Maven must not be needed at run time: the first call of this mvn leaves a mark and fails
        Files.writeString(stub.resolve("mvn"), "#!/bin/sh\ntouch \"$(dirname \"$0\")/mvn-was-called\"\nexit 1\n");
        Files.setPosixFilePermissions(stub.resolve("mvn"), PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (dir == null) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void theTarballHoldsWhatAUserNeedsAndNoSources() throws IOException {
        assertTrue(Files.isExecutable(release.resolve("bin/jmpirun")));
        assertTrue(Files.isExecutable(release.resolve("bin/mpjrun.sh")));
        String cmd = Files.readString(release.resolve("bin/jmpirun.cmd"), StandardCharsets.US_ASCII);
        assertTrue(cmd.contains("-jar \"%JAR%\" %*\r\n"), "bin/jmpirun.cmd runs lib\\jmpi.jar, with CRLF line ends");
        for (String f : List.of("lib/jmpi.jar", "README.md", "LICENSE", "docs/RELIABILITY.md", "docs/RELEASE.md",
                "examples/README.md", "examples/src/main/java/io/jmpi/examples/Pi.java",
                "samples/hello-app/pom.xml", "samples/hello-app/build.gradle")) {
            assertTrue(Files.isRegularFile(release.resolve(f)), f);
        }
        assertEquals(1, jars(release.resolve("lib"), "picocli-"), "picocli beside jmpi.jar");
        assertEquals(1, jars(release.resolve("lib/api"), "mpi-mpijava-"));
        assertEquals(1, jars(release.resolve("lib/api"), "mpi-openmpi-"));
        assertEquals(1, jars(release.resolve("lib/examples"), "jmpi-examples-"));
        assertFalse(Files.exists(release.resolve("pom.xml")), "a release has no build");
        assertFalse(Files.exists(release.resolve("mpi-core")), "a release has no sources of the library");
    }

    @Test
    void anExampleRunsWithAJavaRuntimeOnly() throws Exception {
        Result r = jmpirun("-np", "2", "--example", "pi", "--n=100001");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("verified: yes"), r.output);
        assertNoMavenAndNothingWritten();
    }

    @Test
    void theSampleApplicationCompilesAgainstTheReleaseAndRunsUnderJmpirun() throws Exception {
        Path src = release.resolve("samples/hello-app/src/main/java/hello/HelloApp.java");
        Result javac = run(work, List.of(javaBin("javac"), "-cp", release.resolve("lib/jmpi.jar").toString(), "-d", "classes",
                src.toString()), 120);
        assertEquals(0, javac.code, javac.output);
        Result r = jmpirun("-np", "3", "-cp", "classes", "hello.HelloApp");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("hello-app: 3 ranks, sum of ranks 3"), r.output);
        assertEquals(2, r.output.lines().filter(l -> l.startsWith("hello-app: hello from rank ")).count(), r.output);
        assertNoMavenAndNothingWritten();
    }

    /**
     * Windows and macOS (issue 22): {@code java -jar lib/jmpi.jar} is the launcher, with a PATH that holds nothing but
     * {@code java} (no bash, no mvn) and no JAVA_HOME; it finds its home, the examples and java from its own jar.
     */
    @Test
    void javaDashJarIsTheLauncherWithJavaAlone() throws Exception {
        Path src = release.resolve("samples/hello-app/src/main/java/hello/HelloApp.java");
        Result javac = run(work, List.of(javaBin("javac"), "-cp", release.resolve("lib/jmpi.jar").toString(), "-d", "classes",
                src.toString()), 120);
        assertEquals(0, javac.code, javac.output);
        Path bin = Files.createDirectories(dir.resolve("java-only"));
        Files.createSymbolicLink(bin.resolve("java"), Path.of(javaBin("java")));
        Result r = run(work, List.of("java", "-jar", release.resolve("lib/jmpi.jar").toString(), "-np", "2", "-cp",
                "classes", "hello.HelloApp"), 180, bin.toString());
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("hello-app: 2 ranks, sum of ranks 1"), r.output);
        assertEquals(1, r.output.lines().filter(l -> l.startsWith("hello-app: hello from rank ")).count(), r.output);
        Result example = run(work, List.of("java", "-jar", release.resolve("lib/jmpi.jar").toString(), "-np", "2",
                "--transport", "local", "--example", "pi", "--n=100001"), 180, bin.toString());
        assertEquals(0, example.code, example.output);
        assertTrue(example.output.contains("verified: yes"), example.output);
        assertNoMavenAndNothingWritten();
    }

    @Test
    void anMpiJavaProgramFindsItsApiInTheRelease() throws Exception {
        Result r = jmpirun("-np", "1", "--api", "mpijava", "--dry-run", "-cp", ".", "Hello");
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains(release.resolve("lib/api").toString() + File.separator + "mpi-mpijava-"), r.output);
    }

    @Test
    void theBomAndTheSampleNameThisVersion() throws IOException {
        Path home = Path.of(System.getProperty("jmpi.home"));
        String version = System.getProperty("jmpi.version");
        String bom = Files.readString(home.resolve("jmpi-bom/pom.xml"));
        assertTrue(bom.contains("<artifactId>jmpi-bom</artifactId>\n  <version>" + version + "</version>"),
                "jmpi-bom/pom.xml has no parent: its version must be the reactor's, " + version);
        for (String artifact : List.of("mpi-core", "mpi-mpijava", "mpi-openmpi", "jmpi-examples")) {
            assertTrue(bom.contains("<artifactId>" + artifact + "</artifactId>"), artifact + " missing from the BOM");
        }
        assertTrue(Files.readString(home.resolve("samples/hello-app/pom.xml"))
                .contains("<jmpi.version>" + version + "</jmpi.version>"), "samples/hello-app/pom.xml's jmpi.version");
        assertTrue(Files.readString(home.resolve("samples/hello-app/build.gradle"))
                .contains("def jmpiVersion = '" + version + "'"), "samples/hello-app/build.gradle's jmpiVersion");
    }

    private void assertNoMavenAndNothingWritten() throws IOException {
        assertFalse(Files.exists(stub.resolve("mvn-was-called")), "jmpirun called mvn");
        try (Stream<Path> s = Files.walk(release)) {
            assertEquals(List.of(), s.filter(p -> p.toString().contains("target")).toList(), "written into the release");
        }
    }

    private static long jars(Path folder, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".jar")).count();
        }
    }

    private static String javaBin(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    private Result jmpirun(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(release.resolve("bin/jmpirun").toString()));
        cmd.addAll(List.of(args));
        return run(work, cmd, 180);
    }

    private record Result(int code, String output) {
    }

    /** Runs {@code cmd} in {@code in} with PATH = the stand-in mvn, this JDK, the system's tools. */
    private Result run(Path in, List<String> cmd, long seconds) throws Exception {
        String path = (stub != null ? stub + File.pathSeparator : "") + Path.of(System.getProperty("java.home"), "bin")
                + File.pathSeparator + "/usr/bin:/bin";
        return run(in, cmd, seconds, path);
    }

    /** Runs {@code cmd} in {@code in} with {@code path} as PATH. */
    private Result run(Path in, List<String> cmd, long seconds, String path) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile("release-it", ".log");
        pb.redirectOutput(log.toFile());
        pb.environment().put("PATH", path);
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("MAVEN_HOME");
        Process p = pb.start();
        p.getOutputStream().close();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(done ? p.exitValue() : -1, done ? out : out + "\n(killed after " + seconds + " s)");
    }
}
