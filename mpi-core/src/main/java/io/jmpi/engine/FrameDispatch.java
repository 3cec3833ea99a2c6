package io.jmpi.engine;

import io.jmpi.buffer.Buf;
import io.jmpi.base.ErrorClass;
import io.jmpi.buffer.DataType;
import io.jmpi.wire.FrameHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.jmpi.wire.FrameDescriptor.*;

/**
 * The receiving half of the protocol: one inbound frame at a time, transactionally. {@link #validate} checks the
 * whole frame against the state it refers to (source, element type, tag, length, credit, handles, sequence, the
 * close protocol) and throws a {@link PeerFailure} (PROTOCOL) without changing anything; only then does
 * {@link #apply} change state. So a rejected frame leaves the engine as it was, and whatever the transport does with
 * it afterwards (close the connection, drop the frame) cannot meet half-applied state. Only called under the
 * progress lock.
 */
final class FrameDispatch {
    private final int rank;
    private final Peer[] peers;
    private final MatchQueues match;
    private final HandleTable<Send> sends;
    private final HandleTable<Receive> recvs;
    private final Credits credits;
    private final Outbound outbound;
    private final Lifecycle lifecycle;
    private Engine engine;

    void engine(Engine e) {
        this.engine = e;
    }

    FrameDispatch(int rank, Peer[] peers, MatchQueues match, HandleTable<Send> sends, HandleTable<Receive> recvs,
                  Credits credits, Outbound outbound, Lifecycle lifecycle) {
        this.rank = rank;
        this.peers = peers;
        this.match = match;
        this.sends = sends;
        this.recvs = recvs;
        this.credits = credits;
        this.outbound = outbound;
        this.lifecycle = lifecycle;
    }

    // ------------------------------------------------------------------ context handlers (Engine#setContextHandler)
    // A few contexts (one per RMA window) are handled outside matching: searched linearly, no allocation per frame.
    private int[] handlerContexts = new int[0];
    private ContextHandler[] handlers = new ContextHandler[0];

    void setHandler(int context, ContextHandler h) {
        for (int i = 0; i < handlerContexts.length; i++) {
            if (handlerContexts[i] == context) {
                if (h != null) {
                    handlers[i] = h;
                } else {
                    int n = handlerContexts.length - 1;
                    handlerContexts[i] = handlerContexts[n];
                    handlers[i] = handlers[n];
                    handlerContexts = java.util.Arrays.copyOf(handlerContexts, n);
                    handlers = java.util.Arrays.copyOf(handlers, n);
                }
                return;
            }
        }
        if (h == null) return;
        handlerContexts = java.util.Arrays.copyOf(handlerContexts, handlerContexts.length + 1);
        handlers = java.util.Arrays.copyOf(handlers, handlers.length + 1);
        handlerContexts[handlerContexts.length - 1] = context;
        handlers[handlers.length - 1] = h;
    }

    /** The handler of {@code context}, or null (the usual case: one array length check). */
    ContextHandler handler(int context) {
        int[] c = handlerContexts;
        for (int i = 0; i < c.length; i++) if (c[i] == context) return handlers[i];
        return null;
    }

    boolean hasHandlers() {
        return handlerContexts.length > 0;
    }

    void onFrame(int peer, FrameHeader h, ByteBuffer payload) {
        DataType t = validate(peer, h);
        apply(peer, h, t, payload);
    }

    /** A DATA frame whose payload the sender lent (ranks in one JVM): one copy, from its buffer into the receive's. */
    void onLentFrame(int peer, FrameHeader h, Buf payload, long offset) {
        if (h.type != DATA) throw protocol(peer, "only DATA frames may be lent", h);
        validate(peer, h);
        Receive r = recvs.get(h.id);
        if (h.id2 < r.capacity) {
            long n = Math.min(h.length, r.capacity - h.id2);
            if (scratch == null) scratch = ByteBuffer.allocate(64 << 10).order(ByteOrder.LITTLE_ENDIAN);
            io.jmpi.buffer.BufCopy.copy(payload, offset, r.buf, h.id2, n, scratch);
        }
        received(r, h);
    }

