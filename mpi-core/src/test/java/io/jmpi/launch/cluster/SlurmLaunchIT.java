package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.ClusterApp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jmpi under a real Slurm (slurmctld and one slurmd per test host): {@code srun --mpi=pmi2 java ...} without jmpirun
 * (PMI bootstrap), {@code bin/jmpirun} inside {@code salloc} (which starts the ranks with srun), and an
 * {@code sbatch --wait} of cluster-config/slurm/jmpi-job.sbatch, checking output and exit codes; after each, no
 * process of the job is left. jmpirun's jobs run on the launch agents (one srun task per node; setting hostAgents,
 * auto is on in an allocation); {@code -Djmpi.slurm.hostAgents=off} runs them with the per-rank srun instead
 * (SlurmAgentsIT checks that the agents are what ran).
 */
@Timeout(120)
class SlurmLaunchIT {
    /** The hostAgents setting of jmpirun's jobs: auto (default: the agents) or off (one srun task per rank). */
    private static final String HOST_AGENTS = System.getProperty("jmpi.slurm.hostAgents", "auto");
    private static final boolean AGENTS = !HOST_AGENTS.equals("off");
    @RegisterExtension
    static final ClusterHosts CLUSTER = new ClusterHosts("SlurmLaunchIT", true);
    private final String marker = CLUSTER.newMarker();

    private Map<String, String> env() {
        return Map.of("SLURM_CONF", TestHosts.STATE.resolve("slurm.conf").toString(),
                "JAVA_HOME", System.getProperty("java.home"), "JMPI_HOST_AGENTS", HOST_AGENTS);
    }

