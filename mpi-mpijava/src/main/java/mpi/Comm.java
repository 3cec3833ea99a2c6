package mpi;

import io.jmpi.Comparison;
import io.jmpi.ObjectRequest;

/**
 * A communicator ({@code MPI_Comm}): point-to-point communication in every mode, probes, packing and communicator
 * management, over a native {@link io.jmpi.Comm}.
 *
 * <p>Buffers are {@code (Object buf, int offset, int count, Datatype type)}: an array of the type's base type
 * ({@code int[]} for MPI.INT, MPI.INT2 or a derived type over INT; {@code Object[]} for MPI.OBJECT; {@code byte[]} for
 * MPI.PACKED), the offset in array elements, the count in elements of the type. Primitive types go to the native
 * datatype calls, which move the type's runs straight between the array and the messages; OBJECT slices travel
 * through the native object tier as one serialized {@code Object[]}.
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

    private void send(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType(call, type);
        if (type.isObject()) {
            Object[] slice = Objects.gather(call, "buf", buf, offset, count, type);
            MPI.call(() -> {
                switch (mode) {
                    case SYNC: c.ssendObject(slice, dest, tag); break;
                    case BUFFERED: c.bsendObject(slice, dest, tag); break;
                    case READY: c.rsendObject(slice, dest, tag); break;
                    default: c.sendObject(slice, dest, tag);
                }
                return null;
            });
            return;
        }
        io.jmpi.Datatype t = wire(type);
        MPI.call(() -> {
            switch (mode) {
                case SYNC: c.ssend(buf, offset, count, t, dest, tag); break;
                case BUFFERED: c.bsend(buf, offset, count, t, dest, tag); break;
                case READY: c.rsend(buf, offset, count, t, dest, tag); break;
                default: c.send(buf, offset, count, t, dest, tag);
            }
            return null;
        });
    }

    private io.jmpi.Request isend(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        io.jmpi.Comm c = nat();
        checkType(call, type);
        if (type.isObject()) {
            Object[] slice = Objects.gather(call, "buf", buf, offset, count, type);
            return MPI.call(() -> {
                switch (mode) {
                    case SYNC: return c.issendObject(slice, dest, tag);
                    case BUFFERED: return c.ibsendObject(slice, dest, tag);
                    case READY: return c.irsendObject(slice, dest, tag);
                    default: return c.isendObject(slice, dest, tag);
                }
            });
        }
        io.jmpi.Datatype t = wire(type);
        return MPI.call(() -> {
            switch (mode) {
                case SYNC: return c.issend(buf, offset, count, t, dest, tag);
                case BUFFERED: return c.ibsend(buf, offset, count, t, dest, tag);
                case READY: return c.irsend(buf, offset, count, t, dest, tag);
                default: return c.isend(buf, offset, count, t, dest, tag);
            }
        });
    }

    /** Receives into {@code buf} ({@code MPI_Recv}); the status tells source, tag and size. */
    public Status Recv(Object buf, int offset, int count, Datatype datatype, int source, int tag) throws MPIException {
        return Irecv(buf, offset, count, datatype, source, tag).Wait();
    }

    /** Non-blocking receive ({@code MPI_Irecv}). */
    public Request Irecv(Object buf, int offset, int count, Datatype datatype, int source, int tag) throws MPIException {
        Prequest.Round r = irecv("Irecv", buf, offset, count, datatype, source, tag);
        return new Request(r.request, r.finisher);
    }

    private Prequest.Round irecv(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType(call, type);
        if (type.isObject()) {
            Objects.array(call, "buf", buf);
            ObjectRequest<Object[]> r = MPI.call(() -> c.irecvObject(source, tag));
            return new Prequest.Round(r, s -> {
                Object[] got = s.source() == MPI.PROC_NULL ? new Object[0] : MPI.call(r::object);
                return Status.ofObjects(s, Objects.scatter(call, "buf", got, buf, offset, count, type));
            });
        }
        if (type.baseType == Datatype.PACKED) {
            if (!(buf instanceof byte[])) throw new MPIException(call + ": buf must be a byte[] for MPI.PACKED");
            return new Prequest.Round(MPI.call(() -> c.irecvPacked((byte[]) buf, offset, count, source, tag)), Status::of);
        }
        io.jmpi.Datatype t = type.nat();
        return new Prequest.Round(MPI.call(() -> c.irecv(buf, offset, count, t, source, tag)), Status::of);
    }

    /** Waits for a matching message without receiving it ({@code MPI_Probe}). */
    public Status Probe(int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        return Status.of(MPI.call(() -> c.probe(source, tag)));
    }

    /** A matching message's status, or null when none has arrived ({@code MPI_Iprobe}). */
    public Status Iprobe(int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        io.jmpi.Status s = MPI.call(() -> c.iprobe(source, tag));
        return s == null ? null : Status.of(s);
    }

    /** Sends and receives at once ({@code MPI_Sendrecv}). */
    public Status Sendrecv(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype, int dest, int sendtag,
                           Object recvbuf, int recvoffset, int recvcount, Datatype recvtype, int source, int recvtag)
            throws MPIException {
        checkType("Sendrecv", sendtype);
        checkType("Sendrecv", recvtype);
        if (sendtype.isPrimitiveBase() && recvtype.isPrimitiveBase()) {
            io.jmpi.Comm c = nat();
            io.jmpi.Datatype st = sendtype.nat(), rt = recvtype.nat();
            return Status.of(MPI.call(() -> c.sendrecv(sendbuf, sendoffset, sendcount, st, dest, sendtag,
                    recvbuf, recvoffset, recvcount, rt, source, recvtag)));
        }
        Request r = Irecv(recvbuf, recvoffset, recvcount, recvtype, source, recvtag);
        Isend(sendbuf, sendoffset, sendcount, sendtype, dest, sendtag).Wait();
        return r.Wait();
    }

    /** Sends the buffer and receives into it ({@code MPI_Sendrecv_replace}). */
    public Status Sendrecv_replace(Object buf, int offset, int count, Datatype datatype, int dest, int sendtag,
                                   int source, int recvtag) throws MPIException {
        checkType("Sendrecv_replace", datatype);
        if (datatype.isPrimitiveBase()) {
            io.jmpi.Comm c = nat();
            io.jmpi.Datatype t = datatype.nat();
            return Status.of(MPI.call(() -> c.sendrecvReplace(buf, offset, count, t, dest, sendtag, source, recvtag)));
        }
        if (!datatype.isObject()) throw new MPIException("Sendrecv_replace: datatype " + datatype + " is not supported");
        Object[] out = Objects.gather("Sendrecv_replace", "buf", buf, offset, count, datatype);
        Request r = Irecv(buf, offset, count, datatype, source, recvtag);
        io.jmpi.Comm c = nat();
        MPI.call(() -> {
            c.sendObject(out, dest, sendtag);
            return null;
        });
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

    private Prequest sendInit(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        io.jmpi.Comm c = nat();
        checkType(call, type);
        if (type.isObject()) {
            // the objects are serialized at each start, so a round sends the buffer's contents of that moment
            Objects.array(call, "buf", buf);
            return new Prequest(() -> new Prequest.Round(isend(call, mode, buf, offset, count, type, dest, tag), Status::of));
        }
        io.jmpi.Datatype t = wire(type);
        io.jmpi.Prequest p = MPI.call(() -> {
            switch (mode) {
                case SYNC: return c.ssendInit(buf, offset, count, t, dest, tag);
                case BUFFERED: return c.bsendInit(buf, offset, count, t, dest, tag);
                case READY: return c.rsendInit(buf, offset, count, t, dest, tag);
                default: return c.sendInit(buf, offset, count, t, dest, tag);
            }
        });
        return new Prequest(() -> new Prequest.Round(MPI.call(p::start), Status::of));
    }

    /** A persistent receive ({@code MPI_Recv_init}). */
    public Prequest Recv_init(Object buf, int offset, int count, Datatype datatype, int source, int tag) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Recv_init", datatype);
        if (datatype.isPrimitiveBase()) {
            io.jmpi.Datatype t = datatype.nat();
            io.jmpi.Prequest p = MPI.call(() -> c.recvInit(buf, offset, count, t, source, tag));
            return new Prequest(() -> new Prequest.Round(MPI.call(p::start), Status::of));
        }
        return new Prequest(() -> irecv("Recv_init", buf, offset, count, datatype, source, tag));
    }

    // ------------------------------------------------------------------ pack

    /** Bytes that packing {@code incount} elements of {@code datatype} needs ({@code MPI_Pack_size}). */
    public int Pack_size(int incount, Datatype datatype) throws MPIException {
        checkType("Pack_size", datatype);
        if (!datatype.isPrimitiveBase()) throw new MPIException("Pack_size: datatype " + datatype + " cannot be packed");
        io.jmpi.Comm c = nat();
        return MPI.call(() -> c.packSize(incount, datatype.nat()));
    }

    /**
     * Packs {@code incount} elements of {@code datatype} into {@code outbuf} from byte {@code position}; returns the
     * new position ({@code MPI_Pack}, in the mpiJava 1.2 form: MPJ Express's mpjbuf.Buffer form is not offered).
     */
    public int Pack(Object inbuf, int offset, int incount, Datatype datatype, byte[] outbuf, int position) throws MPIException {
        checkType("Pack", datatype);
        if (!datatype.isPrimitiveBase()) throw new MPIException("Pack: datatype " + datatype + " cannot be packed");
        io.jmpi.Comm c = nat();
        return MPI.call(() -> c.pack(inbuf, offset, incount, datatype.nat(), outbuf, position));
    }

    /** Unpacks {@code outcount} elements of {@code datatype} from byte {@code position}; returns the new position ({@code MPI_Unpack}). */
    public int Unpack(byte[] inbuf, int position, Object outbuf, int offset, int outcount, Datatype datatype) throws MPIException {
        checkType("Unpack", datatype);
        if (!datatype.isPrimitiveBase()) throw new MPIException("Unpack: datatype " + datatype + " cannot be unpacked");
        io.jmpi.Comm c = nat();
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
