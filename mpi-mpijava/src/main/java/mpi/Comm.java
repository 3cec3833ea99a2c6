package mpi;

import io.jmpi.Comparison;
import io.jmpi.base.MpiException;

/**
 * A communicator ({@code MPI_Comm}): point-to-point communication in every mode, probes, packing and communicator
 * management, over a native {@link io.jmpi.Comm}.
 *
 * <p>Buffers are {@code (Object buf, int offset, int count, Datatype type)}: an array of the type's base type
 * ({@code int[]} for MPI.INT, MPI.INT2 or a derived type over INT; {@code Object[]} for MPI.OBJECT; {@code byte[]} for
 * MPI.PACKED), the offset in array elements, the count in elements of the type. The predefined primitive types
 * (MPI.BYTE ... MPI.DOUBLE) go to the native typed overloads through {@link Typed}, allocating nothing but what the
 * API returns; derived types go to the native datatype calls, which move the type's runs straight between the array
 * and the messages; OBJECT slices travel through the native object tier as one serialized {@code Object[]}.
 */
public class Comm {
    static final int WORLD = 1, SELF = 2;
    /** MPJ Express's public group field: this communicator's group (null on COMM_WORLD/COMM_SELF: use {@link #Group()}). */
    public Group group;
    /** The fixed native communicator, or null for COMM_WORLD/COMM_SELF (resolved per rank) and COMM_NULL. */
    private final io.jmpi.Comm fixed;
    private final int which;

    Comm(io.jmpi.Comm fixed) {
        this.fixed = fixed;
        this.which = 0;
        this.group = fixed == null ? null : new Group(fixed.group());
    }

    Comm(int which) {
        this.fixed = null;
        this.which = which;
    }

    /** The calling rank's native communicator. */
    io.jmpi.Comm nat() throws MPIException {
        if (which == WORLD) return MPI.mpi().world();
        if (which == SELF) return MPI.mpi().self();
        if (fixed == null) throw new MPIException("the communicator is MPI.COMM_NULL");
        return fixed;
    }

    // ------------------------------------------------------------------ management

    /** Number of ranks ({@code MPI_Comm_size}). */
    public int Size() throws MPIException {
        return nat().size();
    }

    /** This rank ({@code MPI_Comm_rank}). */
    public int Rank() throws MPIException {
        return nat().rank();
    }

    /** The group of this communicator ({@code MPI_Comm_group}). */
    public Group Group() throws MPIException {
        io.jmpi.Comm c = nat();
        return new Group(MPI.call(c::group));
    }

    /** IDENT, CONGRUENT, SIMILAR or UNEQUAL ({@code MPI_Comm_compare}). */
    public static int Compare(Comm comm1, Comm comm2) throws MPIException {
        if (comm1 == null || comm2 == null) throw new MPIException("Compare: communicator is null");
        if (comm1 instanceof Intercomm || comm2 instanceof Intercomm) {
            return comm1 == comm2 ? MPI.IDENT : MPI.UNEQUAL;
        }
        io.jmpi.Comm a = comm1.nat(), b = comm2.nat();
        return code(MPI.call(() -> a.compare(b)));
    }

    static int code(Comparison c) {
        switch (c) {
            case IDENT: return MPI.IDENT;
            case CONGRUENT: return MPI.CONGRUENT;
            case SIMILAR: return MPI.SIMILAR;
            default: return MPI.UNEQUAL;
        }
    }

    /** Frees the communicator ({@code MPI_Comm_free}); collective. */
    public void Free() throws MPIException {
        io.jmpi.Comm c = nat();
        MPI.call(() -> {
            c.free();
            return null;
        });
    }

    /** Whether this is an intercommunicator ({@code MPI_Comm_test_inter}). */
    public boolean Test_inter() throws MPIException {
        return false;
    }

    /**
     * An intercommunicator between {@code local_comm} (containing this rank) and a remote group, whose leaders
     * talk over this communicator, the peer communicator ({@code MPI_Intercomm_create}).
     */
    public Intercomm Create_intercomm(Comm local_comm, int local_leader, int remote_leader, int tag) throws MPIException {
        if (local_comm == null) throw new MPIException("Create_intercomm: local_comm is null");
        io.jmpi.Comm local = local_comm.nat(), peer = nat();
        return new Intercomm(MPI.call(() -> local.createIntercomm(local_leader, peer, remote_leader, tag)));
    }