    private List<String> java() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djmpi.test.marker=" + marker, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    private String classPath() {
        return SshLaunchIT.testClasses() + java.io.File.pathSeparator + coreJar();
    }

    /** The mpi-core jar (or classes) the launcher uses: where io.jmpi.Mpi was loaded from. */
    static String coreJar() {
        try {
            return Path.of(io.jmpi.Mpi.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestHosts.Result srun(String... program) throws Exception {
        return srunWith("pmi2", program);
    }

    private TestHosts.Result srunWith(String mpiPlugin, String... program) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("srun", "--mpi=" + mpiPlugin, "--kill-on-bad-exit=1", "--time=2", "-n", "6",
                "--ntasks-per-node=2", "--label"));
        cmd.addAll(java());
        cmd.addAll(List.of("-cp", classPath(), ClusterApp.class.getName()));
        cmd.addAll(Arrays.asList(program));
        return TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), env()).await(Duration.ofSeconds(90));
    }

    @Test
    void srunWithPmi2RunsSixRanksOnThreeNodesWithoutJmpirun() throws Exception {
        TestHosts.Result r = srun("ring");
        System.out.println("SlurmLaunchIT: srun --mpi=pmi2 -n 6 ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "0: ");
        assertEquals(3, SshLaunchIT.hostIds(r.out()).size(), r.out());
        CLUSTER.assertNothingLeft(r);
    }

    /**
     * Without PMI (the default plugin of many sites is none or pmix): rank 0 publishes the secret and its address in
     * ~/.jmpi/slurm/JOB.STEP (SlurmBootstrap); the file is gone once every task is in.
     */
    @Test
    void srunWithMpiNoneRunsSixRanksOnThreeNodesThroughTheRendezvousFile() throws Exception {
        Path dir = Path.of(System.getProperty("user.home"), ".jmpi", "slurm");
        TestHosts.Result r = srunWith("none", "ring");
        System.out.println("SlurmLaunchIT: srun --mpi=none -n 6 ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "0: ");
        assertEquals(3, SshLaunchIT.hostIds(r.out()).size(), r.out());
        try (Stream<Path> left = Files.list(dir)) {
            List<String> files = left.map(p -> p.getFileName().toString()).toList();
            assertTrue(files.isEmpty(), "rendezvous files left in " + dir + ": " + files);
        }
        CLUSTER.assertNothingLeft(r);
    }

    /** A site whose default plugin is PMIx: jmpi does not speak PMIx, the tasks join as with --mpi=none. */
    @Test
    void srunWithMpiPmixRunsThroughTheRendezvousFileToo() throws Exception {
        TestHosts.Result list = TestHosts.Job.start(CLUSTER.hosts().onHost("h1", List.of("srun", "--mpi=list")), env())
                .await(Duration.ofSeconds(30));
        Assumptions.assumeTrue(list.all().contains("pmix"), "Slurm has no pmix plugin here (libpmix2 not installed): "
                + list.all());
        // one node: the test hosts share /tmp, and each node's slurmstepd makes the same PMIx directory
        // /tmp/spmix_appdir_<uid>_<job>.<step>; on the second node that fails with EEXIST ("task 2 launch failed",
        // slurmd log: pmixp_mkdir ... File exists) before any JVM starts: a limit of the test hosts, not of jmpi
        List<String> cmd = new ArrayList<>(List.of("srun", "--mpi=pmix", "--kill-on-bad-exit=1", "--time=2", "-n", "3",
                "-w", "h2", "--label"));
        cmd.addAll(java());
        cmd.addAll(List.of("-cp", classPath(), ClusterApp.class.getName(), "ring"));
        TestHosts.Result r = TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), env()).await(Duration.ofSeconds(90));
        System.out.println("SlurmLaunchIT: srun --mpi=pmix -n 3 (one node) ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h2", "h2", "h2"}, "0: ");
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void srunWithMpiNoneAndAFailedRankEndsTheStep() throws Exception {
        TestHosts.Result r = srunWith("none", "fail", "2", "5");
        assertNotEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("srun: error: h2: task 2: Exited with exit code 5"), r.err());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void srunKillOnBadExitEndsTheStepWhenARankFails() throws Exception {
        TestHosts.Result r = srun("fail", "2", "5");
        assertNotEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("srun: error: h2: task 2: Exited with exit code 5"), r.err());
        CLUSTER.assertNothingLeft(r);
    }

    private TestHosts.Result jmpirunInSalloc(String... program) throws Exception {
        return startInSalloc(program).await(Duration.ofSeconds(90));
    }

    private TestHosts.Job startInSalloc(String... program) throws Exception {
        List<String> cmd = new ArrayList<>(SshLaunchIT.launcher());
        cmd.addAll(List.of("salloc", "-Q", "-N3", "-n6", "--ntasks-per-node=2", "--time=2",
                CLUSTER.hosts().home().resolve("bin/jmpirun").toString(), "--tag-output",
                "--jvm-args=-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                "-cp", SshLaunchIT.testClasses(), ClusterApp.class.getName()));
        cmd.addAll(Arrays.asList(program));
        return TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), env());
    }

    @Test
    void jmpirunInsideSallocStartsTheRanksWithSrun() throws Exception {
        TestHosts.Result r = jmpirunInSalloc("ring");
        System.out.println("SlurmLaunchIT: salloc + jmpirun (srun) 6-rank ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "[0] ");
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void jmpirunInsideSallocNamesTheFailedRankAndNode() throws Exception {
        TestHosts.Result r = jmpirunInSalloc("fail", "3", "7");
        long ms = SshLaunchIT.sinceFailure(r);
        System.out.println("SlurmLaunchIT: rank 3 exit 7 under jmpirun/srun -> salloc exit: " + ms + " ms");
        assertEquals(7, r.code(), r.all());
        assertTrue(r.err().matches("(?s).*\\njmpirun: rank 3 on h2 \\(pid \\d+\\) failed: exited with code 7\\n"),
                r.err());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void underSrunTheSecretIsOnNoCommandLineAndSigtermOfJmpirunStopsTheStep() throws Exception {
        TestHosts.Job job = startInSalloc("sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        String secret = SshLaunchIT.secretOf(SshLaunchIT.pidOf(job.out(), 5)); // a task on h3
        List<String> showing = TestHosts.processesWith(secret);
        assertTrue(showing.isEmpty(), "the job secret is on command lines:\n" + String.join("\n", showing));
        long launcher = TestHosts.launcherWith(marker);
        new ProcessBuilder("kill", "-TERM", Long.toString(launcher)).start().waitFor();
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        assertTrue(r.err().contains("jmpirun: interrupted; stopped " + (AGENTS ? "6 ranks" : "srun")), r.err());
        CLUSTER.assertNothingLeft(r);
    }

    private TestHosts.Result sbatch(String launch, String... program) throws Exception {
        Path out = Files.createTempDirectory(TestHosts.STATE, "sbatch");
        List<String> cmd = new ArrayList<>(List.of("sbatch", "-Q", "--wait", "-o", out.resolve("job-%j.out").toString(),
                CLUSTER.hosts().home().resolve("cluster-config/slurm/jmpi-job.sbatch").toString()));
        cmd.addAll(Arrays.asList(program));
        Map<String, String> env = new java.util.HashMap<>(env());
        env.put("JMPI_HOME", CLUSTER.hosts().home().toString());
        env.put("APP_CP", SshLaunchIT.testClasses());
        env.put("APP_MAIN", ClusterApp.class.getName());
        env.put("JMPI_LAUNCH", launch);
        env.put("JMPI_TIMEOUT", "90");
        env.put("JMPI_JVM_ARGS", "-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
        TestHosts.Result r = TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), env).await(Duration.ofSeconds(100));
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) text.append(Files.readString(f));
        }
        return new TestHosts.Result(r.code(), text.toString(), r.err(), r.millis());
    }

    @Test
    void sbatchWaitOfTheJobScriptWithJmpirun() throws Exception {
        TestHosts.Result r = sbatch("jmpirun", "ring");
        System.out.println("SlurmLaunchIT: sbatch --wait jmpi-job.sbatch (jmpirun): " + r.millis() + " ms");
        assertTrue(r.out().startsWith("jmpi job "), r.out());
        assertTrue(r.out().contains("6 ranks on h[1-3] (jmpirun)"), r.out());
        String body = r.out().substring(r.out().indexOf('\n') + 1);
        SshLaunchIT.assertRingJob(new TestHosts.Result(r.code(), body, r.err(), r.millis()),
                new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "");
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void sbatchWaitReportsAFailedJobsExitCode() throws Exception {
        TestHosts.Result r = sbatch("srun", "fail", "4", "5");
        System.out.println("SlurmLaunchIT: sbatch --wait jmpi-job.sbatch (srun --mpi=pmi2, rank 4 fails): "
                + r.millis() + " ms, exit " + r.code());
        assertNotEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("srun: error: h3: task 4: Exited with exit code 5"), r.out());
        CLUSTER.assertNothingLeft(r);
    }
}