    /** For lent copies that cannot go straight from buffer to buffer (derived datatypes, buffered-send regions). */
    private ByteBuffer scratch;

    /** Throws PROTOCOL if the frame is invalid; changes nothing. Returns the element type of EAGER and RTS frames. */
    DataType validate(int peer, FrameHeader h) {
        if (h.source != peer) throw protocol(peer, "frame claims source rank " + h.source, h);
        switch (h.type) {
            case EAGER: {
                DataType t = checkType(peer, h);
                if (h.tag < 0) throw protocol(peer, "negative tag", h);
                if (h.length % t.size != 0) throw protocol(peer, "length not a multiple of the element size", h);
                String over = credits.checkIncoming(peer, h.length + HEADER_LENGTH);
                if (over != null) throw protocol(peer, over, h);
                return t;
            }
            case RTS: {
                DataType t = checkType(peer, h);
                if (h.tag < 0) throw protocol(peer, "negative tag", h);
                if (h.id2 < 0 || h.id2 % t.size != 0) throw protocol(peer, "bad message length", h);
                return t;
            }
            case CTS: {
                Send op = sends.get(h.id);
                if (op == null || op.dest != peer || op.phase != Send.WAIT_CTS) throw protocol(peer, "CTS for no waiting send", h);
                return null;
            }
            case DATA: {
                Receive r = recvs.get(h.id);
                if (r == null || r.msgSource != peer) throw protocol(peer, "DATA for no receiving request", h);
                if (h.id2 != r.received || h.id2 + h.length > r.total) throw protocol(peer, "DATA out of sequence", h);
                return null;
            }
            case CREDIT: {
                String bad = credits.checkReturned(peer, h.id);
                if (bad != null) throw protocol(peer, bad, h);
                return null;
            }
            case BYE:
                if (h.id == Lifecycle.BYE_ACK) return null;
                if (h.id != 0 || peers[peer].byeReceived) throw protocol(peer, "bad goodbye", h);
                return null;
            default:
                throw protocol(peer, "unknown frame type", h);
        }
    }

    /** Applies a frame that {@link #validate} accepted. */
    private void apply(int peer, FrameHeader h, DataType t, ByteBuffer payload) {
        switch (h.type) {
            case EAGER -> eager(peer, h, t, payload);
            case RTS -> rts(peer, h, t);
            case CTS -> cts(peer, h);
            case DATA -> data(h, payload);
            case CREDIT -> credits.returned(peer, h.id);
            case BYE -> {
                if (h.id == Lifecycle.BYE_ACK) {
                    peers[peer].byeAcked = true; // the peer's engine has read everything this rank sent it
                } else {
                    lifecycle.goodbyeReceived(peer);
                }
            }
            default -> throw new IllegalStateException("frame type " + h.type + " passed validation");
        }
    }

    private void eager(int peer, FrameHeader h, DataType t, ByteBuffer payload) {
        int cost = h.length + HEADER_LENGTH;
        credits.holdIncoming(peer, cost);
        long seq = peers[peer].recvSeq++;
        ContextHandler ch = handler(h.context);
        if (ch != null) {
            // consumed at once: the handler applies it (an RMA put lands straight in window memory)
            credits.consumed(peer, cost);
            ch.onMessage(peer, h.tag, payload, h.length);
            return;
        }
        Receive r = match.takePosted(h.context, peer, h.tag);
        if (r != null) {
            r.msgSeq = seq;
            deliverEager(r, peer, h.tag, t, payload, h.length);
            credits.consumed(peer, cost);
            return;
        }
        Unexpected u = unexpected(peer, h, t, h.length);
        u.seq = seq;
        ByteBuffer b = buffer(h.length);
        u.buffer = b;
        u.data = b.array();
        payload.get(u.data, 0, h.length);
        u.creditCost = cost;
        match.addUnexpected(u);
    }

