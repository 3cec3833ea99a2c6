package mpi;

import java.nio.Buffer;

/**
 * A communicator ({@code MPI_Comm}) over a jmpi communicator. Blocking calls take a primitive array or a java.nio
 * buffer; non-blocking and persistent calls take direct buffers only, as in Open MPI. {@code MPI.COMM_WORLD} and
 * {@code MPI.COMM_SELF} resolve to the calling rank's communicators (see {@link MPI}).
 */
public class Comm implements Freeable, Cloneable {
    static final int FIXED = 0, WORLD = 1, SELF = 2;
    /** {@code MPI_COMM_TYPE_SHARED} for {@link Intracomm#splitType}: the ranks of one host. */
    public static final int TYPE_SHARED = 0;
    private final int kind;
    Object fixed;
    /** The communicator an {@link #iDup()} is making, until it is taken into {@link #fixed}. */
    private java.util.concurrent.CompletableFuture<? extends io.jmpi.Comm> pending;
    /** The request of {@link #iDup()} that made this communicator, else null. */
    private Request request;

    Comm(int kind, Object fixed) {
        this.kind = kind;
        this.fixed = fixed;
    }

    /** The jmpi communicator (an {@link io.jmpi.Comm} or an {@link io.jmpi.Intercomm}) of the calling rank. */
    final Object n(String call) throws MPIException {
        if (kind == WORLD) return MPI.env(call).mpi.world();
        if (kind == SELF) return MPI.env(call).mpi.self();
        MPI.env(call);
        if (fixed == null && pending != null) {
            fixed = Errors.run(pending::join);
            pending = null;
        }
        if (fixed == null) throw new MPIException(call + ": communicator is null (MPI_COMM_NULL: freed, or not a member)", MPI.ERR_COMM, null);
        return fixed;
    }

    final io.jmpi.Comm c(String call) throws MPIException {
        Object o = n(call);
        if (!(o instanceof io.jmpi.Comm)) throw new MPIException(call + ": needs an intra-communicator", MPI.ERR_COMM, null);
        return (io.jmpi.Comm) o;
    }

    // ------------------------------------------------------------------ basics

    /** {@code MPI_Comm_size}. */
    public final int getSize() throws MPIException {
        Object o = n("getSize");
        return o instanceof io.jmpi.Comm ? ((io.jmpi.Comm) o).size() : ((io.jmpi.Intercomm) o).size();
    }

    /** {@code MPI_Comm_rank}. */
    public final int getRank() throws MPIException {
        Object o = n("getRank");
        return o instanceof io.jmpi.Comm ? ((io.jmpi.Comm) o).rank() : ((io.jmpi.Intercomm) o).rank();
    }

    /** {@code MPI_Comm_compare}: {@link MPI#IDENT}, {@link MPI#CONGRUENT}, {@link MPI#SIMILAR} or {@link MPI#UNEQUAL}. */
    public static int compare(Comm comm1, Comm comm2) throws MPIException {
        io.jmpi.Comm a = comm1.c("compare"), b = comm2.c("compare");
        io.jmpi.Comparison r = Errors.run(() -> a.compare(b));
        return MPI.comparison(r);
    }

    /** {@code MPI_Comm_free}. WORLD and SELF cannot be freed. */
    @Override
    public void free() throws MPIException {
        if (kind != FIXED) throw new MPIException("free: MPI.COMM_WORLD and MPI.COMM_SELF cannot be freed", MPI.ERR_COMM, null);
        Object o = n("free");
        if (o instanceof io.jmpi.Comm) Errors.run(() -> { ((io.jmpi.Comm) o).free(); return null; });
        else Errors.run(() -> { ((io.jmpi.Intercomm) o).free(); return null; });
        fixed = null;
    }

    /** Whether this is a null communicator: freed, or returned to a process outside a new one (split, create...). */
    public final boolean isNull() {
        return kind == FIXED && fixed == null && pending == null;
    }

    /** A communicator {@code MPI_Comm_idup} is making: usable once {@code future} completes (its {@link #getRequest()}). */
    final Comm pending(java.util.concurrent.CompletableFuture<? extends io.jmpi.Comm> future) {
        pending = future;
        request = new Request(new FutureRequest(future), null);
        return this;
    }

    /** The request of the {@link #iDup()} that made this communicator, or null. */
    public final Request getRequest() {
        return request;
    }

    /** {@code MPI_Comm_dup_with_info}. */
    public Comm dupWithInfo(Info info) throws MPIException {
        io.jmpi.Comm c = c("dupWithInfo");
        return new Intracomm(Errors.run(() -> c.dup(info == null ? new io.jmpi.Info() : info.i)));
    }

    /**
     * {@code MPI_Comm_idup}: the new communicator can be used once its {@link #getRequest()} completed (a call on it
     * before waits for that).
     */
    public Comm iDup() throws MPIException {
        io.jmpi.Comm c = c("iDup");
        return new Intracomm((io.jmpi.Comm) null).pending(Errors.run(c::idup));
    }

    /** {@code MPI_Comm_call_errhandler}: with {@link MPI#ERRORS_RETURN} throws MPIException of that code, else aborts. */
    public void callErrhandler(int errorCode) throws MPIException {
        if (getErrhandler() == MPI.ERRORS_RETURN) {
            throw new MPIException("callErrhandler: error code " + errorCode, errorCode, null);
        }
        abort(errorCode);
    }

    /** {@code MPI_Comm_disconnect}: jmpi frees the communicator (its operations are complete when they return). */
    public final void disconnect() throws MPIException {
        free();
    }

    /** {@code MPI_Comm_dup}. */
    public Comm dup() throws MPIException {
        io.jmpi.Comm c = c("dup");
        return new Intracomm(Errors.run(c::dup));
    }

