package io.jmpi.launch;

import io.jmpi.launch.InProcessJmpirun.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static io.jmpi.launch.InProcessJmpirun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jmpirun --api}, in-process through {@code --dry-run} (no JVM is started): the API jar on the class path, the
 * API chosen from the program's classes, and {@link ExitCodes#WRONG_API} when the program needs the other one. The
 * jmpi home is a temporary directory holding stand-in API jars, so that the test does not depend on the API modules
 * being built.
 */
class ApiOptionTest {
    @TempDir
    Path tmp;
    private String savedHome;
    private Path mpijavaJar;
    private Path openmpiJar;

    @BeforeEach
    void fakeHome() throws IOException {
        savedHome = System.getProperty(JmpiHome.HOME_PROPERTY);
        Path home = tmp.resolve("home");
        mpijavaJar = emptyJar(home.resolve("mpi-mpijava/target/mpi-mpijava-9.9.jar"));
        openmpiJar = emptyJar(home.resolve("mpi-openmpi/target/mpi-openmpi-9.9.jar"));
        System.setProperty(JmpiHome.HOME_PROPERTY, home.toString());
    }

    @AfterEach
    void restoreHome() {
        if (savedHome == null) System.clearProperty(JmpiHome.HOME_PROPERTY);
        else System.setProperty(JmpiHome.HOME_PROPERTY, savedHome);
    }

    @Test
    void wrongApiIsNamedBeforeAnyRankStarts() throws IOException {
        Path mpiJava = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        Path openMpi = ApiPrograms.program(tmp.resolve("o"), ApiPrograms.OPENMPI, ApiPrograms.OPENMPI_HELLO);
        assertWrongApi("jmpirun: Hello uses the mpiJava 1.2 API (MPI.COMM_WORLD.Rank()); run with --api mpijava",
                "-np", "2", "--api", "native", "-cp", mpiJava.toString(), "Hello");
        assertWrongApi("jmpirun: Hello uses the mpiJava 1.2 API (MPI.COMM_WORLD.Rank()); run with --api mpijava",
                "-np", "2", "--api", "openmpi", "-cp", mpiJava.toString(), "Hello");
        assertWrongApi("jmpirun: Hello uses the Open MPI Java API (MPI.COMM_WORLD.getRank()); run with --api openmpi",
                "-np", "2", "--api=mpijava", "--dry-run", "-cp", openMpi.toString(), "Hello");
    }

    @Test
    void withoutApiTheProgramsOwnIsChosenAndSaidWithVerbose() throws IOException {
        Path mpiJava = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        Result r = run("-np", "2", "--dry-run", "--verbose", "-cp", mpiJava.toString(), "Hello", "x");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("jmpirun: Hello uses the mpiJava 1.2 API (MPI.COMM_WORLD.Rank()): running with --api mpijava",
                r.firstErrorLine());
        // the API jar first: a class path may bring another package mpi (MPJ Express's mpj.jar)
        assertTrue(r.out().contains(" -cp " + mpijavaJar + File.pathSeparator + mpiJava + File.pathSeparator),
                r.out());
        assertTrue(r.out().contains(" Hello x"), r.out());
        assertFalse(r.out().contains(openmpiJar.toString()), r.out());

        Path openMpi = ApiPrograms.program(tmp.resolve("o"), ApiPrograms.OPENMPI, ApiPrograms.OPENMPI_HELLO);
        Result quiet = run("-np", "2", "--dry-run", "-cp", openMpi.toString(), "Hello");
        assertEquals(ExitCodes.OK, quiet.code(), quiet.err());
        assertEquals("", quiet.err(), "without --verbose the choice is silent");
        assertTrue(quiet.out().contains(" -cp " + openmpiJar + File.pathSeparator + openMpi), quiet.out());
    }

    @Test
    void localTransportGivesEveryRankThreadItsOwnClassLoader() throws IOException {
        Path mpiJava = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        Result r = run("-np", "3", "--transport", "local", "--dry-run", "-cp", mpiJava.toString(), "Hello", "a");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String expected = " " + JobSpec.LOCAL_JOB_MAIN + " 3 " + JobSpec.RANK_CLASS_PATH + " " + mpijavaJar
                + File.pathSeparator + mpiJava + " Hello a";
        assertTrue(r.out().contains(expected), r.out());
        // the JVM's own class path is jmpi only, so that the rank loaders (not their parent) load the program and mpi
        String cp = r.out().replaceFirst("(?s).* -cp (\\S+) .*", "$1");
        assertFalse(cp.contains(mpijavaJar.toString()) || cp.contains(mpiJava.toString()), cp);
    }

