package io.jmpi.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The rank JVMs of one test, found by a marker system property the test puts on them ({@code --jvm-args}), even after
 * their launcher died and they were re-parented, and what /proc says about them: their rank (from {@code JMPI_RANK} in
 * their environment), listening TCP ports, open file descriptors and threads. The integration tests' way to prove
 * nothing was left behind, and to clean up when a test fails. Kills only the processes it marked, by pid.
 */
public final class RankJvms {
    public static final String PROPERTY = "jmpi.test.marker";
    private final String marker = UUID.randomUUID().toString();

    /** JVM options for the ranks: the marker, flags that make small JVMs start fast, then {@code extra}. */
    public String jvmOptions(String extra) {
        return "-D" + PROPERTY + "=" + marker + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC" + (extra.isEmpty() ? "" : " " + extra);
    }

    /** The launcher option that marks this test's ranks: {@code --jvm-args=} with {@link #jvmOptions} and nothing else. */
    public String jvmArgs() {
        return "--jvm-args=" + jvmOptions("");
    }

    /** Marked processes still alive (the launcher's own command line has the marker only inside --jvm-args=). */
    public List<ProcessHandle> alive() {
        String arg = "-D" + PROPERTY + "=" + marker;
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(arg)).orElse(false))
                .filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
    }

    /** Live marked processes by their world rank. */
    public Map<Integer, Long> pidsByRank() {
        Map<Integer, Long> out = new TreeMap<>();
        for (ProcessHandle p : alive()) {
            String r = environment(p.pid()).get("JMPI_RANK");
            if (r != null) out.put(Integer.parseInt(r), p.pid());
        }
        return out;
    }

    /** Waits until {@code n} marked processes are alive; returns them by rank. */
    public Map<Integer, Long> awaitRanks(int n, Duration limit) {
        Await.until(() -> pidsByRank().size() >= n, limit, n + " rank JVMs are alive (found " + pidsByRank() + ")");
        return pidsByRank();
    }

    /** Waits until no marked process is alive; true if that happened within {@code limit}. */
    public boolean awaitNone(Duration limit) {
        return Await.holds(() -> alive().isEmpty(), limit);
    }

    /** SIGKILLs every marked process still alive (cleanup after a failed test), by pid. */
    public void killAll() {
        for (ProcessHandle p : alive()) p.destroyForcibly();
    }

    public String describeAlive() {
        return alive().stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------ /proc

    public static Map<String, String> environment(long pid) {
        Map<String, String> env = new TreeMap<>();
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
            for (String kv : new String(b, StandardCharsets.UTF_8).split("\0")) {
                int i = kv.indexOf('=');
                if (i > 0) env.put(kv.substring(0, i), kv.substring(i + 1));
            }
        } catch (IOException e) {
            // gone
        }
        return env;
    }

    /** Open file descriptors of a process, or -1 if it is gone. */
    public static int fdCount(long pid) {
        String[] fds = Path.of("/proc/" + pid + "/fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    /** Targets of a process's file descriptors ("socket:[123]", "/path", "pipe:[9]", ...). */
    public static List<String> fdTargets(long pid) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // gone
        }
        return out;
    }

    /** Threads of a process, or -1 if it is gone. */
    public static int threadCount(long pid) {
        String[] t = Path.of("/proc/" + pid + "/task").toFile().list();
        return t == null ? -1 : t.length;
    }

    /** Names of a process's threads (from /proc/PID/task/TID/comm). */
    public static List<String> threadNames(long pid) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    out.add(Files.readString(p.resolve("comm")).trim());
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            // gone
        }
        return out;
    }

    /** TCP ports a process listens on (its listening sockets in /proc/net/tcp and tcp6). */
    public static List<Integer> listeningPorts(long pid) {
        Set<String> inodes = new HashSet<>();
        for (String t : fdTargets(pid)) {
            if (t.startsWith("socket:[")) inodes.add(t.substring(8, t.length() - 1));
        }
        List<Integer> ports = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A")) continue; // 0A: LISTEN
                if (inodes.contains(f[9])) {
                    String local = f[1];
                    ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
                }
            }
        }
        return ports;
    }

    /** Files of a shared-memory directory (names only). */
    public static List<String> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }
}
