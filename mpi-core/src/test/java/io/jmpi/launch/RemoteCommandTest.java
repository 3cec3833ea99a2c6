package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The remote rank's script, run by this machine's {@code sh} as sshd would run it: the secret comes from stdin and
 * never from the command line, the pid line comes first, the exit status passes through, and the end of stdin
 * stops the rank.
 */
@Timeout(30)
class RemoteCommandTest {
    @Test
    void quotingSurvivesAnyText() throws Exception {
        for (String s : List.of("plain", "with space", "it's", "$HOME", "a\"b", "*", "", "new\nline", "-Dx='y z'")) {
            Process p = new ProcessBuilder("sh", "-c", "printf %s " + RemoteCommand.quote(s)).start();
            assertEquals(s, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theAgentsScriptChangesDirectoryAndExecsTheAgentWithItsWordsIntact() throws Exception {
        List<String> argv = RemoteCommand.agentArgv(List.of("ssh", "-F", "cfg"), "h2", "/no/such/dir",
                List.of("printf", "%s|", "a b", "it's"));
        assertEquals(List.of("ssh", "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=2", "-F", "cfg", "h2"),
                argv.subList(0, 8));
        assertEquals(9, argv.size());
        // what sshd runs: the last word through the user's shell
        Process p = new ProcessBuilder("sh", "-c", argv.get(8)).start();
        assertEquals("a b|it's|", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    @Test
    void theCommandLineCarriesNoSecret() {
        List<String> argv = RemoteCommand.argv(List.of("ssh", "-F", "cfg"), "h2", "/work",
                Map.of("JMPI_RANK", "3", "JMPI_LAUNCHER", "10.0.0.1:5000"), List.of("java", "-cp", "a b", "Main"), null);
        assertEquals(List.of("ssh", "-o", "ServerAliveInterval=1", "-o", "ServerAliveCountMax=2", "-F", "cfg", "h2"),
                argv.subList(0, 8));
        assertEquals(9, argv.size());
        assertTrue(argv.get(8).startsWith("sh -c '"), argv.get(8));
        assertFalse(argv.get(8).contains("JMPI_SECRET="), argv.get(8));
        List<String> own = RemoteCommand.argv(List.of("/usr/bin/ssh", "-o", "ServerAliveInterval=9"), "h2", "/work",
                Map.of(), List.of("java"), null);
        assertEquals(List.of("/usr/bin/ssh", "-o", "ServerAliveInterval=9", "h2"), own.subList(0, 4), "the user's own keep-alives win");
        assertEquals(List.of("rsh", "h2"), RemoteCommand.argv(List.of("rsh"), "h2", "/work", Map.of(), List.of("java"), null)
                .subList(0, 2), "other agents get no ssh options");
    }

    /** Runs the script as the remote login shell would: {@code $SHELL -c "<remote command>"}. */
    private static Process remote(Path dir, List<String> command, Map<String, String> env) throws Exception {
        List<String> argv = RemoteCommand.argv(List.of(), "ignored", dir.toString(), env, command,
                dir.resolve("jmpi-job-").toString());
        return new ProcessBuilder("sh", "-c", argv.get(1)).start();
    }

    @Test
    void secretFromStdinPidLineFirstAndTheExitStatusPassesThrough(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jmpi-job-3"), "a segment left by a failed start");
        Process p = remote(dir, List.of("sh", "-c", "echo \"rank $JMPI_RANK secret $JMPI_SECRET in $(pwd) pid $$ tls "
                        + "${JMPI_TLS_PASSWORD-unset}\"; exit 7"),
                Map.of("JMPI_RANK", "3"));
        OutputStream in = p.getOutputStream();
        in.write("c0ffee\n\n".getBytes(StandardCharsets.US_ASCII)); // the secret, then no TLS password
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first.startsWith(RemoteCommand.PID_MARK), first);
        long pid = Long.parseLong(first.substring(RemoteCommand.PID_MARK.length()));
        assertEquals("rank 3 secret c0ffee in " + dir.toRealPath() + " pid " + pid + " tls unset", out.readLine());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(7, p.exitValue());
        assertFalse(Files.exists(dir.resolve("jmpi-job-3")), "a failed rank's segments are removed");
    }

    @Test
    void closingStdinStopsTheRank(@TempDir Path dir) throws Exception {
        Process p = remote(dir, List.of("sleep", "60"), Map.of());
        OutputStream in = p.getOutputStream();
        in.write("s\n\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long pid = Long.parseLong(out.readLine().substring(RemoteCommand.PID_MARK.length()));
        assertTrue(ProcessHandle.of(pid).isPresent());
        long t0 = System.nanoTime();
        in.close(); // what the launcher does to stop a remote rank; also what happens when ssh dies
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(128 + 15, p.exitValue(), "the rank got SIGTERM");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(3));
        assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void theKillCommandChecksThePidIsStillTheJobs() {
        List<String> argv = RemoteCommand.killArgv(List.of("ssh"), "h3", 1234, "-Djmpi.job=abc");
        assertEquals(List.of("ssh", "-o", "ConnectTimeout=2", "h3"), argv.subList(0, 4));
        assertTrue(argv.get(4).contains("p=1234") && argv.get(4).contains("grep -qxF -- -Djmpi.job=abc"), argv.get(4));
    }

    @Test
    void theTlsPasswordComesAsTheSecondLineAndNeverAsAnArgument(@TempDir Path dir) throws Exception {
        Process p = remote(dir, List.of("sh", "-c", "echo \"tls=$JMPI_TLS_PASSWORD\""), Map.of());
        OutputStream in = p.getOutputStream();
        in.write("s\npässwörd 1\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        out.readLine(); // pid line
        assertEquals("tls=pässwörd 1", out.readLine());
        in.close();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        List<String> argv = RemoteCommand.argv(List.of("ssh"), "h2", "/w", Map.of("JMPI_RANK", "1"), List.of("java"), null);
        assertFalse(String.join(" ", argv).contains("TLS_PASSWORD="), "the password is not a word of the command");
    }
}
