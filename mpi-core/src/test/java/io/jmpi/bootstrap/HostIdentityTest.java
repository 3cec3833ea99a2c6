package io.jmpi.bootstrap;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostIdentityTest {
    @Test
    void stableWithinAProcessAndRecomputable() {
        String id = HostIdentity.hostId();
        assertSame(id, HostIdentity.hostId());
        assertEquals(id, HostIdentity.compute(), "recomputing on the same host gives the same id");
    }

    @Test
    void isOneTokenFitForAnEndpointLine() {
        String id = HostIdentity.hostId();
        assertFalse(id.isEmpty());
        assertTrue(id.matches("[A-Za-z0-9._-]+"), id);
    }

    @Test
    void onLinuxItIsBootIdAndShmIdentity() throws Exception {
        Path bootId = Path.of("/proc/sys/kernel/random/boot_id");
        if (!Files.isReadable(bootId)) return; // not Linux: the hostname fallback is covered above
        String boot = Files.readString(bootId).trim().replace("-", "");
        String id = HostIdentity.hostId();
        assertTrue(id.startsWith(boot + "-"), id);
        if (Files.isDirectory(Path.of("/dev/shm"))) {
            assertTrue(id.substring(boot.length() + 1).matches("[0-9a-f]+-[0-9a-f]+"), id);
        }
    }
}
