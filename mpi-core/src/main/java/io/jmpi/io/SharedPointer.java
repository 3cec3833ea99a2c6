package io.jmpi.io;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongUnaryOperator;

/**
 * The shared file pointer of an open file ({@code MPI_File_read_shared} and friends): one 8-byte little-endian
 * number (the pointer, in etypes of the current view) in a side file next to the data file, read and updated under
 * an exclusive record lock ({@link RangeLock}).
 *
 * <p>Why a side file and not a rank that holds the pointer and answers messages: a rank of jmpi makes progress only
 * when it calls into the library (thread ranks have no progress agent), so a pointer held by rank 0 would stall every
 * {@code writeShared} of the others while rank 0 computes. A locked file needs nobody's help, works for ranks that
 * are threads of one JVM, processes of one host, and hosts that share a directory (the data file must be shared
 * anyway; NFS serves record locks through its lock manager), and the operations that need it are the rare
 * non-collective shared ones. The collective ones (ordered, seekShared) touch it once per call, from rank 0.
 */
public final class SharedPointer implements AutoCloseable {
    private final Path path;
    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    private SharedPointer(Path path, FileChannel ch) {
        this.path = path;
        this.ch = ch;
    }

    /** The side file's name for data file {@code file}: {@code .NAME.jmpi-sfp} in the same directory. */
    public static Path sideFile(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return dir.resolve("." + file.getFileName() + ".jmpi-sfp");
    }

    /** Creates (or resets) the side file with the pointer at {@code initial}; done by one rank before the others open it. */
    public static void create(Path side, long initial) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, initial);
        try (FileChannel c = FileChannel.open(side, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) c.write(b, b.position());
            c.force(false);
        }
    }

    public static SharedPointer open(Path side) throws IOException {
        return new SharedPointer(side, FileChannel.open(side, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    public Path path() { return path; }

    /** Applies {@code f} to the pointer atomically across all its users; returns the old value. */
    public synchronized long update(LongUnaryOperator f, String call) {
        FileLock l = RangeLock.lock(ch, 0, 8, false, call);
        try {
            long old = read(call);
            long next = f.applyAsLong(old);
            if (next != old) {
                buf.clear();
                buf.putLong(0, next);
                while (buf.hasRemaining()) ch.write(buf, buf.position());
            }
            return old;
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, call + ": updating the shared file pointer in " + path + " failed: " + e, e);
        } finally {
            RangeLock.release(l, call);
        }
    }

    public long get(String call) {
        return update(x -> x, call);
    }

    private long read(String call) throws IOException {
        buf.clear();
        while (buf.hasRemaining()) {
            if (ch.read(buf, buf.position()) < 0) {
                throw new MpiException(ErrorClass.IO, call + ": the shared file pointer file " + path + " is truncated");
            }
        }
        return buf.getLong(0);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    public static void delete(Path side) throws IOException {
        Files.deleteIfExists(side);
    }
}
