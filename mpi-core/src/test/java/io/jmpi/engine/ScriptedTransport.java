package io.jmpi.engine;

import io.jmpi.bootstrap.Endpoint;
import io.jmpi.buffer.Buf;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportContext;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A transport for engine unit tests: {@link #poll} delivers the frames the test queued (taking each off the queue
 * before dispatching it, as the real transports do), or throws what the test asks; the link to every peer records
 * what the engine sends and always has room. Handler exceptions propagate out of poll, as with the local transport.
 */
final class ScriptedTransport implements Transport {
    private final Link[] links;
    private final ArrayDeque<Object[]> inbound = new ArrayDeque<>();
    /** Frame types the engine offered, per peer. */
    final List<List<Byte>> sent = new ArrayList<>();
    volatile Supplier<RuntimeException> pollFailure;

    ScriptedTransport(int size) {
        links = new Link[size];
        for (int p = 0; p < size; p++) {
            int peer = p;
            sent.add(new ArrayList<>());
            links[p] = new Link() {
                @Override public int peer() { return peer; }
                @Override public int maxPayload() { return 1 << 20; }
                @Override public boolean hasBacklog() { return false; }

                @Override
                public boolean offer(FrameHeader header, Buf payload, long payloadOffset, int length) {
                    synchronized (sent) {
                        sent.get(peer).add(header.type);
                    }
                    return true;
                }
            };
        }
    }

    Link[] links() {
        return links.clone();
    }

    /** Queues a frame from {@code peer} for the next poll. */
    synchronized void deliver(int peer, FrameHeader h, byte[] payload) {
        inbound.add(new Object[]{peer, new FrameHeader().copyFrom(h), payload});
    }

    @Override public String name() { return "scripted"; }
    @Override public int listen(TransportContext ctx) { return 0; }
    @Override public void connect(Endpoint[] table, int[] peers) { }
    @Override public Link link(int peer) { return links[peer]; }
    @Override public void wakeup() { }
    @Override public void close() { }

    @Override
    public int poll(FrameHandler handler) {
        Supplier<RuntimeException> f = pollFailure;
        if (f != null) throw f.get();
        int n = 0;
        while (true) {
            Object[] frame;
            synchronized (this) {
                frame = inbound.poll();
            }
            if (frame == null) return n;
            byte[] payload = (byte[]) frame[2];
            handler.onFrame((Integer) frame[0], (FrameHeader) frame[1], ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN));
            n++;
        }
    }
}
