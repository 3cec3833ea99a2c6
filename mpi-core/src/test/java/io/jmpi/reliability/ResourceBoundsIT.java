package io.jmpi.reliability;

import io.jmpi.reliability.apps.IdleApp;
import io.jmpi.testing.RankJvms;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File descriptors and threads of real rank JVMs ({@link IdleApp}) at 2, 8 and 32 ranks, counted in /proc/PID/fd and
 * /proc/PID/task once every connection is up. The formula (docs/RELIABILITY.md), with the small JVMs used here
 * (serial GC, C1 only), not counting the class path's jar files: {@code fds = 10 + (n - 1)} (the JVM's own:
 * stdio, the modules image, random devices, NIO's pre-close socket; jmpi's TCP listener and the launcher control
 * connection; one TCP connection per
 * peer the program talks to over TCP, connected on first use: IdleApp talks to every peer; with connections=eager also
 * a liveness watch to each shared-memory peer), plus the doorbell's: the rank's wait
 * selector (2: epoll and its wake-up pipe; a second selector once more than 4 peers send over TCP) and, over shared
 * memory, 2 UNIX-domain sockets per peer (this rank's doorbell accepted from each peer, and each peer's doorbell
 * this rank rings): {@code fds = 10 + tcpPeers + 2 (+2) + 2 shmPeers}; and {@code threads = 17} whatever n
 * (the JVM's, main, and jmpi's three: progress agent, TCP acceptor, launcher control reader).
 */
@Timeout(240)
class ResourceBoundsIT {
    /** The small JVMs of a big job on a small machine. */
    static final String SMALL_JVM = "-Xmx64m -Xss256k";
    static final int BASE_FDS = 10;
    static final int THREADS = 17;
    /** A selector: its epoll descriptor and its wake-up pipe. */
    static final int SELECTOR_FDS = 2;
    private static final List<String> TABLE = Collections.synchronizedList(new ArrayList<>());
    private final RankJvms ranks = new RankJvms();
    @TempDir
    Path dir;

    @AfterEach
    void nothingSurvives() {
        ranks.killAll();
    }

    @AfterAll
    static void table() {
        System.out.println("ResourceBoundsIT: per rank JVM (min-max over ranks)");
        for (String l : TABLE) System.out.println("  " + l);
    }

    /** Runs IdleApp on {@code np} ranks; returns fd and thread counts by rank once all are ready. */
    private Map<Integer, int[]> sample(int np, String transport, List<String> settings, String jvm) throws Exception {
        Path stop = dir.resolve("stop");
        List<String> args = new ArrayList<>(List.of("-np", String.valueOf(np), "--transport", transport, "--timeout", "150"));
        for (String s : settings) args.addAll(List.of("-D", s));
        args.addAll(List.of("--jvm-args=" + ranks.jvmOptions(jvm), "-cp", System.getProperty("java.class.path"),
                IdleApp.class.getName(), "--stop-file", stop.toString()));
        long t0 = System.nanoTime();
        LauncherRun run = LauncherRun.start(args);
        for (int r = 0; r < np; r++) {
            assertNotNull(run.out.await(Pattern.compile("(?m)^ready " + r + " "), Duration.ofSeconds(120)), run.describe());
        }
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        Map<Integer, Long> pids = ranks.pidsByRank();
        assertEquals(np, pids.size());
        Map<Integer, int[]> counts = new TreeMap<>();
        long rss0 = 0;
        for (Map.Entry<Integer, Long> e : pids.entrySet()) {
            // class-path jars are open files too; they depend on how the JVM was started, not on jmpi
            int fds = (int) RankJvms.fdTargets(e.getValue()).stream().filter(t -> !t.endsWith(".jar")).count();
            counts.put(e.getKey(), new int[]{fds, RankJvms.threadCount(e.getValue())});
        }
        long pid0 = pids.get(0);
        List<String> fdKinds = RankJvms.fdTargets(pid0).stream().map(t -> t.replaceAll("\\[\\d+]", "")).sorted().toList();
        List<String> threadNames = RankJvms.threadNames(pid0).stream().sorted().toList();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid0 + "/status"))) {
                if (l.startsWith("VmRSS:")) rss0 = Long.parseLong(l.replaceAll("\\D", "")) / 1024;
            }
        } catch (java.io.IOException e) {
            // gone
        }
        Files.createFile(stop);
        int code = run.await(Duration.ofSeconds(60));
        assertEquals(0, code, run.describe());
        int fdMin = counts.values().stream().mapToInt(c -> c[0]).min().orElse(-1);
        int fdMax = counts.values().stream().mapToInt(c -> c[0]).max().orElse(-1);
        int thMin = counts.values().stream().mapToInt(c -> c[1]).min().orElse(-1);
        int thMax = counts.values().stream().mapToInt(c -> c[1]).max().orElse(-1);
        TABLE.add(String.format("np=%-3d %-5s fds %d-%d (formula %d) threads %d-%d (formula %d) rank0 RSS %d MiB, ready in %d ms %s",
                np, transport, fdMin, fdMax, expectedFds(np, transport), thMin, thMax, THREADS, rss0, readyMs, settings));
        if (np == 2) {
            TABLE.add("  rank 0 fds: " + fdKinds);
            TABLE.add("  rank 0 threads: " + threadNames);
        }
        assertTrue(ranks.awaitNone(Duration.ofSeconds(5)), ranks.describeAlive());
        return counts;
    }

    /** The formula of the class comment: every rank of these jobs runs on this one host. */
    static int expectedFds(int np, String transport) {
        boolean shm = !transport.equals("tcp");
        int tcpDataPeers = shm ? 0 : np - 1; // over auto, data to ranks of this host goes through shared memory
        // TCP connections: one per peer the program talks to over TCP (IdleApp talks to every peer); with connections on
        // first use (the default) a shared-memory peer gets no TCP liveness watch
        return BASE_FDS + tcpDataPeers + SELECTOR_FDS * (tcpDataPeers > 4 ? 2 : 1) + (shm ? 2 * (np - 1) : 0);
    }

    @ParameterizedTest(name = "{0} ranks over {1}")
    @CsvSource({"2, tcp", "8, tcp", "8, auto", "32, auto"})
    void descriptorsGrowByOnePerPeerAndThreadsStayConstant(int np, String transport) throws Exception {
        List<String> settings = List.of();
        Map<Integer, int[]> counts = sample(np, transport, settings, SMALL_JVM);
        int expected = expectedFds(np, transport);
        for (Map.Entry<Integer, int[]> e : counts.entrySet()) {
            assertTrue(e.getValue()[0] <= expected + 1, "rank " + e.getKey() + " has " + e.getValue()[0] + " fds, formula " + expected);
            assertTrue(e.getValue()[1] <= THREADS + 1, "rank " + e.getKey() + " has " + e.getValue()[1] + " threads");
        }
    }

    /**
     * Regression: TcpConnection used to allocate 6 MiB of direct buffers per peer up front (also for connections that
     * only watch a shared-memory peer's liveness), so 32 ranks of -Xmx64m (direct memory limit 64 MiB) died in
     * Mpi.init with "Cannot reserve ... bytes of direct buffer memory". Buffers now start at 128 KiB each way and grow
     * only on the first large frame: 32 ranks with the default settings and the small JVMs must run.
     */
    @Test
    void thirtyTwoSmallRanksFitWithDefaultSettings() throws Exception {
        sample(32, "auto", List.of(), SMALL_JVM);
    }
}