    @Test
    void aJarRunsItsMainClassWithTheApiOnTheClassPath() throws IOException {
        Path mpiJava = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        Path jar = tmp.resolve("hello.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(mpiJava.resolve("Hello.class")));
            out.closeEntry();
        }
        Result r = run("-np", "2", "--dry-run", "-jar", jar.toString(), "a");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains(" -cp " + mpijavaJar + File.pathSeparator + jar + File.pathSeparator), r.out());
        assertTrue(r.out().contains(" Hello a"), r.out());
        assertFalse(r.out().contains("-jar"), r.out());
    }

    @Test
    void nativeProgramsStayNative() throws IOException {
        Path plain = ApiPrograms.compile(tmp, java.util.Map.of("Plain.java",
                "public class Plain { public static void main(String[] a) { } }"), null);
        Result r = run("-np", "2", "--dry-run", "--verbose", "-cp", plain.toString(), "Plain");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals("jmpirun: Plain does not use package mpi; --api native (the default)", r.firstErrorLine());
        assertFalse(r.out().contains("mpi-mpijava") || r.out().contains("mpi-openmpi"), r.out());
    }

    @Test
    void badValuesAndCombinations() throws IOException {
        Path mpiJava = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        assertUsage("jmpirun: --api=fortran is not valid; allowed native, mpijava, openmpi",
                "-np", "2", "--api", "fortran", "-cp", mpiJava.toString(), "Hello");
        assertUsage("jmpirun: --example runs jmpi's own programs, written for --api native; --api mpijava is for "
                + "programs written against package mpi", "-np", "2", "--api", "mpijava", "--example", "ring");
        // --backend mpj --api mpijava runs (MpjApiIT, module mpi-mpj); the Open MPI API is not offered there
        Path openMpi = ApiPrograms.program(tmp.resolve("o"), ApiPrograms.OPENMPI, ApiPrograms.OPENMPI_HELLO);
        assertUsage("jmpirun: --backend mpj runs jmpi programs (--api native) and mpiJava 1.2 programs (--api mpijava) on "
                        + "MPJ Express's devices; --api openmpi is not offered with it (run it without --backend)",
                "-np", "2", "--backend", "mpj", "--api", "openmpi", "-cp", openMpi.toString(), "Hello");
        assertUsage("jmpirun: --backend mpj runs jmpi programs (--api native) and mpiJava 1.2 programs (--api mpijava) on "
                        + "MPJ Express's devices; --api openmpi is not offered with it (run it without --backend)",
                "-np", "2", "--backend", "mpj", "-cp", openMpi.toString(), "Hello");
    }

    @Test
    void aMissingApiJarSaysHowToBuildIt() throws IOException {
        Files.delete(mpijavaJar);
        Path mpiJava = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        Result r = run("-np", "2", "--dry-run", "-cp", mpiJava.toString(), "Hello");
        assertEquals(ExitCodes.CANNOT_LAUNCH, r.code(), r.err());
        Path home = Path.of(System.getProperty(JmpiHome.HOME_PROPERTY));
        assertEquals("jmpirun: --api mpijava needs mpi-mpijava/target/mpi-mpijava-*.jar under " + home + "; build it: (cd "
                + home + " && mvn -q -DskipTests -pl mpi-mpijava -am package), or run bin/jmpirun --api mpijava, which "
                + "builds it", r.firstErrorLine());
    }

    private static void assertWrongApi(String message, String... args) {
        Result r = run(args);
        assertEquals(ExitCodes.WRONG_API, r.code(), r.err());
        assertEquals(message, r.firstErrorLine());
        assertEquals("", r.out());
    }

    private static void assertUsage(String message, String... args) {
        Result r = run(args);
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals(message, r.firstErrorLine());
    }

    private static Path emptyJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/"));
            out.closeEntry();
        }
        return jar;
    }
}
