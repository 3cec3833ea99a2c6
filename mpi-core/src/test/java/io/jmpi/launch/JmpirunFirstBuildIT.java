package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/jmpirun's first build, with a stand-in {@code mvn} on PATH that records its arguments and prints what Maven
 * prints (colour codes included): the build is tried offline first, then online, each module shows as a progress
 * line, the reason of a failure is shown, and no escape code reaches the terminal.
 */
@Timeout(60)
class JmpirunFirstBuildIT {
    private static final String FAKE_MVN = """
            #!/bin/bash
            echo "$*" >> "$(dirname "$0")/calls"
            printf '\\033[0m\\033[0m[INFO] Building jmpi core library and launcher 0.1.0-SNAPSHOT     [1/1]\\n'
            for a in "$@"; do
              if [ "$a" = -o ]; then
                printf '\\033[1;31m[ERROR]\\033[m Cannot access central in offline mode and the artifact a:b:jar:1 has not been downloaded\\n'
                exit 1
              fi
            done
            printf '[ERROR] no network either\\n'
            exit 1
            """;

    @Test
    void offlineFirstThenOnlineWithProgressAndReasonsAndNoEscapeCodes(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("jmpi");
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("mpi-core"));
        Files.copy(ReadmeIT.home().resolve("bin/jmpirun"), home.resolve("bin/jmpirun"));
        Path stub = dir.resolve("stub");
        Files.createDirectories(stub);
        Files.writeString(stub.resolve("mvn"), FAKE_MVN);
        Files.setPosixFilePermissions(stub.resolve("mvn"), PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/jmpirun").toString(), "-np", "2", "-cp", "x", "Main")
                .redirectErrorStream(true);
        pb.environment().put("PATH", stub + ":" + pb.environment().get("PATH"));
        pb.environment().put("TMPDIR", dir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(ExitCodes.CANNOT_LAUNCH, p.exitValue(), out);
        assertFalse(out.contains("\u001b"), "escape codes in:\n" + out);
        List<String> calls = Files.readAllLines(stub.resolve("calls"));
        assertEquals(2, calls.size(), calls.toString());
        assertTrue(List.of(calls.get(0).split(" ")).contains("-o"), "offline first: " + calls);
        assertFalse(List.of(calls.get(1).split(" ")).contains("-o"), "then online: " + calls);
        assertEquals(2, out.lines().filter(l -> l.equals("jmpirun:   [1/1] jmpi core library and launcher")).count(), out);
        assertTrue(out.contains("in offline mode and the artifact a:b:jar:1"), "the offline failure's reason:\n" + out);
        assertTrue(out.contains("no network either"), "the online failure's reason:\n" + out);
    }
}
