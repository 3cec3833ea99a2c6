package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.ClusterApp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Open MPI's mpirun as the launcher of a jmpi job: {@code jmpirun -np N --wrap "mpirun ..."} keeps the rendezvous
 * and the supervision, mpirun starts the JVMs (locally, and over the test hosts' sshd with a hostfile) and passes
 * jmpi's variables on; each rank reads its number from {@code OMPI_COMM_WORLD_RANK}.
 */
@Timeout(120)
class OpenMpiLaunchIT {
    @RegisterExtension
    static final ClusterHosts CLUSTER = new ClusterHosts("OpenMpiLaunchIT", false, "mpirun");
    private final String marker = CLUSTER.newMarker();

    private TestHosts.Result wrapped(int np, String mpirunOptions, String... program) throws Exception {
        return start(np, mpirunOptions, program).await(Duration.ofSeconds(90));
    }

    private TestHosts.Job start(int np, String mpirunOptions, String... program) throws Exception {
        List<String> cmd = new ArrayList<>(SshLaunchIT.launcher());
        cmd.addAll(List.of(CLUSTER.hosts().home().resolve("bin/jmpirun").toString(), "-np", Integer.toString(np),
                "--jvm-args=-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                "--wrap", "mpirun -np " + np + " --bind-to none --mca oob_tcp_if_include 10.231.0.0/24 " + mpirunOptions,
                "-cp", SshLaunchIT.testClasses(), ClusterApp.class.getName()));
        cmd.addAll(Arrays.asList(program));
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "OMPI_ALLOW_RUN_AS_ROOT", "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1",
                "OMPI_MCA_plm_rsh_agent", "ssh -F " + TestHosts.SSH_CONFIG);
        return TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), env);
    }

    @Test
    void mpirunOnThisHost() throws Exception {
        TestHosts.Result r = wrapped(4, "--oversubscribe", "ring");
        System.out.println("OpenMpiLaunchIT: local mpirun 4-rank ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h1", "h1", "h1", "h1"}, "");
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void mpirunWithAHostfileOverSsh() throws Exception {
        TestHosts.Result r = wrapped(6, "--hostfile " + TestHosts.HOSTFILE, "ring");
        System.out.println("OpenMpiLaunchIT: mpirun --hostfile 6-rank ring job: " + r.millis() + " ms");
        SshLaunchIT.assertRingJob(r, new String[] {"h1", "h1", "h2", "h2", "h3", "h3"}, "");
        assertEquals(3, SshLaunchIT.hostIds(r.out()).size(), r.out());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void theSecretIsOnNoCommandLineAndSigtermStopsEveryRank() throws Exception {
        TestHosts.Job job = start(6, "--hostfile " + TestHosts.HOSTFILE, "sleep");
        assertTrue(job.awaitLines("ready", 6, Duration.ofSeconds(60)), job.out() + job.err());
        String secret = SshLaunchIT.secretOf(SshLaunchIT.pidOf(job.out(), 4)); // a rank mpirun started on h3
        List<String> showing = TestHosts.processesWith(secret);
        assertTrue(showing.isEmpty(), "the job secret is on command lines:\n" + String.join("\n", showing));
        job.signal("TERM");
        TestHosts.Result r = job.await(Duration.ofSeconds(30));
        assertEquals(143, r.code(), r.all());
        assertTrue(r.err().contains("jmpirun: interrupted; stopped mpirun"), r.err());
        CLUSTER.assertNothingLeft(r);
    }

    @Test
    void aFailingRankUnderMpirunEndsTheJobNamingIt() throws Exception {
        TestHosts.Result r = wrapped(6, "--hostfile " + TestHosts.HOSTFILE, "fail", "3", "7");
        long ms = SshLaunchIT.sinceFailure(r);
        System.out.println("OpenMpiLaunchIT: rank 3 exit 7 under mpirun -> jmpirun exit: " + ms + " ms");
        assertNotEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("jmpirun: rank 3 on 10.231.0.2 (pid "), r.err());
        CLUSTER.assertNothingLeft(r);
    }
}
