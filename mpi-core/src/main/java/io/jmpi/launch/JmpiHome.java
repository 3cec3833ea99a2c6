package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where jmpi is installed, to find the jars a job needs. The home is the system property {@code jmpi.home}
 * (set by {@code bin/jmpirun}), else derived from where the launcher's own classes were loaded from
 * ({@code <home>/mpi-core/target/mpi-core-*.jar} or {@code <home>/mpi-core/target/classes}).
 *
 * <p>The core class path is always the launcher's own code location and its sibling {@code lib/} (the runtime
 * dependencies copied by the build), so ranks run exactly the jmpi the launcher is.
 *
 * <p>A release (distribution/, docs/RELEASE.md) has no {@code target/} folders: {@code <home>/lib/jmpi.jar} and its
 * dependencies beside it ({@code lib/*}), the mpi APIs in {@code lib/api/}, the examples in {@code lib/examples/}.
 */
final class JmpiHome {
    static final String HOME_PROPERTY = "jmpi.home";
    private final Path home;
    private final Path core;

    JmpiHome(Path home, Path core) {
        this.home = home;
        this.core = core;
    }

    /** The home of the running launcher. */
    static JmpiHome locate() {
        Path core = ownLocation();
        String prop = System.getProperty(HOME_PROPERTY);
        Path home = prop != null && !prop.isBlank() ? Path.of(prop) : deriveHome(core);
        return new JmpiHome(home.toAbsolutePath().normalize(), core);
    }

    Path home() {
        return home;
    }

    /** mpi-core (jar or classes directory) and its runtime dependencies. */
    List<String> coreClassPath() {
        List<String> cp = new ArrayList<>();
        Path c = core != null ? core : newestJar(home.resolve("mpi-core/target"), "mpi-core-");
        if (c == null) {
            throw new MpiException(ErrorClass.STATE, "cannot find mpi-core: no mpi-core/target/mpi-core-*.jar under "
                    + home + "; build it: (cd " + home + " && mvn -q -DskipTests package)");
        }
        cp.add(c.toString());
        Path dir = c.toAbsolutePath().getParent();
        Path lib = dir.resolve("lib");
        if (Files.isDirectory(lib)) {
            cp.add(lib + File.separator + "*");
        } else if (Files.isRegularFile(c) && dir.equals(home.resolve("lib"))) {
            cp.add(dir + File.separator + "*"); // a release: the dependencies lie beside jmpi.jar
        }
        return cp;
    }

    /** Core plus the examples jar, for {@code --example}. */
    List<String> examplesClassPath() {
        List<String> cp = coreClassPath();
        cp.add(required("examples", "jmpi-examples-", "--example").toString());
        return cp;
    }

    /** Core plus the bench jar and its dependencies, for {@code --bench}. */
    List<String> benchClassPath() {
        List<String> cp = coreClassPath();
        cp.add(required("bench", "jmpi-bench-", "--bench").toString());
        Path lib = home.resolve("bench/target/lib");
        if (Files.isDirectory(lib)) cp.add(lib + File.separator + "*");
        return cp;
    }

    /**
     * The jar of an {@code mpi} API ({@code --api mpijava|openmpi}): {@code <module>/target/<module>-*.jar} in a source
     * checkout (bin/jmpirun builds it on first use), else {@code <module>-*.jar} beside the core jar (a release's
     * {@code lib/}).
     */
    Path apiJar(MpiApi api) {
        Path jar = newestJar(home.resolve(api.module()).resolve("target"), api.module() + "-");
        if (jar == null && core != null && Files.isRegularFile(core)) {
            jar = newestJar(core.toAbsolutePath().getParent(), api.module() + "-");
            if (jar == null) jar = newestJar(core.toAbsolutePath().getParent().resolve("api"), api.module() + "-");
        }
        if (jar == null) {
            String build = Files.isDirectory(home.resolve(api.module()))
                    ? "; build it: (cd " + home + " && mvn -q -DskipTests -pl " + api.module() + " -am package), or run "
                    + "bin/jmpirun --api " + api.option() + ", which builds it"
                    : "; this jmpi has no " + api.module() + " module";
            throw new MpiException(ErrorClass.STATE, "--api " + api.option() + " needs " + api.module() + "/target/"
                    + api.module() + "-*.jar under " + home + build);
        }
        return jar;
    }

    private Path required(String module, String prefix, String option) {
        Path jar = newestJar(home.resolve(module).resolve("target"), prefix);
        if (jar == null) jar = newestJar(home.resolve("lib").resolve(module), prefix); // a release
        if (jar == null) {
            throw new MpiException(ErrorClass.STATE, option + " needs " + module + "/target/" + prefix + "*.jar under "
                    + home + "; build it: (cd " + home + " && mvn -q -DskipTests package)");
        }
        return jar;
    }

    /** The newest {@code prefix*.jar} in {@code dir}, ignoring sources, javadoc and test jars; null if none. */
    static Path newestJar(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) return null;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-sources.jar")
                        && !n.endsWith("-javadoc.jar") && !n.endsWith("-tests.jar");
            }).max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Jar or classes directory this class was loaded from; null when the JVM does not say. */
    private static Path ownLocation() {
        CodeSource cs = JmpiHome.class.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) return null;
        try {
            return Path.of(cs.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The nearest ancestor of the code location that holds an {@code mpi-core} module (a source tree) or
     * {@code lib/jmpi.jar} (a release); else the current dir. This is how {@code java -jar lib/jmpi.jar} (and
     * bin\jmpirun.cmd) finds its home without bash's {@code -Djmpi.home}.
     */
    static Path deriveHome(Path core) {
        for (Path p = core; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("mpi-core"))) return p;
            if (Files.isRegularFile(p.resolve("lib").resolve("jmpi.jar"))) return p;
        }
        return Path.of("").toAbsolutePath();
    }
}