    /** A predefined attribute ({@code MPI_Attr_get}): MPI.TAG_UB, MPI.HOST (PROC_NULL: no host is special), MPI.IO (ANY_SOURCE: every rank can do I/O). */
    public Object Attr_get(int keyval) throws MPIException {
        nat();
        return predefinedAttr(keyval);
    }

    static Object predefinedAttr(int keyval) throws MPIException {
        switch (keyval) {
            case MPI.TAG_UB: return io.jmpi.Mpi.TAG_UB;
            case MPI.HOST: return MPI.PROC_NULL;
            case MPI.IO: return MPI.ANY_SOURCE;
            default: throw new MPIException("Attr_get: keyval=" + keyval + " is not MPI.TAG_UB, MPI.HOST or MPI.IO");
        }
    }

    /** Predefined attributes cannot be deleted ({@code MPI_Attr_delete}). */
    public void Attr_delete(int keyval) throws MPIException {
        throw new MPIException("Attr_delete: keyval=" + keyval + " is a predefined attribute and cannot be deleted");
    }

    /** UNDEFINED: no topology ({@code MPI_Topo_test}); Cartcomm and Graphcomm answer CART and GRAPH. */
    public int Topo_test() throws MPIException {
        return MPI.UNDEFINED;
    }

    /** Ends the whole job with {@code errorcode} ({@code MPI_Abort}); does not return for process ranks. */
    public void Abort(int errorcode) throws MPIException {
        io.jmpi.Mpi m = MPI.mpi();
        MPI.call(() -> {
            m.abort(errorcode);
            return null;
        });
    }

    /** A duplicate ({@code MPI_Comm_dup}); collective. */
    @Override
    public Object clone() throws MPIException {
        io.jmpi.Comm c = nat();
        return new Intracomm(MPI.call(c::dup));
    }

    // ------------------------------------------------------------------ point-to-point

    enum Mode { STANDARD, SYNC, BUFFERED, READY }

    /** Standard send ({@code MPI_Send}). */
    public void Send(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        send("Send", Mode.STANDARD, buf, offset, count, datatype, dest, tag);
    }

