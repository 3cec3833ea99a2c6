package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.ClusterApp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/jmpirun --hostfile} across the three test hosts (h1 local to the launcher, h2 and h3 over real sshd): a
 * job on the engine, placement, failures of a remote rank, of a remote JVM and of a host, Ctrl-C, SIGTERM and
 * {@code --timeout}; after each, no process of the job is left on any host (they share this machine's PID space).
 */
@Timeout(120)
class SshLaunchIT {
    @RegisterExtension
    static final ClusterHosts CLUSTER = new ClusterHosts("SshLaunchIT", false);
    private final String marker = CLUSTER.newMarker();

    /** Starts bin/jmpirun on h1 with the hosts' ssh config; SIGINT is made deliverable (see {@link #launcher}). */
    private TestHosts.Job jmpirun(List<String> options, String... program) throws Exception {
        List<String> cmd = new ArrayList<>(launcher());
        cmd.add(CLUSTER.hosts().home().resolve("bin/jmpirun").toString());
        cmd.addAll(List.of("--launch-agent", "ssh -F " + TestHosts.SSH_CONFIG, "--tag-output",
                "--jvm-args=-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", testClasses(), ClusterApp.class.getName()));
        cmd.addAll(Arrays.asList(program));
        return TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    /**
     * The launcher runs under {@code perl -e '$SIG{INT}="DEFAULT"; exec ...'}: a process started in the background
     * of a non-interactive shell (as a build may be) inherits SIGINT ignored, and a JVM keeps it ignored; perl can
     * restore the default before exec, a POSIX shell cannot.
     */
    static List<String> launcher() {
        return List.of("perl", "-e", "$SIG{INT}='DEFAULT'; exec @ARGV or die \"exec: $!\"");
    }

    /** Where the test programs were loaded from (target/test-classes), as the ranks' class path. */
    static String testClasses() {
        try {
            return Path.of(ClusterApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Host of each rank from the "[r] ready r of n on HOST host-id ID pid P" lines. */
    static String[] hostsOf(String out, int n) {
        String[] h = new String[n];
        Matcher m = Pattern.compile("ready (\\d+) of \\d+ on (\\S+) host-id (\\S+) pid (\\d+)").matcher(out);
        while (m.find()) h[Integer.parseInt(m.group(1))] = m.group(2);
        return h;
    }

    static long pidOf(String out, int rank) {
        Matcher m = Pattern.compile("ready " + rank + " of \\d+ on \\S+ host-id \\S+ pid (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1));
    }

    static Set<String> hostIds(String out) {
        Set<String> ids = new TreeSet<>();
        Matcher m = Pattern.compile("host-id (\\S+)").matcher(out);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    /** Checks a ring job's output: every rank on its host, ring, all pairs, and the collectives if the API has them. */
    static void assertRingJob(TestHosts.Result r, String[] expectedHosts, String tag) {
        int n = expectedHosts.length;
        assertEquals(0, r.code(), r.all());
        assertEquals(Arrays.asList(expectedHosts), Arrays.asList(hostsOf(r.out(), n)), r.out());
        assertTrue(r.out().contains(tag + "ring ok"), r.out());
        for (int i = 0; i < n; i++) assertTrue(r.out().contains("pairs ok " + i), r.out());
        if (r.out().contains("collectives unavailable")) {
            System.out.println("NOTE: Comm.barrier/allreduce not in the API yet: collectives not tested");
        } else {
            for (int i = 0; i < n; i++) assertTrue(r.out().contains("allreduce ok " + i), r.out());
        }
    }

    @Test
    void sixRanksOnThreeHostsRunRingPairsAndCollectives() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "ring");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        long startMs = (System.nanoTime() - job.startNanos) / 1_000_000;
        TestHosts.Result r = job.await(Duration.ofSeconds(60));
        System.out.println("SshLaunchIT: 6 ranks on 3 hosts: all ready (Mpi.init done) " + startMs + " ms after "
                + "jmpirun started; whole job " + r.millis() + " ms");
        assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "[0] ");
        // one host identity per host: shared memory within a host, TCP between hosts
        assertEquals(3, hostIds(r.out()).size(), r.out());
        assertTrue(r.out().lines().filter(l -> !l.isBlank()).allMatch(l -> l.matches("\\[[0-5]] .*")), r.out());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void aTlsJobAcrossHostsGetsItsKeystorePasswordThroughSshStdin() throws Exception {
        Path dir = Files.createTempDirectory("jmpi-tls"); // /tmp is the same file system on every namespaced host
        try {
            Path ks = io.jmpi.transport.tcp.TlsKeystores.generate(dir, "job");
            List<String> cmd = new ArrayList<>(launcher());
            cmd.add(CLUSTER.hosts().home().resolve("bin/jmpirun").toString());
            cmd.addAll(List.of("--launch-agent", "ssh -F " + TestHosts.SSH_CONFIG, "--tag-output",
                    "--jvm-args=-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                    "-np", "6", "--hostfile", TestHosts.HOSTFILE.toString(), "--tls", "-D", "tlsKeystore=" + ks,
                    "-cp", testClasses(), ClusterApp.class.getName(), "ring"));
            TestHosts.Result r = TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), Map.of("JAVA_HOME",
                    System.getProperty("java.home"), "JMPI_TLS_PASSWORD", io.jmpi.transport.tcp.TlsKeystores.PASSWORD))
                    .await(Duration.ofSeconds(90));
            System.out.println("SshLaunchIT: 6-rank ring job on 3 hosts with --tls: " + r.millis() + " ms");
            assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "[0] ");
            CLUSTER.assertNothingLeft(r);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void mapByNodeWithOversubscribeDealsRanksRoundRobin() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "4", "--host", "h1:1,h2:1,h3:1", "--map-by", "node",
                "--oversubscribe"), "ring");
        TestHosts.Result r = job.await(Duration.ofSeconds(60));
        assertRingJob(r, new String[] {"h1", "h2", "h3", "h1"}, "[0] ");
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void tooFewSlotsIsAUsageErrorNamingRequestedAndAvailable() throws Exception {
        TestHosts.Result r = jmpirun(List.of("-np", "7", "--hostfile", TestHosts.HOSTFILE.toString()), "ring")
                .await(Duration.ofSeconds(30));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("jmpirun: -np 7 needs 7 slots but only 6 are available (h1:2, h2:2, h3:2); add "
                + "slots, hosts, or --oversubscribe\n"), r.err());
    }

    @Test
    void aFailingRemoteRankEndsTheJobNamingRankAndHost() throws Exception {
        TestHosts.Result r = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "fail", "3", "7")
                .await(Duration.ofSeconds(60));
        long ms = sinceFailure(r);
        System.out.println("SshLaunchIT: remote rank 3 (h2) exit 7 -> launcher exit: " + ms + " ms");
        assertEquals(7, r.code(), r.all());
        assertTrue(r.err().matches("(?s)(.*\\n)?jmpirun: rank 3 on h2 \\(pid \\d+\\) failed: exited with code 7\\n"), r.err());
        assertTrue(ms < 5000, ms + " ms");
        CLUSTER.assertNothingLeft(r);
    }

    static long sinceFailure(TestHosts.Result r) {
        Matcher m = Pattern.compile("failing at (\\d+)").matcher(r.out());
        assertTrue(m.find(), r.all());
        return System.currentTimeMillis() - Long.parseLong(m.group(1));
    }

    @Test
    void aKilledRemoteJvmEndsTheJobNamingRankAndHost() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        long pid = pidOf(job.out(), 4);
        long t0 = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL to rank 4's JVM on h3
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("SshLaunchIT: SIGKILL of remote rank 4's JVM (h3) -> launcher exit: " + ms + " ms");
        assertEquals(137, r.code(), r.all());
        assertTrue(r.err().contains("jmpirun: rank 4 on h3 (pid " + pid + ") failed: exited with code 137 (killed by "
                + "signal 9?)"), r.err());
        assertTrue(ms < 5000, ms + " ms");
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void aHostThatVanishesMidJobEndsTheJobNamingItsRanks() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        // h3's only link goes down: no reset, no FIN, its ranks and its sshd just stop answering
        long t0 = System.nanoTime();
        TestHosts.Result down = TestHosts.run(List.of("ip", "-n", "jmpi-h3", "link", "set", "eth0", "down"), Map.of(),
                Duration.ofSeconds(10));
        try {
            assertEquals(0, down.code(), down.all());
            TestHosts.Result r = job.await(Duration.ofSeconds(40));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("SshLaunchIT: host h3 vanished (link down) -> launcher exit: " + ms + " ms");
            assertEquals(255, r.code(), r.all());
            assertTrue(r.err().matches("(?s).*jmpirun: rank [45] on h3 (\\(pid \\d+\\) )?failed: the remote shell exited with "
                    + "code 255 \\(host unreachable, login refused, or connection lost\\).*"), r.err());
            assertTrue(ms < 10000, ms + " ms"); // ssh keep-alives: ~3 s to notice, then the stop of the others
        } finally {
            TestHosts.run(List.of("ip", "-n", "jmpi-h3", "link", "set", "eth0", "up"), Map.of(), Duration.ofSeconds(10));
        }
        // back on the network, h3's ranks and agents learn that their peers are gone (retransmitted FINs) and end
        CLUSTER.assertNothingLeft(Duration.ofSeconds(30), "after h3 came back");
    }

    @Test
    void anUnreachableHostEndsTheJobNamingRankAndHost() throws Exception {
        // h3 through port 2 of its address: nothing listens, so ssh fails as for a host that is down
        Path cfg = Files.createTempFile("jmpi-ssh", ".config");
        try {
            Files.writeString(cfg, "Host h3\n  Port 2\n" + Files.readString(TestHosts.SSH_CONFIG));
            List<String> cmd = new ArrayList<>(launcher());
            cmd.addAll(List.of(CLUSTER.hosts().home().resolve("bin/jmpirun").toString(), "--launch-agent", "ssh -F " + cfg,
                    "--jvm-args=-Djmpi.test.marker=" + marker, "-np", "6", "--hostfile", TestHosts.HOSTFILE.toString(),
                    "-cp", testClasses(), ClusterApp.class.getName(), "sleep"));
            TestHosts.Result r = TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd),
                    Map.of("JAVA_HOME", System.getProperty("java.home"))).await(Duration.ofSeconds(60));
            assertEquals(255, r.code(), r.all());
            assertTrue(r.err().matches("(?s).*jmpirun: rank [45] on h3 failed: the remote shell exited with code 255 "
                    + "\\(host unreachable, login refused, or connection lost\\)\\n"), r.err());
            CLUSTER.assertNothingLeft(r);
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    @Test
    void sigintStopsEveryRemoteRankAndTheSecretIsOnNoCommandLine() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        String secret = secretOf(pidOf(job.out(), 5)); // a remote rank's, from its environment
        assertEquals(64, secret.length());
        List<String> showing = TestHosts.processesWith(secret);
        assertTrue(showing.isEmpty(), "the job secret is on command lines:\n" + String.join("\n", showing));
        long t0 = System.nanoTime();
        job.signal("INT");
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        System.out.println("SshLaunchIT: SIGINT to jmpirun -> exit " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(130, r.code(), r.all());
        assertTrue(r.err().contains("jmpirun: interrupted; stopped 6 ranks"), r.err());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void remoteRanksHaltByThemselvesWhenTheLauncherIsKilled() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        long t0 = System.nanoTime();
        job.signal("KILL"); // no hook runs: each rank loses its control connection, each remote script its stdin
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        List<String> left = TestHosts.awaitNoneWith(marker, Duration.ofSeconds(10));
        System.out.println("SshLaunchIT: SIGKILL of jmpirun -> every rank gone after "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertTrue(left.isEmpty(), "processes left on the hosts:\n" + String.join("\n", left) + "\n" + r.err());
    }

    @Test
    void sigtermStopsEveryRemoteRank() throws Exception {
        TestHosts.Job job = jmpirun(List.of("-np", "6", "--hostfile", TestHosts.HOSTFILE.toString()), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        job.signal("TERM");
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        assertEquals(143, r.code(), r.all());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void theTimeoutStopsEveryRemoteRank() throws Exception {
        TestHosts.Result r = jmpirun(List.of("-np", "3", "--host", "h2,h3,h1", "--timeout", "6"), "sleep")
                .await(Duration.ofSeconds(60));
        assertEquals(124, r.code(), r.all());
        assertTrue(r.err().endsWith("jmpirun: job exceeded --timeout 6 s; stopped 3 ranks\n"), r.err());
        CLUSTER.assertNothingLeft(r);
    }

    /** JMPI_SECRET from a process's environment (root may read it; the test runs as root). */
    static String secretOf(long pid) throws Exception {
        byte[] env = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
        for (String kv : new String(env, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
            if (kv.startsWith("JMPI_SECRET=")) return kv.substring("JMPI_SECRET=".length());
        }
        throw new AssertionError("no JMPI_SECRET in the environment of " + pid);
    }
}
