package io.jmpi.engine;

import io.jmpi.buffer.Buf;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/** A posted receive: in the posted queue until matched, then (rendezvous) receiving DATA frames. */
final class Receive extends Operation {
    Buf buf;
    int source;         // world rank or ANY_SOURCE
    int context;
    int tag;            // or ANY_TAG
    RankMap ranks;
    String call;
    Receive next, prev;  // posted queue links
    boolean posted;
    /** The pooled operation's own descriptor of a primitive array run (see Engine#startSendArray, #startRecvArray). */
    io.jmpi.buffer.ArrayBuf ownBuf;

    // set on match
    int msgSource;      // world rank
    int msgTag;
    long total;
    long capacity;
    long received;
    DataType msgType;
    MpiException pendingError;
    long handle;
    /** The message came from a ready send that arrived before this receive was posted (erroneous per MPI_Rsend). */
    boolean readyTooEarly;
    /** The matched message's number from its sender (Peer#recvSeq), for the trace. */
    long msgSeq = -1;

    Receive(Engine engine, Buf buf, int source, int context, int tag, RankMap ranks, String call) {
        super(engine);
        init(buf, source, context, tag, ranks, call);
    }

    void init(Buf buf, int source, int context, int tag, RankMap ranks, String call) {
        this.buf = buf;
        this.source = source;
        this.context = context;
        this.tag = tag;
        this.ranks = ranks;
        this.call = call;
        this.pendingError = null;
        this.received = 0;
        this.total = 0;
        this.capacity = 0;
        this.msgType = null;
        this.readyTooEarly = false;
        this.msgSeq = -1;
    }

    boolean matches(int ctx, int src, int t) {
        return context == ctx && (source == Engine.ANY_SOURCE || source == src) && (tag == Engine.ANY_TAG || tag == t);
    }

    /** Records the matched envelope and checks type and size; returns false if data must be discarded. */
    boolean accept(int src, int t, DataType type, long bytes) {
        msgSource = src;
        msgTag = t;
        msgType = type;
        total = bytes;
        if (type != buf.type() && !buf.acceptsAnyType()) {
            pendingError = new MpiException(ErrorClass.TYPE, call + ": type mismatch: message from rank "
                    + ranks.toLocal(src) + " tag " + t + " carries " + type.javaName() + " elements, the receive buffer holds "
                    + buf.type().javaName());
            capacity = 0;
            return false;
        }
        capacity = buf.prepareReceive(bytes);
        if (bytes > capacity && buf.acceptsAnyType() && bytes > BytesBuf.MAX_ARRAY) {
            pendingError = new MpiException(ErrorClass.TRUNCATE, call + ": message of " + bytes + " bytes from rank "
                    + ranks.toLocal(src) + " tag " + t + " is larger than the largest Java array (" + BytesBuf.MAX_ARRAY
                    + " bytes)");
        } else if (bytes > capacity) {
            pendingError = new MpiException(ErrorClass.TRUNCATE, call + ": message truncated: "
                    + bytes / type.size + " elements (" + bytes + " bytes) from rank " + ranks.toLocal(src) + " tag " + t
                    + " do not fit a receive buffer of " + capacity / type.size + " elements (" + capacity + " bytes)");
        }
        return true;
    }

    void finish() {
        if (pendingError == null && readyTooEarly) {
            // the data was delivered (nothing is lost), but the program is erroneous: say so where it can be caught
            pendingError = new MpiException(ErrorClass.STATE, call + ": message from rank " + ranks.toLocal(msgSource)
                    + " tag " + msgTag + " was sent by rsend (MPI_Rsend) before this receive was posted; a ready send "
                    + "requires the matching receive to be posted first (use send, or post the receive before a barrier)");
        }
        io.jmpi.trace.Recorder rec = engine.recorder;
        if (rec != null && context != Engine.CLOCK_CONTEXT) {
            rec.message(io.jmpi.trace.TraceFormat.MSG_RECV, msgSource, msgTag, context, total, msgSeq);
        }
        if (pendingError != null) {
            fail(pendingError);
        } else {
            complete();
        }
    }

    /** The matched message's number among those from its sender to this rank (for the trace), or -1. */
    @Override
    public long sequence() {
        return msgSeq;
    }

    /** The matched message's sender as a world rank. */
    @Override
    public int worldSource() {
        return msgSource;
    }

    @Override
    public int source() {
        return wasCancelled ? Engine.PROC_NULL : ranks.toLocal(msgSource);
    }

    @Override
    public int tag() {
        return wasCancelled ? Engine.ANY_TAG : msgTag;
    }

    @Override
    public long bytes() {
        return wasCancelled ? 0 : total;
    }

    @Override
    public int elementSize() {
        return wasCancelled || buf.acceptsAnyType() ? 1 : msgType.size;
    }

    @Override
    public boolean cancel() {
        return engine.cancel(this);
    }

    @Override
    public String describe() {
        return engine.diagnostics().receiveText(this);
    }
}
