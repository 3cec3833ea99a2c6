package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.ClusterApp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jmpirun inside a Slurm allocation with launch agents (setting {@code hostAgents}, auto = on there): ONE srun step
 * with one task per node, each task a {@code io.jmpi.launch.SlurmAgent} that starts its node's ranks. Checked through
 * state, not text: Slurm's own record of the job's steps ({@code scontrol show step}: one step, 3 tasks on 3 nodes),
 * the agent processes (one per node, by the {@code SLURMD_NODENAME} of their environment), and each rank's parent
 * (its node's agent); the job's output is exact; an agent killed on one node ends the job naming a rank of that node;
 * nothing is left afterwards.
 */
@Timeout(150)
class SlurmAgentsIT {
    private static final String AGENT_MAIN = "io.jmpi.launch.SlurmAgent";
    @RegisterExtension
    static final ClusterHosts CLUSTER = new ClusterHosts("SlurmAgentsIT", true);
    private final String marker = CLUSTER.newMarker();
    private final String jobName = "agents-" + marker.substring(0, 8);

    @AfterEach
    void killAgents() {
        for (long pid : agents().keySet()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private Map<String, String> env() {
        return Map.of("SLURM_CONF", TestHosts.STATE.resolve("slurm.conf").toString(),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    private TestHosts.Job start(List<String> options, String... program) throws Exception {
        return start(2, options, program);
    }

    /** jmpirun in {@code salloc -N3} with {@code perNode} tasks per node (overcommitted beyond the nodes' 4 CPUs). */
    private TestHosts.Job start(int perNode, List<String> options, String... program) throws Exception {
        List<String> cmd = new ArrayList<>(SshLaunchIT.launcher());
        cmd.addAll(List.of("salloc", "-Q", "-J", jobName, "-N3", "-n" + 3 * perNode, "--ntasks-per-node=" + perNode,
                "--time=2"));
        if (perNode > 4) cmd.add("--overcommit");
        cmd.addAll(List.of(CLUSTER.hosts().home().resolve("bin/jmpirun").toString(), "--tag-output"));
        cmd.addAll(options);
        cmd.addAll(List.of("--jvm-args=-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                "-cp", SshLaunchIT.testClasses(), ClusterApp.class.getName()));
        cmd.addAll(Arrays.asList(program));
        return TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), env());
    }

    /** The running launch agents of Slurm steps: pid to the node of its task ({@code SLURMD_NODENAME}). */
    private static Map<Long, String> agents() {
        Map<Long, String> found = new TreeMap<>();
        for (String p : TestHosts.fullProcessesWith(AGENT_MAIN)) {
            long pid = Long.parseLong(p.substring(0, p.indexOf(' ')));
            String node = environ(pid).get("SLURMD_NODENAME");
            if (node != null) found.put(pid, node); // a task of a step, not srun (whose arguments name it too)
        }
        return found;
    }

    private static Map<String, String> environ(long pid) {
        Map<String, String> env = new HashMap<>();
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
            for (String kv : new String(b, StandardCharsets.UTF_8).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        } catch (java.io.IOException e) {
            // gone meanwhile
        }
        return env;
    }

    private void assertNothingLeft(TestHosts.Result r) throws InterruptedException {
        CLUSTER.assertNothingLeft(r);
        assertTrue(io.jmpi.testing.Await.holds(() -> agents().isEmpty(), Duration.ofSeconds(5)),
                "launch agents left: " + agents() + "\n" + r.err());
    }

    /** Slurm's steps of the allocation named {@link #jobName}: one map of scontrol's fields per step. */
    private List<Map<String, String>> steps() throws Exception {
        TestHosts.Result q = TestHosts.run(CLUSTER.hosts().onHost("h1", List.of("squeue", "-h", "-n", jobName, "-o", "%i")), env(),
                Duration.ofSeconds(20));
        String job = q.out().trim();
        assertTrue(job.matches("\\d+"), "squeue: " + q.all());
        TestHosts.Result s = TestHosts.run(CLUSTER.hosts().onHost("h1", List.of("scontrol", "-o", "show", "step", job)), env(),
                Duration.ofSeconds(20));
        assertEquals(0, s.code(), s.all());
        System.out.println("SlurmAgentsIT: scontrol -o show step " + job + ":\n" + s.out().trim());
        List<Map<String, String>> steps = new ArrayList<>();
        Pattern field = Pattern.compile("(\\w+)=(\\S*)");
        for (String line : s.out().split("\n")) {
            if (line.isBlank()) continue;
            Map<String, String> f = new HashMap<>();
            Matcher m = field.matcher(line);
            while (m.find()) f.putIfAbsent(m.group(1), m.group(2));
            String id = f.getOrDefault("StepId", "");
            if (id.endsWith(".extern") || id.endsWith(".batch") || id.endsWith(".interactive")) continue;
            steps.add(f);
        }
        return steps;
    }

    @Test
    void oneSrunStepWithOneAgentTaskPerNodeStartsEveryRank() throws Exception {
        TestHosts.Job job = start(List.of(), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(90)), job.out() + job.err());
        // Slurm's record: the job has exactly one step, of 3 tasks on 3 nodes (not 6 tasks: one per rank)
        List<Map<String, String>> steps = steps();
        assertEquals(1, steps.size(), "steps: " + steps);
        Map<String, String> step = steps.get(0);
        assertEquals("3", step.get("Tasks"), "tasks of the step: " + step);
        assertEquals("3", step.get("Nodes"), "nodes of the step: " + step);
        // one agent per node, and each rank a child of its own node's agent
        Map<Long, String> agents = agents();
        assertEquals(List.of("h1", "h2", "h3"), agents.values().stream().sorted().toList(), "agents: " + agents);
        String[] rankHosts = SshLaunchIT.hostsOf(job.out(), 6);
        assertEquals(List.of("h1", "h1", "h2", "h2", "h3", "h3"), Arrays.asList(rankHosts), job.out());
        for (int r = 0; r < 6; r++) {
            long pid = SshLaunchIT.pidOf(job.out(), r);
            long parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
            assertEquals(rankHosts[r], agents.get(parent), "rank " + r + " (pid " + pid + ") has parent " + parent
                    + ", agents " + agents);
        }
        // Ctrl-C of jmpirun: STOP to every agent, the step ends
        new ProcessBuilder("kill", "-INT", Long.toString(TestHosts.launcherWith(marker))).start().waitFor();
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        assertEquals(130, r.code(), r.all());
        assertNothingLeft(r);
    }

    @Test
    void theTimeoutStopsTheRanksOnEveryNode() throws Exception {
        TestHosts.Result r = start(List.of("--timeout", "4"), "sleep").await(Duration.ofSeconds(90));
        assertEquals(124, r.code(), r.all());
        assertTrue(r.err().contains("stopped 6 ranks"), r.err());
        assertEquals(6, SshLaunchIT.hostsOf(r.out(), 6).length, r.out());
        assertNothingLeft(r);
    }

    @Test
    void sigkillOfJmpirunLeavesNothingOnAnyNode() throws Exception {
        TestHosts.Job job = start(List.of(), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(90)), job.out() + job.err());
        assertEquals(3, agents().size(), "agents: " + agents());
        new ProcessBuilder("kill", "-KILL", Long.toString(TestHosts.launcherWith(marker))).start().waitFor();
        TestHosts.Result r = job.await(Duration.ofSeconds(60));
        assertNotEquals(-1, r.code(), "salloc still running after jmpirun's SIGKILL: " + r.all());
        assertNothingLeft(r);
    }

    @Test
    void scancelOfTheAgentsStepEndsTheJob() throws Exception {
        TestHosts.Job job = start(List.of(), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(90)), job.out() + job.err());
        List<Map<String, String>> steps = steps();
        assertEquals(1, steps.size(), "steps: " + steps);
        TestHosts.Result cancel = TestHosts.run(CLUSTER.hosts().onHost("h1", List.of("scancel", steps.get(0).get("StepId"))), env(),
                Duration.ofSeconds(20));
        assertEquals(0, cancel.code(), cancel.all());
        TestHosts.Result r = job.await(Duration.ofSeconds(60));
        System.out.println("SlurmAgentsIT: scancel of the agents' step -> salloc exit " + r.code());
        assertNotEquals(0, r.code(), r.all());
        assertNotEquals(130, r.code(), r.all());
        assertNothingLeft(r);
    }

    /**
     * {@code -Djmpi.slurm.measure=N} (and {@code -Djmpi.slurm.perNode=K}, default 2): N alternating runs of the ring job
     * on the agents and with the per-rank srun; prints each time and the medians. Not run otherwise.
     */
    @Test
    @Timeout(1200)
    void measureTheAgentsAgainstThePerRankSrun() throws Exception {
        int runs = Integer.getInteger("jmpi.slurm.measure", 0);
        Assumptions.assumeTrue(runs > 0, "a measurement: -Djmpi.slurm.measure=RUNS");
        int perNode = Integer.getInteger("jmpi.slurm.perNode", 2);
        String[] hostsOfRanks = new String[3 * perNode];
        for (int r = 0; r < hostsOfRanks.length; r++) hostsOfRanks[r] = "h" + (1 + r / perNode);
        List<Long> agents = new ArrayList<>();
        List<Long> perRank = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            for (String mode : List.of("on", "off")) {
                TestHosts.Result r = start(perNode, List.of("-D", "hostAgents=" + mode), "ring")
                        .await(Duration.ofSeconds(300));
                SshLaunchIT.assertRingJob(r, hostsOfRanks, "[0] ");
                (mode.equals("on") ? agents : perRank).add(r.millis());
                assertNothingLeft(r);
            }
        }
        System.out.println("SlurmAgentsIT: " + hostsOfRanks.length + "-rank ring in salloc -N3, " + runs
                + " alternating runs: agents " + agents + " ms (median " + median(agents) + "), per-rank srun " + perRank
                + " ms (median " + median(perRank) + ")");
    }

    private static long median(List<Long> v) {
        List<Long> s = v.stream().sorted().toList();
        return s.get(s.size() / 2);
    }

    @Test
    void ringThroughTheAgentsIsExact() throws Exception {
        TestHosts.Result r = start(List.of("-D", "hostAgents=on"), "ring").await(Duration.ofSeconds(90));
        System.out.println("SlurmAgentsIT: salloc + jmpirun (agents through srun) 6-rank ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "[0] ");
        // --tag-output: every line of the ranks is whole and tagged with its rank
        for (String line : r.out().split("\n")) {
            if (line.isEmpty()) continue;
            assertTrue(line.matches("\\[[0-5]] .*"), "untagged line: " + line + "\n" + r.out());
        }
        for (int k = 0; k < 6; k++) {
            String ready = "[" + k + "] ready " + k + " of 6 on ";
            try (Stream<String> lines = r.out().lines()) {
                assertEquals(1, lines.filter(l -> l.startsWith(ready)).count(), r.out());
            }
        }
        assertNothingLeft(r);
    }

    @Test
    void anAgentKilledOnOneNodeEndsTheJobNamingARankOfThatNode() throws Exception {
        TestHosts.Job job = start(List.of(), "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(90)), job.out() + job.err());
        Long h2 = null;
        for (Map.Entry<Long, String> a : agents().entrySet()) {
            if (a.getValue().equals("h2")) h2 = a.getKey();
        }
        assertNotNull(h2, "no agent on h2: " + agents());
        long killedAt = System.nanoTime();
        new ProcessBuilder("kill", "-KILL", Long.toString(h2)).start().waitFor();
        TestHosts.Result r = job.await(Duration.ofSeconds(60));
        long ms = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("SlurmAgentsIT: SIGKILL of h2's agent -> salloc exit " + r.code() + " after " + ms + " ms");
        assertEquals(255, r.code(), r.all());
        assertTrue(r.err().matches("(?s).*jmpirun: rank [23] on h2 \\(pid \\d+\\) failed: .*"), r.err());
        assertNothingLeft(r);
    }
}
