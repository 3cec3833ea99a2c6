package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The file through which rank 0 of an {@code srun} step without PMI hands the step's secret and its rendezvous
 * address to the other tasks (cluster-config/OPERATORS.md): {@code ~/.jmpi/slurm/<jobid>.<stepid>}, in a directory of
 * mode 700, written with mode 600 to a temporary name and renamed into place (readers never see half a file), and
 * deleted by rank 0 as soon as every task has authenticated. Content, one item a line:
 * <pre>
 *   jmpi-slurm 1
 *   &lt;incarnation&gt;      job.step and srun's host:port: tells this run of the step from an earlier one
 *   &lt;job id, hex&gt;
 *   &lt;secret, hex&gt;
 *   &lt;rank 0's rendezvous host&gt; &lt;port&gt;
 * </pre>
 * A reader refuses a file or directory that is not owned by this user or that others may read or write.
 */
final class SlurmRendezvousFile {
    static final String MAGIC = "jmpi-slurm 1";
    /** Files older than this in the directory belong to steps that died before they cleaned up. */
    static final long STALE_MILLIS = 24L * 3600 * 1000;
    private static final Set<PosixFilePermission> OWNER_RW = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    /** What the file says. */
    record Content(String incarnation, long jobId, byte[] secret, String host, int port) {
    }

    private final Path dir;
    private final Path file;

    SlurmRendezvousFile(Path dir, String jobStep) {
        this.dir = dir;
        this.file = dir.resolve(jobStep);
    }

    /** {@code ~/.jmpi/slurm}. */
    static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".jmpi", "slurm");
    }

    Path path() {
        return file;
    }

    /** Rank 0: makes the private directory if needed, removes stale files, and publishes {@code c} atomically. */
    void write(Content c) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another step of this user made it at the same moment
                }
            }
            checkPrivate(dir, true);
            sweepStale();
            Path tmp = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_RW));
            String text = MAGIC + "\n" + c.incarnation() + "\n" + Long.toHexString(c.jobId()) + "\n"
                    + RankEnvironment.hex(c.secret()) + "\n" + c.host() + " " + c.port() + "\n";
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new MpiException(ErrorClass.IO, "bootstrap: rank 0 cannot write the step's rendezvous file " + file
                    + ": " + e, e);
        }
    }

    /**
     * Reads the file if it is there, private and of this incarnation; null when it is missing, half-known or of an
     * earlier run of the step (the caller polls again).
     *
     * @throws MpiException ARG when the file or its directory is not private to this user
     */
    Content readIfCurrent(String incarnation) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // being replaced, or not visible yet on this node: poll again
        }
        try {
            checkPrivate(dir, false);
            checkPrivate(file, false);
        } catch (IOException e) {
            return null;
        }
        if (lines.size() < 5 || !MAGIC.equals(lines.get(0)) || !incarnation.equals(lines.get(1))) return null;
        try {
            long jobId = Long.parseUnsignedLong(lines.get(2).trim(), 16);
            String secretHex = lines.get(3).trim();
            if (!secretHex.matches("([0-9a-f]{2}){16,}")) return null;
            byte[] secret = new byte[secretHex.length() / 2];
            for (int i = 0; i < secret.length; i++) {
                secret[i] = (byte) Integer.parseInt(secretHex.substring(2 * i, 2 * i + 2), 16);
            }
            String[] hp = lines.get(4).trim().split(" ");
            if (hp.length != 2) return null;
            return new Content(lines.get(1), jobId, secret, hp[0], Integer.parseInt(hp[1]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Rank 0, once every task has the secret (or at close): removes the file if it is still this run's. */
    void deleteIfCurrent(String incarnation) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() >= 2 && incarnation.equals(lines.get(1))) Files.deleteIfExists(file);
        } catch (IOException e) {
            // gone already, or replaced by a later run of the step: not ours to delete
        }
    }

    /** Removes files older than {@link #STALE_MILLIS}: a step's file lives only while its tasks start. */
    private void sweepStale() {
        long cutoff = System.currentTimeMillis() - STALE_MILLIS;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                try {
                    FileTime t = Files.getLastModifiedTime(p);
                    if (t.toMillis() < cutoff && Files.isRegularFile(p)) Files.deleteIfExists(p);
                } catch (IOException e) {
                    // another step removed it
                }
            }
        } catch (IOException e) {
            // sweeping is housekeeping; the step goes on
        }
    }

    /**
     * Refuses a path that is not owned by this user or is open to group or others: whoever could write it could
     * plant a secret and address of their choosing, whoever could read it could join the job.
     */
    private static void checkPrivate(Path p, boolean directory) throws IOException {
        String me = System.getProperty("user.name");
        String owner = Files.getOwner(p).getName();
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        boolean open = perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
        if (!owner.equals(me) || open) {
            throw new MpiException(ErrorClass.ARG, "bootstrap: " + (directory ? "directory " : "") + p + " is owned by "
                    + owner + " with mode " + PosixFilePermissions.toString(perms) + "; the Slurm rendezvous needs it "
                    + "owned by " + me + " and private (chmod " + (directory || Files.isDirectory(p) ? "700" : "600")
                    + ")");
        }
    }
}
