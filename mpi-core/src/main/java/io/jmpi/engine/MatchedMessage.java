package io.jmpi.engine;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;

/**
 * A message taken out of matching by a matched probe ({@code MPI_Mprobe}, {@code MPI_Improbe}) and bound to this
 * handle, so that no other receive, on any thread, can take it; {@link #receive} receives it once
 * ({@code MPI_Mrecv}, {@code MPI_Imrecv}).
 *
 * <p>Why it works for both protocols: the probe removes the queued {@link Unexpected} record, which holds either the
 * eager payload (already here, its credit returned when received) or a rendezvous envelope (the sender waits for a
 * CTS that only {@link #receive} sends). Either way the message is invisible to matching until received through this
 * handle. A handle never received keeps its eager credit (and a rendezvous sender waits): like an unreceived message.
 */
public final class MatchedMessage implements MessageInfo {
    private final Engine engine;
    final Unexpected message;
    final RankMap ranks;
    /** Guarded by the engine's lock. */
    private boolean received;

    MatchedMessage(Engine engine, Unexpected message, RankMap ranks) {
        this.engine = engine;
        this.message = message;
        this.ranks = ranks;
    }

    /** Starts receiving the message into {@code buf}; the operation completes as a receive would. Only once. */
    public Operation receive(String call, Buf buf) {
        return engine.startMatchedRecv(call, buf, this);
    }

    /** Marks the handle used (under the engine's lock); a second receive is an error. */
    void claim(String call) {
        if (received) {
            throw new MpiException(ErrorClass.STATE, call + ": this message (from rank " + source() + ", tag " + tag()
                    + ") has already been received; a matched-probe handle is received once (MPI_Mrecv)");
        }
        received = true;
    }

    @Override
    public int source() {
        return ranks.toLocal(message.source);
    }

    @Override
    public int tag() {
        return message.tag;
    }

    @Override
    public long bytes() {
        return message.bytes;
    }

    @Override
    public int elementSize() {
        return message.type.size;
    }

    @Override
    public boolean cancelled() {
        return false;
    }
}
