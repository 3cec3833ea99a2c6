package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Finds a working MPJ Express installation (an MPJ_HOME) for {@code jmpirun --backend mpj}.
 *
 * <p>An {@code MPJ_HOME} in the environment is used as it is when it holds MPJ Express's jars and their log4j
 * dependency beside them (an MPJ Express release unpacked by the user). Otherwise, when Debian's {@code libmpj-java}
 * is installed, a working MPJ_HOME is assembled once in the user's cache by {@code cluster-config/mpj/mpj-home.sh}:
 * Debian's own {@code mpjrun} fails as shipped ({@code NoClassDefFoundError: org/apache/log4j/Layout}), see
 * {@code cluster-config/mpj/README.md}. When neither exists, the error names the command that installs it.
 */
final class MpjHome {
    /** Where Debian's libmpj-java puts MPJ Express's jars. */
    static final Path DEBIAN_LIB = Path.of("/usr/share/mpj/lib");
    static final String NOT_INSTALLED = "MPJ Express is not installed: run 'apt-get install libmpj-java' (or "
            + "cluster-config/install-deps.sh --mpj), or set MPJ_HOME to an MPJ Express installation";
    private static final long SCRIPT_TIMEOUT_SECONDS = 60;

    private MpjHome() {
    }

    /**
     * The MPJ_HOME to run with.
     *
     * @param env       the launcher's environment ({@code MPJ_HOME})
     * @param jmpiHome  jmpi's installation, for {@code cluster-config/mpj/mpj-home.sh}
     * @param debianLib where the installed package's jars are ({@link #DEBIAN_LIB}; tests give another)
     * @throws MpiException STATE (exit code 125) with what is missing and how to get it
     */
    static Path resolve(Map<String, String> env, Path jmpiHome, Path debianLib) {
        String given = env.get("MPJ_HOME");
        if (given != null && !given.isBlank()) {
            Path home = Path.of(given).toAbsolutePath().normalize();
            if (usable(home)) return home;
            if (!Files.isRegularFile(debianLib.resolve("mpj.jar"))) {
                throw new MpiException(ErrorClass.STATE, "--backend mpj: MPJ_HOME=" + given + " is not a working MPJ "
                        + "Express installation (it needs lib/mpj.jar, lib/starter.jar, lib/daemon.jar and a log4j jar "
                        + "beside them); point it to one, or unset it and install Debian's: 'apt-get install libmpj-java' "
                        + "(or cluster-config/install-deps.sh --mpj)");
            }
            // e.g. MPJ_HOME=/usr/share/mpj, Debian's layout that does not run as shipped: assemble one instead
        }
        if (!Files.isRegularFile(debianLib.resolve("mpj.jar"))) {
            throw new MpiException(ErrorClass.STATE, "--backend mpj: " + NOT_INSTALLED);
        }
        Path script = jmpiHome.resolve("cluster-config/mpj/mpj-home.sh");
        if (!Files.isRegularFile(script)) {
            throw new MpiException(ErrorClass.STATE, "--backend mpj: cannot assemble a working MPJ_HOME: " + script
                    + " is missing; set MPJ_HOME to an MPJ Express installation");
        }
        return assemble(script, env);
    }

    /** True when {@code home} looks like a runnable MPJ Express: its jars and a log4j jar beside them. */
    static boolean usable(Path home) {
        Path lib = home.resolve("lib");
        for (String jar : new String[] {"mpj.jar", "starter.jar", "daemon.jar"}) {
            if (!Files.isRegularFile(lib.resolve(jar))) return false;
        }
        try (DirectoryStream<Path> logs = Files.newDirectoryStream(lib, "log4j*.jar")) {
            return logs.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static Path assemble(Path script, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().remove("MPJ_HOME");
        pb.redirectErrorStream(false);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[][] streams = new byte[2][];
            Thread errReader = new Thread(() -> streams[1] = readAll(p.getErrorStream()), "jmpirun-mpj-home");
            errReader.setDaemon(true);
            errReader.start();
            streams[0] = readAll(p.getInputStream());
            if (!p.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new MpiException(ErrorClass.STATE, "--backend mpj: " + script + " did not finish within "
                        + SCRIPT_TIMEOUT_SECONDS + " s");
            }
            errReader.join(1000);
            String out = new String(streams[0], StandardCharsets.UTF_8).trim();
            String err = streams[1] == null ? "" : new String(streams[1], StandardCharsets.UTF_8).trim();
            int code = p.exitValue();
            if (code == 3) throw new MpiException(ErrorClass.STATE, "--backend mpj: " + NOT_INSTALLED);
            if (code != 0 || out.isEmpty()) {
                throw new MpiException(ErrorClass.STATE, "--backend mpj: cannot assemble a working MPJ_HOME (" + script
                        + " exited with code " + code + (err.isEmpty() ? "" : ": " + err.replace('\n', ' ')) + ")");
            }
            Path home = Path.of(out.lines().reduce((a, b) -> b).orElse(out));
            if (!usable(home)) {
                throw new MpiException(ErrorClass.STATE, "--backend mpj: " + script + " made " + home
                        + ", which is not a working MPJ_HOME");
            }
            return home;
        } catch (IOException e) {
            throw new MpiException(ErrorClass.STATE, "--backend mpj: cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MpiException(ErrorClass.STATE, "--backend mpj: interrupted while assembling MPJ_HOME", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
