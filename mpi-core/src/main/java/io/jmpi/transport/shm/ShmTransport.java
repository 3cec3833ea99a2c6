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
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Doorbell. Each rank also listens on a UNIX-domain socket next to its segment ({@code <segment>.bell}; Java's
 * UNIX-domain channels are stream sockets, there is no datagram flavour); each peer connects to it once at start-up
 * and the name is unlinked with the segment. A poller about to sleep sets its segment's waiters word
 * ({@link #announceSleep}), polls every ring once more, and blocks in the rank's selector where the accepted doorbell
 * connections are registered; a producer that publishes a record reads that word and, only when it is set, writes
 * one byte to its doorbell connection. So the fast path is a memory write and a load; a ring costs one system call.
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
    /** Doorbell: our listener until every peer connected; the peers' connections to it; ours to theirs. */
    private Path bellPath;
    private ServerSocketChannel bellServer;
    private final List<SocketChannel> bellsIn = new ArrayList<>();
    private SocketChannel[] bellsOut;
    private ByteBuffer[] peerSegments;
    private final ByteBuffer ding = ByteBuffer.allocateDirect(1);
    private volatile Selector waitSet;
    private volatile long rings;

    @Override
    public String name() {
        return "shm";
    }

    /** Ranks of one host: the same host identity (boot id and segment directory, so namespaces and containers count right). */
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
        this.dir = io.jmpi.base.Platform.shmDir(ctx.config());
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
        own.putInt(DOORBELL_OFFSET, openBell() ? 1 : 0);
        INTS.setRelease(own, READY_OFFSET, 1);
        return 0;
    }

    /** The doorbell's path: next to the segment (so the launcher's clean-up of the job's files removes it too). */
    static Path bellPath(Path segment) {
        return segment.resolveSibling(segment.getFileName() + ".bell");
    }

    private boolean openBell() {
        bellPath = bellPath(file);
        try {
            Files.deleteIfExists(bellPath);
            bellServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            bellServer.bind(UnixDomainSocketAddress.of(bellPath), Math.max(50, ctx.size()));
            return true;
        } catch (IOException | RuntimeException e) {
            // e.g. a path too long for a socket address: no doorbell, waiters park with the bounded period
            Log.warn(ctx.rank(), "shm: no doorbell at " + bellPath + " (" + e + "); idle waiters will poll");
            closeQuietly(bellServer);
            bellServer = null;
            return false;
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void connect(Endpoint[] table, int[] peers) {
        this.peers = peers.clone();
        this.bellsOut = new SocketChannel[ctx.size()];
        this.peerSegments = new ByteBuffer[ctx.size()];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ctx.config().get(Config.CONNECT_TIMEOUT));
        for (int p : peers) {
            ByteBuffer seg = attach(p, deadline);
            peerSegments[p] = seg;
            links[p] = new ShmLink(this, p, new ShmRing(seg, ringOffset(ctx.rank(), capacity), capacity, true));
            inbound[p] = new ShmRing(own, ringOffset(p, capacity), capacity, false);
            // connected before we count as attached: once the owner's count is complete, it can accept us all
            if (seg.getInt(DOORBELL_OFFSET) == 1) bellsOut[p] = connectBell(p);
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
        acceptBells();
        unlink();
    }

    private SocketChannel connectBell(int p) {
        Path path = bellPath(segmentPath(dir, ctx.jobId(), p));
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(path));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException | RuntimeException e) {
            Log.warn(ctx.rank(), "shm: cannot connect to rank " + p + "'s doorbell " + path + " (" + e + "); it will poll");
            closeQuietly(ch);
            return null;
        }
    }

    /** Every peer connected to our doorbell before it counted as attached: their connections wait in the backlog. */
    private void acceptBells() {
        if (bellServer == null) return;
        try {
            bellServer.configureBlocking(false);
            SocketChannel ch;
            while ((ch = bellServer.accept()) != null) {
                ch.configureBlocking(false);
                bellsIn.add(ch);
            }
        } catch (IOException e) {
            Log.warn(ctx.rank(), "shm: doorbell accept failed: " + e.getMessage());
        } finally {
            closeQuietly(bellServer);
        }
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
            if (bellPath != null) Files.deleteIfExists(bellPath);
        } catch (IOException e) {
            // Windows refuses to delete a file that is mapped (not run there, issue 22): the launcher removes the
            // job's files once its ranks have exited, so that is no reason to warn on every start
            if (!io.jmpi.base.Platform.windows()) Log.warn(ctx.rank(), "shm: cannot remove " + file + ": " + e.getMessage());
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

    /** Every peer can ring us (each connected to our doorbell). */
    @Override
    public boolean supportsWakeups() {
        return bellServer != null && bellsIn.size() == peers.length;
    }

    @Override
    public void registerWakeups(Selector waitSet) {
        this.waitSet = waitSet;
        for (SocketChannel ch : bellsIn) {
            ByteBuffer sink = ByteBuffer.allocateDirect(64);
            try {
                SelectionKey[] key = new SelectionKey[1];
                key[0] = ch.register(waitSet, SelectionKey.OP_READ, (Runnable) () -> drain(ch, sink, key[0]));
            } catch (IOException e) {
                Log.warn(ctx.rank(), "shm: cannot watch a doorbell connection: " + e.getMessage());
            }
        }
    }

    /** Run by the woken sleeper: empties a doorbell connection, so the next sleep blocks again. */
    private static void drain(SocketChannel ch, ByteBuffer sink, SelectionKey key) {
        try {
            int n;
            do {
                sink.clear();
                n = ch.read(sink);
            } while (n > 0);
            if (n < 0) { // the peer closed: its end is seen on the TCP watch
                key.cancel();
                ch.close();
            }
        } catch (IOException e) {
            key.cancel();
            closeQuietly(ch);
        }
    }

    /** Publishes whether this rank's poller sleeps (the waiters word; volatile: ordered before its re-poll). */
    @Override
    public void announceSleep(boolean sleeping) {
        MappedByteBuffer o = own;
        if (o != null) INTS.setVolatile(o, WAITERS_OFFSET, sleeping ? 1 : 0);
    }

    /** After a record to {@code p} is published: rings {@code p}'s doorbell if its poller announced sleep. */
    void ringIfAsleep(int p) {
        if ((int) INTS.getVolatile(peerSegments[p], WAITERS_OFFSET) == 0) return;
        SocketChannel ch = bellsOut[p];
        if (ch == null) return; // no doorbell to that peer: it wakes by its timeout
        ding.clear();
        try {
            ch.write(ding); // 0 written: its buffer is full of rings already, which is as good
            rings++;
        } catch (IOException e) {
            // the peer is gone: its TCP watch tells the engine
        }
    }

    /** Doorbell rings this rank sent (tests, diagnostics). */
    public long rings() {
        return rings;
    }

    @Override
    public void wakeup() {
        Selector s = waitSet;
        if (s != null) s.wakeup();
    }

    @Override
    public void close() {
        unlink();
        closeQuietly(bellServer);
        for (SocketChannel ch : bellsIn) closeQuietly(ch);
        if (bellsOut != null) for (SocketChannel ch : bellsOut) closeQuietly(ch);
    }

    private static final class ShmLink implements Link {
        private final ShmTransport transport;
        private final int peer;
        private final ShmRing ring;

        ShmLink(ShmTransport transport, int peer, ShmRing ring) {
            this.transport = transport;
            this.peer = peer;
            this.ring = ring;
        }

        @Override public int peer() { return peer; }
        @Override public int maxPayload() { return ring.maxPayload(); }
        @Override public boolean hasBacklog() { return false; }

        @Override
        public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
            if (!ring.offer(header, payload, payloadOffset, length)) return false;
            transport.ringIfAsleep(peer);
            return true;
        }
    }
}
