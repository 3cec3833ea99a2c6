package io.jmpi.launch.cluster;

import io.jmpi.testing.Await;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The three test hosts h1..h3 (network namespaces with sshd, 10.231.0.1-3) and optionally Slurm on them, brought up by
 * the project's own scripts ({@code cluster-config/testhosts/}) for one test class and always torn down: by
 * {@link #close()} (the class's {@code @AfterAll}), and by a shutdown hook if the test JVM is ended first.
 *
 * <p>Where the machine cannot run them (not root, no {@code ip netns}, packages missing) {@link #up} aborts the class
 * with a JUnit assumption, which reports its tests as skipped, and prints the reason loudly on stderr. Only one set
 * of test hosts can exist on a machine: a file lock serializes test classes of concurrent builds.
 */
final class TestHosts implements AutoCloseable {
    static final Path STATE = Path.of("/tmp/jmpi-testhosts");
    static final Path SSH_CONFIG = STATE.resolve("ssh_config");
    static final Path HOSTFILE = STATE.resolve("hostfile");
    private static final Path LOCK = Path.of("/tmp/jmpi-testhosts.lock");
    private static final Duration LOCK_WAIT = Duration.ofMinutes(3);

    private final Path home;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Thread hook;
    private boolean down;

    private TestHosts(Path home, FileChannel lockChannel, FileLock lock) {
        this.home = home;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.hook = new Thread(this::teardown, "testhosts-down");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** jmpi's home: the {@code jmpi.home} property (set by the build), else the nearest directory with bin/jmpirun. */
    static Path jmpiHome() {
        String p = System.getProperty("jmpi.home");
        if (p != null && Files.isExecutable(Path.of(p, "bin", "jmpirun"))) return Path.of(p);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/jmpirun"))) return d;
        }
        throw new IllegalStateException("cannot find jmpi's home (bin/jmpirun); set -Djmpi.home");
    }

    /**
     * Brings the hosts up (and Slurm when {@code slurm}); skips the calling class when the machine cannot.
     *
     * @param tools commands the class needs besides the hosts' own (e.g. {@code mpirun})
     */
    static TestHosts up(String testClass, boolean slurm, String... tools) throws Exception {
        Path home = jmpiHome();
        List<String> needed = new ArrayList<>(List.of("ip", "nsenter", "unshare", "ssh", "ssh-keygen", "/usr/sbin/sshd",
                "perl"));
        if (slurm) needed.addAll(List.of("munged", "slurmctld", "slurmd", "srun", "salloc", "sbatch", "sinfo"));
        needed.addAll(Arrays.asList(tools));
        String why = unusable(needed);
        if (why != null) {
            String line = "*".repeat(100);
            System.err.println(line + "\n" + testClass + " SKIPPED: " + why + "\n(install with: sudo "
                    + home.resolve("cluster-config/install-deps.sh") + " --all; the tests need root and network "
                    + "namespaces)\n" + line);
            Assumptions.abort(testClass + " skipped: " + why);
        }
        Files.createDirectories(LOCK.getParent());
        FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock[] held = {null};
        if (!Await.holds(() -> (held[0] = tryLock(ch)) != null, LOCK_WAIT)) {
            ch.close();
            throw new IllegalStateException("the test hosts are in use by another build for over " + LOCK_WAIT
                    + " (lock " + LOCK + ")");
        }
        FileLock lock = held[0];
        TestHosts hosts = new TestHosts(home, ch, lock);
        String script = slurm ? "slurm-up.sh" : "hosts-up.sh";
        long t0 = System.nanoTime();
        Result r = run(List.of(home.resolve("cluster-config/testhosts/" + script).toString()), Map.of(),
                Duration.ofSeconds(60));
        if (r.code() != 0) {
            hosts.close();
            throw new IllegalStateException(script + " failed with " + r.code() + ":\n" + r.out() + r.err());
        }
        System.out.println(testClass + ": " + script + " took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return hosts;
    }

    /** Why the machine cannot run the test hosts, or null when it can. */
    /** The lock, or null while another build holds it. */
    private static FileLock tryLock(FileChannel ch) {
        try {
            return ch.tryLock();
        } catch (IOException e) {
            throw new IllegalStateException("cannot lock " + LOCK, e);
        }
    }

    private static String unusable(List<String> tools) throws Exception {
        String uid = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
                .map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
        if (!uid.equals("0")) return "not root (uid " + uid + "): network namespaces and daemons need root";
        List<String> missing = new ArrayList<>();
        for (String t : tools) {
            Result r = run(List.of("sh", "-c", "command -v \"$0\" >/dev/null 2>&1 || [ -x \"$0\" ]", t), Map.of(),
                    Duration.ofSeconds(10));
            if (r.code() != 0) missing.add(t);
        }
        if (!missing.isEmpty()) return "missing " + String.join(", ", missing);
        Result netns = run(List.of("ip", "netns", "list"), Map.of(), Duration.ofSeconds(10));
        if (netns.code() != 0) return "'ip netns' does not work here: " + netns.err().trim();
        Result unshare = run(List.of("unshare", "--net", "--mount", "--uts", "true"), Map.of(), Duration.ofSeconds(10));
        if (unshare.code() != 0) return "cannot create namespaces here (a container without CAP_SYS_ADMIN?): "
                + unshare.err().trim();
        return null;
    }

    Path home() {
        return home;
    }

    Path script(String name) {
        return home.resolve("cluster-config/testhosts").resolve(name);
    }

    /** The argv that runs {@code command} on host {@code host}. */
    List<String> onHost(String host, List<String> command) {
        List<String> argv = new ArrayList<>();
        argv.add(script("on-host.sh").toString());
        argv.add(host);
        argv.addAll(command);
        return argv;
    }

    @Override
    public void close() {
        teardown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already
        }
    }

    private synchronized void teardown() {
        if (down) return;
        down = true;
        try {
            long t0 = System.nanoTime();
            Result r = run(List.of(script("hosts-down.sh").toString(), "--quiet"), Map.of(), Duration.ofSeconds(60));
            System.out.println("hosts-down.sh took " + (System.nanoTime() - t0) / 1_000_000 + " ms" + (r.code() == 0 ? ""
                    : ", exit " + r.code() + ": " + r.err()));
        } catch (Exception e) {
            System.err.println("hosts-down.sh failed: " + e);
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (IOException ignored) {
                // the lock goes with the JVM anyway
            }
        }
    }

    /** What a finished command printed, and its exit code. */
    record Result(int code, String out, String err, long millis) {
        String all() {
            return out + err;
        }
    }

    /** Runs a command to its end (killed after {@code limit}, code -1). */
    static Result run(List<String> argv, Map<String, String> env, Duration limit) throws Exception {
        Job j = Job.start(argv, env);
        return j.await(limit);
    }

    /** Processes whose command line has an argument containing {@code marker}, zombies excluded. */
    static List<String> processesWith(String marker) {
        List<String> found = new ArrayList<>();
        for (String p : fullProcessesWith(marker)) found.add(p.length() > 170 ? p.substring(0, 170) + "..." : p);
        return found;
    }

    /** As {@link #processesWith}, with whole command lines. */
    static List<String> fullProcessesWith(String marker) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) continue;
                try {
                    byte[] cmd = Files.readAllBytes(p.resolve("cmdline"));
                    String line = new String(cmd, StandardCharsets.UTF_8).replace('\0', ' ');
                    if (!line.contains(marker)) continue;
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
                    if (state == 'Z' || state == 'X') continue;
                    found.add(name + " [" + state + "] " + line);
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** The pid of the jmpirun JVM (io.jmpi.launch.JmpiRun) whose command line has {@code marker}. */
    static long launcherWith(String marker) {
        for (String p : fullProcessesWith(marker)) {
            if (p.contains("io.jmpi.launch.JmpiRun")) return Long.parseLong(p.substring(0, p.indexOf(' ')));
        }
        throw new AssertionError("no jmpirun with " + marker + " among:\n" + String.join("\n", processesWith(marker)));
    }

    /** Waits until no process has {@code marker}; returns those left after {@code limit}. */
    static List<String> awaitNoneWith(String marker, Duration limit) throws InterruptedException {
        Await.holds(() -> processesWith(marker).isEmpty(), limit);
        return processesWith(marker);
    }

    private static final Pattern SSH_ACCEPTED_FROM = Pattern.compile("Accepted \\S+ for \\S+ from (\\S+) ");

    /** The client addresses of the ssh sessions {@code host}'s sshd has accepted so far, in order (its log). */
    static List<String> sshAcceptedFrom(String host) throws IOException {
        Path log = STATE.resolve(host).resolve("sshd.log");
        List<String> from = new ArrayList<>();
        if (!Files.exists(log)) return from;
        for (String l : Files.readAllLines(log)) {
            Matcher m = SSH_ACCEPTED_FROM.matcher(l);
            if (m.find()) from.add(m.group(1));
        }
        return from;
    }

    /** A temporary hostfile giving each of {@code hosts} {@code perHost} slots; the caller deletes it. */
    static Path hostfile(int perHost, String... hosts) throws IOException {
        Path hostfile = Files.createTempFile("jmpi-test", ".hostfile");
        StringBuilder hf = new StringBuilder();
        for (String h : hosts) hf.append(h).append(" slots=").append(perHost).append('\n');
        Files.writeString(hostfile, hf.toString());
        return hostfile;
    }

    /** Kills (SIGKILL) every process with {@code marker}: cleanup after a failed test. */
    static void killAllWith(String marker) {
        for (String p : processesWith(marker)) {
            ProcessHandle.of(Long.parseLong(p.substring(0, p.indexOf(' ')))).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A started command whose output is collected as it comes. */
    static final class Job {
        final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final Thread outReader;
        private final Thread errReader;
        final long startNanos = System.nanoTime();

        private Job(Process p) {
            this.process = p;
            this.outReader = reader(p.getInputStream(), out);
            this.errReader = reader(p.getErrorStream(), err);
        }

        static Job start(List<String> argv, Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            return new Job(p);
        }

        private static Thread reader(InputStream in, StringBuffer into) {
            Thread t = new Thread(() -> {
                byte[] b = new byte[8192];
                int n;
                try (in) {
                    while ((n = in.read(b)) > 0) into.append(new String(b, 0, n, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the process is gone
                }
            }, "job-reader");
            t.setDaemon(true);
            t.start();
            return t;
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        long pid() {
            return process.pid();
        }

        /** Waits until {@code count} stdout lines contain {@code text}; false on timeout or exit. */
        boolean awaitLines(String text, int count, Duration limit) throws InterruptedException {
            Await.holds(() -> !process.isAlive() || out().lines().filter(l -> l.contains(text)).count() >= count, limit);
            return out().lines().filter(l -> l.contains(text)).count() >= count;
        }

        /** Sends a signal by number (kill -SIG pid). */
        void signal(String sig) throws Exception {
            new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        }

        /** Waits for the end (killing the process tree after {@code limit}: code -1). */
        Result await(Duration limit) throws InterruptedException {
            boolean done = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            outReader.join(5000);
            errReader.join(5000);
            long ms = (System.nanoTime() - startNanos) / 1_000_000;
            return new Result(done ? process.exitValue() : -1, out(), err() + (done ? "" : "\n(killed after " + limit
                    + ")"), ms);
        }
    }
}