    /** Synchronous send: returns once the receive has matched ({@code MPI_Ssend}). */
    public void Ssend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        send("Ssend", Mode.SYNC, buf, offset, count, datatype, dest, tag);
    }

    /** Buffered send through the buffer of {@link MPI#Buffer_attach} ({@code MPI_Bsend}). */
    public void Bsend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        send("Bsend", Mode.BUFFERED, buf, offset, count, datatype, dest, tag);
    }

    /** Ready send: the matching receive must be posted already ({@code MPI_Rsend}). */
    public void Rsend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        send("Rsend", Mode.READY, buf, offset, count, datatype, dest, tag);
    }

    /** Non-blocking standard send ({@code MPI_Isend}). */
    public Request Isend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return new Request(isend("Isend", Mode.STANDARD, buf, offset, count, datatype, dest, tag));
    }

    /** Non-blocking buffered send ({@code MPI_Ibsend}). */
    public Request Ibsend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return new Request(isend("Ibsend", Mode.BUFFERED, buf, offset, count, datatype, dest, tag));
    }

    /** Non-blocking synchronous send ({@code MPI_Issend}). */
    public Request Issend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return new Request(isend("Issend", Mode.SYNC, buf, offset, count, datatype, dest, tag));
    }

    /** Non-blocking ready send ({@code MPI_Irsend}). */
    public Request Irsend(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return new Request(isend("Irsend", Mode.READY, buf, offset, count, datatype, dest, tag));
    }

    /** A blocking send of any mode; {@link Intercomm} overrides it (ranks of the remote group). */
    void send(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag) throws MPIException {
        checkType(call, type);
        io.jmpi.Comm c = nat();
        try {
            if (type.basic) {
                Typed.check(call, "buf", buf, type);
                Typed.send(c, mode, buf, offset, count, type.baseType, dest, tag);
            } else if (type.isObject()) {
                Object[] slice = Objects.gather(call, "buf", buf, offset, count, type);
                switch (mode) {
                    case SYNC: c.ssendObject(slice, dest, tag); break;
                    case BUFFERED: c.bsendObject(slice, dest, tag); break;
                    case READY: c.rsendObject(slice, dest, tag); break;
                    default: c.sendObject(slice, dest, tag);
                }
            } else {
                io.jmpi.Datatype t = wire(type);
                switch (mode) {
                    case SYNC: c.ssend(buf, offset, count, t, dest, tag); break;
                    case BUFFERED: c.bsend(buf, offset, count, t, dest, tag); break;
                    case READY: c.rsend(buf, offset, count, t, dest, tag); break;
                    default: c.send(buf, offset, count, t, dest, tag);
                }
            }
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** A non-blocking send of any mode; {@link Intercomm} overrides it. */
    io.jmpi.Request isend(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        checkType(call, type);
        io.jmpi.Comm c = nat();
        try {
            if (type.basic) {
                Typed.check(call, "buf", buf, type);
                return Typed.isend(c, mode, buf, offset, count, type.baseType, dest, tag);
            }
            if (type.isObject()) {
                Object[] slice = Objects.gather(call, "buf", buf, offset, count, type);
                switch (mode) {
                    case SYNC: return c.issendObject(slice, dest, tag);
                    case BUFFERED: return c.ibsendObject(slice, dest, tag);
                    case READY: return c.irsendObject(slice, dest, tag);
                    default: return c.isendObject(slice, dest, tag);
                }
            }
            io.jmpi.Datatype t = wire(type);
            switch (mode) {
                case SYNC: return c.issend(buf, offset, count, t, dest, tag);
                case BUFFERED: return c.ibsend(buf, offset, count, t, dest, tag);
                case READY: return c.irsend(buf, offset, count, t, dest, tag);
                default: return c.isend(buf, offset, count, t, dest, tag);
            }
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /**
     * Receives into {@code buf} ({@code MPI_Recv}); the status tells source, tag and size. For the predefined
     * primitive types this allocates nothing but the returned Status.
     */
    public Status Recv(Object buf, int offset, int count, Datatype datatype, int source, int tag) throws MPIException {
        if (datatype != null && datatype.basic) return recvBasic("Recv", buf, offset, count, datatype, source, tag);
        return Irecv(buf, offset, count, datatype, source, tag).Wait();
    }

    /** A blocking receive of a predefined primitive type; {@link Intercomm} overrides it. */
    Status recvBasic(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        Typed.check(call, "buf", buf, type);
        io.jmpi.Comm c = nat();
        try {
            return Status.of(Typed.recv(c, buf, offset, count, type.baseType, source, tag, Status.scratch()));
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** Non-blocking receive ({@code MPI_Irecv}). */
    public Request Irecv(Object buf, int offset, int count, Datatype datatype, int source, int tag) throws MPIException {
        return irecv("Irecv", buf, offset, count, datatype, source, tag);
    }

    /** A non-blocking receive as a new Request; {@link Intercomm} overrides it. */
    Request irecv(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        checkType(call, type);
        io.jmpi.Comm c = nat();
        try {
            if (type.basic) return new Request(irecvBasic(call, buf, offset, count, type, source, tag));
            if (type.isObject()) {
                Objects.array(call, "buf", buf);
                return objectReceive(call, c.irecvObject(source, tag), buf, offset, count, type);
            }
            if (type.baseType == Datatype.PACKED) {
                if (!(buf instanceof byte[])) throw new MPIException(call + ": buf must be a byte[] for MPI.PACKED");
                return new Request(c.irecvPacked((byte[]) buf, offset, count, source, tag));
            }
            return new Request(c.irecv(buf, offset, count, type.nat(), source, tag));
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** The native non-blocking receive of a predefined primitive type; {@link Intercomm} overrides it. */
    io.jmpi.Request irecvBasic(String call, Object buf, int offset, int count, Datatype type, int source, int tag)
            throws MPIException {
        Typed.check(call, "buf", buf, type);
        io.jmpi.Comm c = nat();
        try {
            return Typed.irecv(c, buf, offset, count, type.baseType, source, tag);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** A request whose completion places the received objects into {@code buf} by {@code type}'s map. */
    static Request objectReceive(String call, io.jmpi.ObjectRequest<Object[]> r, Object buf, int offset, int count, Datatype type) {
        return new Request(r, s -> {
            Object[] got = s.source() == MPI.PROC_NULL ? new Object[0] : MPI.call(r::object);
            return Status.ofObjects(s, Objects.scatter(call, "buf", got, buf, offset, count, type));
        });
    }

    /** Waits for a matching message without receiving it ({@code MPI_Probe}). */
    public Status Probe(int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        try {
            return Status.of(c.probe(source, tag));
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** A matching message's status, or null when none has arrived ({@code MPI_Iprobe}). */
    public Status Iprobe(int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        try {
            io.jmpi.Status s = c.iprobe(source, tag);
            return s == null ? null : Status.of(s);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /**
     * Sends and receives at once ({@code MPI_Sendrecv}): the receive is posted first, then the send runs, so pairs of
     * ranks cannot deadlock. For the predefined primitive types this allocates the returned Status and the native
     * receive's request.
     */
    public Status Sendrecv(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype, int dest, int sendtag,
                           Object recvbuf, int recvoffset, int recvcount, Datatype recvtype, int source, int recvtag)
            throws MPIException {
        checkType("Sendrecv", sendtype);
        checkType("Sendrecv", recvtype);
        if (recvtype.basic) {
            // the native request straight: no mpi.Request, and its wait fills the per-thread status
            io.jmpi.Request r = irecvBasic("Sendrecv", recvbuf, recvoffset, recvcount, recvtype, source, recvtag);
            sendAfterReceive(r, sendbuf, sendoffset, sendcount, sendtype, dest, sendtag);
            try {
                return Status.of(r.await(Status.scratch()));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
        }
        Request r = irecv("Sendrecv", recvbuf, recvoffset, recvcount, recvtype, source, recvtag);
        sendAfterReceive(r.nat, sendbuf, sendoffset, sendcount, sendtype, dest, sendtag);
        return r.Wait();
    }

    /** The send half of Sendrecv; if it fails, the posted receive is cancelled so that it cannot match later. */
    private void sendAfterReceive(io.jmpi.Request posted, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        try {
            send("Sendrecv", Mode.STANDARD, buf, offset, count, type, dest, tag);
        } catch (MPIException e) {
            if (posted != null) {
                try {
                    posted.cancel();
                } catch (MpiException ignored) {
                    // the send's failure is the one to report
                }
            }
            throw e;
        }
    }

    /** Sends the buffer and receives into it ({@code MPI_Sendrecv_replace}). */
    public Status Sendrecv_replace(Object buf, int offset, int count, Datatype datatype, int dest, int sendtag,
                                   int source, int recvtag) throws MPIException {
        checkType("Sendrecv_replace", datatype);
        io.jmpi.Comm c = nat();
        try {
            if (datatype.basic) {
                Typed.check("Sendrecv_replace", "buf", buf, datatype);
                return Status.of(Typed.sendrecvReplace(c, buf, offset, count, datatype.baseType, dest, sendtag, source, recvtag));
            }
            if (datatype.isPrimitiveBase()) {
                return Status.of(c.sendrecvReplace(buf, offset, count, datatype.nat(), dest, sendtag, source, recvtag));
            }
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        if (!datatype.isObject()) throw new MPIException("Sendrecv_replace: datatype " + datatype + " is not supported");
        return objectSendrecvReplace(buf, offset, count, datatype, dest, sendtag, source, recvtag);
    }

    /** Sendrecv_replace of OBJECT: the outgoing objects are copied before the receive may overwrite them. */
    Status objectSendrecvReplace(Object buf, int offset, int count, Datatype datatype, int dest, int sendtag, int source,
                                 int recvtag) throws MPIException {
        Object[] copy = Objects.gather("Sendrecv_replace", "buf", buf, offset, count, datatype);
        Request r = irecv("Sendrecv_replace", buf, offset, count, datatype, source, recvtag);
        send("Sendrecv_replace", Mode.STANDARD, copy, 0, copy.length, MPI.OBJECT, dest, sendtag);
        return r.Wait();
    }

    // ------------------------------------------------------------------ persistent

    /** A persistent standard send ({@code MPI_Send_init}). */
    public Prequest Send_init(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return sendInit("Send_init", Mode.STANDARD, buf, offset, count, datatype, dest, tag);
    }

    /** A persistent synchronous send ({@code MPI_Ssend_init}). */
    public Prequest Ssend_init(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return sendInit("Ssend_init", Mode.SYNC, buf, offset, count, datatype, dest, tag);
    }

    /** A persistent buffered send ({@code MPI_Bsend_init}). */
    public Prequest Bsend_init(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return sendInit("Bsend_init", Mode.BUFFERED, buf, offset, count, datatype, dest, tag);
    }

    /** A persistent ready send ({@code MPI_Rsend_init}). */
    public Prequest Rsend_init(Object buf, int offset, int count, Datatype datatype, int dest, int tag) throws MPIException {
        return sendInit("Rsend_init", Mode.READY, buf, offset, count, datatype, dest, tag);
    }

    /** A persistent send of any mode; {@link Intercomm} overrides it. */
    Prequest sendInit(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        io.jmpi.Comm c = nat();
        checkType(call, type);
        if (type.isObject()) {
            // the objects are serialized at each start, so a round sends the buffer's contents of that moment
            Objects.array(call, "buf", buf);
            return new Prequest(() -> new Prequest.Round(isend(call, mode, buf, offset, count, type, dest, tag), Status::of));
        }
        io.jmpi.Prequest p;
        try {
            if (type.basic) {
                Typed.check(call, "buf", buf, type);
                p = Typed.sendInit(c, mode, buf, offset, count, type.baseType, dest, tag);
            } else {
                io.jmpi.Datatype t = wire(type);
                switch (mode) {
                    case SYNC: p = c.ssendInit(buf, offset, count, t, dest, tag); break;
                    case BUFFERED: p = c.bsendInit(buf, offset, count, t, dest, tag); break;
                    case READY: p = c.rsendInit(buf, offset, count, t, dest, tag); break;
                    default: p = c.sendInit(buf, offset, count, t, dest, tag);
                }
            }
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        return Prequest.over(p);
    }

    /** A persistent receive ({@code MPI_Recv_init}). */
    public Prequest Recv_init(Object buf, int offset, int count, Datatype datatype, int source, int tag) throws MPIException {
        return recvInit("Recv_init", buf, offset, count, datatype, source, tag);
    }

    /** A persistent receive; {@link Intercomm} overrides it. */
    Prequest recvInit(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType(call, type);
        if (type.isPrimitiveBase()) {
            try {
                if (type.basic) {
                    Typed.check(call, "buf", buf, type);
                    return Prequest.over(Typed.recvInit(c, buf, offset, count, type.baseType, source, tag));
                }
                return Prequest.over(c.recvInit(buf, offset, count, type.nat(), source, tag));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
        }
        return new Prequest(() -> Prequest.Round.of(irecv(call, buf, offset, count, type, source, tag)));
    }

    // ------------------------------------------------------------------ pack

    /** The native communicator packing runs on (an {@link Intercomm} packs on COMM_SELF: packing is local). */
    io.jmpi.Comm packer() throws MPIException {
        return nat();
    }

    /** Bytes that packing {@code incount} elements of {@code datatype} needs ({@code MPI_Pack_size}). */
    public int Pack_size(int incount, Datatype datatype) throws MPIException {
        checkType("Pack_size", datatype);
        if (!datatype.isPrimitiveBase()) throw new MPIException("Pack_size: datatype " + datatype + " cannot be packed");
        io.jmpi.Comm c = packer();
        return MPI.call(() -> c.packSize(incount, datatype.nat()));
    }

    /**
     * Packs {@code incount} elements of {@code datatype} into {@code outbuf} from byte {@code position}; returns the
     * new position ({@code MPI_Pack}, in the mpiJava 1.2 form: MPJ Express's mpjbuf.Buffer form is not offered).
     */
    public int Pack(Object inbuf, int offset, int incount, Datatype datatype, byte[] outbuf, int position) throws MPIException {
        checkType("Pack", datatype);
        if (!datatype.isPrimitiveBase()) throw new MPIException("Pack: datatype " + datatype + " cannot be packed");
        io.jmpi.Comm c = packer();
        return MPI.call(() -> c.pack(inbuf, offset, incount, datatype.nat(), outbuf, position));
    }

    /** Unpacks {@code outcount} elements of {@code datatype} from byte {@code position}; returns the new position ({@code MPI_Unpack}). */
    public int Unpack(byte[] inbuf, int position, Object outbuf, int offset, int outcount, Datatype datatype) throws MPIException {
        checkType("Unpack", datatype);
        if (!datatype.isPrimitiveBase()) throw new MPIException("Unpack: datatype " + datatype + " cannot be unpacked");
        io.jmpi.Comm c = packer();
        return MPI.call(() -> c.unpack(inbuf, position, outbuf, offset, outcount, datatype.nat()));
    }

    // ------------------------------------------------------------------ helpers

    static void checkType(String call, Datatype type) throws MPIException {
        if (type == null) throw new MPIException(call + ": datatype is null");
        if (!type.isPrimitiveBase() && !type.isObject() && type.baseType != Datatype.PACKED) {
            throw new MPIException(call + ": datatype " + type + " cannot describe a buffer");
        }
    }

    /** The native type a send of {@code type} uses: MPI.PACKED data are bytes. */
    static io.jmpi.Datatype wire(Datatype type) {
        return type.baseType == Datatype.PACKED ? io.jmpi.Datatype.BYTE : type.nat();
    }

    @Override
    public String toString() {
        return which == WORLD ? "MPI.COMM_WORLD" : which == SELF ? "MPI.COMM_SELF" : fixed == null ? "MPI.COMM_NULL" : fixed.toString();
    }
}
