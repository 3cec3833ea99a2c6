package io.jmpi.engine;

import io.jmpi.buffer.Buf;
/** A send in flight: waiting for link room (eager or RTS), for the receiver's CTS, or streaming DATA frames. */
final class Send extends Operation {
    static final int EAGER = 0, RTS = 1, WAIT_CTS = 2, DATA = 3, DONE = 4;

    final Buf buf;
    final int dest;
    final int context;
    final int tag;
    final boolean sync;
    final long total;
    int phase;
    long handle;
    long recvHandle;
    long sent;
    /** A ready send ({@code MPI_Rsend}): its frames carry FLAG_READY. */
    boolean ready;

    Send(Engine engine, Buf buf, int dest, int context, int tag, boolean sync, int phase) {
        super(engine);
        this.buf = buf;
        this.dest = dest;
        this.context = context;
        this.tag = tag;
        this.sync = sync;
        this.total = buf.byteLength();
        this.phase = phase;
    }

    @Override
    public String describe() {
        return engine.diagnostics().sendText(this);
    }
}
