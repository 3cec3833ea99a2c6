package io.jmpi.launch;

import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jmpirun --api} on real rank JVMs, with a stand-in mpiJava API whose {@code MPI.Init} keeps its state in a
 * static field and refuses a second call, as a real one may: with {@code --transport local} every rank thread must
 * have its own copy of the API's and the program's statics (one class loader per rank, as in MPJ Express's multicore
 * device), and with a JVM per rank the API jar must be on each JVM's class path.
 */
@Timeout(120)
class ApiLaunchIT {
    /** Takes the rank from jmpi's thread job (shared, loaded by the JVM's class loader) or the launcher's variable. */
    private static final Map<String, String> STATIC_API = Map.of(
            "mpi/MPI.java", "package mpi; public class MPI { public static Intracomm COMM_WORLD;"
                    + " public static String[] Init(String[] a) throws MPIException {"
                    + "   if (COMM_WORLD != null) throw new MPIException(\"Init called twice in one class loader\");"
                    + "   io.jmpi.runtime.ThreadJob.Rank t = io.jmpi.runtime.ThreadJob.current();"
                    + "   COMM_WORLD = new Intracomm(t != null ? t.rank() : Integer.parseInt(System.getenv(\"JMPI_RANK\")));"
                    + "   return a; }"
                    + " public static void Finalize() throws MPIException {} }",
            "mpi/Intracomm.java", "package mpi; public class Intracomm { private final int rank;"
                    + " Intracomm(int rank) { this.rank = rank; }"
                    + " public int Rank() throws MPIException { return rank; } }",
            "mpi/MPIException.java", "package mpi; public class MPIException extends Exception {"
                    + " public MPIException(String m) { super(m); } }");
    private static final String PROGRAM = "public class Hello { static int calls;"
            + " public static void main(String[] a) throws Exception { mpi.MPI.Init(a); calls++;"
            + " System.out.println(\"rank \" + mpi.MPI.COMM_WORLD.Rank() + \" calls \" + calls + \" \" + a[0]);"
            + " mpi.MPI.Finalize(); } }";

    @TempDir
    Path tmp;
    private final RankJvms ranks = new RankJvms();
    private String savedHome;
    private Path program;

    @BeforeEach
    void homeWithStandInApi() throws IOException {
        Path api = ApiPrograms.compile(tmp.resolve("api"), STATIC_API, System.getProperty("java.class.path"));
        program = ApiPrograms.compile(tmp.resolve("program"), Map.of("Hello.java", PROGRAM), api.toString());
        jar(api, tmp.resolve("home/mpi-mpijava/target/mpi-mpijava-9.9.jar"));
        savedHome = System.getProperty(JmpiHome.HOME_PROPERTY);
        System.setProperty(JmpiHome.HOME_PROPERTY, tmp.resolve("home").toString());
    }

    @AfterEach
    void restore() {
        if (savedHome == null) System.clearProperty(JmpiHome.HOME_PROPERTY);
        else System.setProperty(JmpiHome.HOME_PROPERTY, savedHome);
        ranks.killAll(); // only does something when a test failed half-way
    }

    @Test
    void rankThreadsEachHaveTheirOwnApiAndProgramStatics() {
        InProcessJmpirun.Result r = InProcessJmpirun.run("-np", "3", "--transport", "local", "--timeout", "60",
                ranks.jvmArgs(), "-cp", program.toString(), "Hello", "x");
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertEquals(List.of("rank 0 calls 1 x", "rank 1 calls 1 x", "rank 2 calls 1 x"),
                r.out().lines().sorted().toList(), r.err());
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    @Test
    void rankJvmsGetTheApiJarChosenFromTheProgram() {
        InProcessJmpirun.Result r = InProcessJmpirun.run("-np", "2", "--timeout", "60", "--verbose", ranks.jvmArgs(),
                "-cp", program.toString(), "Hello", "y");
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertEquals(List.of("rank 0 calls 1 y", "rank 1 calls 1 y"), r.out().lines().sorted().toList(), r.err());
        assertTrue(r.err().contains("jmpirun: Hello uses the mpiJava 1.2 API (MPI.COMM_WORLD.Rank()): running with "
                + "--api mpijava"), r.err());
        assertTrue(ranks.alive().isEmpty(), ranks.describeAlive());
    }

    @Test
    void theWrongApiStartsNoRank() {
        InProcessJmpirun.Result r = InProcessJmpirun.run("-np", "2", "--api", "openmpi", ranks.jvmArgs(),
                "-cp", program.toString(), "Hello", "z");
        assertEquals(ExitCodes.WRONG_API, r.code(), r.out() + r.err());
        assertEquals("jmpirun: Hello uses the mpiJava 1.2 API (MPI.COMM_WORLD.Rank()); run with --api mpijava",
                r.firstErrorLine());
        assertEquals("", r.out());
    }

    private static void jar(Path classes, Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
    }
}
