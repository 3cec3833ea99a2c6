package io.jmpi.launch.cluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The life cycle every cluster IT shares, as a JUnit extension: the namespaced hosts come up before the class (and
 * Slurm, and the tools it needs; the class is skipped when the machine cannot) and go down after it, and after each
 * test every process carrying that test's marker is killed on every host. Use:
 * <pre>
 * &#64;RegisterExtension
 * static final ClusterHosts CLUSTER = new ClusterHosts("SshLaunchIT", false);
 * private final String marker = CLUSTER.newMarker();   // one per test (JUnit makes an instance per test)
 * </pre>
 */
final class ClusterHosts implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    private final String testClass;
    private final boolean slurm;
    private final String[] tools;
    private TestHosts hosts;
    private volatile String marker;

    ClusterHosts(String testClass, boolean slurm, String... tools) {
        this.testClass = testClass;
        this.slurm = slurm;
        this.tools = tools.clone();
    }

    /** The hosts (up from the class's first test to its end). */
    TestHosts hosts() {
        return hosts;
    }

    /** A new marker for the test being set up; the processes started with it are killed after that test. */
    String newMarker() {
        String m = UUID.randomUUID().toString();
        marker = m;
        return m;
    }

    /** Asserts that no process of the current test (its marker) is left on any host within {@code limit}. */
    void assertNothingLeft(Duration limit, String detail) throws InterruptedException {
        List<String> left = TestHosts.awaitNoneWith(marker, limit);
        assertTrue(left.isEmpty(), "processes left on the hosts:\n" + String.join("\n", left)
                + (detail.isEmpty() ? "" : "\n" + detail));
    }

    /** {@link #assertNothingLeft(Duration, String)} within 5 s after the job {@code r}, whose stderr the message shows. */
    void assertNothingLeft(TestHosts.Result r) throws InterruptedException {
        assertNothingLeft(Duration.ofSeconds(5), r.err());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        hosts = TestHosts.up(testClass, slurm, tools);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (hosts != null) hosts.close();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        String m = marker;
        if (m != null) TestHosts.killAllWith(m);
    }
}
