package io.jmpi.launch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/mpjrun.sh's command line, translated by {@link MpjRun} into jmpirun's. Nothing is started. */
class MpjRunTest {
    private final ByteArrayOutputStream notes = new ByteArrayOutputStream();

    private List<String> translate(String... args) {
        return MpjRun.translate(args, new PrintStream(notes, true, StandardCharsets.UTF_8), 6);
    }

    private String notes() {
        return notes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void multicoreIsTheLocalTransportAndTheDefault() {
        assertEquals(List.of("--api", "mpijava", "-np", "4", "--transport", "local", "-cp", "classes", "Hello", "-np", "9"),
                translate("-np", "4", "-dev", "multicore", "-cp", "classes", "Hello", "-np", "9"));
        // MPJ Express's defaults: as many ranks as cores, multicore
        assertEquals(List.of("--api", "mpijava", "-np", "6", "--transport", "local", "Hello"), translate("Hello"));
    }

    @Test
    void niodevAndHybdevAreJvmProcessesAndTheMachinesFileIsTheHostfile() {
        assertEquals(List.of("--api", "mpijava", "-np", "4", "--hostfile", "machines", "--map-by", "node",
                        "--oversubscribe", "-cp", "c", "Pi"),
                translate("-np", "4", "-dev", "niodev", "-machinesfile", "machines", "-classpath", "c", "Pi"));
        assertEquals(List.of("--api", "mpijava", "-np", "2", "--transport", "auto", "Pi"),
                translate("-np", "2", "-dev", "hybdev", "Pi"));
        assertEquals(List.of("--api", "mpijava", "-np", "2", "--transport", "local", "Pi"),
                translate("-np", "2", "-machinesfile", "m", "Pi"));
        assertEquals("mpjrun.sh: ignoring -machinesfile m: -dev multicore runs every rank on this machine (as MPJ "
                + "Express does)\n", notes());
    }

    @Test
    void jarJvmOptionsPslAndDaemonOptions() {
        assertEquals(List.of("--api", "mpijava", "-np", "3", "-D", "eagerLimit=65536", "--jvm-args=-Xmx256m",
                        "--jvm-args=-Dk=v", "--jvm-args=-ea", "-jar", "app.jar", "-cp", "x"),
                translate("-np", "3", "-dev", "niodev", "-psl", "65536", "-Xmx256m", "-Dk=v", "-ea", "-dport", "10000",
                        "-wdir", "/tmp", "-jar", "app.jar", "-cp", "x"));
        assertEquals("mpjrun.sh: ignoring -dport 10000: it configures MPJ Express's daemons and devices; jmpi has none\n",
                notes());
        assertNull(translate("-h"), "-h asks for the usage text");
    }

    @Test
    void errorsNameTheOptionAndWhatIsAllowed() {
        assertError("unknown option '-bogus'", "-np", "2", "-bogus", "Hello");
        assertError("-dev=mxdev is not valid; allowed multicore, niodev, hybdev", "-dev", "mxdev", "Hello");
        assertError("option '-np' needs a value (N)", "-np");
        assertError("missing program: give CLASS or -jar JAR", "-np", "2", "-cp", "x");
        assertError("-psl=huge out of range [0, 1048576] (bytes)", "-psl", "huge", "Hello");
        assertError("-debug is an MPJ Express option jmpi does not support (debug a rank with -agentlib:jdwp=..., a JVM "
                + "option)", "-debug", "24500", "Hello");
        assertError("-cp cannot be combined with -jar (java ignores it); put the class path in the jar's manifest, or "
                + "use -cp CP CLASS", "-cp", "x", "-jar", "a.jar");
    }

    @Test
    void aBadCommandLineExitsWithUsageAndTheSynopsis() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MpjRun.run(new String[] {"-np", "2", "-dev", "shm", "Hello"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        assertEquals(ExitCodes.USAGE, code);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("mpjrun.sh: -dev=shm is not valid; allowed multicore, niodev, hybdev\nUsage: "
                + MpjRun.SYNOPSIS + "\n"), e);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    private void assertError(String message, String... args) {
        io.jmpi.base.MpiException e = assertThrows(io.jmpi.base.MpiException.class, () -> translate(args));
        assertEquals(message, e.getMessage());
    }
}
