package io.jmpi.transport.shm;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.buffer.Buf;
import io.jmpi.base.Log;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.FrameHeader;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.jmpi.transport.shm.ShmSegmentDescriptor.*;

/**
 * Shared memory between ranks on one host. Each rank creates a segment holding one inbound ring per peer
 * ({@link ShmSegmentDescriptor}); a peer maps it and produces into its own ring there, so every ring has exactly
 * one producer and one consumer and needs no lock. Segment files are unlinked as soon as every peer has attached
 * (the mappings stay valid), so nothing is left in /dev/shm however the job ends after start-up; the launcher
 * removes the job's files if a rank dies during start-up. Segments are checked on attach (magic, version, job,
 * owner, geometry): a foreign or corrupted segment is a clear error, never a hang.
 */
public final class ShmTransport implements Transport {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private TransportContext ctx;
    private Path dir;
    private Path file;
    private MappedByteBuffer own;
    private int capacity;
    private ShmRing[] inbound;
    private ShmLink[] links;
    private int[] peers = new int[0];
    private volatile boolean unlinked;

    @Override
    public String name() {
        return "shm";
    }

    /** Ranks of one host: the same host identity (boot id and /dev/shm, so namespaces and containers count right). */
    @Override
    public boolean reaches(Endpoint mine, Endpoint peer) {
        return mine.hostId().equals(peer.hostId());
    }

    /** The segment file of a rank of a job. */
    public static Path segmentPath(Path dir, long jobId, int rank) {
        return dir.resolve("jmpi-" + Long.toHexString(jobId) + "-" + rank);
    }

