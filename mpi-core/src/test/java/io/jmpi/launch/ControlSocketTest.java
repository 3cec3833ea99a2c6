package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's control socket in-process: the answer reaches the asker, one socket per process, nothing left. */
@Timeout(30)
class ControlSocketTest {
    @Test
    void askAnswerAndCleanUp() {
        Path path = ControlSocket.pathOf(ProcessHandle.current().pid());
        try (ControlSocket s = ControlSocket.open(reply -> reply.complete(List.of("line one", "line two")))) {
            assertNotNull(s);
            assertTrue(Files.exists(path));
            assertEquals("rwx------", PosixFilePermissions.toString(permissions(ControlSocket.folder())));
            assertNull(ControlSocket.open(reply -> reply.complete(List.of())), "a second job of this JVM gets none");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            int code = ControlSocket.ask(ProcessHandle.current().pid(), new PrintStream(out, true, StandardCharsets.UTF_8), err);
            assertEquals(ExitCodes.OK, code);
            assertEquals(List.of("jmpirun: line one", "jmpirun: line two"), out.toString(StandardCharsets.UTF_8).lines().toList());
        }
        assertFalse(Files.exists(path), "socket left behind");
        assertEquals(ExitCodes.USAGE, ControlSocket.ask(ProcessHandle.current().pid(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(Path p) {
        try {
            return Files.getPosixFilePermissions(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
