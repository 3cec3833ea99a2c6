package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.buffer.Buf;
import io.jmpi.engine.Completion;
import io.jmpi.engine.Engine;
import io.jmpi.engine.MatchedMessage;
import io.jmpi.engine.Operation;

/**
 * The generic operations behind the send modes, persistent requests and matched probe of {@link PointToPoint}'s
 * typed overloads: buffered ({@code MPI_Bsend}) and ready ({@code MPI_Rsend}) sends, {@code MPI_*_init} and
 * {@code MPI_Mprobe}. Kept out of {@link AbstractComm} so that the communicator's core stays small; static helpers on
 * the communicator's package-private state.
 */
final class P2pModes {
    static final int STANDARD = 0, SYNC = 1, READY = 2, BUFFERED = 3;
    private static final String[] MODE_CALLS = {"send", "ssend", "rsend", "bsend"};

    private P2pModes() {
    }

    private static void checkSend(AbstractComm c, String call, int dest, int tag) {
        c.checkUsable(call);
        c.checkDest(call, "dest", dest);
        c.checkSendTag(call, "tag", tag);
    }

    private static int checkRecv(AbstractComm c, String call, int source, int tag) {
        c.checkUsable(call);
        c.checkSource(call, "source", source);
        c.checkRecvTag(call, "tag", tag);
        return source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : source == Mpi.PROC_NULL ? Mpi.PROC_NULL : c.toWorld(source);
    }

    // ------------------------------------------------------------------ buffered and ready sends

    /**
     * {@code MPI_Bsend}: copies the message into the attached buffer and starts sending it from there; returns at once
     * (the send is complete locally). The block is given back when the engine completes the send.
     */
    static void bsend(AbstractComm c, String call, Buf b, int dest, int tag) {
        checkSend(c, call, dest, tag);
        if (dest == Mpi.PROC_NULL) return;
        startBuffered(c, call, b, c.toWorld(dest), tag);
    }

    private static void startBuffered(AbstractComm c, String call, Buf b, int worldDest, int tag) {
        BsendBuffer.Region r;
        try {
            r = c.mpi.bsendBuffer().copyIn(call, b);
        } catch (MpiException e) {
            throw c.raise(e); // no or too small a buffer: the call's error, so the communicator's handler sees it
        }
        Operation op;
        try {
            op = c.engine.startSend(call, r, worldDest, c.context, tag, false);
        } catch (RuntimeException e) {
            r.release();
            throw e instanceof MpiException ? c.raise((MpiException) e) : e;
        }
        if (op == null) r.release(); // went out at once: the link has its own copy
        else op.whenDone(r::release);
    }

    /** {@code MPI_Ibsend}: as {@link #bsend}; the request is complete at once (the data is in the attached buffer). */
    static Request ibsend(AbstractComm c, String call, Buf b, int dest, int tag) {
        bsend(c, call, b, dest, tag);
        return CompletedRequest.SEND;
    }

    /** {@code MPI_Rsend}: a standard send whose frames say the receive is posted; see {@code FrameDescriptor.FLAG_READY}. */
    static void rsend(AbstractComm c, String call, Buf b, int dest, int tag) {
        Operation op = startReady(c, call, b, dest, tag);
        if (op != null) op.await();
    }

    /** {@code MPI_Irsend}. */
    static Request irsend(AbstractComm c, String call, Buf b, int dest, int tag) {
        Operation op = startReady(c, call, b, dest, tag);
        return op == null ? CompletedRequest.SEND : new EngineRequest(op, c);
    }

    private static Operation startReady(AbstractComm c, String call, Buf b, int dest, int tag) {
        checkSend(c, call, dest, tag);
        if (dest == Mpi.PROC_NULL) return null;
        return c.engine.startSend(call, b, c.toWorld(dest), c.context, tag, false, true);
    }

    // ------------------------------------------------------------------ persistent point-to-point

    /**
     * {@code MPI_Send_init} and its modes: arguments are checked once here; each start only checks that the
     * communicator is still usable and starts the engine send (a send that goes out at once allocates nothing).
     */
    static Prequest sendInit(AbstractComm c, String call, Buf b, int dest, int tag, int mode) {
        checkSend(c, call, dest, tag);
        if (dest == Mpi.PROC_NULL) return new Prequest(call, prev -> null);
        int world = c.toWorld(dest);
        String startCall = MODE_CALLS[mode];
        switch (mode) {
            case BUFFERED:
                return new Prequest(call, prev -> {
                    c.checkUsable(startCall);
                    startBuffered(c, startCall, b, world, tag);
                    return null;
                }).traced(c, world, tag, b.byteLength());
            case READY:
                return new Prequest(call, prev -> {
                    c.checkUsable(startCall);
                    return c.engine.startSend(startCall, b, world, c.context, tag, false, true);
                }).traced(c, world, tag, b.byteLength());
            default:
                boolean sync = mode == SYNC;
                return new Prequest(call, prev -> {
                    c.checkUsable(startCall);
                    return c.engine.startSend(startCall, b, world, c.context, tag, sync);
                }).traced(c, world, tag, b.byteLength());
        }
    }

    /** {@code MPI_Recv_init}: each start reuses the engine operation of the previous one (no allocation). */
    static Prequest recvInit(AbstractComm c, String call, Buf b, int source, int tag) {
        int src = checkRecv(c, call, source, tag);
        if (src == Mpi.PROC_NULL) return new Prequest(call, prev -> null);
        return new Prequest(call, prev -> {
            c.checkUsable("recv");
            return c.engine.restartRecv(prev instanceof Operation ? (Operation) prev : null, "recv", b, src, c.context,
                    tag, c.rankMap);
        }).traced(c, src, tag, 0);
    }

    /** A persistent collective: each start runs {@code start} (a new schedule of the collective; see CollectiveBase). */
    /**
     * A persistent collective of a communicator ({@code MPI_Allreduce_init} ...): {@code build} runs the collective's
     * start method with a call name ending in "Init", which checks the arguments and returns the schedule unstarted
     * ({@link CollectiveBase.Unstarted}); it is built now and re-run by each start ({@link PersistentSchedule}).
     */
    static Prequest collectiveInit(String call, java.util.function.Supplier<Request> build) {
        CollectiveBase.Unstarted first = (CollectiveBase.Unstarted) build.get();
        return PersistentSchedule.of(first.comm, call, new java.util.function.Supplier<>() {
            private CollectiveBase.Unstarted next = first;

            @Override
            public io.jmpi.coll.Schedule get() {
                CollectiveBase.Unstarted u = next != null ? next : (CollectiveBase.Unstarted) build.get();
                next = null;
                return u.schedule;
            }
        }, true);
    }

    // ------------------------------------------------------------------ matched probe

    /** {@code MPI_Mprobe} ({@code block}) or {@code MPI_Improbe}: null from improbe when nothing matches. */
    static Message mprobe(AbstractComm c, String call, int source, int tag, boolean block) {
        int src = checkRecv(c, call, source, tag);
        if (src == Mpi.PROC_NULL) return Message.NO_PROC;
        MatchedMessage m = block ? c.engine.mprobe(call, src, c.context, tag, c.rankMap)
                : c.engine.improbe(call, src, c.context, tag, c.rankMap);
        return m == null ? null : new Message(c, m);
    }
}