    private void rts(int peer, FrameHeader h, DataType t) {
        long seq = peers[peer].recvSeq++;
        ContextHandler ch = handler(h.context);
        if (ch != null) {
            // a large message for a handler: received by rendezvous into an array of its size, then handed over
            io.jmpi.buffer.BytesBuf into = io.jmpi.buffer.BytesBuf.forReceive(t);
            Receive r = new Receive(engine, into, peer, h.context, h.tag, RankMap.IDENTITY, "handler");
            int tag = h.tag;
            r.whenDone(() -> {
                if (r.error() == null) ch.onMessage(peer, tag, ByteBuffer.wrap(into.bytes()).order(ByteOrder.LITTLE_ENDIAN), into.bytes().length);
            });
            matchedRts(r, peer, h.tag, t, h.id2, h.id);
            return;
        }
        Receive r = match.takePosted(h.context, peer, h.tag);
        if (r != null) {
            r.msgSeq = seq;
            matchedRts(r, peer, h.tag, t, h.id2, h.id);
            return;
        }
        Unexpected u = unexpected(peer, h, t, h.id2);
        u.senderHandle = h.id;
        u.seq = seq;
        match.addUnexpected(u);
    }

    /** A pooled record of a message from {@code peer} that arrived before its receive: its envelope and size. */
    private Unexpected unexpected(int peer, FrameHeader h, DataType t, long bytes) {
        Unexpected u = unexpected();
        u.context = h.context;
        u.source = peer;
        u.tag = h.tag;
        u.type = t;
        u.bytes = bytes;
        u.ready = (h.flags & FLAG_READY) != 0; // a ready send that found no posted receive (see Receive#finish)
        return u;
    }

    private void cts(int peer, FrameHeader h) {
        Send op = sends.get(h.id);
        if (h.id2 < 0 || op.total == 0) {
            sends.remove(h.id);
            op.phase = Send.DONE;
            op.complete();
        } else {
            op.recvHandle = h.id2;
            op.phase = Send.DATA;
            outbound.enqueue(peer, op);
        }
    }

    private void data(FrameHeader h, ByteBuffer payload) {
        Receive r = recvs.get(h.id);
        if (h.id2 < r.capacity) {
            int n = (int) Math.min(h.length, r.capacity - h.id2);
            r.buf.copyIn(h.id2, payload, n);
        }
        received(r, h);
    }

    private void received(Receive r, FrameHeader h) {
        r.received += h.length;
        if (r.received == r.total) {
            recvs.remove(h.id);
            r.finish();
        }
    }

    /** Completes {@code r} with an eager message (or a buffered one, or one sent to self). */
    void deliverEager(Receive r, int source, int tag, DataType t, ByteBuffer payload, int length) {
        if (r.accept(source, tag, t, length)) {
            int n = (int) Math.min(length, r.capacity);
            if (n > 0) r.buf.copyIn(0, payload, n);
        }
        r.received = length;
        r.finish();
    }

    /**
     * Completes {@code r} with a message sent to self straight from the sender's buffer, a chunk at a time: for
     * messages larger than a byte[] copy can hold (more than 2 GiB), so no offset here is an int.
     */
    void deliverDirect(Receive r, int source, int tag, Buf from) {
        long total = from.byteLength();
        if (r.accept(source, tag, from.type(), total)) {
            long n = Math.min(total, r.capacity);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (long off = 0; off < n; off += chunk.capacity()) {
                int len = (int) Math.min(chunk.capacity(), n - off);
                chunk.clear();
                from.copyOut(off, chunk, len);
                chunk.flip();
                r.buf.copyIn(off, chunk, len);
            }
        }
        r.received = total;
        r.finish();
    }

    /** A newly posted receive takes the unexpected message {@code u} (already removed from its queue). */
    void consume(Receive r, Unexpected u) {
        r.msgSeq = u.seq;
        r.readyTooEarly = u.ready; // fails the receive once the data is in (Receive#finish): nothing is lost
        if (u.data != null) {
            int length = (int) u.bytes;
            ByteBuffer b = u.buffer != null ? u.buffer.clear().limit(length)
                    : ByteBuffer.wrap(u.data, 0, length).order(ByteOrder.LITTLE_ENDIAN);
            deliverEager(r, u.source, u.tag, u.type, b, length);
            credits.consumed(u.source, u.creditCost);
            if (u.selfSync != null) u.selfSync.complete();
        } else {
            matchedRts(r, u.source, u.tag, u.type, u.bytes, u.senderHandle);
        }
    }

