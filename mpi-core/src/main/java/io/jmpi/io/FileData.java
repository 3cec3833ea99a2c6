package io.jmpi.io;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;

/**
 * Moving bytes between a memory buffer ({@link Buf}, read as its packed little-endian data stream) and file
 * segments, through a staging buffer: the independent reads and writes, and the copies of the two-phase exchange.
 * A {@link Buf} copies whole elements only; {@link #copyOut}/{@link #copyIn} also take a piece that starts or ends
 * inside an element (a file domain or round boundary may fall there) through an element-sized bounce buffer.
 */
public final class FileData {
    /** Write requests issued (positional writes), JVM-wide: lets tests check that accesses are large. */
    private static final java.util.concurrent.atomic.LongAdder WRITES = new java.util.concurrent.atomic.LongAdder();

    private FileData() {
    }

    /** Write requests issued so far in this JVM (each {@link #writeFully} counts one, however many system calls it takes). */
    public static long writeRequests() {
        return WRITES.sum();
    }

    /** Writes the data of {@code segs} (stream bytes from {@code buf}) to {@code ch}, each segment in staging-sized requests. */
    public static void write(FileChannel ch, Segments segs, Buf buf, ByteBuffer staging, String call) {
        for (int i = 0; i < segs.count(); i++) {
            long off = segs.offset(i), pos = segs.streamPos(i), left = segs.length(i);
            while (left > 0) {
                int n = (int) Math.min(left, staging.capacity());
                staging.clear();
                copyOut(buf, pos, staging, n);
                staging.flip();
                writeFully(ch, staging, off, call);
                off += n;
                pos += n;
                left -= n;
            }
        }
    }

    /** Reads the segments into {@code buf}; returns the stream bytes read before the first short read (end of file). */
    public static long read(FileChannel ch, Segments segs, Buf buf, ByteBuffer staging, String call) {
        long done = 0;
        for (int i = 0; i < segs.count(); i++) {
            long off = segs.offset(i), pos = segs.streamPos(i), left = segs.length(i);
            while (left > 0) {
                int n = (int) Math.min(left, staging.capacity());
                staging.clear().limit(n);
                int got = readFully(ch, staging, off, call);
                staging.flip();
                copyIn(buf, pos, staging, got);
                done += got;
                if (got < n) return done;
                off += n;
                pos += n;
                left -= n;
            }
        }
        return done;
    }

    /** Writes all of {@code b} (position to limit) at file byte {@code off}. */
    public static void writeFully(FileChannel ch, ByteBuffer b, long off, String call) {
        WRITES.increment();
        try {
            while (b.hasRemaining()) off += ch.write(b, off);
        } catch (IOException e) {
            throw failure(call, "writing at byte " + off, e);
        }
    }

    /** Reads into {@code b} from byte {@code off} until it is full or the file ends; returns the bytes read. */
    public static int readFully(FileChannel ch, ByteBuffer b, long off, String call) {
        int start = b.position();
        try {
            while (b.hasRemaining()) {
                int r = ch.read(b, off);
                if (r < 0) break;
                off += r;
            }
        } catch (IOException e) {
            throw failure(call, "reading at byte " + off, e);
        }
        return b.position() - start;
    }

    /** An I/O failure as an MpiException of the matching MPI error class. */
    public static MpiException failure(String call, String what, IOException e) {
        String m = String.valueOf(e.getMessage());
        ErrorClass c = e instanceof AccessDeniedException ? ErrorClass.ACCESS
                : m.contains("No space left") ? ErrorClass.NO_SPACE
                : m.contains("Read-only file system") ? ErrorClass.READ_ONLY
                : ErrorClass.IO;
        return new MpiException(c, call + ": " + what + " failed: " + e, e);
    }

    /** Copies stream bytes {@code [pos, pos + len)} of {@code buf} into {@code dst} at its position (advancing it). */
    public static void copyOut(Buf buf, long pos, ByteBuffer dst, int len) {
        int es = buf.type().size;
        if (es == 1 || (pos % es == 0 && len % es == 0)) {
            buf.copyOut(pos, dst, len);
            return;
        }
        ByteBuffer e = ByteBuffer.allocate(es).order(ByteOrder.LITTLE_ENDIAN);
        long end = pos + len;
        while (pos < end) {
            long el = pos - pos % es;
            int from = (int) (pos - el);
            if (from == 0 && end - pos >= es) {
                int whole = (int) ((end - pos) / es * es);
                buf.copyOut(pos, dst, whole);
                pos += whole;
                continue;
            }
            int take = (int) Math.min(es - from, end - pos);
            e.clear();
            buf.copyOut(el, e, es);
            dst.put(e.array(), from, take);
            pos += take;
        }
    }

    /** Copies {@code len} bytes from {@code src} at its position into stream bytes {@code [pos, pos + len)} of {@code buf}. */
    public static void copyIn(Buf buf, long pos, ByteBuffer src, int len) {
        int es = buf.type().size;
        if (es == 1 || (pos % es == 0 && len % es == 0)) {
            buf.copyIn(pos, src, len);
            return;
        }
        ByteBuffer e = ByteBuffer.allocate(es).order(ByteOrder.LITTLE_ENDIAN);
        long end = pos + len;
        while (pos < end) {
            long el = pos - pos % es;
            int from = (int) (pos - el);
            if (from == 0 && end - pos >= es) {
                int whole = (int) ((end - pos) / es * es);
                buf.copyIn(pos, src, whole);
                pos += whole;
                continue;
            }
            int take = (int) Math.min(es - from, end - pos);
            // read-modify-write of the one element: its other bytes come (or came) in another piece
            e.clear();
            buf.copyOut(el, e, es);
            src.get(e.array(), from, take);
            e.clear();
            buf.copyIn(el, e, es);
            pos += take;
        }
    }
}
