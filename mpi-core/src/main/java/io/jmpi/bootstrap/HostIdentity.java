package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.Platform;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Identity of "this machine, as far as shared memory goes": two processes get the same {@link #hostId} only when
 * they run on one kernel <em>and</em> see the same segment directory ({@code shmDir}), so that a segment one maps the
 * other can map too. The shared-memory transport is chosen by comparing these ids.
 *
 * <p>Linux: the kernel's boot id (one per boot, equal in every network, UTS or PID namespace) plus the device and
 * inode of the segment directory ({@code /dev/shm} by default). The hostname is deliberately not part of it: ranks in
 * separate network/UTS namespaces of one machine may have different hostnames yet share memory, while two containers
 * with their own private {@code /dev/shm} tmpfs have the same boot id but cannot.
 *
 * <p>Elsewhere (no {@code /proc}: macOS, Windows; or the setting {@code portable=true}): the hostname plus a random
 * token kept in a file of the segment directory ({@code jmpi-host-token}). Two JVMs that read the same token see the
 * same directory, which is exactly what mapping each other's segments needs; the hostname keeps two machines apart
 * that share a network directory (mapped files are not coherent across machines). The first JVM writes the token
 * to a private file and links it into place ({@code link(2)} / {@code CreateHardLink} fail when the name exists), so
 * racing JVMs all read the winner's token; where links are unsupported a rename (not atomic against a racer, who
 * then reads a different token only in that first race) does. Without a writable directory: the hostname alone.
 * The id never contains spaces (it is one field of an {@link Endpoint} line).
 */
public final class HostIdentity {
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    /** The token file in the segment directory (not a job's file: the launcher's clean-up keeps it). */
    static final String TOKEN_FILE = "jmpi-host-token";
    private static final Pattern FILE_KEY = Pattern.compile("dev=([0-9a-fA-F]+),ino=([0-9]+)");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private HostIdentity() {
    }

    /** The id of this process's host under the settings of the environment ({@link Config#fromEnvironment}). */
    public static String hostId() {
        return hostId(Config.fromEnvironment());
    }

    /** The id of this process's host for the segment directory and {@code portable} setting of {@code config}. */
    public static String hostId(Config config) {
        Path dir = Platform.shmDir(config);
        boolean portable = Platform.portable(config);
        return CACHE.computeIfAbsent(portable + ":" + dir.toAbsolutePath(), k -> compute(dir, portable));
    }

    static String compute(Path shmDir, boolean portable) {
        String boot = portable ? null : bootId();
        if (boot == null) {
            String token = token(shmDir);
            String host = "host-" + sanitize(Platform.hostname(portable));
            return token == null ? host : host + "-" + token;
        }
        String shm = dirIdentity(shmDir);
        return boot + "-" + (shm == null ? "noshm" : shm);
    }

    /** The token of {@code dir}, made by the first JVM that asks; null when the directory cannot hold one. */
    static String token(Path dir) {
        Path file = dir.resolve(TOKEN_FILE);
        String t = readToken(file);
        if (t != null) return t;
        Path tmp = null;
        try {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            tmp = Files.createTempFile(dir, TOKEN_FILE + "-", ".tmp");
            Files.writeString(tmp, HexFormat.of().formatHex(random), StandardCharsets.US_ASCII);
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // another JVM was first: its token counts
            } catch (UnsupportedOperationException | IOException e) {
                try {
                    Files.move(tmp, file);
                    tmp = null;
                } catch (FileAlreadyExistsException e2) {
                    // another JVM was first
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // not writable: the caller uses the hostname alone
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temp file is harmless
                }
            }
        }
        return readToken(file);
    }

    private static String readToken(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return TOKEN.matcher(t).matches() ? t : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String bootId() {
        try {
            String id = Files.readString(BOOT_ID, StandardCharsets.US_ASCII).trim().replace("-", "");
            return id.isEmpty() ? null : sanitize(id);
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or /proc not mounted
        }
    }

    /** {@code <dev hex>-<inode hex>} of the directory, or null when there is none. */
    private static String dirIdentity(Path dir) {
        try {
            Number dev = (Number) Files.getAttribute(dir, "unix:dev");
            Number ino = (Number) Files.getAttribute(dir, "unix:ino");
            return Long.toHexString(dev.longValue()) + "-" + Long.toHexString(ino.longValue());
        } catch (IOException | RuntimeException e) {
            // The "unix" attribute view is a JDK detail; the file key carries the same two numbers.
        }
        try {
            Object key = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
            if (key == null) return null;
            Matcher m = FILE_KEY.matcher(key.toString());
            if (m.find()) return m.group(1).toLowerCase() + "-" + Long.toHexString(Long.parseLong(m.group(2)));
            return sanitize(key.toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
