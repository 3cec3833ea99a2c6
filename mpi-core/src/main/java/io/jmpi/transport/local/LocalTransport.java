package io.jmpi.transport.local;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.buffer.Buf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ranks as threads of one JVM. A frame is copied into a byte array and put in the receiver's inbox, a lock-free
 * multi-producer queue, which keeps each sender's frames in order (all MPI ordering needs). The engine's credits
 * bound eager data; rendezvous data is copied once more than over TCP, which is fine for tests and thread jobs.
 * Rendezvous DATA frames are bounded too: a link refuses them (the engine retries) while the receiver's inbox holds
 * more than {@link #MAX_DATA_IN_FLIGHT} bytes of them, so a 2.5 GiB message never sits in the heap twice.
 */
public final class LocalTransport implements Transport {
    private final LocalFabric fabric;
    private final int rank;
    /** DATA bytes a receiver's inbox may hold before its senders' links refuse more (32 chunks of 256 KiB). */
    static final long MAX_DATA_IN_FLIGHT = 8L << 20;

    private final ConcurrentLinkedQueue<byte[]> inbox = new ConcurrentLinkedQueue<>();
    /** DATA payload bytes in {@link #inbox}: added by senders, taken off by {@link #poll}. */
    private final AtomicLong inboxData = new AtomicLong();
    private final FrameHeader inHeader = new FrameHeader();
    private final Link[] links;
    private volatile boolean closed;

    LocalTransport(LocalFabric fabric, int rank) {
        this.fabric = fabric;
        this.rank = rank;
        this.links = new Link[fabric.size()];
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public int listen(TransportContext ctx) {
        return 0;
    }

    @Override
    public void connect(Endpoint[] table, int[] peers) {
        for (int p : peers) links[p] = new LocalLink(p);
    }

    @Override
    public Link link(int peer) {
        return links[peer];
    }

    @Override
    public int poll(FrameHandler handler) {
        int work = 0;
        byte[] f;
        while ((f = inbox.poll()) != null) {
            ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
            inHeader.decode(b, 0);
            if (inHeader.type == FrameDescriptor.DATA) inboxData.addAndGet(-(f.length - FrameDescriptor.HEADER_LENGTH));
            b.position(FrameDescriptor.HEADER_LENGTH);
            handler.onFrame(inHeader.source, inHeader, b);
            work++;
        }
        return work;
    }

    @Override
    public void wakeup() {
        // pollers spin or park with a bounded period; nothing to wake
    }

    @Override
    public void close() {
        closed = true;
    }

    private final class LocalLink implements Link {
        private final int peer;

        LocalLink(int peer) {
            this.peer = peer;
        }

        @Override
        public int peer() {
            return peer;
        }

        @Override
        public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
            LocalTransport target = fabric.transport(peer);
            if (target.closed && header.type != FrameDescriptor.BYE) {
                throw new MpiException(ErrorClass.PROC_FAILED, "rank " + peer + " has closed");
            }
            boolean data = header.type == FrameDescriptor.DATA;
            if (data && target.inboxData.get() > MAX_DATA_IN_FLIGHT) return false; // the receiver has enough to do
            byte[] f = new byte[FrameDescriptor.HEADER_LENGTH + length];
            ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
            header.encode(b);
            if (length > 0) payload.copyOut(payloadOffset, b, length);
            if (data) target.inboxData.addAndGet(length);
            target.inbox.add(f);
            return true;
        }

        @Override
        public int maxPayload() {
            return Integer.MAX_VALUE - FrameDescriptor.HEADER_LENGTH;
        }

        @Override
        public boolean hasBacklog() {
            return false;
        }
    }
}
