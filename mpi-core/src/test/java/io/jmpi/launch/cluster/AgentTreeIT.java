package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.ClusterApp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent tree (setting {@code agentFanout}; docs/SCALING.md) on the three test hosts with fan-out 1: jmpirun on h1
 * starts its own host's agent and one agent over ssh (h2's), which starts h3's over ssh: a chain. The sshd logs prove
 * who started whom (h2 accepted one session, from h1's address; h3 one, from h2's; h1 none), the job's output is exact,
 * jmpirun's exchange counters show one message each way per agent it started itself (2: h1's and h2's, h3's endpoints
 * merged into h2's), and SIGKILL of the middle agent (h2's) ends the job naming a rank of h2 or h3 and leaves no rank
 * and no agent on any host.
 */
@Timeout(240)
class AgentTreeIT {
    private static final String[] HOSTS = {"h1", "h2", "h3"};
    private static final Pattern COUNTERS = Pattern.compile(
            "jmpirun: endpoint exchange: (\\d+) messages received, (\\d+) tables sent \\((\\d+) ranks, (\\d+) launch agents");
    @RegisterExtension
    static final ClusterHosts CLUSTER = new ClusterHosts("AgentTreeIT", false);
    private final String marker = CLUSTER.newMarker();

    private TestHosts.Job start(Path hostfile, int np, String mode, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(SshLaunchIT.launcher());
        cmd.add(CLUSTER.hosts().home().resolve("bin/jmpirun").toString());
        cmd.addAll(List.of("--launch-agent", "ssh -F " + TestHosts.SSH_CONFIG, "-np", Integer.toString(np),
                "--hostfile", hostfile.toString(), "--transport", "tcp", "-D", "hostAgents=on", "-D", "agentFanout=1",
                "-D", "initTimings=true", "-D", "cds=false", "--tag-output"));
        cmd.addAll(List.of(more));
        cmd.addAll(List.of("--jvm-args=-Djmpi.test.marker=" + marker
                        + " -Xmx64m -Xss512k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1",
                "-cp", SshLaunchIT.testClasses(), ClusterApp.class.getName(), mode));
        return TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), Map.of("JAVA_HOME", System.getProperty("java.home")));
    }

    /** Pids of launch agent JVMs (io.jmpi.launch.HostAgent) on this machine, whichever host. */
    private static Set<Long> agents() {
        Set<Long> pids = new TreeSet<>();
        for (String p : TestHosts.fullProcessesWith("io.jmpi.launch.HostAgent")) {
            String[] w = p.split(" "); // pid [state] argv0 ...: the JVM itself, not the ssh or sh that started it
            if (w.length > 2 && (w[2].equals("java") || w[2].endsWith("/java"))) pids.add(Long.parseLong(w[0]));
        }
        return pids;
    }

    @Test
    void aChainOfAgentsRunsARingWithOneSshSessionFromJmpirun() throws Exception {
        int perHost = 2;
        int np = perHost * HOSTS.length;
        Path hostfile = TestHosts.hostfile(perHost, HOSTS);
        try {
            List<List<String>> before = new ArrayList<>();
            for (String h : HOSTS) before.add(TestHosts.sshAcceptedFrom(h));
            TestHosts.Job job = start(hostfile, np, "ringonly");
            TestHosts.Result r = job.await(Duration.ofSeconds(200));
            System.out.println("AgentTreeIT: chain h1 -> h2 -> h3, " + np + " ranks: job " + r.millis() + " ms, exit "
                    + r.code());
            assertEquals(0, r.code(), r.all());
            // exact output: each rank's ready line under its tag, rank 0's "ring ok", nothing else
            List<String> expected = new ArrayList<>();
            for (int rank = 0; rank < np; rank++) {
                expected.add("[" + rank + "] ready " + rank + " of " + np + " on " + HOSTS[rank / perHost]);
            }
            expected.add("[0] ring ok");
            List<String> got = new ArrayList<>();
            for (String l : r.out().lines().toList()) {
                got.add(l.startsWith("[") && l.contains(" ready ") ? l.substring(0, l.indexOf(" host-id ")) : l);
            }
            java.util.Collections.sort(got);
            java.util.Collections.sort(expected);
            assertEquals(expected, got, r.out());

            List<List<String>> sessions = new ArrayList<>();
            for (int i = 0; i < HOSTS.length; i++) {
                List<String> all = TestHosts.sshAcceptedFrom(HOSTS[i]);
                sessions.add(all.subList(before.get(i).size(), all.size()));
            }
            System.out.println("AgentTreeIT: ssh sessions accepted: h1 " + sessions.get(0) + ", h2 " + sessions.get(1)
                    + ", h3 " + sessions.get(2));
            assertEquals(List.of(), sessions.get(0), "h1 runs jmpirun: its agent starts without ssh");
            assertEquals(List.of("10.231.0.1"), sessions.get(1), "h2's agent: started over ssh by jmpirun on h1");
            assertEquals(List.of("10.231.0.2"), sessions.get(2), "h3's agent: started over ssh by h2's agent");

            Matcher m = COUNTERS.matcher(r.err());
            assertTrue(m.find(), r.err());
            assertEquals(2, Integer.parseInt(m.group(4)), "agents jmpirun started: h1's and h2's");
            assertEquals(2, Integer.parseInt(m.group(1)), "endpoint messages jmpirun received");
            assertEquals(2, Integer.parseInt(m.group(2)), "tables jmpirun sent");
            CLUSTER.assertNothingLeft(Duration.ofSeconds(10), "");
        } finally {
            Files.deleteIfExists(hostfile);
        }
    }

    @Test
    void aTimeoutIsDiagnosedThroughTheChainAndStopsEveryRank() throws Exception {
        int perHost = 2;
        int np = perHost * HOSTS.length;
        Path hostfile = TestHosts.hostfile(perHost, HOSTS);
        Set<Long> agentsBefore = agents();
        try {
            TestHosts.Result r = start(hostfile, np, "sleep", "--timeout", "8").await(Duration.ofSeconds(90));
            assertEquals(124, r.code(), r.all());
            // every rank answered the DIAG that went down the chain as a frame and came back up: a block per rank,
            // none "not connected" or without an answer
            for (int rank = 0; rank < np; rank++) {
                String name = "  rank " + rank + (rank < perHost ? "" : " on " + HOSTS[rank / perHost]) + " (pid ";
                assertTrue(r.err().contains(name), name + "\n" + r.err());
            }
            assertTrue(!r.err().contains("(no answer within") && !r.err().contains("(not connected"), r.err());
            assertTrue(r.err().contains("jmpirun: job exceeded --timeout 8 s; stopped " + np + " ranks\n"), r.err());
            CLUSTER.assertNothingLeft(Duration.ofSeconds(15), "");
            io.jmpi.testing.Await.holds(() -> agents().stream().allMatch(agentsBefore::contains), Duration.ofSeconds(15));
            Set<Long> agentsLeft = agents();
            agentsLeft.removeAll(agentsBefore);
            assertEquals(Set.of(), agentsLeft, "launch agents left");
        } finally {
            Files.deleteIfExists(hostfile);
        }
    }

    @Test
    void killingTheMiddleAgentEndsTheJobAndLeavesNothing() throws Exception {
        int perHost = 2;
        int np = perHost * HOSTS.length;
        Path hostfile = TestHosts.hostfile(perHost, HOSTS);
        Set<Long> agentsBefore = agents();
        try {
            TestHosts.Job job = start(hostfile, np, "sleep");
            assertTrue(job.awaitLines("ready", np, Duration.ofSeconds(120)), job.out() + job.err());
            Set<Long> jobAgents = agents();
            jobAgents.removeAll(agentsBefore);
            assertEquals(3, jobAgents.size(), "one agent per host: " + jobAgents);
            // the middle agent: the one with an ssh to h3 among its children
            long middle = jobAgents.stream().filter(pid -> ProcessHandle.of(pid).map(p -> p.children().anyMatch(c -> {
                try {
                    String cmd = Files.readString(Path.of("/proc/" + c.pid() + "/cmdline")).replace('\0', ' ');
                    return cmd.startsWith("ssh ") && cmd.contains(" h3 ");
                } catch (IOException e) {
                    return false;
                }
            })).orElse(false)).findFirst().orElseThrow(() -> new AssertionError("no agent with an ssh to h3"));
            long t0 = System.nanoTime();
            ProcessHandle.of(middle).orElseThrow().destroyForcibly();
            TestHosts.Result r = job.await(Duration.ofSeconds(60));
            System.out.println("AgentTreeIT: SIGKILL of the middle agent -> launcher exit: "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms, exit " + r.code() + ", "
                    + r.err().lines().filter(l -> l.startsWith("jmpirun: rank")).findFirst().orElse("(no message)"));
            assertNotEquals(0, r.code(), r.all());
            assertTrue(r.err().matches("(?s).*jmpirun: rank [2-5] on h[23] (\\(pid \\d+\\) )?failed: .*"), r.err());
            CLUSTER.assertNothingLeft(Duration.ofSeconds(15), "");
            io.jmpi.testing.Await.holds(() -> jobAgents.stream().noneMatch(p -> ProcessHandle.of(p)
                    .map(ProcessHandle::isAlive).orElse(false)), Duration.ofSeconds(15));
            for (long p : jobAgents) {
                assertTrue(ProcessHandle.of(p).map(h -> !h.isAlive()).orElse(true), "launch agent " + p + " left");
            }
        } finally {
            Files.deleteIfExists(hostfile);
        }
    }
}
