package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's AppCDS plan: who dumps, who maps, when it stays off, and that only a whole archive is kept. */
class ClassDataSharingTest {
    @TempDir
    Path dir;

    private JobSpec spec(String classPath, List<String> jvmArgs, Map<String, String> settings, boolean local) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new JobSpec(3, java, jvmArgs, classPath, List.of("Main"), settings, local, false, 0, Launch.local(""), 0);
    }

    private Path jar(String name) throws IOException {
        return Files.write(dir.resolve(name), new byte[]{1, 2, 3});
    }

    private Map<String, String> env() {
        return Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString());
    }

    @Test
    void theFirstJobHasRankZeroDumpAndTheNextOneMapsTheArchive() throws IOException {
        String cp = jar("a.jar") + java.io.File.pathSeparator + jar("b.jar");
        JobSpec s = spec(cp, List.of("-Xmx64m"), Map.of(), false);
        ClassDataSharing first = ClassDataSharing.plan(s, env(), 1);
        assertTrue(first.creating());
        List<String> base = List.of("java", "-Xmx64m", "-cp", cp, "Main");
        List<String> r0 = first.command(base, 0);
        assertEquals("java", r0.get(0));
        assertTrue(r0.get(1).startsWith("-XX:ArchiveClassesAtExit="), r0.toString());
        assertEquals(base, first.command(base, 1), "only rank 0 dumps");
        // rank 0 exits 0 after writing its archive: the launcher moves it into place
        Path dumped = Path.of(r0.get(1).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(dumped, new byte[]{42});
        first.jobEnded(true);
        assertFalse(Files.exists(dumped));
        assertTrue(Files.isRegularFile(first.archive()));

        ClassDataSharing next = ClassDataSharing.plan(s, env(), 2);
        assertFalse(next.creating());
        assertEquals(first.archive(), next.archive());
        for (int r = 0; r < 3; r++) {
            assertEquals("-XX:SharedArchiveFile=" + first.archive(), next.command(base, r).get(1), "rank " + r);
        }
    }

    @Test
    void aFailedRankZeroLeavesNoArchive() throws IOException {
        JobSpec s = spec(jar("a.jar").toString(), List.of(), Map.of(), false);
        ClassDataSharing plan = ClassDataSharing.plan(s, env(), 7);
        List<String> r0 = plan.command(List.of("java", "Main"), 0);
        Path dumped = Path.of(r0.get(1).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(dumped, new byte[]{42});
        plan.jobEnded(false);
        assertFalse(Files.exists(dumped), "the partial archive is removed");
        assertFalse(Files.exists(plan.archive()), "and never used");
    }

    @Test
    void aChangedJarGivesAnotherArchive() throws IOException {
        Path a = jar("a.jar");
        ClassDataSharing one = ClassDataSharing.plan(spec(a.toString(), List.of(), Map.of(), false), env(), 1);
        Files.write(a, new byte[]{1, 2, 3, 4});
        ClassDataSharing two = ClassDataSharing.plan(spec(a.toString(), List.of(), Map.of(), false), env(), 1);
        assertFalse(one.archive().equals(two.archive()));
    }

    @Test
    void offWhenAskedForOrWhenItCannotWork() throws IOException {
        String cp = jar("a.jar").toString();
        assertNull(ClassDataSharing.plan(spec(cp, List.of(), Map.of("JMPI_CDS", "false"), false), env(), 1).archive());
        assertNull(ClassDataSharing.plan(spec(cp, List.of("-Xshare:off"), Map.of(), false), env(), 1).archive());
        assertNull(ClassDataSharing.plan(spec(cp, List.of(), Map.of(), true), env(), 1).archive(), "local transport");
        Files.createDirectories(dir.resolve("classes"));
        assertNull(ClassDataSharing.plan(spec(cp + java.io.File.pathSeparator + dir.resolve("classes"), List.of(),
                Map.of(), false), env(), 1).archive(), "a directory on the class path");
        assertNotNull(ClassDataSharing.plan(spec(cp, List.of(), Map.of(), false), env(), 1).archive());
        List<String> base = List.of("java", "Main");
        assertEquals(base, ClassDataSharing.plan(spec(cp, List.of(), Map.of("JMPI_CDS", "off"), false), env(), 1)
                .command(base, 0));
    }
}
