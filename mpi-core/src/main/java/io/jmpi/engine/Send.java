package io.jmpi.engine;

import io.jmpi.buffer.Buf;
/** A send in flight: waiting for link room (eager or RTS), for the receiver's CTS, or streaming DATA frames. */
final class Send extends Operation {
    static final int EAGER = 0, RTS = 1, WAIT_CTS = 2, DATA = 3, DONE = 4;

    Buf buf;
    int dest;
    int context;
    int tag;
    boolean sync;
    long total;
    int phase;
    long handle;
    long recvHandle;
    long sent;
    /** DATA frames lent to the receiver ({@code Link#lend}) and not yet given back: the send completes at 0. */
    int lentOut;
    /** A ready send ({@code MPI_Rsend}): its frames carry FLAG_READY. */
    boolean ready;
    /** The pooled operation's own descriptor of a primitive array run (see Engine#startSendArray, #startRecvArray). */
    io.jmpi.buffer.ArrayBuf ownBuf;

    Send(Engine engine, Buf buf, int dest, int context, int tag, boolean sync, int phase) {
        super(engine);
        init(buf, dest, context, tag, sync, phase);
    }

    /** (Re)initializes a new or recycled send. */
    void init(Buf buf, int dest, int context, int tag, boolean sync, int phase) {
        this.buf = buf;
        this.dest = dest;
        this.context = context;
        this.tag = tag;
        this.sync = sync;
        this.total = buf.byteLength();
        this.phase = phase;
        this.handle = 0;
        this.recvHandle = 0;
        this.sent = 0;
        this.ready = false;
        this.lentOut = 0;
    }

    @Override
    public String describe() {
        return engine.diagnostics().sendText(this);
    }
}