    /**
     * Removes whatever segment files of a job are still there (the launcher calls it when a job ends, so that a
     * rank killed before every peer attached leaves nothing behind). Returns how many it removed.
     */
    public static int removeJobSegments(Path dir, long jobId) {
        String prefix = "jmpi-" + Long.toHexString(jobId) + "-";
        int n = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith(prefix) && Files.deleteIfExists(f)) n++;
            }
        } catch (IOException e) {
            // no such directory or not readable: nothing of ours can be there
        }
        return n;
    }

    @Override
    public int listen(TransportContext ctx) {
        this.ctx = ctx;
        int size = ctx.size();
        this.dir = Path.of(ctx.config().get(Config.SHM_DIR));
        int cap = ctx.config().get(Config.SHM_RING_SIZE);
        long maxSegment = 1L << 30; // keep one mapping well under 2 GiB whatever the job size
        while (cap > 65536 && segmentSize(size, cap) > maxSegment) cap >>= 1;
        this.capacity = cap;
        this.inbound = new ShmRing[size];
        this.links = new ShmLink[size];
        this.file = segmentPath(dir, ctx.jobId(), ctx.rank());
        long bytes = segmentSize(size, cap);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(bytes); // sparse: only the pages of rings in use are ever touched
            own = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, bytes);
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "shm: cannot create segment " + file + " (" + bytes + " bytes): " + e.getMessage(), e);
        }
        own.order(ByteOrder.LITTLE_ENDIAN);
        own.putLong(MAGIC_OFFSET, MAGIC);
        own.putInt(VERSION_OFFSET, VERSION);
        own.putInt(OWNER_OFFSET, ctx.rank());
        own.putLong(JOB_OFFSET, ctx.jobId());
        own.putInt(RING_COUNT_OFFSET, size);
        own.putInt(RING_CAPACITY_OFFSET, cap);
        INTS.setRelease(own, READY_OFFSET, 1);
        return 0;
    }

    @Override
    public void connect(Endpoint[] table, int[] peers) {
        this.peers = peers.clone();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ctx.config().get(Config.CONNECT_TIMEOUT));
        for (int p : peers) {
            ByteBuffer seg = attach(p, deadline);
            links[p] = new ShmLink(p, new ShmRing(seg, ringOffset(ctx.rank(), capacity), capacity, true));
            inbound[p] = new ShmRing(own, ringOffset(p, capacity), capacity, false);
            LONGS.getAndAdd(seg, ATTACHED_OFFSET, 1L);
        }
        // every peer has mapped our segment once the count is complete: the name is no longer needed
        while ((long) LONGS.getAcquire(own, ATTACHED_OFFSET) < peers.length) {
            if (System.nanoTime() > deadline) {
                throw new MpiException(ErrorClass.TIMEOUT, "shm: only " + (long) LONGS.getAcquire(own, ATTACHED_OFFSET)
                        + " of " + peers.length + " peers attached to " + file + " within the connect timeout");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        unlink();
    }

    private ByteBuffer attach(int p, long deadline) {
        Path path = segmentPath(dir, ctx.jobId(), p);
        while (true) {
            try (FileChannel ch = FileChannel.open(path, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                long len = ch.size();
                if (len < HEADER_SIZE) throw corrupt(p, path, "size " + len + " is smaller than a segment header");
                ByteBuffer seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, len).order(ByteOrder.LITTLE_ENDIAN);
                validate(p, path, seg, len);
                return seg;
            } catch (NoSuchFileException e) {
                if (System.nanoTime() > deadline) {
                    throw new MpiException(ErrorClass.TIMEOUT, "shm: segment " + path + " of rank " + p + " did not appear");
                }
                Thread.yield();
            } catch (IOException e) {
                throw new MpiException(ErrorClass.IO, "shm: cannot map " + path + " of rank " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private void validate(int p, Path path, ByteBuffer seg, long len) {
        long magic = seg.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) throw corrupt(p, path, "not a jmpi segment (magic 0x" + Long.toHexString(magic) + ")");
        int version = seg.getInt(VERSION_OFFSET);
        if (version != VERSION) throw corrupt(p, path, "segment version " + version + ", this rank speaks " + VERSION);
        if ((int) INTS.getAcquire(seg, READY_OFFSET) != 1) throw corrupt(p, path, "segment is not initialised");
        long job = seg.getLong(JOB_OFFSET);
        if (job != ctx.jobId()) {
            throw corrupt(p, path, "segment belongs to job " + Long.toHexString(job) + ", not to this job " + Long.toHexString(ctx.jobId()));
        }
        int owner = seg.getInt(OWNER_OFFSET);
        if (owner != p) throw corrupt(p, path, "segment owner is rank " + owner);
        int rings = seg.getInt(RING_COUNT_OFFSET), cap = seg.getInt(RING_CAPACITY_OFFSET);
        if (rings != ctx.size() || cap != capacity || len < segmentSize(rings, cap)) {
            throw corrupt(p, path, "geometry " + rings + " rings of " + cap + " bytes in " + len + " bytes, expected "
                    + ctx.size() + " rings of " + capacity);
        }
    }

    private static MpiException corrupt(int p, Path path, String why) {
        return new MpiException(ErrorClass.PROTOCOL, "shm: segment " + path + " of rank " + p + " rejected: " + why);
    }

    private void unlink() {
        if (unlinked) return;
        unlinked = true;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.warn(ctx.rank(), "shm: cannot remove " + file + ": " + e.getMessage());
        }
    }

    @Override
    public Link link(int peer) {
        return links[peer];
    }

    @Override
    public int poll(FrameHandler handler) {
        int work = 0;
        for (int p : peers) {
            try {
                work += inbound[p].poll(p, handler);
            } catch (MpiException e) {
                if (e.errorClass() != ErrorClass.PROTOCOL) throw e;
                Log.warn(ctx.rank(), e.getMessage());
                int[] rest = java.util.Arrays.stream(peers).filter(x -> x != p).toArray();
                peers = rest;
                handler.onPeerLost(p, false, e.getMessage());
                return work;
            }
        }
        return work;
    }

    @Override
    public void wakeup() {
        // consumers poll with a bounded park; nothing to wake
    }

    @Override
    public void close() {
        unlink();
    }

    private static final class ShmLink implements Link {
        private final int peer;
        private final ShmRing ring;

        ShmLink(int peer, ShmRing ring) {
            this.peer = peer;
            this.ring = ring;
        }

        @Override public int peer() { return peer; }
        @Override public int maxPayload() { return ring.maxPayload(); }
        @Override public boolean hasBacklog() { return false; }

        @Override
        public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
            return ring.offer(header, payload, payloadOffset, length);
        }
    }
}
