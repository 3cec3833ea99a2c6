package mpi;

import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * {@link Comm}'s collectives on an inter-communicator (MPI 4.1 section 6.2.2), routed to jmpi's
 * {@link io.jmpi.Intercomm}, whose collectives have the names and argument order of its intra-communicator ones.
 * <p>
 * Rooted collectives (bcast, reduce, gather(v), scatter(v)) take {@link MPI#ROOT} at the root, {@link MPI#PROC_NULL}
 * at the rest of the root's group and the root's rank in the other group; only the buffers the role makes
 * significant are read (the root's receive buffer of a gather, the other group's send buffers, ...): the rest may be
 * null, and the non-blocking forms require only those to be direct. Counts that multiply by the group size use the
 * remote group's size (a gather receives {@code recvcount} items from each remote rank); reduceScatter's
 * {@code recvcounts} and reduceScatterBlock's send buffer ({@code recvcount * getSize()} items) are the local
 * group's, as in MPI. Data-only collectives pass a ByteBuffer under {@link MPI#BYTE} to jmpi's ByteBuffer forms as it
 * is; everything else goes through {@link Bufs} runs, as on intra-communicators. MPI defines no in-place forms on
 * inter-communicators: {@link #inPlace} is the error Open MPI gives for them.
 */
final class InterColl {
    /** This rank's role in a rooted collective. */
    private static final int AT_ROOT = 0, IDLE = 1, OTHER = 2;
    /** The buffer passed where jmpi ignores it (a zero-length array is immutable, so one serves every call). */
    private static final int[] NONE = new int[0];

    private InterColl() {
    }

    // ------------------------------------------------------------------ checks

    /** The error of an in-place form on an inter-communicator: {@code MPI_ERR_ARG} (allReduce: {@code MPI_ERR_BUFFER}). */
    static MPIException inPlace(String call, int errorClass) {
        return new MPIException(call + ": the in-place form (MPI_IN_PLACE) is not defined on an inter-communicator; pass "
                + "separate send and receive buffers", errorClass, null);
    }

    private static int role(io.jmpi.Intercomm ic, String call, int root) throws MPIException {
        if (root == MPI.ROOT) return AT_ROOT;
        if (root == MPI.PROC_NULL) return IDLE;
        int r = ic.remoteSize();
        if (root < 0 || root >= r) {
            throw new MPIException(call + ": root=" + root + " out of range [0, " + r + ") of the remote group (or MPI.ROOT at "
                    + "the root, MPI.PROC_NULL in the rest of its group)", MPI.ERR_ROOT, null);
        }
        return OTHER;
    }

    private static int count(String call, String arg, int count) throws MPIException {
        if (count < 0) throw new MPIException(call + ": " + arg + "=" + count + " is negative", MPI.ERR_COUNT, null);
        return count;
    }

    /** {@code count} items per rank of a group of {@code ranks}. */
    private static int times(String call, String arg, int count, int ranks) throws MPIException {
        long n = (long) count(call, arg, count) * ranks;
        if (n > Integer.MAX_VALUE) {
            throw new MPIException(call + ": " + arg + "=" + count + " times " + ranks + " ranks exceeds " + Integer.MAX_VALUE,
                    MPI.ERR_COUNT, null);
        }
        return (int) n;
    }

    private static void op(String call, Op op) throws MPIException {
        if (op == null) throw new MPIException(call + ": op is null", MPI.ERR_OP, null);
    }

    private static void type(String call, String arg, Datatype t) throws MPIException {
        if (t == null) throw new MPIException(call + ": " + arg + " is null", MPI.ERR_TYPE, null);
    }

    /** Count and displacement arrays of a vector form: one entry per rank of a group of {@code ranks}. */
    private static void vector(String call, String countsArg, int[] counts, String displsArg, int[] displs, int ranks,
                               String group) throws MPIException {
        if (counts == null || counts.length != ranks) {
            throw Errors.arg(call + ": " + countsArg + " needs one count per rank of the " + group + " group (" + ranks
                    + "), has " + (counts == null ? "null" : counts.length + " entries"));
        }
        for (int i = 0; i < counts.length; i++) count(call, countsArg + "[" + i + "]", counts[i]);
        if (displsArg != null && (displs == null || displs.length != ranks)) {
            throw Errors.arg(call + ": " + displsArg + " needs one displacement per rank of the " + group + " group (" + ranks
                    + "), has " + (displs == null ? "null" : displs.length + " entries"));
        }
    }

    // ------------------------------------------------------------------ buffers

    private static boolean nonBlocking(String op) {
        return op.charAt(0) == 'i';
    }

    /**
     * The run of a buffer that this rank's role makes significant; non-blocking calls require it to be direct.
     * {@code raw}: a ByteBuffer under MPI.BYTE is passed as it is (jmpi's ByteBuffer forms), for data-only collectives.
     */
    private static Bufs.Run data(String call, String arg, Object buf, int count, Datatype type, boolean nb, boolean raw)
            throws MPIException {
        if (nb) Bufs.direct(call, arg, (Buffer) buf);
        ByteBuffer b = raw ? Bufs.raw(call, arg, buf, count, type) : null;
        return b != null ? new Bufs.Run(b, 0, count, null) : Bufs.of(call, arg, buf, count, type);
    }

    /** The send and receive runs of a data-only collective: raw ByteBuffers only when both are (jmpi has no mixed forms). */
    private static Bufs.Run[] pair(String call, Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount,
                                   Datatype recvtype, boolean nb) throws MPIException {
        if (nb) {
            Bufs.direct(call, "sendbuf", (Buffer) sendbuf);
            Bufs.direct(call, "recvbuf", (Buffer) recvbuf);
        }
        ByteBuffer s = Bufs.raw(call, "sendbuf", sendbuf, sendcount, sendtype);
        ByteBuffer r = Bufs.raw(call, "recvbuf", recvbuf, recvcount, recvtype);
        if (s != null && r != null) return new Bufs.Run[]{new Bufs.Run(s, 0, sendcount, null), new Bufs.Run(r, 0, recvcount, null)};
        return new Bufs.Run[]{Bufs.of(call, "sendbuf", sendbuf, sendcount, sendtype), Bufs.of(call, "recvbuf", recvbuf, recvcount, recvtype)};
    }

    /** {@code r}'s data as exactly {@code r.count} primitives (jmpi's whole-array forms take counts from lengths). */
    private static Object exact(Bufs.Run r) {
        if (r.array instanceof ByteBuffer) return r.array; // Bufs.raw: position 0, limit = count bytes
        if (r.offset == 0 && Array.getLength(r.array) == r.count) return r.array;
        return Comm.copyOf(r);
    }

    /** A receive run over {@code exact}'s array that copies it into {@code r} when done. */
    private static Bufs.Run into(Object exact, Bufs.Run r) {
        if (exact == r.array) return r;
        return new Bufs.Run(exact, 0, r.count, () -> {
            System.arraycopy(exact, 0, r.array, r.offset, r.count);
            r.back();
        });
    }

    /** Blocking forms: stores staged data back; non-blocking forms: a Request that does so when it completes. */
    private static Object done(Object q, Bufs.Run r) {
        if (q instanceof io.jmpi.Request) return r == null ? Comm.req(q) : Comm.req(q, r);
        if (r != null) r.back();
        return null;
    }

    // ------------------------------------------------------------------ rooted

    /** {@code MPI_Bcast}, {@code MPI_Ibcast}: the root's buffer to every rank of the other group. */
    static Object bcast(io.jmpi.Intercomm ic, String call, String op, Object buf, int count, Datatype type, int root)
            throws MPIException {
        int role = role(ic, call, root);
        if (role == IDLE) return done(Native.call(ic, op, NONE, 0, 0, root), null);
        Bufs.Run r = data(call, "buf", buf, count(call, "count", count), type, nonBlocking(op), true);
        return done(Native.call(ic, op, r.array, r.offset, r.count, root), role == OTHER ? r : null);
    }

    /** {@code MPI_Gather}, {@code MPI_Igather}: {@code recvcount} items of every rank of the other group to the root. */
    static Object gather(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                         Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        int role = role(ic, call, root);
        if (role == IDLE) return done(Native.call(ic, op, NONE, 0, 0, NONE, 0, root), null);
        boolean nb = nonBlocking(op);
        if (role == AT_ROOT) {
            int rs = ic.remoteSize();
            Bufs.Run r = data(call, "recvbuf", recvbuf, times(call, "recvcount", recvcount, rs), recvtype, nb, true);
            return done(Native.call(ic, op, r.array, r.offset, r.count / rs, r.array, r.offset, root), r);
        }
        Bufs.Run s = data(call, "sendbuf", sendbuf, count(call, "sendcount", sendcount), sendtype, nb, true);
        return done(Native.call(ic, op, s.array, s.offset, s.count, s.array, s.offset, root), null);
    }

    /** {@code MPI_Gatherv}, {@code MPI_Igatherv}: remote rank i's items at {@code displs[i]} of the root's buffer. */
    static Object gatherv(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                          Object recvbuf, int[] recvcount, int[] displs, Datatype recvtype, int root) throws MPIException {
        int role = role(ic, call, root);
        if (role == IDLE) return done(Native.call(ic, op, NONE, 0, 0, NONE, null, null, root), null);
        boolean nb = nonBlocking(op);
        if (role == AT_ROOT) {
            vector(call, "recvcount", recvcount, "displs", displs, ic.remoteSize(), "remote");
            type(call, "recvtype", recvtype);
            int g = Comm.grain(call, recvtype);
            Bufs.Run r = data(call, "recvbuf", recvbuf, Comm.span(recvcount, displs), recvtype, nb, true);
            return done(Native.call(ic, op, r.array, r.offset, 0, r.array, Comm.scaled(recvcount, g, 0),
                    Comm.scaled(displs, g, r.offset), root), r);
        }
        Bufs.Run s = data(call, "sendbuf", sendbuf, count(call, "sendcount", sendcount), sendtype, nb, true);
        return done(Native.call(ic, op, s.array, s.offset, s.count, s.array, null, null, root), null);
    }

    /** {@code MPI_Scatter}, {@code MPI_Iscatter}: block i of the root's buffer to remote rank i. */
    static Object scatter(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                          Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        int role = role(ic, call, root);
        if (role == IDLE) return done(Native.call(ic, op, NONE, 0, NONE, 0, 0, root), null);
        boolean nb = nonBlocking(op);
        if (role == AT_ROOT) {
            int rs = ic.remoteSize();
            Bufs.Run s = data(call, "sendbuf", sendbuf, times(call, "sendcount", sendcount, rs), sendtype, nb, true);
            return done(Native.call(ic, op, s.array, s.offset, s.array, s.offset, s.count / rs, root), null);
        }
        Bufs.Run r = data(call, "recvbuf", recvbuf, count(call, "recvcount", recvcount), recvtype, nb, true);
        return done(Native.call(ic, op, r.array, r.offset, r.array, r.offset, r.count, root), r);
    }

    /** {@code MPI_Scatterv}, {@code MPI_Iscatterv}: {@code sendcount[i]} items at {@code displs[i]} to remote rank i. */
    static Object scatterv(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int[] sendcount, int[] displs,
                           Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        int role = role(ic, call, root);
        if (role == IDLE) return done(Native.call(ic, op, NONE, null, null, NONE, 0, 0, root), null);
        boolean nb = nonBlocking(op);
        if (role == AT_ROOT) {
            vector(call, "sendcount", sendcount, "displs", displs, ic.remoteSize(), "remote");
            type(call, "sendtype", sendtype);
            int g = Comm.grain(call, sendtype);
            Bufs.Run s = data(call, "sendbuf", sendbuf, Comm.span(sendcount, displs), sendtype, nb, true);
            return done(Native.call(ic, op, s.array, Comm.scaled(sendcount, g, 0), Comm.scaled(displs, g, s.offset), s.array, 0, 0,
                    root), null);
        }
        Bufs.Run r = data(call, "recvbuf", recvbuf, count(call, "recvcount", recvcount), recvtype, nb, true);
        return done(Native.call(ic, op, r.array, null, null, r.array, r.offset, r.count, root), r);
    }

    /** {@code MPI_Reduce}, {@code MPI_Ireduce}: the other group's data combined with {@code o} into the root's buffer. */
    static Object reduce(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, Object recvbuf, int count, Datatype type,
                         Op o, int root) throws MPIException {
        int role = role(ic, call, root);
        if (role == IDLE) return done(Native.call(ic, op, NONE, 0, NONE, 0, 0, null, root), null);
        op(call, o);
        boolean nb = nonBlocking(op);
        count(call, "count", count);
        if (role == AT_ROOT) {
            Bufs.Run r = data(call, "recvbuf", recvbuf, count, type, nb, false);
            return done(Native.call(ic, op, r.array, r.offset, r.array, r.offset, r.count, o.forType(call, type), root), r);
        }
        Bufs.Run s = data(call, "sendbuf", sendbuf, count, type, nb, false);
        return done(Native.call(ic, op, s.array, s.offset, s.array, s.offset, s.count, o.forType(call, type), root), null);
    }

    // ------------------------------------------------------------------ all-to-all

    /** {@code MPI_Allreduce}, {@code MPI_Iallreduce}: every rank gets the other group's data combined with {@code o}. */
    static Object allReduce(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, Object recvbuf, int count,
                            Datatype type, Op o) throws MPIException {
        op(call, o);
        boolean nb = nonBlocking(op);
        count(call, "count", count);
        Bufs.Run s = data(call, "sendbuf", sendbuf, count, type, nb, false);
        Bufs.Run r = data(call, "recvbuf", recvbuf, count, type, nb, false);
        return done(Native.call(ic, op, s.array, s.offset, r.array, r.offset, s.count, o.forType(call, type)), r);
    }

    /**
     * {@code MPI_Allgather}, {@code MPI_Iallgather}: {@code recvcount} items from each remote rank. When the groups' counts
     * differ (this rank sends other than it receives per rank) jmpi's whole-array form takes them from the lengths.
     */
    static Object allGather(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                            Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        int rs = ic.remoteSize();
        Bufs.Run[] p = pair(call, sendbuf, count(call, "sendcount", sendcount), sendtype, recvbuf,
                times(call, "recvcount", recvcount, rs), recvtype, nonBlocking(op));
        Bufs.Run s = p[0], r = p[1];
        if (r.count / rs == s.count) return done(Native.call(ic, op, s.array, s.offset, s.count, r.array, r.offset), r);
        Object out = exact(r);
        return done(Native.call(ic, op, exact(s), out), into(out, r));
    }

    /** {@code MPI_Alltoall}, {@code MPI_Ialltoall}: block j of the send buffer to remote rank j (whole arrays when counts differ). */
    static Object allToAll(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                           Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        int rs = ic.remoteSize();
        Bufs.Run[] p = pair(call, sendbuf, times(call, "sendcount", sendcount, rs), sendtype, recvbuf,
                times(call, "recvcount", recvcount, rs), recvtype, nonBlocking(op));
        Bufs.Run s = p[0], r = p[1];
        if (s.count == r.count) return done(Native.call(ic, op, s.array, s.offset, r.array, r.offset, r.count / rs), r);
        Object out = exact(r);
        return done(Native.call(ic, op, exact(s), out), into(out, r));
    }

    /** {@code MPI_Allgatherv}, {@code MPI_Iallgatherv}: remote rank i's items at {@code displs[i]}. */
    static Object allGatherv(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                             Object recvbuf, int[] recvcount, int[] displs, Datatype recvtype) throws MPIException {
        vector(call, "recvcount", recvcount, "displs", displs, ic.remoteSize(), "remote");
        type(call, "recvtype", recvtype);
        int g = Comm.grain(call, recvtype);
        Bufs.Run[] p = pair(call, sendbuf, count(call, "sendcount", sendcount), sendtype, recvbuf, Comm.span(recvcount, displs),
                recvtype, nonBlocking(op));
        Bufs.Run s = p[0], r = p[1];
        return done(Native.call(ic, op, s.array, s.offset, s.count, r.array, Comm.scaled(recvcount, g, 0),
                Comm.scaled(displs, g, r.offset)), r);
    }

    /** {@code MPI_Alltoallv}, {@code MPI_Ialltoallv}: counts and displacements per remote rank. */
    static Object allToAllv(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, int[] sc, int[] sd, Datatype st,
                            Object recvbuf, int[] rc, int[] rd, Datatype rt) throws MPIException {
        int rs = ic.remoteSize();
        vector(call, "sendcount", sc, "sdispls", sd, rs, "remote");
        vector(call, "recvcount", rc, "rdispls", rd, rs, "remote");
        type(call, "sendtype", st);
        type(call, "recvtype", rt);
        int gs = Comm.grain(call, st), gr = Comm.grain(call, rt);
        Bufs.Run[] p = pair(call, sendbuf, Comm.span(sc, sd), st, recvbuf, Comm.span(rc, rd), rt, nonBlocking(op));
        Bufs.Run s = p[0], r = p[1];
        return done(Native.call(ic, op, s.array, Comm.scaled(sc, gs, 0), Comm.scaled(sd, gs, s.offset),
                r.array, Comm.scaled(rc, gr, 0), Comm.scaled(rd, gr, r.offset)), r);
    }

    /**
     * {@code MPI_Reduce_scatter}, {@code MPI_Ireduce_scatter}: the other group's vectors ({@code sum(recvcounts)} items,
     * one count per local rank) combined; local rank i keeps block i.
     */
    static Object reduceScatter(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, Object recvbuf, int[] recvcounts,
                                Datatype type, Op o) throws MPIException {
        op(call, o);
        vector(call, "recvcounts", recvcounts, null, null, ic.size(), "local");
        type(call, "type", type);
        int g = Comm.grain(call, type);
        long total = 0;
        for (int k : recvcounts) total += k;
        if (total > Integer.MAX_VALUE) throw new MPIException(call + ": sum(recvcounts)=" + total + " exceeds " + Integer.MAX_VALUE, MPI.ERR_COUNT, null);
        boolean nb = nonBlocking(op);
        Bufs.Run s = data(call, "sendbuf", sendbuf, (int) total, type, nb, false);
        Bufs.Run r = data(call, "recvbuf", recvbuf, recvcounts[ic.rank()], type, nb, false);
        return done(Native.call(ic, op, s.array, s.offset, r.array, r.offset, Comm.scaled(recvcounts, g, 0), o.forType(call, type)), r);
    }

    /**
     * {@code MPI_Reduce_scatter_block}, {@code MPI_Ireduce_scatter_block}: the other group's vectors ({@code recvcount}
     * items per local rank) combined; local rank i keeps block i.
     */
    static Object reduceScatterBlock(io.jmpi.Intercomm ic, String call, String op, Object sendbuf, Object recvbuf, int recvcount,
                                     Datatype type, Op o) throws MPIException {
        op(call, o);
        boolean nb = nonBlocking(op);
        Bufs.Run s = data(call, "sendbuf", sendbuf, times(call, "recvcount", recvcount, ic.size()), type, nb, false);
        Bufs.Run r = data(call, "recvbuf", recvbuf, recvcount, type, nb, false);
        return done(Native.call(ic, op, s.array, s.offset, r.array, r.offset, r.count, o.forType(call, type)), r);
    }
}
