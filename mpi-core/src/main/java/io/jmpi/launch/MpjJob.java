package io.jmpi.launch;

import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.RankEnvironment;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one {@link MpjLauncher.Plan} to its end and turns MPJ Express's weak failure reporting into jmpirun's: a
 * failed rank ends the job with a message naming it and a non-zero exit code, and nothing is left behind (no
 * daemon, no rank JVM, no files).
 *
 * <p>What it watches. MPJ Express's {@code mpjrun} exits 0 whatever its ranks do, and hangs in niodev mode when one
 * of them dies; so the outcome comes from (1) the ranks' {@link MpjProtocol} status lines (an exception out of
 * {@code main}, {@code abort}, an exit without {@code Mpi.close}), taken out of the forwarded output, and (2) exit
 * codes: of the one JVM in multicore mode (our child), and of every rank JVM in niodev mode, which the daemon starts
 * with the {@code java} on its PATH: the job's PATH starts with a small script that runs the real java and writes
 * the rank's exit code to the job directory.
 *
 * <p>Stopping: every process of the job (the multicore JVM, or the daemon, mpjrun and all their descendants: the
 * rank JVMs are the daemon's children) gets SIGTERM, then SIGKILL after a grace; descendants are collected before
 * anything is signalled. A shutdown hook does the same when jmpirun itself is stopped.
 */
final class MpjJob {
    private static final long TICK_MILLIS = 50;
    private static final long STOP_GRACE_MILLIS = 1000;
    /** How long a status line may wait for its rank's exit code, or an exit code for its status line. */
    private static final long FAIL_GRACE_MILLIS = 2000;
    /** How long mpjrun may take to end by itself once every rank has exited 0. */
    private static final long MPJRUN_END_MILLIS = 5000;
    private static final long DAEMON_START_MILLIS = 30_000;
    private static final long DRAIN_MILLIS = 2000;

    private final MpjLauncher.Plan plan;
    private final OutputForwarder output;
    private final Map<String, String> baseEnv;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Thread> pumps = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private boolean finished;
    private boolean signalled;
    private Path jobDir;

    private record Outcome(int exitCode, String message) {
        boolean ok() {
            return message == null;
        }
    }

    private record Exited(String what, int code) {
    }

    private record Interrupted() {
    }

    MpjJob(MpjLauncher.Plan plan, OutputForwarder output, Map<String, String> baseEnv) {
        this.plan = plan;
        this.output = output;
        Map<String, String> env = new HashMap<>(baseEnv);
        env.keySet().removeAll(RankEnvironment.ALL); // not a rank of an enclosing jmpi job
        this.baseEnv = env;
    }

    int run() {
        Thread hook = new Thread(this::onShutdown, "jmpirun-mpj-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String jobHex = Long.toHexString(HandshakeDescriptor.newJobId());
        Outcome outcome;
        try {
            outcome = plan.device().equals(MpjLauncher.NIODEV) ? runNiodev(jobHex) : runMulticore(jobHex);
        } catch (MpiException | UncheckedIOException e) {
            outcome = new Outcome(ExitCodes.CANNOT_LAUNCH, e.getMessage());
        } finally {
            stopAll();
            drain();
            deleteJobDir();
        }
        synchronized (lifecycle) {
            finished = true;
            if (signalled) return ExitCodes.INTERRUPTED;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
        if (!outcome.ok()) output.message(outcome.message());
        return outcome.exitCode();
    }

    // ------------------------------------------------------------------ multicore

    private Outcome runMulticore(String jobHex) {
        Map<String, String> env = new HashMap<>(baseEnv);
        env.put("MPJ_HOME", plan.mpjHome().toString());
        start("the MPJ Express JVM", plan.multicoreCommand(jobHex), env, plan.workDir());
        Statuses st = new Statuses();
        long deadline = deadline();
        Integer exit = null;
        long failedAt = -1;
        while (true) {
            Object e = next();
            long now = System.nanoTime();
            for (; e != null; e = events.poll()) {
                if (e instanceof Interrupted) return new Outcome(ExitCodes.INTERRUPTED, "interrupted");
                if (e instanceof MpjProtocol.Status s) st.add(s);
                if (e instanceof Exited x) exit = x.code();
            }
            MpjProtocol.Status abort = st.firstAbort();
            if (abort != null) return aborted(abort);
            if (exit != null) {
                drain(); // status lines written just before the end
                for (Object o; (o = events.poll()) != null; ) if (o instanceof MpjProtocol.Status s) st.add(s);
                if (st.firstAbort() != null) return aborted(st.firstAbort());
                MpjProtocol.Status f = st.firstFailure();
                if (f != null) return new Outcome(exit != 0 ? ExitCodes.forAbort(exit) : ExitCodes.RANK_FAILED, "rank " + f.rank()
                        + " failed: " + f.reason() + (exit != 0 ? "; the job's JVM " + describe(exit) : ""));
                if (exit != 0) {
                    return new Outcome(ExitCodes.forAbort(exit), "the MPJ Express JVM (all " + plan.np() + " ranks, multicore) "
                            + describe(exit));
                }
                return new Outcome(ExitCodes.OK, null);
            }
            if (st.firstFailure() != null) {
                // the rank halts its JVM right after saying so; if it does not, end it
                if (failedAt < 0) failedAt = now;
                else if (now - failedAt > TimeUnit.MILLISECONDS.toNanos(FAIL_GRACE_MILLIS)) {
                    MpjProtocol.Status f = st.firstFailure();
                    return new Outcome(ExitCodes.RANK_FAILED, "rank " + f.rank() + " failed: " + f.reason());
                }
            }
            if (now - deadline >= 0) return timeout();
        }
    }

    // ------------------------------------------------------------------ niodev

    private Outcome runNiodev(String jobHex) {
        Path dir = createJobDir(jobHex);
        Path home = dir.resolve("mpj-home");
        Path status = dir.resolve("status");
        int[] ports = freePorts(3);
        int daemonPort = ports[0];
        prepareHome(home, ports[1], ports[2]);
        Path machines = write(dir.resolve("machines"), "localhost\n");
        Path bin = dir.resolve("bin");
        createDirs(bin, status, dir.resolve("daemon-home"));
        Path shim = write(bin.resolve("java"), JAVA_SHIM);
        setExecutable(shim);

        Map<String, String> denv = new HashMap<>(baseEnv);
        denv.put("MPJ_HOME", home.toString());
        denv.put("PATH", bin + ":" + baseEnv.getOrDefault("PATH", "/usr/bin:/bin"));
        denv.put("JMPI_MPJ_JAVA", plan.java());
        denv.put("JMPI_MPJ_STATUS", status.toString());
        Process daemon = start("the MPJ Express daemon", plan.daemonCommand(home, dir.resolve("daemon-home"), daemonPort, jobHex),
                denv, dir);
        awaitListening(daemon, daemonPort);

        Map<String, String> renv = new HashMap<>(baseEnv);
        renv.put("MPJ_HOME", home.toString());
        Process mpjrun = start("mpjrun", plan.mpjrunCommand(home, machines, daemonPort, jobHex), renv, dir);

        Statuses st = new Statuses();
        Map<Integer, Integer> codes = new HashMap<>();
        Map<Integer, Long> codeSeen = new HashMap<>();
        long deadline = deadline();
        long failedAt = -1;
        long allDoneAt = -1;
        Integer mpjrunExit = null;
        long mpjrunExitAt = -1;
        while (true) {
            Object e = next();
            long now = System.nanoTime();
            for (; e != null; e = events.poll()) {
                if (e instanceof Interrupted) return new Outcome(ExitCodes.INTERRUPTED, "interrupted");
                if (e instanceof MpjProtocol.Status s) st.add(s);
                if (e instanceof Exited x) {
                    if (x.what().equals("mpjrun")) {
                        mpjrunExit = x.code();
                        mpjrunExitAt = now;
                    } else if (x.what().startsWith("the MPJ Express daemon")) {
                        return new Outcome(ExitCodes.RANK_FAILED, "the MPJ Express daemon " + describe(x.code())
                                + " while the job ran");
                    }
                }
            }
            readCodes(status, codes, codeSeen, now);
            MpjProtocol.Status abort = st.firstAbort();
            if (abort != null) return aborted(abort);
            MpjProtocol.Status f = st.firstFailure();
            if (f != null) {
                // the first rank to fail may not be the first to say so: a peer whose receive it broke may be quicker
                if (failedAt < 0) failedAt = now;
                Integer c = codes.get(f.rank());
                if ((c != null && !f.secondary()) || now - failedAt > ms(FAIL_GRACE_MILLIS)) {
                    return new Outcome(c != null && c != 0 ? ExitCodes.forAbort(c) : ExitCodes.RANK_FAILED, "rank " + f.rank()
                            + " failed: " + f.reason() + (c != null && c != 0 ? "; it " + describe(c) : ""));
                }
            } else {
                for (Map.Entry<Integer, Integer> c : codes.entrySet()) {
                    // a non-zero exit without a status line (System.exit after Mpi.close, a signal): wait for one briefly
                    if (c.getValue() != 0 && now - codeSeen.get(c.getKey()) > ms(FAIL_GRACE_MILLIS) / 2) {
                        return new Outcome(ExitCodes.forAbort(c.getValue()), "rank " + c.getKey() + " failed: it "
                                + describe(c.getValue()));
                    }
                }
            }
            boolean allZero = codes.size() == plan.np() && codes.values().stream().allMatch(c -> c == 0);
            if (allZero && f == null) {
                if (allDoneAt < 0) allDoneAt = now;
                if (mpjrunExit != null) {
                    drain();
                    for (Object o; (o = events.poll()) != null; ) if (o instanceof MpjProtocol.Status s) st.add(s);
                    if (st.firstAbort() != null) return aborted(st.firstAbort());
                    if (st.firstFailure() != null) {
                        return new Outcome(ExitCodes.RANK_FAILED, "rank " + st.firstFailure().rank() + " failed: "
                                + st.firstFailure().reason());
                    }
                    return new Outcome(ExitCodes.OK, null);
                }
                if (now - allDoneAt > ms(MPJRUN_END_MILLIS)) return new Outcome(ExitCodes.OK, null); // mpjrun lingers
            }
            if (mpjrunExit != null && !allZero && now - mpjrunExitAt > ms(FAIL_GRACE_MILLIS)) {
                TreeSet<Integer> missing = new TreeSet<>();
                for (int r = 0; r < plan.np(); r++) if (!codes.containsKey(r)) missing.add(r);
                return new Outcome(ExitCodes.RANK_FAILED, "MPJ Express's mpjrun " + describe(mpjrunExit)
                        + " before ranks " + missing + " ended (see its output above)");
            }
            if (!mpjrun.isAlive() && mpjrunExit == null) continue; // its exit event is on the way
            if (now - deadline >= 0) return timeout();
        }
    }

    /** Runs the real java for the daemon, then records the rank's exit code (rank = 6th argument after Wrapper). */
    static final String JAVA_SHIM = """
            #!/bin/sh
            # Written by jmpirun --backend mpj for one job. MPJ Express's daemon starts every rank with the `java`
            # on its PATH; this runs the real one and records the rank's exit code, which mpjrun does not report.
            rank= n=-1
            for a in "$@"; do
              if [ "$n" -ge 0 ]; then n=$((n + 1)); if [ "$n" -eq 6 ]; then rank=$a; break; fi; fi
              [ "$a" = runtime.daemon.Wrapper ] && n=0
            done
            "$JMPI_MPJ_JAVA" "$@"
            rc=$?
            if [ -n "$rank" ] && [ -n "${JMPI_MPJ_STATUS:-}" ]; then
              echo "$rc" >"$JMPI_MPJ_STATUS/rank-$rank.tmp" && mv -f "$JMPI_MPJ_STATUS/rank-$rank.tmp" "$JMPI_MPJ_STATUS/rank-$rank"
            fi
            exit $rc
            """;

    private void readCodes(Path status, Map<Integer, Integer> codes, Map<Integer, Long> seen, long now) {
        if (codes.size() == plan.np()) return;
        for (int r = 0; r < plan.np(); r++) {
            if (codes.containsKey(r)) continue;
            Path f = status.resolve("rank-" + r);
            if (!Files.isRegularFile(f)) continue;
            try {
                codes.put(r, Integer.parseInt(Files.readString(f).trim()));
                seen.put(r, now);
            } catch (IOException | NumberFormatException e) {
                // half written: next tick
            }
        }
    }

    /** A private MPJ_HOME: MPJ Express's jars (linked) and its configuration with this job's own ports. */
    private void prepareHome(Path home, int portManager, int mpjrunPort) {
        try {
            Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("logs"));
            Files.createSymbolicLink(home.resolve("lib"), plan.mpjHome().resolve("lib").toRealPath());
            try (Stream<Path> files = Files.list(plan.mpjHome().resolve("conf"))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(p)) Files.copy(p, home.resolve("conf").resolve(p.getFileName()));
                }
            }
            Path conf = home.resolve("conf/mpjexpress.conf");
            List<String> lines = Files.exists(conf) ? Files.readAllLines(conf) : new ArrayList<>();
            List<String> out = new ArrayList<>();
            for (String l : lines) {
                if (l.startsWith("mpjexpress.mpjdaemon.port.2=") || l.startsWith("mpjexpress.mpjrun.port.1=")) continue;
                out.add(l);
            }
            out.add("mpjexpress.mpjdaemon.port.2=" + portManager);
            out.add("mpjexpress.mpjrun.port.1=" + mpjrunPort);
            Files.write(conf, out);
        } catch (IOException e) {
            throw new MpiException(io.jmpi.base.ErrorClass.STATE, "--backend mpj: cannot prepare the job's MPJ_HOME in " + home
                    + ": " + e.getMessage(), e);
        }
    }

    private void awaitListening(Process daemon, int port) {
        long deadline = System.nanoTime() + ms(DAEMON_START_MILLIS);
        while (System.nanoTime() - deadline < 0) {
            if (!daemon.isAlive()) {
                throw new MpiException(io.jmpi.base.ErrorClass.STATE, "--backend mpj: the MPJ Express daemon "
                        + describe(daemon.exitValue()) + " at start (see its output above)");
            }
            Boolean up = listening(port);
            if (up == null) { // no /proc: give it the time it usually needs (a probe connection makes it log errors)
                sleep(1500);
                return;
            }
            if (up) return;
            sleep(50);
        }
        throw new MpiException(io.jmpi.base.ErrorClass.STATE, "--backend mpj: the MPJ Express daemon did not listen on port "
                + port + " within " + DAEMON_START_MILLIS / 1000 + " s");
    }

    /**
     * Whether some socket listens on TCP {@code port}, from /proc/net/tcp{,6}; null when they cannot be read. Not
     * a probe connection: MPJ Express's daemon takes every connection for a job request and logs an exception.
     */
    static Boolean listening(int port) {
        String hexPort = String.format(":%04X", port);
        boolean readable = false;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            readable = true;
            for (String l : lines) {
                String[] f = l.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) return true;
            }
        }
        return readable ? Boolean.FALSE : null;
    }

    // ------------------------------------------------------------------ processes and output

    private Process start(String what, List<String> command, Map<String, String> env, Path dir) {
        synchronized (lifecycle) {
            if (signalled) throw new MpiException(io.jmpi.base.ErrorClass.STATE, "interrupted");
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
                p.getOutputStream().close();
            } catch (IOException e) {
                throw new MpiException(io.jmpi.base.ErrorClass.STATE, "--backend mpj: cannot start " + what + ": " + e.getMessage(), e);
            }
            processes.add(p);
            OutputForwarder.LineFilter filter = this::filter;
            pumps.add(output.pump(p.getInputStream(), false, null, "jmpirun-mpj-out", filter));
            pumps.add(output.pump(p.getErrorStream(), true, null, "jmpirun-mpj-err", filter));
            p.onExit().thenAccept(done -> events.add(new Exited(what, done.exitValue())));
            return p;
        }
    }

    /** Takes status lines and MPJ Express's own chatter out of the output. */
    private String filter(String line) {
        if (line.startsWith(MpjProtocol.MARK)) {
            MpjProtocol.Status s = MpjProtocol.parse(line);
            if (s != null) {
                events.add(s);
                return null;
            }
            return line;
        }
        if (line.startsWith("MPJ Express (") && line.contains(") is started in the ")) return null;
        if ((line.startsWith("Starting process <") || line.startsWith("Stopping Process <")) && line.endsWith(">")) return null;
        return line;
    }

    private Object next() {
        try {
            return events.poll(TICK_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Interrupted();
        }
    }

    /** Every process of the job and its descendants: SIGTERM, then SIGKILL after the grace. */
    private void stopAll() {
        List<ProcessHandle> targets = new ArrayList<>();
        for (Process p : processes) {
            ProcessHandle h = p.toHandle();
            h.descendants().forEach(targets::add);
            if (h.isAlive()) targets.add(h);
        }
        targets.removeIf(h -> !h.isAlive());
        if (targets.isEmpty()) return;
        targets.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + ms(STOP_GRACE_MILLIS);
        for (ProcessHandle h : targets) awaitExit(h, deadline);
        // descendants that appeared meanwhile (a rank the daemon was starting) go too
        for (Process p : processes) p.toHandle().descendants().forEach(targets::add);
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle h : targets) if (h.isAlive()) left.add(h);
        left.forEach(ProcessHandle::destroyForcibly);
        long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (ProcessHandle h : left) awaitExit(h, hard);
    }

    private static void awaitExit(ProcessHandle h, long deadlineNanos) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) return;
        try {
            h.onExit().get(left, TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            // still alive, or interrupted: the caller goes on
        }
    }

    private void drain() {
        long deadline = System.nanoTime() + ms(DRAIN_MILLIS);
        for (Thread t : pumps) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) break;
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void onShutdown() {
        synchronized (lifecycle) {
            if (finished) return;
            signalled = true;
        }
        events.add(new Interrupted());
        stopAll();
        deleteJobDir();
        output.message("interrupted; stopped the MPJ Express job");
    }

    // ------------------------------------------------------------------ helpers

    private Outcome aborted(MpjProtocol.Status s) {
        return new Outcome(ExitCodes.forAbort(s.code()), "rank " + s.rank() + " called abort with code " + s.code() + ": "
                + s.reason());
    }

    private Outcome timeout() {
        return new Outcome(ExitCodes.TIMEOUT, "job exceeded --timeout " + plan.timeoutSeconds() + " s; stopped the MPJ "
                + "Express job");
    }

    private long deadline() {
        return plan.timeoutSeconds() > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(plan.timeoutSeconds())
                : System.nanoTime() + TimeUnit.DAYS.toNanos(365 * 100L);
    }

    static String describe(int code) {
        if (code > 128 && code <= 128 + 64) return "exited with code " + code + " (killed by signal " + (code - 128) + "?)";
        return "exited with code " + code;
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ports free now on every address (the daemon and mpjrun bind them on all addresses). */
    static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new MpiException(io.jmpi.base.ErrorClass.STATE, "--backend mpj: no free ports: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a listener we made
                }
            }
        }
    }

    private Path createJobDir(String jobHex) {
        try {
            jobDir = Files.createTempDirectory("jmpi-mpj-" + jobHex + "-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            return jobDir;
        } catch (IOException e) {
            throw new MpiException(io.jmpi.base.ErrorClass.STATE, "--backend mpj: cannot create a job directory: " + e.getMessage(), e);
        }
    }

    private static void createDirs(Path... dirs) {
        try {
            for (Path d : dirs) Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("--backend mpj: cannot create " + e.getMessage(), e);
        }
    }

    private static Path write(Path p, String text) {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("--backend mpj: cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    private static void setExecutable(Path p) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("--backend mpj: cannot make " + p + " executable: " + e.getMessage(), e);
        }
    }

    private void deleteJobDir() {
        Path d;
        synchronized (lifecycle) {
            d = jobDir;
            jobDir = null;
        }
        if (d == null) return;
        try (Stream<Path> walk = Files.walk(d)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort; reported below if the directory stays
                }
            });
        } catch (IOException e) {
            // below
        }
        if (Files.exists(d)) output.message("could not remove the job directory " + d);
    }

    /** Status lines by rank, first one first. */
    private static final class Statuses {
        private final List<MpjProtocol.Status> all = new ArrayList<>();

        void add(MpjProtocol.Status s) {
            all.add(s);
        }

        MpjProtocol.Status firstAbort() {
            for (MpjProtocol.Status s : all) if (s.aborted()) return s;
            return null;
        }

        /** The first failure of a rank that failed by itself, else the first failure; null when none. */
        MpjProtocol.Status firstFailure() {
            for (MpjProtocol.Status s : all) if (!s.aborted() && !s.secondary()) return s;
            for (MpjProtocol.Status s : all) if (!s.aborted()) return s;
            return null;
        }
    }
}
