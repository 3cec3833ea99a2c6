package io.jmpi.launch;

import io.jmpi.base.Config;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Application class-data sharing for the rank JVMs that jmpirun starts on this host (setting {@code cds}, default
 * on). Every rank of a job loads and links the same few thousand classes (jmpi's and the program's); a dynamic AppCDS
 * archive lets every JVM map them ready-made instead.
 *
 * <p>How. The archive belongs to one (java, JVM options, class path) triple: its name is a hash of the java binary,
 * its version, the JVM options and every class-path jar's path, size and modification time, under
 * {@code $XDG_CACHE_HOME/jmpi/cds} (default {@code ~/.cache/jmpi/cds}). When it exists every local rank gets
 * {@code -XX:SharedArchiveFile}; when it does not, rank 0 of this job gets {@code -XX:ArchiveClassesAtExit} toward a
 * file of its own, which the launcher renames into place once rank 0 has exited 0 (so a half-written archive is never
 * used, and jobs running at once never write the same file). A JVM that finds the archive unusable (another JDK
 * build) runs without it, silently ({@code -Xlog:cds=off}). The JDK 19+ {@code -XX:+AutoCreateSharedArchive} would
 * let every rank recreate a stale archive at exit at once; the rank-0 scheme works the same on JDK 13 and later.
 *
 * <p>When not. Off with {@code cds=false}; for a local-transport job (one JVM); for remote ranks (the archive is on
 * this host); when the ranks' java is not the launcher's own (its version is unknown) or older than 13; when the JVM
 * options already choose sharing; and when the class path holds anything but jar files and {@code dir/*} wildcards
 * (CDS archives classes from jars only, and a directory's contents can change without the key changing).
 */
final class ClassDataSharing {
    private static final ClassDataSharing NONE = new ClassDataSharing(null, null);

    private final Path archive;
    /** Rank 0 dumps here when {@link #archive} does not exist yet; null when it does. */
    private final Path dump;

    private ClassDataSharing(Path archive, Path dump) {
        this.archive = archive;
        this.dump = dump;
    }

    /** The plan for {@code spec}'s local rank JVMs; {@code env} is the launcher's environment. */
    static ClassDataSharing plan(JobSpec spec, Map<String, String> env, long jobId) {
        if (spec.local() || spec.external()) return NONE;
        Map<String, String> settings = new java.util.HashMap<>(env);
        settings.putAll(spec.settings());
        try {
            if (!Config.of(settings).get(Config.CDS)) return NONE;
        } catch (RuntimeException e) {
            return NONE; // a bad value is the ranks' to report
        }
        if (Runtime.version().feature() < 13 || !isOwnJava(spec.java())) return NONE;
        for (String a : spec.jvmArgs()) {
            if (a.startsWith("-Xshare") || a.contains("SharedArchiveFile") || a.contains("ArchiveClassesAtExit")
                    || a.contains("AutoCreateSharedArchive") || a.contains("DumpLoadedClassList")) return NONE;
        }
        List<Path> jars = jars(spec);
        if (jars == null || jars.isEmpty()) return NONE;
        Path dir = cacheDir(env);
        if (dir == null) return NONE;
        String key = key(spec, jars);
        if (key == null) return NONE;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            return NONE;
        }
        Path archive = dir.resolve("jmpi-" + key + ".jsa");
        if (Files.isRegularFile(archive)) return new ClassDataSharing(archive, null);
        return new ClassDataSharing(archive, dir.resolve("jmpi-" + key + ".jsa." + Long.toHexString(jobId) + ".tmp"));
    }

    /** {@code command} for local rank {@code rank}, with this plan's options after the java executable. */
    List<String> command(List<String> command, int rank) {
        List<String> extra = new ArrayList<>();
        if (archive != null && dump == null) {
            extra.add("-XX:SharedArchiveFile=" + archive);
        } else if (dump != null && rank == 0) {
            extra.add("-XX:ArchiveClassesAtExit=" + dump);
        }
        if (extra.isEmpty()) return command;
        extra.add("-Xlog:cds=off");
        extra.add("-Xlog:cds+dynamic=off");
        List<String> cmd = new ArrayList<>(command.size() + extra.size());
        cmd.add(command.get(0));
        cmd.addAll(extra);
        cmd.addAll(command.subList(1, command.size()));
        return cmd;
    }

    /** The job is over; {@code rank0Ok}: rank 0 exited 0 (so its archive, if it made one, is whole). */
    void jobEnded(boolean rank0Ok) {
        if (dump == null) return;
        try {
            if (rank0Ok && Files.isRegularFile(dump) && Files.size(dump) > 0) {
                Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // no archive this time; the next job tries again
        } finally {
            try {
                Files.deleteIfExists(dump);
            } catch (IOException ignored) {
                // a stray temporary file in the cache; harmless
            }
        }
    }

    /** The archive used or being made; null when sharing is off (tests, dry runs). */
    Path archive() {
        return archive;
    }

    /** Whether this job makes the archive (rank 0 dumps at exit). */
    boolean creating() {
        return dump != null;
    }

    private static boolean isOwnJava(String java) {
        try {
            Path own = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
            Path ranks = java.contains(File.separator) ? Path.of(java) : which(java);
            return ranks != null && ranks.toRealPath().equals(own);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Path which(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** The class path's entries when every one is a jar file (with {@code -jar}: that jar); else null. */
    private static List<Path> jars(JobSpec spec) {
        List<String> entries = new ArrayList<>();
        if (spec.classPath() != null) {
            for (String e : spec.classPath().split(File.pathSeparator)) if (!e.isEmpty()) entries.add(e);
        } else if (spec.program().size() > 1 && spec.program().get(0).equals("-jar")) {
            entries.add(spec.program().get(1));
        } else {
            return null;
        }
        List<Path> jars = new ArrayList<>();
        for (String e : entries) {
            if (e.endsWith(File.separator + "*") || e.equals("*")) { // a wildcard: the JVM takes the directory's jars
                Path dir = Path.of(e.substring(0, e.length() - 1)).toAbsolutePath();
                try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                    s.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(jars::add);
                } catch (IOException ex) {
                    return null;
                }
                continue;
            }
            Path p = Path.of(e).toAbsolutePath();
            if (!e.endsWith(".jar") || !Files.isRegularFile(p)) return null;
            jars.add(p);
        }
        return jars;
    }

    private static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "jmpi", "cds");
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        if (home == null || home.isBlank()) return null;
        return Path.of(home, ".cache", "jmpi", "cds");
    }

    private static String key(JobSpec spec, List<Path> jars) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder();
            sb.append(Path.of(System.getProperty("java.home")).toRealPath()).append('\n').append(Runtime.version()).append('\n');
            for (String a : spec.jvmArgs()) sb.append(a).append('\n');
            for (Path j : jars) {
                sb.append(j).append(' ').append(Files.size(j)).append(' ').append(Files.getLastModifiedTime(j).toMillis()).append('\n');
            }
            byte[] h = d.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 12);
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
