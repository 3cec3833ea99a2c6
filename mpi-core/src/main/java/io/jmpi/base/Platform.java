package io.jmpi.base;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The few places where jmpi asks the operating system something Java has no portable answer for, each behind a
 * capability check with a portable fallback (issue 22: Windows and macOS laptops as well as Linux clusters).
 *
 * <ul>
 *   <li>{@link #hostname}: Linux's {@code /proc/sys/kernel/hostname} (the UTS namespace's name, no name lookup);
 *       elsewhere {@code COMPUTERNAME} (Windows), then Java's {@code InetAddress.getLocalHost()}, then
 *       {@code HOSTNAME}.</li>
 *   <li>{@link #shmDir}: the setting {@code shmDir} when given; else {@code /dev/shm} (a tmpfs: segments never touch a
 *       disk) when it exists and is writable, else {@code java.io.tmpdir} (macOS, Windows, containers without
 *       /dev/shm: the segments are ordinary files the OS caches; mapping them works the same way).</li>
 * </ul>
 *
 * <p>The setting {@code portable=true} makes every such choice take its portable fallback on Linux too, so that the
 * paths Windows and macOS take are tested here (they have not been run on those systems).
 */
public final class Platform {
    private static final Path PROC_HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final Path DEV_SHM = Path.of("/dev/shm");

    private Platform() {
    }

    /** True on Windows (by {@code os.name}). */
    public static boolean windows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** Whether {@code config} asks for the portable paths only ({@code portable=true}). */
    public static boolean portable(Config config) {
        return config.get(Config.PORTABLE);
    }

    /** This host's name ({@code MPI_Get_processor_name}), never null or blank ("localhost" when nothing answers). */
    public static String hostname(boolean portable) {
        if (!portable) {
            try {
                String h = Files.readString(PROC_HOSTNAME, StandardCharsets.UTF_8).trim();
                if (!h.isEmpty()) return h;
            } catch (IOException | RuntimeException e) {
                // not Linux, or /proc not mounted: the portable answer below
            }
        }
        String computer = System.getenv("COMPUTERNAME");
        if (windows() && computer != null && !computer.isBlank()) return computer.trim();
        try {
            String h = InetAddress.getLocalHost().getHostName();
            if (h != null && !h.isBlank()) return h.trim();
        } catch (IOException | RuntimeException e) {
            // no name service answer: the environment's name, if any
        }
        String env = System.getenv("HOSTNAME");
        return env != null && !env.isBlank() ? env.trim() : "localhost";
    }

    /** The directory of shared-memory segments under {@code config} (see the class comment). */
    public static Path shmDir(Config config) {
        return shmDir(config.get(Config.SHM_DIR), portable(config));
    }

    /** As {@link #shmDir(Config)}: {@code setting} is the value of {@code shmDir} ("" for automatic). */
    public static Path shmDir(String setting, boolean portable) {
        if (setting != null && !setting.isBlank()) return Path.of(setting);
        if (!portable && Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM)) return DEV_SHM;
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
