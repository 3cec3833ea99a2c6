package mpi;

import java.nio.Buffer;

/** A matched message ({@code MPI_Message}): found by {@link #mProbe}/{@link #imProbe}, received by {@link #mRecv}/{@link #imRecv}. */
public final class Message {
    private io.jmpi.Message m;
    private boolean noProc;

    /** {@code MPI_MESSAGE_NULL}. */
    public Message() {
    }

    public boolean isNull() {
        return m == null && !noProc;
    }

    public boolean isNoProc() {
        return noProc;
    }

    private void set(io.jmpi.Message x) {
        noProc = x == io.jmpi.Message.NO_PROC;
        m = noProc ? null : x;
    }

    /** {@code MPI_Mprobe}. */
    public Status mProbe(int source, int tag, Comm comm) throws MPIException {
        io.jmpi.Message x = (io.jmpi.Message) Native.call(comm.n("mProbe"), "mprobe", source, tag);
        set(x);
        return new Status(x.status(), MPI.UNDEFINED);
    }

    /** {@code MPI_Improbe}: the status if a message matched (this then holds it), else null. */
    public Status imProbe(int source, int tag, Comm comm) throws MPIException {
        io.jmpi.Message x = (io.jmpi.Message) Native.call(comm.n("imProbe"), "improbe", source, tag);
        if (x == null) return null;
        set(x);
        return new Status(x.status(), MPI.UNDEFINED);
    }

    private io.jmpi.Message take(String call) throws MPIException {
        if (noProc) return io.jmpi.Message.NO_PROC;
        if (m == null) throw new MPIException(call + ": message is MPI_MESSAGE_NULL (probe it first)", MPI.ERR_REQUEST, null);
        io.jmpi.Message x = m;
        m = null;
        return x;
    }

    /** {@code MPI_Mrecv}. */
    public Status mRecv(Object buf, int count, Datatype type) throws MPIException {
        Bufs.Run r = Bufs.of("mRecv", "buf", buf, count, type);
        io.jmpi.Message x = take("mRecv");
        io.jmpi.Status s = (io.jmpi.Status) Native.call(x, "recv", r.array, r.offset, r.count);
        r.back();
        return new Status(s, MPI.UNDEFINED);
    }

    /** {@code MPI_Imrecv}: {@code buf} must be direct. */
    public Request imRecv(Buffer buf, int count, Datatype type) throws MPIException {
        Bufs.direct("imRecv", "buf", buf);
        Bufs.Run r = Bufs.of("imRecv", "buf", buf, count, type);
        io.jmpi.Message x = take("imRecv");
        return new Request((io.jmpi.Request) Native.call(x, "irecv", r.array, r.offset, r.count), r::back);
    }
}
