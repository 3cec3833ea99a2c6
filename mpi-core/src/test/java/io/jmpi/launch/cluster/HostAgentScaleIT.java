package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.ClusterApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's scale goals through counters, on the three test hosts: a ring job over h1..h3 (h1 runs jmpirun) with one
 * launch agent per host ({@code hostAgents=on}) and every pair on TCP ({@code --transport tcp}, connections on first
 * use) ends with exactly 2 TCP connections per rank (each rank's count from the {@code initTimings} close line: its
 * two ring neighbours), and jmpirun opened exactly one ssh session per remote host (the {@code Accepted} lines of each
 * host's sshd log: h2 and h3 one each, h1 none). Ranks per host: {@code -Djmpi.scale.perHost} (default 4, 12 ranks,
 * for CI; the measurement of bench/results/session5/scale.md used 16, 48 ranks).
 */
@Timeout(240)
class HostAgentScaleIT {
    private static final String[] HOSTS = {"h1", "h2", "h3"};
    private static final Pattern CLOSE_LINE = Pattern.compile("jmpi: rank (\\d+): run ms: .*\\(connections: (\\d+)\\)");
    private static TestHosts hosts;
    private final String marker = UUID.randomUUID().toString();

    @BeforeAll
    static void up() throws Exception {
        hosts = TestHosts.up("HostAgentScaleIT", false);
    }

    @AfterAll
    static void down() {
        if (hosts != null) hosts.close();
    }

    @AfterEach
    void cleanUp() {
        TestHosts.killAllWith(marker);
    }

    private static long accepted(String host) throws IOException {
        Path log = TestHosts.STATE.resolve(host).resolve("sshd.log");
        if (!Files.exists(log)) return 0;
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Accepted ")).count();
        }
    }

    @Test
    void aRingOverThreeHostsMakesTwoConnectionsPerRankAndOneSshSessionPerRemoteHost() throws Exception {
        int perHost = Integer.getInteger("jmpi.scale.perHost", 4);
        int np = perHost * HOSTS.length;
        Path hostfile = Files.createTempFile("jmpi-scale", ".hostfile");
        try {
            StringBuilder hf = new StringBuilder();
            for (String h : HOSTS) hf.append(h).append(" slots=").append(perHost).append('\n');
            Files.writeString(hostfile, hf.toString());
            long[] before = new long[HOSTS.length];
            for (int i = 0; i < HOSTS.length; i++) before[i] = accepted(HOSTS[i]);
            List<String> cmd = new ArrayList<>(SshLaunchIT.launcher());
            cmd.add(hosts.home().resolve("bin/jmpirun").toString());
            cmd.addAll(List.of("--launch-agent", "ssh -F " + TestHosts.SSH_CONFIG, "-np", Integer.toString(np),
                    "--hostfile", hostfile.toString(), "--transport", "tcp", "-D", "hostAgents=on",
                    "-D", "initTimings=true", "-D", "cds=false",
                    "--jvm-args=-Djmpi.test.marker=" + marker
                            + " -Xmx64m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1",
                    "-cp", SshLaunchIT.testClasses(), ClusterApp.class.getName(), "ringonly"));
            TestHosts.Job job = TestHosts.Job.start(hosts.onHost("h1", cmd),
                    Map.of("JAVA_HOME", System.getProperty("java.home")));
            TestHosts.Result r = job.await(Duration.ofSeconds(200));
            System.out.println("HostAgentScaleIT: " + np + " ranks on 3 hosts (" + perHost + " per host): job "
                    + r.millis() + " ms, exit " + r.code());
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("ring ok"), r.out());

            int[] connections = new int[np];
            java.util.Arrays.fill(connections, -1);
            Matcher m = CLOSE_LINE.matcher(r.err());
            while (m.find()) connections[Integer.parseInt(m.group(1))] = Integer.parseInt(m.group(2));
            int total = 0;
            for (int rank = 0; rank < np; rank++) {
                assertEquals(2, connections[rank], "TCP connections of rank " + rank + "\n" + r.err());
                total += connections[rank];
            }
            long[] sessions = new long[HOSTS.length];
            for (int i = 0; i < HOSTS.length; i++) sessions[i] = accepted(HOSTS[i]) - before[i];
            System.out.println("HostAgentScaleIT: TCP connections (both ends) " + total + " = "
                    + String.format("%.2f", total / (double) np) + " per rank; ssh sessions h1 " + sessions[0]
                    + ", h2 " + sessions[1] + ", h3 " + sessions[2]);
            assertEquals(0, sessions[0], "h1 runs jmpirun: its agent starts without ssh");
            assertEquals(1, sessions[1], "ssh sessions to h2");
            assertEquals(1, sessions[2], "ssh sessions to h3");
            List<String> left = TestHosts.awaitNoneWith(marker, Duration.ofSeconds(10));
            assertTrue(left.isEmpty(), "processes left on the hosts:\n" + String.join("\n", left));
        } finally {
            Files.deleteIfExists(hostfile);
        }
    }
}
