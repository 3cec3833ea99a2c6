package io.jmpi.bootstrap;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity of "this machine, as far as shared memory goes": two processes get the same {@link #hostId()} only when
 * they run on one kernel <em>and</em> see the same {@code /dev/shm}, so that a segment one maps the other can map
 * too. The shared-memory transport is chosen by comparing these ids.
 *
 * <p>Linux: the kernel's boot id (one per boot, equal in every network, UTS or PID namespace) plus the device and
 * inode of {@code /dev/shm}. The hostname is deliberately not part of it: ranks in separate network/UTS namespaces
 * of one machine may have different hostnames yet share memory, while two containers with their own private
 * {@code /dev/shm} tmpfs have the same boot id but cannot. Elsewhere: the hostname. The id never contains spaces
 * (it is one field of an {@link Endpoint} line).
 */
public final class HostIdentity {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Path SHM = Path.of("/dev/shm");
    private static final Pattern FILE_KEY = Pattern.compile("dev=([0-9a-fA-F]+),ino=([0-9]+)");

    private HostIdentity() {
    }

    private static final class Holder {
        static final String ID = compute();
    }

    /** The id of this process's host; computed once. */
    public static String hostId() {
        return Holder.ID;
    }

    static String compute() {
        String boot = bootId();
        if (boot == null) return "host-" + sanitize(hostname());
        String shm = shmIdentity();
        return boot + "-" + (shm == null ? "noshm" : shm);
    }

    private static String bootId() {
        try {
            String id = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim().replace("-", "");
            return id.isEmpty() ? null : sanitize(id);
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or /proc not mounted
        }
    }

    /** {@code <dev hex>-<inode hex>} of /dev/shm, or null when there is none. */
    private static String shmIdentity() {
        try {
            Number dev = (Number) Files.getAttribute(SHM, "unix:dev");
            Number ino = (Number) Files.getAttribute(SHM, "unix:ino");
            return Long.toHexString(dev.longValue()) + "-" + Long.toHexString(ino.longValue());
        } catch (IOException | RuntimeException e) {
            // The "unix" attribute view is a JDK detail; the file key carries the same two numbers.
        }
        try {
            Object key = Files.readAttributes(SHM, BasicFileAttributes.class).fileKey();
            if (key == null) return null;
            Matcher m = FILE_KEY.matcher(key.toString());
            if (m.find()) return m.group(1).toLowerCase() + "-" + Long.toHexString(Long.parseLong(m.group(2)));
            return sanitize(key.toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String hostname() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
