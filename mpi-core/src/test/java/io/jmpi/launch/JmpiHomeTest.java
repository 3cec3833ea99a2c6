package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where {@code java -jar .../jmpi.jar} finds its home without bin/jmpirun's -Djmpi.home (issue 22). */
class JmpiHomeTest {
    @Test
    void aReleaseIsTheFolderAboveLibJmpiJar(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(Files.createDirectories(dir.resolve("jmpi-1.0/lib")).resolve("jmpi.jar"));
        Files.createFile(dir.resolve("jmpi-1.0/lib/picocli-4.7.6.jar"));
        assertEquals(dir.resolve("jmpi-1.0"), JmpiHome.deriveHome(jar));
        JmpiHome home = new JmpiHome(JmpiHome.deriveHome(jar), jar);
        assertEquals(List.of(jar.toString(), dir.resolve("jmpi-1.0/lib") + File.separator + "*"), home.coreClassPath(),
                "the ranks get jmpi.jar and the dependencies beside it");
    }

    @Test
    void aBuildTreeIsTheFolderThatHoldsMpiCore(@TempDir Path dir) throws Exception {
        Path target = Files.createDirectories(dir.resolve("jmpi/mpi-core/target/lib"));
        Path jar = Files.createFile(target.getParent().resolve("jmpi.jar"));
        assertEquals(dir.resolve("jmpi"), JmpiHome.deriveHome(jar));
        JmpiHome home = new JmpiHome(JmpiHome.deriveHome(jar), jar);
        assertEquals(List.of(jar.toString(), target + File.separator + "*"), home.coreClassPath());
    }
}
