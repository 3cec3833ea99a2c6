package io.jmpi.launch.cluster;

import io.jmpi.launch.testapps.FileApp;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MPI-IO across hosts: six ranks on the three namespaced test hosts (h1 local to the launcher, h2 and h3 over sshd)
 * write one file in one directory they share (the namespaces share this machine's file system, as hosts share an NFS
 * directory), by a collective write through subarray views with one aggregator per host; the file must equal the
 * serially written one byte for byte. Then each rank appends a record through the shared file pointer (a locked side
 * file), and every record must be there once. Skipped, with the reason, where the test hosts cannot run (not root).
 */
@Timeout(180)
class MpiIoClusterIT {
    @RegisterExtension
    static final ClusterHosts CLUSTER = new ClusterHosts("MpiIoClusterIT", false);
    private final String marker = CLUSTER.newMarker();

    @Test
    void sixRanksOnThreeHostsWriteOneFileInASharedDirectory() throws Exception {
        Path dir = Files.createTempDirectory("jmpi-mpiio");
        Path file = dir.resolve("array.bin");
        int rows = 301, cols = 203;
        try {
            List<String> cmd = new ArrayList<>(SshLaunchIT.launcher());
            cmd.add(CLUSTER.hosts().home().resolve("bin/jmpirun").toString());
            cmd.addAll(List.of("--launch-agent", "ssh -F " + TestHosts.SSH_CONFIG, "--tag-output",
                    "--jvm-args=-Djmpi.test.marker=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                    "-np", "6", "--hostfile", TestHosts.HOSTFILE.toString(),
                    "-cp", SshLaunchIT.testClasses(), FileApp.class.getName(), file.toString(), "" + rows, "" + cols));
            TestHosts.Result r = TestHosts.Job.start(CLUSTER.hosts().onHost("h1", cmd), Map.of("JAVA_HOME", System.getProperty("java.home")))
                    .await(Duration.ofSeconds(120));
            assertEquals(0, r.code(), r.all());
            assertEquals(Arrays.asList("h1", "h1", "h2", "h2", "h3", "h3"), Arrays.asList(SshLaunchIT.hostsOf(r.out(), 6)), r.out());
            for (int i = 0; i < 6; i++) assertTrue(r.out().contains("[" + i + "] mpiio ok " + i), r.out());
            assertTrue(r.out().contains("[0] aggregators 3"), r.out());   // default: one aggregator per host

            ByteBuffer want = ByteBuffer.allocate(rows * cols * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) want.putDouble(i * 1000 + j + 0.5);
            assertArrayEquals(want.array(), Files.readAllBytes(file));

            ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(Path.of(file + ".log"))).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(6 * 16, log.capacity());
            boolean[] seen = new boolean[6];
            for (int k = 0; k < 6; k++) {
                int rank = (int) log.getLong(16 * k);
                assertTrue(rank >= 0 && rank < 6 && !seen[rank], "record " + k + " names rank " + rank);
                seen[rank] = true;
            }
            CLUSTER.assertNothingLeft(Duration.ofSeconds(5), "");
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }
}
