package io.jmpi.rma;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The memory of shared-memory windows ({@code MPI_Win_allocate_shared}). Ranks in processes of their own map one
 * file per rank, {@code <shmDir>/jmpi-<job>-w<context>-<worldRank>} (the launcher's clean-up prefix
 * {@code jmpi-<job>-} covers it), created by its owner and mapped by every rank of the window, then unlinked by the
 * owner once all have mapped it. Thread ranks of one JVM share one direct buffer, made by the window's rank 0 and
 * handed over through a JVM-wide table keyed by the job and the window's context; each rank's segment is a slice of
 * it, contiguous in rank order as MPI's default layout is.
 */
public final class SharedSegments {
    private static final ConcurrentHashMap<Key, ByteBuffer> THREAD_BUFFERS = new ConcurrentHashMap<>();

    private record Key(Object job, int context) {
    }

    private SharedSegments() {
    }

    public static Path file(Path dir, long jobId, int context, int worldRank) {
        return dir.resolve("jmpi-" + Long.toHexString(jobId) + "-w" + context + "-" + worldRank);
    }

    /** Creates and maps this rank's segment file of {@code bytes} (zeroed). */
    public static ByteBuffer create(Path file, long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            return map(ch, bytes);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "Win.allocateShared: cannot create segment " + file + ": " + e, e);
        }
    }

    /** Maps a peer's segment file of {@code bytes}. */
    public static ByteBuffer attach(Path file, long bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < bytes) throw new MpiException(ErrorClass.IO, "Win.allocateShared: segment " + file
                    + " has " + ch.size() + " bytes, " + bytes + " expected");
            return map(ch, bytes);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "Win.allocateShared: cannot map segment " + file + ": " + e, e);
        }
    }

    private static ByteBuffer map(FileChannel ch, long bytes) throws IOException {
        if (bytes == 0) return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
        return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static void unlink(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // the launcher's clean-up removes what is left under the job's prefix
        }
    }

    /** Thread ranks: rank 0 publishes the one buffer of the window ({@code job}: the in-JVM job). */
    public static void publish(Object job, int context, ByteBuffer all) {
        THREAD_BUFFERS.put(new Key(job, context), all);
    }

    /** Thread ranks: the buffer rank 0 published (after a barrier). */
    public static ByteBuffer lookup(Object job, int context) {
        ByteBuffer b = THREAD_BUFFERS.get(new Key(job, context));
        if (b == null) throw new MpiException(ErrorClass.STATE, "Win.allocateShared: rank 0's buffer is missing");
        return b;
    }

    /** Thread ranks: rank 0 forgets the buffer once every rank took it (after a second barrier). */
    public static void withdraw(Object job, int context) {
        THREAD_BUFFERS.remove(new Key(job, context));
    }
}
