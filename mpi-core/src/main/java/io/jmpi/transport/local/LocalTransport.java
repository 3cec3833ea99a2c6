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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Ranks as threads of one JVM. Two paths, neither of which allocates in steady state, at any size:
 * <ul>
 *   <li>Copied frames ({@link Link#offer}: eager messages and control frames): the frame is copied (header and
 *       payload) into a pooled {@link Frame} of the sender's and pushed on the receiver's inbox; the receiver's engine
 *       copies the payload out (the second copy) and the frame goes back to its sender's pool. The sender's eager send
 *       is complete as soon as the frame is pushed, as on every transport.</li>
 *   <li>Lent payloads ({@link Link#lend}: a rendezvous send's DATA, once the receiver's CTS proved that the receive is
 *       posted): the frame carries only the header and a reference to the sender's buffer; the receiver's engine
 *       copies the bytes straight from it into the receive buffer ({@link FrameHandler#onLentFrame}, one copy) and the
 *       frame goes back to its sender, whose next poll tells its engine ({@link FrameHandler#onLentReturned}) that the
 *       send is complete. A whole message is one lent frame (up to 2 GiB).</li>
 * </ul>
 *
 * <p>Lists, all intrusive (the frame's {@code next}), so none allocates a node:
 * <ul>
 *   <li>the inbox: a multi-producer stack that the receiver (under its progress lock, so one consumer) takes whole
 *       and reverses into a FIFO; each sender's frames keep their order, all MPI ordering needs;</li>
 *   <li>returned frames: a multi-producer stack onto which receivers push consumed frames; their sender (the one
 *       thread that holds its progress lock) takes it whole into its free lists, one per power-of-two size class
 *       (64 B to 16 MiB payloads; larger frames are allocated and dropped).</li>
 * </ul>
 * Bounds: at most {@link #WINDOW} payload bytes in flight per link (then {@link Link#offer} returns false and the
 * engine retries on its next progress round; a lone frame always goes), and at most {@link #RETAIN} bytes of free
 * frames kept per sender. Eager data is bounded by the engine's credits as on every transport.
 */
public final class LocalTransport implements Transport {
    /** Payload bytes one link may have in flight (sent, not yet consumed by the receiver). */
    static final int WINDOW = 8 << 20;
    /** Payload capacity of free frames a sender keeps for reuse; beyond it, returned frames are left to the GC. */
    static final long RETAIN = 16L << 20;
    private static final VarHandle INBOX;
    private static final VarHandle RETURNED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            INBOX = l.findVarHandle(LocalTransport.class, "inbox", Frame.class);
            RETURNED = l.findVarHandle(LocalTransport.class, "returned", Frame.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LocalFabric fabric;
    private final int rank;
    private final FrameHeader inHeader = new FrameHeader();
    private final Link[] links;
    private volatile boolean closed;

    /** Top of the inbox stack (newest first); pushed by any sender, taken whole by this rank's poller. */
    @SuppressWarnings("unused")
    private volatile Frame inbox;
    /** Frames taken from the inbox, oldest first, not yet dispatched (only the poller touches it). */
    private Frame head;

    /** Frames receivers are done with (pushed by any receiver, taken whole by this rank's sender side). */
    @SuppressWarnings("unused")
    private volatile Frame returned;
    /** Free frames per size class, and their payload bytes (only the sender side, under its progress lock). */
    private final Frame[] free = new Frame[Frame.CLASSES];
    private long retained;
    /** Payload bytes in flight per peer (sender side only). */
    private final long[] inFlight;
    /** Frames whose lent payload came back, not yet reported to the engine (sender side, under its progress lock). */
    private Frame lentBack;
    /** Frames this transport allocated (diagnostics and tests: flat in steady state). */
    private long allocated;

    LocalTransport(LocalFabric fabric, int rank) {
        this.fabric = fabric;
        this.rank = rank;
        this.links = new Link[fabric.size()];
        this.inFlight = new long[fabric.size()];
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
        int work = lentReturns(handler);
        while (true) {
            Frame f = head;
            if (f == null) {
                f = takeInbox();
                if (f == null) return work;
            }
            head = f.next; // consumed before it is dispatched: a frame whose handling threw is not seen again
            f.next = null;
            try {
                ByteBuffer b = f.buf;
                inHeader.decode(b, 0);
                if (f.lent != null) {
                    handler.onLentFrame(inHeader.source, inHeader, f.lent, f.lentOffset);
                } else {
                    b.limit(FrameDescriptor.HEADER_LENGTH + inHeader.length).position(FrameDescriptor.HEADER_LENGTH);
                    handler.onFrame(inHeader.source, inHeader, b);
                }
            } finally {
                f.owner.giveBack(f);
            }
            work++;
        }
    }

    /** Takes the whole inbox and returns it oldest first. */
    private Frame takeInbox() {
        Frame f = (Frame) INBOX.getAndSet(this, (Frame) null);
        Frame prev = null;
        while (f != null) {
            Frame n = f.next;
            f.next = prev;
            prev = f;
            f = n;
        }
        return prev;
    }

    private void push(Frame f) {
        Frame top;
        do {
            top = inbox;
            f.next = top;
        } while (!INBOX.compareAndSet(this, top, f));
    }

    /** A receiver is done with {@code f}, one of this transport's frames; any thread. */
    private void giveBack(Frame f) {
        Frame top;
        do {
            top = returned;
            f.next = top;
        } while (!RETURNED.compareAndSet(this, top, f));
    }

    /**
     * Takes back every returned frame into the free lists and the windows (sender side); frames that lent a payload
     * wait in {@link #lentBack} until a poll tells the engine.
     */
    private void reclaim() {
        Frame f = (Frame) RETURNED.getAndSet(this, (Frame) null);
        while (f != null) {
            Frame n = f.next;
            if (f.lent != null) {
                f.next = lentBack;
                lentBack = f;
            } else {
                recycle(f);
            }
            f = n;
        }
    }

    private void recycle(Frame f) {
        inFlight[f.peer] -= f.charged;
        if (f.sizeClass >= 0 && retained + f.capacity() <= RETAIN) {
            f.next = free[f.sizeClass];
            free[f.sizeClass] = f;
            retained += f.capacity();
        } else {
            f.next = null;
        }
    }

    /**
     * Tells the engine of every lent payload its receiver gave back (its send may complete) and recycles those frames.
     * One at a time from the field, since the engine may offer frames meanwhile (which may reclaim more).
     */
    private int lentReturns(FrameHandler handler) {
        if (returned != null) reclaim();
        int n = 0;
        Frame f;
        while ((f = lentBack) != null) {
            lentBack = f.next;
            int peer = f.peer;
            long token = f.token;
            f.lent = null;
            recycle(f);
            handler.onLentReturned(peer, token);
            n++;
        }
        return n;
    }

    /**
     * Gives every frame still in this closed rank's inbox back to its sender, so that no send waits for a payload
     * it lent to a rank that will never read it. Safe from any thread once closed: the inbox is taken atomically.
     */
    private void dropInbox() {
        Frame f = (Frame) INBOX.getAndSet(this, (Frame) null);
        while (f != null) {
            Frame n = f.next;
            f.owner.giveBack(f);
            f = n;
        }
    }

    /** A frame for {@code payload} bytes: a free one of its size class, else a new one (sender side). */
    private Frame take(int payload) {
        int c = Frame.sizeClass(payload);
        if (c >= 0) {
            if (free[c] == null) reclaim();
            Frame f = free[c];
            if (f != null) {
                free[c] = f.next;
                f.next = null;
                retained -= f.capacity();
                return f;
            }
        }
        allocated++;
        return Frame.allocate(this, payload);
    }

    /** Frames allocated so far by this rank's sending side (flat once the pools are warm). */
    public long framesAllocated() {
        return allocated;
    }

    @Override
    public void wakeup() {
        // pollers spin or park with a bounded period; nothing to wake
    }

    @Override
    public void close() {
        closed = true;
        Frame f = head; // taken from the inbox, never dispatched
        head = null;
        while (f != null) {
            Frame n = f.next;
            f.owner.giveBack(f);
            f = n;
        }
        dropInbox();
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
            if (length > 0 && inFlight[peer] > 0 && inFlight[peer] + length > WINDOW) {
                reclaim();
                if (inFlight[peer] + length > WINDOW) return false; // the receiver has not caught up: back-pressure
            }
            Frame f = take(length);
            ByteBuffer b = f.buf;
            b.clear();
            header.encode(b);
            if (length > 0) payload.copyOut(payloadOffset, b, length);
            f.peer = peer;
            f.charged = length;
            inFlight[peer] += length;
            target.push(f);
            return true;
        }

        @Override
        public boolean lends() {
            return true;
        }

        @Override
        public boolean lend(FrameHeader header, Buf payload, long payloadOffset, long token) {
            LocalTransport target = fabric.transport(peer);
            if (target.closed) throw new MpiException(ErrorClass.PROC_FAILED, "rank " + peer + " has closed");
            Frame f = take(0);
            ByteBuffer b = f.buf;
            b.clear();
            header.encode(b);
            f.peer = peer;
            f.charged = 0; // nothing of the payload is held by the link: no window
            f.lent = payload;
            f.lentOffset = payloadOffset;
            f.token = token;
            target.push(f);
            if (target.closed) target.dropInbox(); // it closed meanwhile: give the payload back rather than wait
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
