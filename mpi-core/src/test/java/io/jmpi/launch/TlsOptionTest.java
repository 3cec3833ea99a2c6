package io.jmpi.launch;

import io.jmpi.launch.InProcessJmpirun.Result;
import org.junit.jupiter.api.Test;


import static io.jmpi.launch.InProcessJmpirun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jmpirun --tls} and the TLS settings on the command line (in-process, --dry-run: no JVM is started). */
class TlsOptionTest {
    @Test
    void tlsSetsTheSettingForEveryRank() {
        Result r = run("--dry-run", "-np", "2", "--transport", "tcp", "--tls", "-D", "tlsKeystore=/keys/job.p12",
                "-cp", "app.jar", "Main");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("JMPI_TLS=true"), r.out());
        assertTrue(r.out().contains("JMPI_TLS_KEYSTORE=/keys/job.p12"), r.out());
        Result plain = run("--dry-run", "-np", "2", "-cp", "app.jar", "Main");
        assertFalse(plain.out().contains("JMPI_TLS"), plain.out());
    }

    @Test
    void thePasswordIsNeverTakenFromTheCommandLine() {
        Result r = run("--dry-run", "-np", "2", "--tls", "-D", "tlsPassword=hunter2-secret", "-cp", "app.jar", "Main");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("jmpirun: -D tlsPassword: a password must not be on a command line"), r.err());
        assertTrue(r.err().contains("JMPI_TLS_PASSWORD"), r.err());
        assertFalse(r.err().contains("hunter2"), "the password must not be echoed: " + r.err());
    }

    @Test
    void badValuesAreUsageErrors() {
        Result r = run("--dry-run", "-np", "2", "-D", "tls=maybe", "-cp", "app.jar", "Main");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("jmpirun: -D tls=maybe is not valid; allowed true or false"), r.err());
        r = run("--dry-run", "-np", "2", "--transport", "local", "--tls", "-cp", "app.jar", "Main");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("--tls protects TCP connections; --transport local has none"), r.err());
    }

    @Test
    void helpListsTheOptionAndTheSettings() {
        Result r = run("--help");
        for (String s : new String[] {"--tls", "tlsKeystore", "tlsTruststore", "tlsPassword", "JMPI_TLS_PASSWORD"}) {
            assertTrue(r.out().contains(s), s + " in\n" + r.out());
        }
    }
}
