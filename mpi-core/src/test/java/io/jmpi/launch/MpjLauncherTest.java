package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.launch.InProcessJmpirun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.jmpi.launch.InProcessJmpirun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jmpirun --backend mpj} without MPJ Express: options, the rank protocol, the MPJ_HOME search and its
 * messages, the commands it would run. (Real jobs on MPJ Express: mpi-mpj's integration tests.)
 */
class MpjLauncherTest {
    private static void assertUsage(String message, String... args) {
        Result r = run(args);
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("jmpirun: " + message, r.err().lines().findFirst().orElse(""));
    }

    @Test
    void badBackendOptions() {
        assertUsage("--backend=foo is not valid; allowed [jmpi, mpj]", "-np", "2", "--backend", "foo", "-cp", "x", "Main");
        assertUsage("--mpj-dev needs --backend mpj", "-np", "2", "--mpj-dev", "niodev", "-cp", "x", "Main");
        assertUsage("--mpj-dev=hybdev is not valid; allowed [multicore, niodev]", "-np", "2", "--backend", "mpj",
                "--mpj-dev", "hybdev", "-cp", "x", "Main");
        assertUsage("--transport cannot be combined with --backend mpj: MPJ Express carries the frames (use --mpj-dev "
                + "multicore for ranks as threads of one JVM, niodev for a JVM per rank)",
                "-np", "2", "--backend", "mpj", "--transport", "tcp", "-cp", "x", "Main");
    }

    @Test
    void programTravelsAsOneTokenWhateverItHolds() {
        List<String> program = List.of("my.Main", "-np", "3", "a b", "", "-cp", "\u00fc\u20ac", "x\ty");
        String token = MpjProtocol.encodeProgram(program);
        assertTrue(token.startsWith("jmpi64:") && token.matches("[A-Za-z0-9_:\\-]+"), token);
        assertEquals(program, MpjProtocol.decodeProgram(new String[] {token}));
        assertEquals(List.of("my.Main", "a"), MpjProtocol.decodeProgram(new String[] {"my.Main", "a"}));
        assertEquals(List.of("M"), MpjProtocol.decodeProgram(new String[] {MpjProtocol.encodeProgram(List.of("M"))}));
    }

    @Test
    void statusLinesRoundTrip() {
        MpjProtocol.Status f = MpjProtocol.parse(MpjProtocol.failed(3, "java.lang.Error: x\ny"));
        assertEquals(new MpjProtocol.Status(3, false, 0, "java.lang.Error: x y", false), f);
        MpjProtocol.Status p = MpjProtocol.parse(MpjProtocol.failedAfterPeer(1, "recv: rank 0 has closed"));
        assertEquals(new MpjProtocol.Status(1, false, 0, "recv: rank 0 has closed", true), p);
        MpjProtocol.Status a = MpjProtocol.parse(MpjProtocol.aborted(0, 7, "rank 0 called abort(7)"));
        assertEquals(new MpjProtocol.Status(0, true, 7, "rank 0 called abort(7)", false), a);
        assertNull(MpjProtocol.parse("[jmpi-mpj] something else"));
        assertNull(MpjProtocol.parse("rank 1 failed: not a status line"));
    }

    @Test
    void notInstalledSaysWhatToInstall(@TempDir Path tmp) {
        MpiException e = assertThrows(MpiException.class,
                () -> MpjHome.resolve(Map.of(), tmp, tmp.resolve("no-such-lib")));
        assertEquals(ErrorClass.STATE, e.errorClass());
        assertEquals(ExitCodes.CANNOT_LAUNCH, ExitCodes.forError(e));
        assertEquals("--backend mpj: MPJ Express is not installed: run 'apt-get install libmpj-java' (or "
                + "cluster-config/install-deps.sh --mpj), or set MPJ_HOME to an MPJ Express installation", e.getMessage());
        MpiException bad = assertThrows(MpiException.class,
                () -> MpjHome.resolve(Map.of("MPJ_HOME", tmp.toString()), tmp, tmp.resolve("no-such-lib")));
        assertTrue(bad.getMessage().startsWith("--backend mpj: MPJ_HOME=" + tmp + " is not a working MPJ Express "
                + "installation"), bad.getMessage());
    }

    @Test
    void aUsersMpjHomeIsUsedAsItIs(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        for (String j : new String[] {"mpj.jar", "starter.jar", "daemon.jar", "log4j-1.2.11.jar"}) Files.createFile(lib.resolve(j));
        assertEquals(tmp.toAbsolutePath().normalize(), MpjHome.resolve(Map.of("MPJ_HOME", tmp.toString()), tmp,
                tmp.resolve("no-such-lib")));
        Files.delete(lib.resolve("log4j-1.2.11.jar")); // Debian's own layout: its jars cannot find log4j
        assertFalse(MpjHome.usable(tmp));
    }

    @Test
    void classPathIsAbsoluteWithoutWildcards(@TempDir Path tmp) throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Files.createFile(lib.resolve("b.jar"));
        Files.createFile(lib.resolve("a.jar"));
        Files.createFile(lib.resolve("notes.txt"));
        List<String> cp = MpjLauncher.expand(List.of("classes", "lib/*", tmp.resolve("lib/a.jar").toString()), tmp);
        assertEquals(List.of(tmp.resolve("classes").toString(), lib.resolve("a.jar").toString(),
                lib.resolve("b.jar").toString()), cp);
    }

    @Test
    void commandsOfBothDevices() {
        MpjLauncher.Plan plan = new MpjLauncher.Plan("niodev", 3, Path.of("/opt/mpj"), "/usr/bin/java",
                List.of("-Xmx1g", "-Djmpi.eagerLimit=1024"), List.of("/p/app.jar", "/p/mpi-mpj.jar"),
                List.of("app.Main", "-np", "9"), Path.of("/work"), 0);
        List<String> mc = plan.multicoreCommand("ab");
        assertEquals(List.of("/usr/bin/java", "-Djmpi.job=ab", "-Xmx1g", "-Djmpi.eagerLimit=1024", "-cp",
                "/opt/mpj/lib/smpdev.jar:/opt/mpj/lib/xdev.jar:/opt/mpj/lib/mpjbuf.jar:/opt/mpj/lib/loader2.jar:"
                        + "/opt/mpj/lib/starter.jar:/opt/mpj/lib/mpiExp.jar", "runtime.starter.MulticoreStarter", "/work", "3",
                "smpdev", "useLocalLoader", "/p/app.jar:/p/mpi-mpj.jar", "io.jmpi.mpj.MpjMain",
                MpjProtocol.encodeProgram(List.of("app.Main", "-np", "9"))), mc);
        List<String> run = plan.mpjrunCommand(Path.of("/j/home"), Path.of("/j/machines"), 4100, "ab");
        int np = run.indexOf("-np");
        assertEquals("3", run.get(np + 1));
        assertEquals(1, run.stream().filter(a -> a.equals("-np")).count(), "the program's -np must not reach mpjrun");
        assertEquals(MpjProtocol.encodeProgram(List.of("app.Main", "-np", "9")), run.get(run.size() - 1));
        assertTrue(run.indexOf("-Xmx1g") < run.indexOf("-cp"), "rank JVM options go before -cp: " + run);
    }

    @Test
    void aRankJvmOptionThatMpjrunWouldTakeIsRefused() {
        MpjLauncher.checkRankJvmArgs(List.of("-Xmx1g", "-Dx=-np", "-ea"));
        MpiException e = assertThrows(MpiException.class, () -> MpjLauncher.checkRankJvmArgs(List.of("-Xss1m", "-wdir")));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertEquals("--jvm-args -wdir: MPJ Express's mpjrun would take it as its own option", e.getMessage());
    }
}
