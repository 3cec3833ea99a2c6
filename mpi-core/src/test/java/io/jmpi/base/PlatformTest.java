package io.jmpi.base;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The capability checks of issue 22 and their portable fallbacks, selected explicitly on Linux. */
class PlatformTest {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void anExplicitShmDirWinsEverywhere() {
        assertEquals(Path.of("/some/dir"), Platform.shmDir("/some/dir", false));
        assertEquals(Path.of("/some/dir"), Platform.shmDir("/some/dir", true));
        assertEquals(Path.of("/some/dir"), Platform.shmDir(Config.of(Map.of("JMPI_SHM_DIR", "/some/dir"))));
    }

    @Test
    void theDefaultIsDevShmWhereItIsWritableElseTheTempDirectory() {
        Path devShm = Path.of("/dev/shm");
        Path expected = Files.isDirectory(devShm) && Files.isWritable(devShm) ? devShm : TMP;
        assertEquals(expected, Platform.shmDir(Config.of(Map.of())));
    }

    @Test
    void thePortableDefaultIsTheTempDirectory() {
        assertEquals(TMP, Platform.shmDir(Config.of(Map.of("JMPI_PORTABLE", "true"))));
    }

    @Test
    void thePortableHostnameComesFromJava() throws Exception {
        String h = Platform.hostname(true);
        assertFalse(h.isBlank());
        if (!Platform.windows()) assertEquals(InetAddress.getLocalHost().getHostName(), h);
    }

    @Test
    void onLinuxTheHostnameIsTheKernels() throws Exception {
        Path proc = Path.of("/proc/sys/kernel/hostname");
        if (!Files.isReadable(proc)) return; // not Linux: the portable answer is checked above
        assertEquals(Files.readString(proc).trim(), Platform.hostname(false));
    }
}
