package io.jmpi.launch;

import io.jmpi.launch.InProcessJmpirun.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** jmpirun's issue-19 options, in-process through --dry-run: what they pass to the ranks, and their errors. */
class ToolsOptionsTest {
    @Test
    void traceProfileAndCheckBecomeSettings(@TempDir Path dir) {
        Path json = dir.resolve("run.json");
        Result r = InProcessJmpirun.run("--dry-run", "-np", "2", "--trace", json.toString(), "--profile", "--check",
                "-cp", "app.jar", "Main");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("JMPI_TRACE_DIR=" + dir.toAbsolutePath().resolve("run.json.ranks")), r.out());
        assertTrue(r.out().contains("JMPI_TRACE_CALL_SITES=true"), r.out());
        assertTrue(r.out().contains("JMPI_CHECK=true"), r.out());
        assertFalse(Files.exists(dir.resolve("run.json.ranks")), "a dry run creates no folder");
    }

    @Test
    void exploreOutOfRangeIsAUsageError() {
        Result r = InProcessJmpirun.run("-np", "2", "--explore", "0", "-cp", "app.jar", "Main");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertEquals("jmpirun: --explore 0 out of range [1, 100000]", r.firstErrorLine());
    }
}