    // ------------------------------------------------------------------ pools of unexpected messages
    // An eager message that arrives before its receive is kept in an Unexpected and a byte array; both come from
    // these pools and go back once a posted receive consumed them (Engine#post), so unexpected traffic (collectives'
    // early arrivals above all) allocates nothing in steady state. The pools grow to the peak of unexpected messages
    // held at once, which credit bounds (peerCredit per peer, each message costing at least a header); arrays are
    // pooled by power-of-two size class up to 2^MAX_CLASS bytes, and at most MAX_POOLED_BYTES of them are kept.
    private static final int MIN_CLASS = 4, MAX_CLASS = 16;
    private static final long MAX_POOLED_BYTES = 16 << 20;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
    private Unexpected[] freeUnexpected = new Unexpected[64];
    private int freeUnexpectedCount;
    private final ByteBuffer[][] freeBuffers = new ByteBuffer[MAX_CLASS + 1][];
    private final int[] freeBufferCount = new int[MAX_CLASS + 1];
    private long pooledBytes;

    private Unexpected unexpected() {
        if (freeUnexpectedCount == 0) return new Unexpected();
        Unexpected u = freeUnexpected[--freeUnexpectedCount];
        freeUnexpected[freeUnexpectedCount] = null;
        return u;
    }

    private static int sizeClass(int length) {
        return Math.max(MIN_CLASS, 32 - Integer.numberOfLeadingZeros(Math.max(length, 1) - 1));
    }

    /** A little-endian heap buffer of at least {@code length} bytes, from the pool when small enough. */
    private ByteBuffer buffer(int length) {
        if (length == 0) return EMPTY;
        int c = sizeClass(length);
        if (c <= MAX_CLASS && freeBufferCount[c] > 0) {
            ByteBuffer b = freeBuffers[c][--freeBufferCount[c]];
            freeBuffers[c][freeBufferCount[c]] = null;
            pooledBytes -= b.capacity();
            return b;
        }
        return ByteBuffer.allocate(c <= MAX_CLASS ? 1 << c : length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Gives back a consumed unexpected message that nothing refers to any more (a matched probe's message never). */
    void recycle(Unexpected u) {
        ByteBuffer b = u.buffer;
        if (b != null && b.capacity() > 0) {
            int c = sizeClass(b.capacity());
            if (c <= MAX_CLASS && b.capacity() == 1 << c && pooledBytes + b.capacity() <= MAX_POOLED_BYTES) {
                ByteBuffer[] free = freeBuffers[c];
                if (free == null) free = freeBuffers[c] = new ByteBuffer[16];
                if (freeBufferCount[c] == free.length) free = freeBuffers[c] = java.util.Arrays.copyOf(free, free.length * 2);
                free[freeBufferCount[c]++] = b;
                pooledBytes += b.capacity();
            }
        }
        u.next = u.prev = null;
        u.data = null;
        u.buffer = null;
        u.selfSync = null;
        u.type = null;
        u.senderHandle = 0;
        u.creditCost = 0;
        u.ready = false;
        if (freeUnexpectedCount == freeUnexpected.length) {
            freeUnexpected = java.util.Arrays.copyOf(freeUnexpected, freeUnexpected.length * 2);
        }
        freeUnexpected[freeUnexpectedCount++] = u;
    }

    private void matchedRts(Receive r, int source, int tag, DataType t, long total, long senderHandle) {
        r.accept(source, tag, t, total);
        if (total == 0) {
            r.finish();
            outbound.sendControl(source, CTS, senderHandle, -1);
            return;
        }
        r.handle = recvs.add(r);
        outbound.sendControl(source, CTS, senderHandle, r.handle);
    }

    private DataType checkType(int peer, FrameHeader h) {
        DataType t = DataType.of(h.dtype);
        if (t == null) throw protocol(peer, "unknown element type " + h.dtype, h);
        return t;
    }

    private static PeerFailure protocol(int peer, String why, FrameHeader h) {
        return new PeerFailure(peer, ErrorClass.PROTOCOL, "invalid frame from rank " + peer + ": " + why + ": " + h, null);
    }
}
