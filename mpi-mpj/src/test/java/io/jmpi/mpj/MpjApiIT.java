package io.jmpi.mpj;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * mpiJava 1.2 programs on the MPJ Express backend: {@code jmpirun --backend mpj --api mpijava}. The sample programs
 * written for MPJ Express ({@code mpi-mpijava/src/test/resources/mpjprograms}) and {@code ApiCheck} (below) are
 * compiled against MPJ Express's own {@code mpj.jar}; the same class files then run on jmpi's mpiJava API over MPJ
 * Express's devices, where MPJ Express's {@code mpi} is on the ranks' class path too (the backend uses it). Each
 * prints one line from rank 0 whose value depends on the world size. {@code ApiCheck} shows the program's
 * {@code mpi} is jmpi's ({@code Wtick} 1e-9 and the class loader {@code io.jmpi.mpj.ApiClassLoader}), with every rank
 * checking that MPJ Express's own classes are invisible to it.
 */
@Timeout(900)
class MpjApiIT {
    private static final Path MPJ_JAR = Path.of("/usr/share/mpj/lib/mpj.jar");
    private static final String API_CHECK = """
            import mpi.MPI;

            public class ApiCheck {
                public static void main(String[] args) throws Exception {
                    MPI.Init(args);
                    int rank = MPI.COMM_WORLD.Rank(), size = MPI.COMM_WORLD.Size();
                    boolean mpjVisible;
                    try {
                        Class.forName("mpjdev.Comm", false, ApiCheck.class.getClassLoader());
                        mpjVisible = true;
                    } catch (ClassNotFoundException e) {
                        mpjVisible = false;
                    }
                    int[] bad = {mpjVisible ? 1 : 0}, badSum = new int[1];
                    MPI.COMM_WORLD.Allreduce(bad, 0, badSum, 0, 1, MPI.INT, MPI.SUM);
                    Object[] obj = {rank == 0 ? "from-0:" + String.join(",", args) : null};
                    MPI.COMM_WORLD.Bcast(obj, 0, 1, MPI.OBJECT, 0);
                    if (rank == 0) {
                        System.out.println("ApiCheck: size=" + size + " wtick=" + MPI.Wtick() + " loader="
                                + MPI.class.getClassLoader().getClass().getName() + " mpjVisible=" + badSum[0]
                                + " obj=" + obj[0]);
                    }
                    MPI.Finalize();
                }
            }
            """;

    @TempDir
    static Path tmp;
    private static Path classes;

    @BeforeAll
    static void compileAgainstMpjJar() throws IOException {
        MpjJobs.assumeMpj();
        Path programs = home().resolve("mpi-mpijava/src/test/resources/mpjprograms");
        assumeTrue(Files.isDirectory(programs), "no " + programs + " in this checkout");
        try (Stream<Path> s = Files.list(home().resolve("mpi-mpijava/target"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().matches("mpi-mpijava-[^-]+(-SNAPSHOT)?\\.jar")),
                    "mpi-mpijava's jar is not built (mpi-mpj's test dependency on it orders the reactor)");
        }
        List<String> javac = new ArrayList<>(List.of("-d", (classes = Files.createDirectories(tmp.resolve("classes")))
                .toString(), "-cp", MPJ_JAR.toString(), "-nowarn"));
        try (Stream<Path> s = Files.list(programs)) {
            s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> javac.add(p.toString()));
        }
        Path check = tmp.resolve("ApiCheck.java");
        Files.writeString(check, API_CHECK);
        javac.add(check.toString());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = compiler.run(null, diag, diag, javac.toArray(new String[0]));
        assertEquals(0, rc, () -> "javac -cp mpj.jar failed:\n" + diag.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} np={1}")
    @CsvSource({"multicore, 1", "multicore, 2", "multicore, 3", "multicore, 4", "multicore, 5", "multicore, 6",
                "niodev, 1", "niodev, 2", "niodev, 3", "niodev, 4", "niodev, 5", "niodev, 6"})
    void mpjProgramsRunOnTheBackend(String device, int np) {
        long half = (long) np * (np - 1) / 2;
        String expected = "Hello: size=" + np + " ranksum=" + half;
        // one program per size keeps the IT short; the others rotate through the sizes
        String[][] programs = {{"Hello", expected}, {"Ring", "Ring: size=" + np + " sum=" + half}, {"Pi", "Pi: 3.141593"},
                {"ExceptionCatch", "ExceptionCatch: size=" + np + " sum=" + half}};
        String[] p = programs[(np + (device.equals("niodev") ? 2 : 0)) % programs.length];
        MpjJobs.Result r = run(device, np, p[0]);
        assertEquals(0, r.code(), "jmpirun exit code; output:\n" + r.all());
        assertEquals(List.of(p[1]), lines(r.out(), p[0]), "output:\n" + r.all());
    }

    @ParameterizedTest(name = "{0} np={1}")
    @CsvSource({"multicore, 1", "multicore, 4", "niodev, 3"})
    void theProgramSeesJmpisMpiAndNoMpjExpress(String device, int np) {
        MpjJobs.Result r = run(device, np, "ApiCheck", "a b", "-np", "7");
        assertEquals(0, r.code(), "jmpirun exit code; output:\n" + r.all());
        assertEquals(List.of("ApiCheck: size=" + np + " wtick=1.0E-9 loader=io.jmpi.mpj.ApiClassLoader mpjVisible=0"
                + " obj=from-0:a b,-np,7"), lines(r.out(), "ApiCheck"), "output:\n" + r.all());
    }

    @Test
    void openMpiApiIsRefusedWithTheBackend() {
        MpjJobs.Result r = MpjJobs.jmpirun("--backend", "mpj", "--api", "openmpi", "-np", "2", "-cp",
                classes.toString(), "Hello");
        assertEquals(io.jmpi.launch.ExitCodes.USAGE, r.code(), "output:\n" + r.all());
    }

    private static MpjJobs.Result run(String device, int np, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of("--backend", "mpj", "--api", "mpijava", "--mpj-dev", device, "-np",
                Integer.toString(np), "--timeout", "300", "-cp", classes.toString(), main));
        cmd.addAll(List.of(args));
        return MpjJobs.jmpirun(cmd.toArray(new String[0]));
    }

    private static List<String> lines(String out, String name) {
        return out.lines().filter(l -> l.startsWith(name + ": ")).toList();
    }

    private static Path home() {
        String prop = System.getProperty("jmpi.home");
        return Path.of(prop != null ? prop : "..").toAbsolutePath().normalize();
    }
}