    @Override
    public Comm clone() {
        try {
            return dup();
        } catch (MPIException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    /** {@code MPI_Comm_group}. */
    public final Group getGroup() throws MPIException {
        Object o = n("getGroup");
        return new Group(o instanceof io.jmpi.Comm ? ((io.jmpi.Comm) o).group() : ((io.jmpi.Intercomm) o).group());
    }

    /** {@code MPI_Comm_test_inter}. */
    public final boolean isInter() throws MPIException {
        return n("isInter") instanceof io.jmpi.Intercomm;
    }

    /**
     * {@code MPI_Intercomm_create}, called on the peer communicator (this): joins {@code localComm}'s group with the
     * group whose leader is {@code remoteLeader} here.
     */
    public final Intercomm createIntercomm(Comm localComm, int localLeader, int remoteLeader, int tag) throws MPIException {
        io.jmpi.Comm local = localComm.c("createIntercomm"), peer = c("createIntercomm");
        return new Intercomm(Errors.run(() -> local.createIntercomm(localLeader, peer, remoteLeader, tag)));
    }

    /** {@code MPI_Topo_test}: {@link MPI#CART}, {@link MPI#GRAPH}, {@link MPI#DIST_GRAPH} or {@link MPI#UNDEFINED}. */
    public final int getTopology() throws MPIException {
        Object o = n("getTopology");
        if (!(o instanceof io.jmpi.Comm)) return MPI.UNDEFINED;
        io.jmpi.TopoType t = ((io.jmpi.Comm) o).topoTest();
        switch (t.name()) {
            case "CART": return MPI.CART;
            case "GRAPH": return MPI.GRAPH;
            case "DIST_GRAPH": return MPI.DIST_GRAPH;
            default: return MPI.UNDEFINED;
        }
    }

    /** {@code MPI_Abort}. */
    public final void abort(int errorcode) throws MPIException {
        MPI.env("abort").mpi.abort(errorcode);
    }

    /** {@code MPI_Comm_set_errhandler}. */
    public final void setErrhandler(Errhandler errhandler) throws MPIException {
        Object o = n("setErrhandler");
        if (o instanceof io.jmpi.Comm) ((io.jmpi.Comm) o).setErrhandler(errhandler.h);
        else ((io.jmpi.Intercomm) o).setErrhandler(errhandler.h);
    }

    /** {@code MPI_Comm_get_errhandler}. */
    public final Errhandler getErrhandler() throws MPIException {
        Object o = n("getErrhandler");
        io.jmpi.Errhandler h = o instanceof io.jmpi.Comm ? ((io.jmpi.Comm) o).errhandler() : ((io.jmpi.Intercomm) o).errhandler();
        return h == io.jmpi.Errhandler.ERRORS_RETURN ? MPI.ERRORS_RETURN : MPI.ERRORS_ARE_FATAL;
    }

    /** {@code MPI_Comm_set_name}. */
    public final void setName(String name) throws MPIException {
        io.jmpi.Comm c = c("setName");
        Errors.run(() -> { c.setName(name); return null; });
    }

    /** {@code MPI_Comm_get_name}. */
    public final String getName() throws MPIException {
        Object o = n("getName");
        return o instanceof io.jmpi.Comm ? ((io.jmpi.Comm) o).name() : ((io.jmpi.Intercomm) o).name();
    }

    /** {@code MPI_Comm_set_info}. */
    public final void setInfo(Info info) throws MPIException {
        io.jmpi.Comm c = c("setInfo");
        c.setInfo(info.i);
    }

    /** {@code MPI_Comm_get_info}. */
    public final Info getInfo() throws MPIException {
        return new Info(c("getInfo").info());
    }

    // ------------------------------------------------------------------ point-to-point

    private void sendAs(String call, String op, Object buf, int count, Datatype type, int dest, int tag) throws MPIException {
        checkPeer(call, n(call), "dest", dest, tag, false);
        if (!op.equals("rsend")) { // jmpi has send, ssend and bsend of a ByteBuffer
            java.nio.ByteBuffer raw = Bufs.raw(call, "buf", buf, count, type);
            if (raw != null) {
                Object c = n(call);
                if (op.equals("send") && Direct.send(c, raw, 0, 0, dest, tag)) return;
                Native.call(c, op, raw, dest, tag);
                return;
            }
        }
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        Object c = n(call);
        if (op.equals("send") && Direct.send(c, r.array, r.offset, r.count, dest, tag)) return;
        Native.call(c, op, r.array, r.offset, r.count, dest, tag);
    }

    /** {@code MPI_Send}. */
    public final void send(Object buf, int count, Datatype type, int dest, int tag) throws MPIException {
        sendAs("send", "send", buf, count, type, dest, tag);
    }

    /** {@code MPI_Bsend}: uses the buffer of {@link MPI#attachBuffer}. */
    public final void bSend(Object buf, int count, Datatype type, int dest, int tag) throws MPIException {
        sendAs("bSend", "bsend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Ssend}. */
    public final void sSend(Object buf, int count, Datatype type, int dest, int tag) throws MPIException {
        sendAs("sSend", "ssend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Rsend}. */
    public final void rSend(Object buf, int count, Datatype type, int dest, int tag) throws MPIException {
        sendAs("rSend", "rsend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Recv}. */
    public final Status recv(Object buf, int count, Datatype type, int source, int tag) throws MPIException {
        java.nio.ByteBuffer raw = Bufs.raw("recv", "buf", buf, count, type);
        Object c = n("recv");
        checkPeer("recv", c, "source", source, tag, true);
        if (raw != null) {
            io.jmpi.Status s = Direct.recv(c, raw, 0, 0, source, tag);
            return new Status(s != null ? s : (io.jmpi.Status) Native.call(c, "recv", raw, source, tag), MPI.UNDEFINED);
        }
        Bufs.Run r = Bufs.of("recv", "buf", buf, count, type);
        io.jmpi.Status s = Direct.recv(c, r.array, r.offset, r.count, source, tag);
        if (s == null) s = (io.jmpi.Status) Native.call(c, "recv", r.array, r.offset, r.count, source, tag);
        r.back();
        return new Status(s, MPI.UNDEFINED);
    }

    /** {@code MPI_Sendrecv}: the receive is posted first, so pairs of ranks exchanging never deadlock. */
    public final Status sendRecv(Object sendbuf, int sendcount, Datatype sendtype, int dest, int sendtag,
                                 Object recvbuf, int recvcount, Datatype recvtype, int source, int recvtag) throws MPIException {
        checkPeer("sendRecv", n("sendRecv"), "dest", dest, sendtag, false);
        checkPeer("sendRecv", n("sendRecv"), "source", source, recvtag, true);
        Bufs.Run s = Bufs.of("sendRecv", "sendbuf", sendbuf, sendcount, sendtype);
        Bufs.Run r = Bufs.of("sendRecv", "recvbuf", recvbuf, recvcount, recvtype);
        Object c = n("sendRecv");
        io.jmpi.Request q = (io.jmpi.Request) Native.call(c, "irecv", r.array, r.offset, r.count, source, recvtag);
        Native.call(c, "send", s.array, s.offset, s.count, dest, sendtag);
        io.jmpi.Status st = Errors.run(q::await);
        r.back();
        return new Status(st, MPI.UNDEFINED);
    }

    /** {@code MPI_Sendrecv_replace}. */
    public final Status sendRecvReplace(Object buf, int count, Datatype type, int dest, int sendtag, int source, int recvtag) throws MPIException {
        checkPeer("sendRecvReplace", n("sendRecvReplace"), "dest", dest, sendtag, false);
        checkPeer("sendRecvReplace", n("sendRecvReplace"), "source", source, recvtag, true);
        Bufs.Run r = Bufs.of("sendRecvReplace", "buf", buf, count, type);
        Object copy = java.lang.reflect.Array.newInstance(r.array.getClass().getComponentType(), r.count);
        System.arraycopy(r.array, r.offset, copy, 0, r.count);
        Object c = n("sendRecvReplace");
        io.jmpi.Request q = (io.jmpi.Request) Native.call(c, "irecv", r.array, r.offset, r.count, source, recvtag);
        Native.call(c, "send", copy, 0, r.count, dest, sendtag);
        io.jmpi.Status st = Errors.run(q::await);
        r.back();
        return new Status(st, MPI.UNDEFINED);
    }

    private Request start(String call, String op, Buffer buf, int count, Datatype type, int peer, int tag) throws MPIException {
        Bufs.direct(call, "buf", buf);
        checkPeer(call, n(call), op.equals("irecv") ? "source" : "dest", peer, tag, op.equals("irecv"));
        if (op.equals("isend") || op.equals("irecv")) { // jmpi's ByteBuffer forms: no staging copy
            java.nio.ByteBuffer raw = Bufs.raw(call, "buf", buf, count, type);
            if (raw != null) {
                Object c = n(call);
                io.jmpi.Request q = Direct.start(c, op.equals("isend"), raw, 0, 0, peer, tag);
                return new Request(q != null ? q : (io.jmpi.Request) Native.call(c, op, raw, peer, tag), null);
            }
        }
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        Object c = n(call);
        io.jmpi.Request q = op.equals("isend") || op.equals("irecv") ? Direct.start(c, op.equals("isend"), r.array, r.offset, r.count, peer, tag) : null;
        if (q == null) q = (io.jmpi.Request) Native.call(c, op, r.array, r.offset, r.count, peer, tag);
        return new Request(q, r::back);
    }

    /** {@code MPI_Isend}: {@code buf} must be direct. */
    public final Request iSend(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return start("iSend", "isend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Ibsend}. */
    public final Request ibSend(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return start("ibSend", "ibsend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Issend}. */
    public final Request isSend(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return start("isSend", "issend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Irsend}. */
    public final Request irSend(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return start("irSend", "irsend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Irecv}: the data is in {@code buf} once the request completes. */
    public final Request iRecv(Buffer buf, int count, Datatype type, int source, int tag) throws MPIException {
        return start("iRecv", "irecv", buf, count, type, source, tag);
    }

    private Prequest persistent(String call, String op, Buffer buf, int count, Datatype type, int peer, int tag) throws MPIException {
        Bufs.direct(call, "buf", buf);
        Bufs.of(call, "buf", buf, count, type); // checks the arguments now, as MPI does
        return new Prequest(() -> start(call, op, buf, count, type, peer, tag));
    }

    /** {@code MPI_Send_init}. */
    public final Prequest sendInit(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return persistent("sendInit", "isend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Bsend_init}. */
    public final Prequest bSendInit(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return persistent("bSendInit", "ibsend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Ssend_init}. */
    public final Prequest sSendInit(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return persistent("sSendInit", "issend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Rsend_init}. */
    public final Prequest rSendInit(Buffer buf, int count, Datatype type, int dest, int tag) throws MPIException {
        return persistent("rSendInit", "irsend", buf, count, type, dest, tag);
    }

    /** {@code MPI_Recv_init}. */
    public final Prequest recvInit(Buffer buf, int count, Datatype type, int source, int tag) throws MPIException {
        return persistent("recvInit", "irecv", buf, count, type, source, tag);
    }

    // ------------------------------------------------------------------ pack, probe

    /** {@code MPI_Pack}: jmpi's packed format (little-endian); returns the new position. */
    public final int pack(Object inbuf, int incount, Datatype type, byte[] outbuf, int position) throws MPIException {
        Bufs.Run r = Bufs.of("pack", "inbuf", inbuf, incount, type);
        Object part = java.lang.reflect.Array.newInstance(r.array.getClass().getComponentType(), r.count);
        System.arraycopy(r.array, r.offset, part, 0, r.count);
        int bytes = Errors.run(() -> type.t.packSize(incount));
        if (outbuf == null || position < 0 || position + bytes > outbuf.length) {
            throw new MPIException("pack: position=" + position + " + " + bytes + " bytes exceeds outbuf length "
                    + (outbuf == null ? 0 : outbuf.length), MPI.ERR_TRUNCATE, null);
        }
        System.arraycopy(Bufs.toLittleEndian(part, bytes), 0, outbuf, position, bytes);
        return position + bytes;
    }

    /** {@code MPI_Unpack}: returns the new position. */
    public final int unpack(byte[] inbuf, int position, Object outbuf, int outcount, Datatype type) throws MPIException {
        Bufs.Run r = Bufs.of("unpack", "outbuf", outbuf, outcount, type);
        int bytes = Errors.run(() -> type.t.packSize(outcount));
        if (inbuf == null || position < 0 || position + bytes > inbuf.length) {
            throw new MPIException("unpack: position=" + position + " + " + bytes + " bytes exceeds inbuf length "
                    + (inbuf == null ? 0 : inbuf.length), MPI.ERR_TRUNCATE, null);
        }
        Object data = Bufs.fromLittleEndian(java.util.Arrays.copyOfRange(inbuf, position, position + bytes), r.array.getClass(), r.count);
        System.arraycopy(data, 0, r.array, r.offset, r.count);
        r.back();
        return position + bytes;
    }

    /** {@code MPI_Pack_size}. */
    public final int packSize(int incount, Datatype type) throws MPIException {
        type.check("packSize");
        return Errors.run(() -> type.t.packSize(incount));
    }

    /** {@code MPI_Iprobe}: the status of a matching message, or null. */
    public final Status iProbe(int source, int tag) throws MPIException {
        checkPeer("iProbe", n("iProbe"), "source", source, tag, true);
        io.jmpi.Status s = (io.jmpi.Status) Native.call(n("iProbe"), "iprobe", source, tag);
        return s == null ? null : new Status(s, MPI.UNDEFINED);
    }

    /** {@code MPI_Probe}. */
    public final Status probe(int source, int tag) throws MPIException {
        checkPeer("probe", n("probe"), "source", source, tag, true);
        return new Status((io.jmpi.Status) Native.call(n("probe"), "probe", source, tag), MPI.UNDEFINED);
    }

    // ------------------------------------------------------------------ collectives
    // Each runs jmpi's typed collective on contiguous runs of primitives (see Bufs); counts and displacements of the
    // v-forms are scaled from items of the datatype to primitives, so those forms need types without holes.

    static int grain(String call, Datatype t) throws MPIException {
        t.check(call);
        int unit = t.baseSize;
        if (t.t.extent() != t.t.size()) {
            throw new MPIException(call + ": datatype " + t + " has holes (extent " + t.t.extent() + " bytes, size "
                    + t.t.size() + "); the vector forms take contiguous types", MPI.ERR_TYPE, null);
        }
        return t.t.size() / unit;
    }

    static int[] scaled(int[] a, int g, int shift) {
        if (a == null) return null;
        int[] s = new int[a.length];
        for (int i = 0; i < a.length; i++) s[i] = a[i] * g + shift;
        return s;
    }

    static int span(int[] counts, int[] displs) {
        int n = 0;
        if (counts == null || displs == null) return 0;
        for (int i = 0; i < counts.length && i < displs.length; i++) n = Math.max(n, displs[i] + counts[i]);
        return n;
    }

    /** The jmpi inter-communicator when this is one (its collectives go to {@link InterColl}), else null. */
    final io.jmpi.Intercomm inter(String call) throws MPIException {
        Object o = n(call);
        return o instanceof io.jmpi.Intercomm ? (io.jmpi.Intercomm) o : null;
    }

    /** In-place forms: MPI defines none on inter-communicators; Open MPI's error class for them. */
    private void notInPlaceOnInter(String call, int errorClass) throws MPIException {
        if (inter(call) != null) throw InterColl.inPlace(call, errorClass);
    }

    private void notOnInter(String call) throws MPIException {
        if (inter(call) != null) {
            throw new MPIException(call + ": jmpi has no " + call + " on inter-communicators", MPI.ERR_UNSUPPORTED_OPERATION, null);
        }
    }

    /** {@code MPI_ERR_ROOT}, as Open MPI reports it, for a root outside an intra-communicator (jmpi says ARG). */
    final void checkRoot(String call, int root) throws MPIException {
        Object o = n(call);
        if (!(o instanceof io.jmpi.Comm)) return; // inter-communicators take MPI.ROOT and MPI.PROC_NULL too
        int size = ((io.jmpi.Comm) o).size();
        if (root < 0 || root >= size) {
            throw new MPIException(call + ": root=" + root + " out of range [0, " + size + ")", MPI.ERR_ROOT, null);
        }
    }

    /**
     * {@code MPI_ERR_RANK} and {@code MPI_ERR_TAG}, as Open MPI reports them, for a peer outside an intra-communicator
     * or a negative tag (jmpi says ARG for both). {@code recv}: MPI.ANY_SOURCE and MPI.ANY_TAG are allowed.
     */
    final void checkPeer(String call, Object o, String arg, int peer, int tag, boolean recv) throws MPIException {
        if (o instanceof io.jmpi.Comm) {
            int size = ((io.jmpi.Comm) o).size();
            if ((peer < 0 || peer >= size) && peer != MPI.PROC_NULL && !(recv && peer == MPI.ANY_SOURCE)) {
                throw new MPIException(call + ": " + arg + "=" + peer + " out of range [0, " + size + ") (or MPI.PROC_NULL"
                        + (recv ? ", MPI.ANY_SOURCE" : "") + ")", MPI.ERR_RANK, null);
            }
        }
        if (tag < 0 && !(recv && tag == MPI.ANY_TAG)) {
            throw new MPIException(call + ": tag=" + tag + " is negative" + (recv ? " (and not MPI.ANY_TAG)" : ""), MPI.ERR_TAG, null);
        }
    }

    private boolean root(String call, int root) throws MPIException {
        return getRank() == root;
    }

    static Bufs.Run empty(Bufs.Run like) {
        return new Bufs.Run(java.lang.reflect.Array.newInstance(like.array.getClass().getComponentType(), 0), 0, 0, null);
    }

    static Object copyOf(Bufs.Run r) {
        Object c = java.lang.reflect.Array.newInstance(r.array.getClass().getComponentType(), r.count);
        System.arraycopy(r.array, r.offset, c, 0, r.count);
        return c;
    }

    static Request req(Object q, Bufs.Run... back) {
        return new Request((io.jmpi.Request) q, () -> { for (Bufs.Run r : back) r.back(); });
    }

    /** {@code MPI_Barrier}. */
    public final void barrier() throws MPIException {
        Native.call(n("barrier"), "barrier");
    }

    /** {@code MPI_Ibarrier}. */
    public final Request iBarrier() throws MPIException {
        return new Request((io.jmpi.Request) Native.call(n("iBarrier"), "ibarrier"), null);
    }

    /** {@code MPI_Bcast}. */
    public final void bcast(Object buf, int count, Datatype type, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("bcast");
        if (ic != null) {
            InterColl.bcast(ic, "bcast", "bcast", buf, count, type, root);
            return;
        }
        checkRoot("bcast", root);
        Bufs.Run r = Bufs.of("bcast", "buf", buf, count, type);
        Native.call(n("bcast"), "bcast", r.array, r.offset, r.count, root);
        r.back();
    }

    /** {@code MPI_Ibcast}. */
    public final Request iBcast(Buffer buf, int count, Datatype type, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iBcast");
        if (ic != null) return (Request) InterColl.bcast(ic, "iBcast", "ibcast", buf, count, type, root);
        checkRoot("iBcast", root);
        Bufs.direct("iBcast", "buf", buf);
        Bufs.Run r = Bufs.of("iBcast", "buf", buf, count, type);
        return req(Native.call(n("iBcast"), "ibcast", r.array, r.offset, r.count, root), r);
    }

    private Object gatherImpl(String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                              Object recvbuf, int recvcount, Datatype recvtype, int root, boolean inPlace, Bufs.Run[] out) throws MPIException {
        boolean me = root(call, root);
        int size = getSize();
        Bufs.Run r = me ? Bufs.of(call, "recvbuf", recvbuf, recvcount * size, recvtype) : null;
        Bufs.Run s;
        if (inPlace && me) {
            int g = r.count / Math.max(1, size);
            s = new Bufs.Run(copyOf(new Bufs.Run(r.array, r.offset + root * g, g, null)), 0, g, null);
        } else {
            s = Bufs.of(call, "sendbuf", sendbuf, sendcount, sendtype);
        }
        if (r == null) r = empty(s);
        out[0] = r;
        return Native.call(n(call), op, s.array, s.offset, s.count, r.array, r.offset, root);
    }

    /** {@code MPI_Gather}. */
    public final void gather(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("gather");
        if (ic != null) {
            InterColl.gather(ic, "gather", "gather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot("gather", root);
        Bufs.Run[] r = new Bufs.Run[1];
        gatherImpl("gather", "gather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, false, r);
        r[0].back();
    }

    /** {@code MPI_Gather} with {@code MPI_IN_PLACE}: the root's block is already in {@code buf}. */
    public final void gather(Object buf, int count, Datatype type, int root) throws MPIException {
        notInPlaceOnInter("gather", MPI.ERR_ARG);
        checkRoot("gather", root);
        Bufs.Run[] r = new Bufs.Run[1];
        gatherImpl("gather", "gather", buf, count, type, buf, count, type, root, true, r);
        r[0].back();
    }

    /** {@code MPI_Igather}. */
    public final Request iGather(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iGather");
        if (ic != null) return (Request) InterColl.gather(ic, "iGather", "igather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root);
        checkRoot("iGather", root);
        Bufs.direct("iGather", "sendbuf", sendbuf);
        if (getRank() == root) Bufs.direct("iGather", "recvbuf", recvbuf);
        Bufs.Run[] r = new Bufs.Run[1];
        return req(gatherImpl("iGather", "igather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root, false, r), r[0]);
    }

    /** {@code MPI_Igather} with {@code MPI_IN_PLACE}. */
    public final Request iGather(Buffer buf, int count, Datatype type, int root) throws MPIException {
        notInPlaceOnInter("iGather", MPI.ERR_ARG);
        checkRoot("iGather", root);
        Bufs.direct("iGather", "buf", buf);
        Bufs.Run[] r = new Bufs.Run[1];
        return req(gatherImpl("iGather", "igather", buf, count, type, buf, count, type, root, true, r), r[0]);
    }

    /** {@code MPI_Gatherv}. */
    public final void gatherv(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int[] recvcount, int[] displs,
                              Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("gatherv");
        if (ic != null) {
            InterColl.gatherv(ic, "gatherv", "gatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root);
            return;
        }
        checkRoot("gatherv", root);
        Bufs.Run s = Bufs.of("gatherv", "sendbuf", sendbuf, sendcount, sendtype);
        Bufs.Run r = empty(s);
        int[] c = null, d = null;
        if (getRank() == root) {
            int g = grain("gatherv", recvtype);
            r = Bufs.of("gatherv", "recvbuf", recvbuf, span(recvcount, displs), recvtype);
            c = scaled(recvcount, g, 0);
            d = scaled(displs, g, r.offset);
        }
        Native.call(n("gatherv"), "gatherv", s.array, s.offset, s.count, r.array, c, d, root);
        r.back();
    }

    /** {@code MPI_Scatter}. */
    public final void scatter(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("scatter");
        if (ic != null) {
            InterColl.scatter(ic, "scatter", "scatter", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot("scatter", root);
        Bufs.Run r = Bufs.of("scatter", "recvbuf", recvbuf, recvcount, recvtype);
        Bufs.Run s = getRank() == root ? Bufs.of("scatter", "sendbuf", sendbuf, sendcount * getSize(), sendtype) : empty(r);
        Native.call(n("scatter"), "scatter", s.array, s.offset, r.array, r.offset, r.count, root);
        r.back();
    }

    /** {@code MPI_Scatter} with {@code MPI_IN_PLACE}: the root keeps its block in {@code buf}. */
    public final void scatter(Object buf, int count, Datatype type, int root) throws MPIException {
        notInPlaceOnInter("scatter", MPI.ERR_ARG);
        checkRoot("scatter", root);
        if (getRank() == root) {
            Bufs.Run s = Bufs.of("scatter", "buf", buf, count * getSize(), type);
            Object scratch = java.lang.reflect.Array.newInstance(s.array.getClass().getComponentType(), s.count / getSize());
            Native.call(n("scatter"), "scatter", s.array, s.offset, scratch, 0, s.count / getSize(), root);
        } else {
            scatter(null, count, type, buf, count, type, root);
        }
    }

    /** {@code MPI_Iscatter}. */
    public final Request iScatter(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iScatter");
        if (ic != null) return (Request) InterColl.scatter(ic, "iScatter", "iscatter", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype, root);
        checkRoot("iScatter", root);
        Bufs.direct("iScatter", "recvbuf", recvbuf);
        Bufs.Run r = Bufs.of("iScatter", "recvbuf", recvbuf, recvcount, recvtype);
        Bufs.Run s = empty(r);
        if (getRank() == root) {
            Bufs.direct("iScatter", "sendbuf", sendbuf);
            s = Bufs.of("iScatter", "sendbuf", sendbuf, sendcount * getSize(), sendtype);
        }
        return req(Native.call(n("iScatter"), "iscatter", s.array, s.offset, r.array, r.offset, r.count, root), r);
    }

    /** {@code MPI_Scatterv}. */
    public final void scatterv(Object sendbuf, int[] sendcount, int[] displs, Datatype sendtype,
                               Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("scatterv");
        if (ic != null) {
            InterColl.scatterv(ic, "scatterv", "scatterv", sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot("scatterv", root);
        Bufs.Run r = Bufs.of("scatterv", "recvbuf", recvbuf, recvcount, recvtype);
        Bufs.Run s = empty(r);
        int[] c = null, d = null;
        if (getRank() == root) {
            int g = grain("scatterv", sendtype);
            s = Bufs.of("scatterv", "sendbuf", sendbuf, span(sendcount, displs), sendtype);
            c = scaled(sendcount, g, 0);
            d = scaled(displs, g, s.offset);
        }
        Native.call(n("scatterv"), "scatterv", s.array, c, d, r.array, r.offset, r.count, root);
        r.back();
    }

    /** {@code MPI_Allgather}. */
    public final void allGather(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("allGather");
        if (ic != null) {
            InterColl.allGather(ic, "allGather", "allgather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
            return;
        }
        Bufs.Run s = Bufs.of("allGather", "sendbuf", sendbuf, sendcount, sendtype);
        Bufs.Run r = Bufs.of("allGather", "recvbuf", recvbuf, recvcount * getSize(), recvtype);
        Native.call(n("allGather"), "allgather", s.array, s.offset, s.count, r.array, r.offset);
        r.back();
    }

    /** {@code MPI_Allgather} with {@code MPI_IN_PLACE}: this rank's block is already in {@code buf}. */
    public final void allGather(Object buf, int count, Datatype type) throws MPIException {
        notInPlaceOnInter("allGather", MPI.ERR_ARG);
        Bufs.Run r = Bufs.of("allGather", "buf", buf, count * getSize(), type);
        int g = r.count / getSize();
        Object mine = copyOf(new Bufs.Run(r.array, r.offset + getRank() * g, g, null));
        Native.call(n("allGather"), "allgather", mine, 0, g, r.array, r.offset);
        r.back();
    }

    /** {@code MPI_Iallgather}. */
    public final Request iAllGather(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("iAllGather");
        if (ic != null) return (Request) InterColl.allGather(ic, "iAllGather", "iallgather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
        Bufs.direct("iAllGather", "sendbuf", sendbuf);
        Bufs.direct("iAllGather", "recvbuf", recvbuf);
        Bufs.Run s = Bufs.of("iAllGather", "sendbuf", sendbuf, sendcount, sendtype);
        Bufs.Run r = Bufs.of("iAllGather", "recvbuf", recvbuf, recvcount * getSize(), recvtype);
        return req(Native.call(n("iAllGather"), "iallgather", s.array, s.offset, s.count, r.array, r.offset), r);
    }

    /** {@code MPI_Allgatherv}. */
    public final void allGatherv(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int[] recvcount, int[] displs, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("allGatherv");
        if (ic != null) {
            InterColl.allGatherv(ic, "allGatherv", "allgatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype);
            return;
        }
        Bufs.Run s = Bufs.of("allGatherv", "sendbuf", sendbuf, sendcount, sendtype);
        int g = grain("allGatherv", recvtype);
        Bufs.Run r = Bufs.of("allGatherv", "recvbuf", recvbuf, span(recvcount, displs), recvtype);
        Native.call(n("allGatherv"), "allgatherv", s.array, s.offset, s.count, r.array, scaled(recvcount, g, 0), scaled(displs, g, r.offset));
        r.back();
    }

    /** {@code MPI_Alltoall}. */
    public final void allToAll(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("allToAll");
        if (ic != null) {
            InterColl.allToAll(ic, "allToAll", "alltoall", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
            return;
        }
        Bufs.Run s = Bufs.of("allToAll", "sendbuf", sendbuf, sendcount * getSize(), sendtype);
        Bufs.Run r = Bufs.of("allToAll", "recvbuf", recvbuf, recvcount * getSize(), recvtype);
        Native.call(n("allToAll"), "alltoall", s.array, s.offset, r.array, r.offset, r.count / getSize());
        r.back();
    }

    /** {@code MPI_Ialltoall}. */
    public final Request iAllToAll(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("iAllToAll");
        if (ic != null) return (Request) InterColl.allToAll(ic, "iAllToAll", "ialltoall", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
        Bufs.direct("iAllToAll", "sendbuf", sendbuf);
        Bufs.direct("iAllToAll", "recvbuf", recvbuf);
        Bufs.Run s = Bufs.of("iAllToAll", "sendbuf", sendbuf, sendcount * getSize(), sendtype);
        Bufs.Run r = Bufs.of("iAllToAll", "recvbuf", recvbuf, recvcount * getSize(), recvtype);
        return req(Native.call(n("iAllToAll"), "ialltoall", s.array, s.offset, r.array, r.offset, r.count / getSize()), r);
    }

    /** {@code MPI_Alltoallv}. */
    public final void allToAllv(Object sendbuf, int[] sendcount, int[] sdispls, Datatype sendtype,
                                Object recvbuf, int[] recvcount, int[] rdispls, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("allToAllv");
        if (ic != null) {
            InterColl.allToAllv(ic, "allToAllv", "alltoallv", sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
            return;
        }
        int gs = grain("allToAllv", sendtype), gr = grain("allToAllv", recvtype);
        Bufs.Run s = Bufs.of("allToAllv", "sendbuf", sendbuf, span(sendcount, sdispls), sendtype);
        Bufs.Run r = Bufs.of("allToAllv", "recvbuf", recvbuf, span(recvcount, rdispls), recvtype);
        Native.call(n("allToAllv"), "alltoallv", s.array, scaled(sendcount, gs, 0), scaled(sdispls, gs, s.offset),
                r.array, scaled(recvcount, gr, 0), scaled(rdispls, gr, r.offset));
        r.back();
    }

    /** {@code MPI_Reduce}. */
    public final void reduce(Object sendbuf, Object recvbuf, int count, Datatype type, Op op, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("reduce");
        if (ic != null) {
            InterColl.reduce(ic, "reduce", "reduce", sendbuf, recvbuf, count, type, op, root);
            return;
        }
        checkRoot("reduce", root);
        Bufs.Run s = Bufs.of("reduce", "sendbuf", sendbuf, count, type);
        Bufs.Run r = getRank() == root ? Bufs.of("reduce", "recvbuf", recvbuf, count, type) : new Bufs.Run(copyOf(s), 0, s.count, null);
        Native.call(n("reduce"), "reduce", s.array, s.offset, r.array, r.offset, s.count, op.forType("reduce", type), root);
        r.back();
    }

    /** {@code MPI_Reduce} with {@code MPI_IN_PLACE}. */
    public final void reduce(Object buf, int count, Datatype type, Op op, int root) throws MPIException {
        notInPlaceOnInter("reduce", MPI.ERR_ARG);
        checkRoot("reduce", root);
        Bufs.Run r = Bufs.of("reduce", "buf", buf, count, type);
        Native.call(n("reduce"), "reduce", copyOf(r), 0, r.array, r.offset, r.count, op.forType("reduce", type), root);
        r.back();
    }

    /** {@code MPI_Ireduce}. */
    public final Request iReduce(Buffer sendbuf, Buffer recvbuf, int count, Datatype type, Op op, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iReduce");
        if (ic != null) return (Request) InterColl.reduce(ic, "iReduce", "ireduce", sendbuf, recvbuf, count, type, op, root);
        checkRoot("iReduce", root);
        Bufs.direct("iReduce", "sendbuf", sendbuf);
        Bufs.Run s = Bufs.of("iReduce", "sendbuf", sendbuf, count, type);
        Bufs.Run r;
        if (getRank() == root) {
            Bufs.direct("iReduce", "recvbuf", recvbuf);
            r = Bufs.of("iReduce", "recvbuf", recvbuf, count, type);
        } else {
            r = new Bufs.Run(copyOf(s), 0, s.count, null);
        }
        return req(Native.call(n("iReduce"), "ireduce", s.array, s.offset, r.array, r.offset, s.count, op.forType("iReduce", type), root), r);
    }

    /** {@code MPI_Allreduce}. */
    public final void allReduce(Object sendbuf, Object recvbuf, int count, Datatype type, Op op) throws MPIException {
        io.jmpi.Intercomm ic = inter("allReduce");
        if (ic != null) {
            InterColl.allReduce(ic, "allReduce", "allreduce", sendbuf, recvbuf, count, type, op);
            return;
        }
        Bufs.Run s = Bufs.of("allReduce", "sendbuf", sendbuf, count, type);
        Bufs.Run r = Bufs.of("allReduce", "recvbuf", recvbuf, count, type);
        Native.call(n("allReduce"), "allreduce", s.array, s.offset, r.array, r.offset, s.count, op.forType("allReduce", type));
        r.back();
    }

    /** {@code MPI_Allreduce} with {@code MPI_IN_PLACE}. */
    public final void allReduce(Object buf, int count, Datatype type, Op op) throws MPIException {
        notInPlaceOnInter("allReduce", MPI.ERR_BUFFER);
        Bufs.Run r = Bufs.of("allReduce", "buf", buf, count, type);
        Native.call(n("allReduce"), "allreduce", copyOf(r), 0, r.array, r.offset, r.count, op.forType("allReduce", type));
        r.back();
    }

    /** {@code MPI_Iallreduce}. */
    public final Request iAllReduce(Buffer sendbuf, Buffer recvbuf, int count, Datatype type, Op op) throws MPIException {
        io.jmpi.Intercomm ic = inter("iAllReduce");
        if (ic != null) return (Request) InterColl.allReduce(ic, "iAllReduce", "iallreduce", sendbuf, recvbuf, count, type, op);
        Bufs.direct("iAllReduce", "sendbuf", sendbuf);
        Bufs.direct("iAllReduce", "recvbuf", recvbuf);
        Bufs.Run s = Bufs.of("iAllReduce", "sendbuf", sendbuf, count, type);
        Bufs.Run r = Bufs.of("iAllReduce", "recvbuf", recvbuf, count, type);
        return req(Native.call(n("iAllReduce"), "iallreduce", s.array, s.offset, r.array, r.offset, s.count, op.forType("iAllReduce", type)), r);
    }

    /** {@code MPI_Reduce_scatter}. */
    public final void reduceScatter(Object sendbuf, Object recvbuf, int[] recvcounts, Datatype type, Op op) throws MPIException {
        io.jmpi.Intercomm ic = inter("reduceScatter");
        if (ic != null) {
            InterColl.reduceScatter(ic, "reduceScatter", "reduceScatter", sendbuf, recvbuf, recvcounts, type, op);
            return;
        }
        int g = grain("reduceScatter", type), total = 0;
        for (int c : recvcounts) total += c;
        Bufs.Run s = Bufs.of("reduceScatter", "sendbuf", sendbuf, total, type);
        Bufs.Run r = Bufs.of("reduceScatter", "recvbuf", recvbuf, recvcounts[getRank()], type);
        Native.call(n("reduceScatter"), "reduceScatter", s.array, s.offset, r.array, r.offset, scaled(recvcounts, g, 0), op.forType("reduceScatter", type));
        r.back();
    }

    /** {@code MPI_Reduce_scatter_block}. */
    public final void reduceScatterBlock(Object sendbuf, Object recvbuf, int recvcount, Datatype type, Op op) throws MPIException {
        io.jmpi.Intercomm ic = inter("reduceScatterBlock");
        if (ic != null) {
            InterColl.reduceScatterBlock(ic, "reduceScatterBlock", "reduceScatterBlock", sendbuf, recvbuf, recvcount, type, op);
            return;
        }
        Bufs.Run s = Bufs.of("reduceScatterBlock", "sendbuf", sendbuf, recvcount * getSize(), type);
        Bufs.Run r = Bufs.of("reduceScatterBlock", "recvbuf", recvbuf, recvcount, type);
        Native.call(n("reduceScatterBlock"), "reduceScatterBlock", s.array, s.offset, r.array, r.offset, r.count, op.forType("reduceScatterBlock", type));
        r.back();
    }

    /** {@code MPI_Reduce_local}: {@code inOutBuf = inBuf op inOutBuf}. */
    public static void reduceLocal(Object inBuf, Object inOutBuf, int count, Datatype type, Op op) throws MPIException {
        MPI.env("reduceLocal");
        Bufs.Run a = Bufs.of("reduceLocal", "inBuf", inBuf, count, type);
        Bufs.Run b = Bufs.of("reduceLocal", "inOutBuf", inOutBuf, count, type);
        Object x = copyOf(a), y = copyOf(b);
        Native.call(op.forType("reduceLocal", type), "reduceLocal", x, y);
        System.arraycopy(y, 0, b.array, b.offset, b.count);
        b.back();
    }

    // ------------------------------------------------------------------ in-place, vector and neighbourhood forms
    // (bodies in CommVariants; the non-blocking forms take direct buffers, as in Open MPI)

    private static void direct(String call, Buffer... bufs) throws MPIException {
        for (Buffer b : bufs) Bufs.direct(call, "buffer", b);
    }

    /** {@code MPI_Gatherv} with {@code MPI_IN_PLACE}, at the root: its block is already at {@code displs[root]}. */
    public final void gatherv(Object recvbuf, int[] recvcount, int[] displs, Datatype recvtype, int root) throws MPIException {
        notInPlaceOnInter("gatherv", MPI.ERR_ARG);
        checkRoot("gatherv", root);
        CommVariants.gathervInPlace(this, "gatherv", "gatherv", recvbuf, recvcount, displs, recvtype, root);
    }

    /** {@code MPI_Gatherv} at a process other than the root (it only sends). */
    public final void gatherv(Object sendbuf, int sendcount, Datatype sendtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("gatherv");
        if (ic != null) {
            InterColl.gatherv(ic, "gatherv", "gatherv", sendbuf, sendcount, sendtype, null, null, null, null, root);
            return;
        }
        checkRoot("gatherv", root);
        CommVariants.gathervSend(this, "gatherv", "gatherv", sendbuf, sendcount, sendtype, root);
    }

    /** {@code MPI_Igatherv}. */
    public final Request iGatherv(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int[] recvcount, int[] displs,
                                  Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iGatherv");
        if (ic != null) return (Request) InterColl.gatherv(ic, "iGatherv", "igatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root);
        checkRoot("iGatherv", root);
        direct("iGatherv", sendbuf);
        if (getRank() == root) direct("iGatherv", recvbuf);
        return (Request) CommVariants.gatherv(this, "iGatherv", "igatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype, root);
    }

    /** {@code MPI_Igatherv} with {@code MPI_IN_PLACE}, at the root. */
    public final Request iGatherv(Buffer recvbuf, int[] recvcount, int[] displs, Datatype recvtype, int root) throws MPIException {
        notInPlaceOnInter("iGatherv", MPI.ERR_ARG);
        checkRoot("iGatherv", root);
        direct("iGatherv", recvbuf);
        return (Request) CommVariants.gathervInPlace(this, "iGatherv", "igatherv", recvbuf, recvcount, displs, recvtype, root);
    }

    /** {@code MPI_Igatherv} at a process other than the root. */
    public final Request iGatherv(Buffer sendbuf, int sendcount, Datatype sendtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iGatherv");
        if (ic != null) return (Request) InterColl.gatherv(ic, "iGatherv", "igatherv", sendbuf, sendcount, sendtype, null, null, null, null, root);
        checkRoot("iGatherv", root);
        direct("iGatherv", sendbuf);
        return (Request) CommVariants.gathervSend(this, "iGatherv", "igatherv", sendbuf, sendcount, sendtype, root);
    }

    /** {@code MPI_Scatterv} with {@code MPI_IN_PLACE}, at the root: its block stays in {@code sendbuf}. */
    public final void scatterv(Object sendbuf, int[] sendcount, int[] displs, Datatype sendtype, int root) throws MPIException {
        notInPlaceOnInter("scatterv", MPI.ERR_ARG);
        checkRoot("scatterv", root);
        CommVariants.scattervInPlace(this, "scatterv", "scatterv", sendbuf, sendcount, displs, sendtype, root);
    }

    /** {@code MPI_Scatterv} at a process other than the root (it only receives). */
    public final void scatterv(Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("scatterv");
        if (ic != null) {
            InterColl.scatterv(ic, "scatterv", "scatterv", null, null, null, null, recvbuf, recvcount, recvtype, root);
            return;
        }
        checkRoot("scatterv", root);
        CommVariants.scattervRecv(this, "scatterv", "scatterv", recvbuf, recvcount, recvtype, root);
    }

    /** {@code MPI_Iscatterv}. */
    public final Request iScatterv(Buffer sendbuf, int[] sendcount, int[] displs, Datatype sendtype, Buffer recvbuf, int recvcount,
                                   Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iScatterv");
        if (ic != null) return (Request) InterColl.scatterv(ic, "iScatterv", "iscatterv", sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root);
        checkRoot("iScatterv", root);
        direct("iScatterv", recvbuf);
        if (getRank() == root) direct("iScatterv", sendbuf);
        return (Request) CommVariants.scatterv(this, "iScatterv", "iscatterv", sendbuf, sendcount, displs, sendtype, recvbuf, recvcount, recvtype, root);
    }

    /** {@code MPI_Iscatterv} with {@code MPI_IN_PLACE}, at the root. */
    public final Request iScatterv(Buffer buf, int[] sendcount, int[] displs, Datatype type, int root) throws MPIException {
        notInPlaceOnInter("iScatterv", MPI.ERR_ARG);
        checkRoot("iScatterv", root);
        direct("iScatterv", buf);
        return (Request) CommVariants.scattervInPlace(this, "iScatterv", "iscatterv", buf, sendcount, displs, type, root);
    }

    /** {@code MPI_Iscatterv} at a process other than the root. */
    public final Request iScatterv(Buffer recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Intercomm ic = inter("iScatterv");
        if (ic != null) return (Request) InterColl.scatterv(ic, "iScatterv", "iscatterv", null, null, null, null, recvbuf, recvcount, recvtype, root);
        checkRoot("iScatterv", root);
        direct("iScatterv", recvbuf);
        return (Request) CommVariants.scattervRecv(this, "iScatterv", "iscatterv", recvbuf, recvcount, recvtype, root);
    }

    /** {@code MPI_Iscatter} with {@code MPI_IN_PLACE}: the root keeps its block in {@code buf}. */
    public final Request iScatter(Buffer buf, int count, Datatype type, int root) throws MPIException {
        notInPlaceOnInter("iScatter", MPI.ERR_ARG);
        checkRoot("iScatter", root);
        direct("iScatter", buf);
        return (Request) CommVariants.scatterInPlace(this, "iScatter", "iscatter", buf, count, type, root);
    }

    /** {@code MPI_Allgatherv} with {@code MPI_IN_PLACE}: this rank's block is already at {@code displs[rank]}. */
    public final void allGatherv(Object buf, int[] recvcount, int[] displs, Datatype type) throws MPIException {
        notInPlaceOnInter("allGatherv", MPI.ERR_ARG);
        CommVariants.allGathervInPlace(this, "allGatherv", "allgatherv", buf, recvcount, displs, type);
    }

    /** {@code MPI_Iallgather} with {@code MPI_IN_PLACE}. */
    public final Request iAllGather(Buffer buf, int count, Datatype type) throws MPIException {
        notInPlaceOnInter("iAllGather", MPI.ERR_ARG);
        direct("iAllGather", buf);
        return (Request) CommVariants.allGatherInPlace(this, "iAllGather", "iallgather", buf, count, type);
    }

    /** {@code MPI_Iallgatherv}. */
    public final Request iAllGatherv(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int[] recvcount, int[] displs,
                                     Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("iAllGatherv");
        if (ic != null) return (Request) InterColl.allGatherv(ic, "iAllGatherv", "iallgatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype);
        direct("iAllGatherv", sendbuf, recvbuf);
        return (Request) CommVariants.allGatherv(this, "iAllGatherv", "iallgatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype);
    }

    /** {@code MPI_Iallgatherv} with {@code MPI_IN_PLACE}. */
    public final Request iAllGatherv(Buffer buf, int[] count, int[] displs, Datatype type) throws MPIException {
        notInPlaceOnInter("iAllGatherv", MPI.ERR_ARG);
        direct("iAllGatherv", buf);
        return (Request) CommVariants.allGathervInPlace(this, "iAllGatherv", "iallgatherv", buf, count, displs, type);
    }

    /** {@code MPI_Ialltoallv}. */
    public final Request iAllToAllv(Buffer sendbuf, int[] sendcount, int[] sdispls, Datatype sendtype, Buffer recvbuf, int[] recvcount,
                                    int[] rdispls, Datatype recvtype) throws MPIException {
        io.jmpi.Intercomm ic = inter("iAllToAllv");
        if (ic != null) return (Request) InterColl.allToAllv(ic, "iAllToAllv", "ialltoallv", sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
        direct("iAllToAllv", sendbuf, recvbuf);
        return (Request) CommVariants.allToAllv(this, "iAllToAllv", "ialltoallv", sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
    }

    /**
     * {@code MPI_Alltoallw}: per-rank counts, byte displacements and datatypes; direct buffers. Runs as point-to-point
     * on a duplicate of this communicator.
     */
    public final void allToAllw(Buffer sendBuf, int[] sendCount, int[] sDispls, Datatype[] sendTypes, Buffer recvBuf, int[] recvCount,
                                int[] rDispls, Datatype[] recvTypes) throws MPIException {
        notOnInter("allToAllw");
        CommVariants.allToAllw(this, "allToAllw", sendBuf, sendCount, sDispls, sendTypes, recvBuf, recvCount, rDispls, recvTypes);
    }

    /**
     * {@code MPI_Ialltoallw}. jmpi runs it to completion before returning (the request is already complete): a
     * program that makes another rank's entry into this call wait for a message sent after it would block.
     */
    public final Request iAllToAllw(Buffer sendBuf, int[] sendCount, int[] sDispls, Datatype[] sendTypes, Buffer recvBuf, int[] recvCount,
                                    int[] rDispls, Datatype[] recvTypes) throws MPIException {
        notOnInter("iAllToAllw");
        CommVariants.allToAllw(this, "iAllToAllw", sendBuf, sendCount, sDispls, sendTypes, recvBuf, recvCount, rDispls, recvTypes);
        return new Request(null, null);
    }

    /** {@code MPI_Ireduce} with {@code MPI_IN_PLACE}. */
    public final Request iReduce(Buffer buf, int count, Datatype type, Op op, int root) throws MPIException {
        notInPlaceOnInter("iReduce", MPI.ERR_ARG);
        checkRoot("iReduce", root);
        direct("iReduce", buf);
        return (Request) CommVariants.reduceInPlace(this, "iReduce", "ireduce", buf, count, type, op, root);
    }

    /** {@code MPI_Iallreduce} with {@code MPI_IN_PLACE}. */
    public final Request iAllReduce(Buffer buf, int count, Datatype type, Op op) throws MPIException {
        notInPlaceOnInter("iAllReduce", MPI.ERR_BUFFER);
        direct("iAllReduce", buf);
        return (Request) CommVariants.allReduceInPlace(this, "iAllReduce", "iallreduce", buf, count, type, op);
    }

    /** {@code MPI_Reduce_scatter} with {@code MPI_IN_PLACE}: the result is the first {@code recvcounts[rank]} items of {@code buf}. */
    public final void reduceScatter(Object buf, int[] recvcounts, Datatype type, Op op) throws MPIException {
        notInPlaceOnInter("reduceScatter", MPI.ERR_ARG);
        CommVariants.reduceScatter(this, "reduceScatter", "reduceScatter", null, buf, recvcounts, type, op);
    }

    /** {@code MPI_Ireduce_scatter}. */
    public final Request iReduceScatter(Buffer sendbuf, Buffer recvbuf, int[] recvcounts, Datatype type, Op op) throws MPIException {
        io.jmpi.Intercomm ic = inter("iReduceScatter");
        if (ic != null) return (Request) InterColl.reduceScatter(ic, "iReduceScatter", "ireduceScatter", sendbuf, recvbuf, recvcounts, type, op);
        direct("iReduceScatter", sendbuf, recvbuf);
        return (Request) CommVariants.reduceScatter(this, "iReduceScatter", "ireduceScatter", sendbuf, recvbuf, recvcounts, type, op);
    }

    /** {@code MPI_Ireduce_scatter} with {@code MPI_IN_PLACE}. */
    public final Request iReduceScatter(Buffer buf, int[] counts, Datatype type, Op op) throws MPIException {
        notInPlaceOnInter("iReduceScatter", MPI.ERR_ARG);
        direct("iReduceScatter", buf);
        return (Request) CommVariants.reduceScatter(this, "iReduceScatter", "ireduceScatter", null, buf, counts, type, op);
    }

    /** {@code MPI_Reduce_scatter_block} with {@code MPI_IN_PLACE}. */
    public final void reduceScatterBlock(Object buf, int count, Datatype type, Op op) throws MPIException {
        notInPlaceOnInter("reduceScatterBlock", MPI.ERR_ARG);
        CommVariants.reduceScatterBlock(this, "reduceScatterBlock", "reduceScatterBlock", null, buf, count, type, op);
    }

    /** {@code MPI_Ireduce_scatter_block}. */
    public final Request iReduceScatterBlock(Buffer sendbuf, Buffer recvbuf, int recvcount, Datatype type, Op op) throws MPIException {
        io.jmpi.Intercomm ic = inter("iReduceScatterBlock");
        if (ic != null) return (Request) InterColl.reduceScatterBlock(ic, "iReduceScatterBlock", "ireduceScatterBlock", sendbuf, recvbuf, recvcount, type, op);
        direct("iReduceScatterBlock", sendbuf, recvbuf);
        return (Request) CommVariants.reduceScatterBlock(this, "iReduceScatterBlock", "ireduceScatterBlock", sendbuf, recvbuf, recvcount, type, op);
    }

    /** {@code MPI_Ireduce_scatter_block} with {@code MPI_IN_PLACE}. */
    public final Request iReduceScatterBlock(Buffer buf, int count, Datatype type, Op op) throws MPIException {
        notInPlaceOnInter("iReduceScatterBlock", MPI.ERR_ARG);
        direct("iReduceScatterBlock", buf);
        return (Request) CommVariants.reduceScatterBlock(this, "iReduceScatterBlock", "ireduceScatterBlock", null, buf, count, type, op);
    }

    /** {@code MPI_Neighbor_allgather} on a Cartesian, graph or distributed-graph communicator. */
    public final void neighborAllGather(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        CommVariants.neighborAllGather(this, "neighborAllGather", "neighborAllgather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
    }

    /** {@code MPI_Ineighbor_allgather}. */
    public final Request iNeighborAllGather(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        direct("iNeighborAllGather", sendbuf, recvbuf);
        return (Request) CommVariants.neighborAllGather(this, "iNeighborAllGather", "ineighborAllgather", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
    }

    /** {@code MPI_Neighbor_allgatherv}. */
    public final void neighborAllGatherv(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int[] recvcount, int[] displs,
                                         Datatype recvtype) throws MPIException {
        CommVariants.neighborAllGatherv(this, "neighborAllGatherv", "neighborAllgatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype);
    }

    /** {@code MPI_Ineighbor_allgatherv}. */
    public final Request iNeighborAllGatherv(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int[] recvcount, int[] displs,
                                             Datatype recvtype) throws MPIException {
        direct("iNeighborAllGatherv", sendbuf, recvbuf);
        return (Request) CommVariants.neighborAllGatherv(this, "iNeighborAllGatherv", "ineighborAllgatherv", sendbuf, sendcount, sendtype, recvbuf, recvcount, displs, recvtype);
    }

    /** {@code MPI_Neighbor_alltoall}. */
    public final void neighborAllToAll(Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        CommVariants.neighborAllToAll(this, "neighborAllToAll", "neighborAlltoall", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
    }

    /** {@code MPI_Ineighbor_alltoall}. */
    public final Request iNeighborAllToAll(Buffer sendbuf, int sendcount, Datatype sendtype, Buffer recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        direct("iNeighborAllToAll", sendbuf, recvbuf);
        return (Request) CommVariants.neighborAllToAll(this, "iNeighborAllToAll", "ineighborAlltoall", sendbuf, sendcount, sendtype, recvbuf, recvcount, recvtype);
    }

    /** {@code MPI_Neighbor_alltoallv}. */
    public final void neighborAllToAllv(Object sendbuf, int[] sendcount, int[] sdispls, Datatype sendtype, Object recvbuf, int[] recvcount,
                                        int[] rdispls, Datatype recvtype) throws MPIException {
        CommVariants.allToAllv(this, "neighborAllToAllv", "neighborAlltoallv", sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
    }

    /** {@code MPI_Ineighbor_alltoallv}. */
    public final Request iNeighborAllToAllv(Buffer sendbuf, int[] sendcount, int[] sdispls, Datatype sendtype, Buffer recvbuf, int[] recvcount,
                                            int[] rdispls, Datatype recvtype) throws MPIException {
        direct("iNeighborAllToAllv", sendbuf, recvbuf);
        return (Request) CommVariants.allToAllv(this, "iNeighborAllToAllv", "ineighborAlltoallv", sendbuf, sendcount, sdispls, sendtype, recvbuf, recvcount, rdispls, recvtype);
    }

    // ------------------------------------------------------------------ attributes

    /** {@code MPI_Comm_create_keyval}. */
    public static int createKeyval() throws MPIException {
        return Attrs.create();
    }

    /** {@code MPI_Comm_free_keyval}. */
    public static void freeKeyval(int keyval) throws MPIException {
        Attrs.free(keyval);
    }

    /** {@code MPI_Comm_set_attr}. */
    public final void setAttr(int keyval, Object value) throws MPIException {
        io.jmpi.Comm c = c("setAttr");
        Errors.run(() -> { c.setAttr(Attrs.key(keyval), value); return null; });
    }

    /** {@code MPI_Comm_get_attr}: {@link MPI#TAG_UB} and the other predefined keys, or a user key's value. */
    public final Object getAttr(int keyval) throws MPIException {
        if (keyval == MPI.TAG_UB) return io.jmpi.Mpi.TAG_UB;
        if (keyval == MPI.HOST) return MPI.PROC_NULL;
        if (keyval == MPI.IO) return MPI.ANY_SOURCE;
        if (keyval == MPI.WTIME_IS_GLOBAL) return false;
        if (keyval == MPI.UNIVERSE_SIZE || keyval == MPI.APPNUM || keyval == MPI.LASTUSEDCODE) return null;
        io.jmpi.Comm c = c("getAttr");
        return Errors.run(() -> c.getAttr(Attrs.key(keyval)));
    }

    /** {@code MPI_Comm_delete_attr}. */
    public final void deleteAttr(int keyval) throws MPIException {
        io.jmpi.Comm c = c("deleteAttr");
        Errors.run(() -> { c.deleteAttr(Attrs.key(keyval)); return null; });
    }

    @Override
    public String toString() {
        return kind == WORLD ? "MPI.COMM_WORLD" : kind == SELF ? "MPI.COMM_SELF" : String.valueOf(fixed);
    }
}
