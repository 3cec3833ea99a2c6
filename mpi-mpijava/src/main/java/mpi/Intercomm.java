package mpi;

import io.jmpi.base.MpiException;

/**
 * An intercommunicator ({@code MPI_Intercomm_create}): two disjoint groups. {@link #Size()}, {@link #Rank()} and
 * {@link #Group()} describe the local group; every point-to-point call inherited from {@link Comm} (all send modes,
 * blocking, non-blocking and persistent, receives, {@code Sendrecv}, {@code Sendrecv_replace}, probes) addresses
 * the <em>remote</em> group: {@code dest} and {@code source} are ranks of {@link #Remote_group()}, and a status's
 * {@code source} is a remote rank (MPI 4.1 section 7.6). As in mpiJava 1.2 and MPJ Express 0.44, collectives are
 * methods of {@link Intracomm} only: {@link #Merge} first.
 *
 * <p>Over jmpi's native {@code io.jmpi.Intercomm}, which offers typed point-to-point: the predefined primitive
 * types go straight to it, MPI.OBJECT slices through its object tier, derived types over a primitive as a copy of
 * the elements they select (a message of base elements), MPI.PACKED data as bytes (a PACKED receive on an
 * intercommunicator takes only byte messages, i.e. packed or MPI.BYTE data).
 */
public class Intercomm extends Comm {
    final io.jmpi.Intercomm inter;

    Intercomm(io.jmpi.Intercomm inter) {
        super((io.jmpi.Comm) null);
        this.inter = inter;
        this.group = new Group(inter.group());
    }

    @Override
    io.jmpi.Comm nat() throws MPIException {
        throw new MPIException("this operation is not offered on an intercommunicator by the mpiJava adapter: Merge it first");
    }

    /** Ranks of the local group ({@code MPI_Comm_size}). */
    @Override
    public int Size() throws MPIException {
        return inter.size();
    }

    /** This rank in the local group ({@code MPI_Comm_rank}). */
    @Override
    public int Rank() throws MPIException {
        return inter.rank();
    }

    /** The local group ({@code MPI_Comm_group}). */
    @Override
    public Group Group() throws MPIException {
        return new Group(inter.group());
    }

    /** True ({@code MPI_Comm_test_inter}). */
    @Override
    public boolean Test_inter() throws MPIException {
        return true;
    }

    /** Ranks of the remote group ({@code MPI_Comm_remote_size}). */
    public int Remote_size() throws MPIException {
        return inter.remoteSize();
    }

    /** The remote group ({@code MPI_Comm_remote_group}). */
    public Group Remote_group() throws MPIException {
        return new Group(inter.remoteGroup());
    }

    /** One intracommunicator of both groups, the {@code high=false} group first ({@code MPI_Intercomm_merge}). */
    public Intracomm Merge(boolean high) throws MPIException {
        return new Intracomm(MPI.call(() -> inter.merge(high)));
    }

    /** Frees the intercommunicator ({@code MPI_Comm_free}). */
    @Override
    public void Free() throws MPIException {
        MPI.call(() -> {
            inter.free();
            return null;
        });
    }

    /**
     * A duplicate with the same groups on a new context ({@code MPI_Comm_dup}); collective over both groups. As in
     * MPJ Express, an {@code Intercomm}.
     */
    @Override
    public Object clone() throws MPIException {
        return new Intercomm(MPI.call(inter::dup));
    }

    /** A predefined attribute ({@code MPI_Attr_get}): MPI.TAG_UB, MPI.HOST or MPI.IO, as on an intracommunicator. */
    @Override
    public Object Attr_get(int keyval) throws MPIException {
        return predefinedAttr(keyval);
    }

    // ------------------------------------------------------------------ point-to-point with the remote group

    /** The primitive a non-OBJECT type travels as: MPI.PACKED data are bytes. */
    private static int base(Datatype type) {
        return type.baseType == Datatype.PACKED ? Datatype.BYTE : type.baseType;
    }

    /** Whether {@code buf} goes to the native call as it is (a predefined primitive type, or PACKED bytes). */
    private static boolean direct(String call, Object buf, Datatype type) throws MPIException {
        if (type.basic) {
            Typed.check(call, "buf", buf, type);
            return true;
        }
        if (type.baseType == Datatype.PACKED) {
            if (buf != null && !(buf instanceof byte[])) throw new MPIException(call + ": buf must be a byte[] for MPI.PACKED");
            return true;
        }
        return false;
    }

    @Override
    void send(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag) throws MPIException {
        checkType(call, type);
        try {
            if (type.isObject()) {
                Object[] slice = Objects.gather(call, "buf", buf, offset, count, type);
                switch (mode) {
                    case SYNC: inter.ssendObject(slice, dest, tag); break;
                    case BUFFERED: inter.bsendObject(slice, dest, tag); break;
                    case READY: inter.rsendObject(slice, dest, tag); break;
                    default: inter.sendObject(slice, dest, tag);
                }
            } else if (direct(call, buf, type)) {
                Typed.send(inter, mode, buf, offset, count, base(type), dest, tag);
            } else {
                Object copy = Runs.gather(call, "buf", buf, offset, count, type);
                Typed.send(inter, mode, copy, 0, count * type.size(), type.baseType, dest, tag);
            }
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    @Override
    io.jmpi.Request isend(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        checkType(call, type);
        try {
            if (type.isObject()) {
                Object[] slice = Objects.gather(call, "buf", buf, offset, count, type);
                switch (mode) {
                    case SYNC: return inter.issendObject(slice, dest, tag);
                    case BUFFERED: return inter.ibsendObject(slice, dest, tag);
                    case READY: return inter.irsendObject(slice, dest, tag);
                    default: return inter.isendObject(slice, dest, tag);
                }
            }
            if (direct(call, buf, type)) return Typed.isend(inter, mode, buf, offset, count, base(type), dest, tag);
            Object copy = Runs.gather(call, "buf", buf, offset, count, type);
            return Typed.isend(inter, mode, copy, 0, count * type.size(), type.baseType, dest, tag);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    @Override
    Status recvBasic(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        Typed.check(call, "buf", buf, type);
        try {
            return Status.of(Typed.recv(inter, buf, offset, count, type.baseType, source, tag, Status.scratch()));
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    @Override
    io.jmpi.Request irecvBasic(String call, Object buf, int offset, int count, Datatype type, int source, int tag)
            throws MPIException {
        Typed.check(call, "buf", buf, type);
        try {
            return Typed.irecv(inter, buf, offset, count, type.baseType, source, tag);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    @Override
    Request irecv(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        checkType(call, type);
        try {
            if (type.isObject()) {
                Objects.array(call, "buf", buf);
                return objectReceive(call, inter.irecvObject(source, tag), buf, offset, count, type);
            }
            if (direct(call, buf, type)) return new Request(Typed.irecv(inter, buf, offset, count, base(type), source, tag));
            Object landing = Runs.landing(call, "buf", buf, count, type);
            io.jmpi.Request r = Typed.irecv(inter, landing, 0, count * type.size(), type.baseType, source, tag);
            return new Request(r, s -> {
                Runs.scatter(call, "buf", landing, s.count(), buf, offset, type);
                return Status.of(s);
            });
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** Waits for a message from the remote group without receiving it ({@code MPI_Probe}). */
    @Override
    public Status Probe(int source, int tag) throws MPIException {
        try {
            return Status.of(inter.probe(source, tag));
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** A matching message's status, or null when none has arrived ({@code MPI_Iprobe}). */
    @Override
    public Status Iprobe(int source, int tag) throws MPIException {
        try {
            io.jmpi.Status s = inter.iprobe(source, tag);
            return s == null ? null : Status.of(s);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** Sends the buffer to a remote rank and receives into it from one ({@code MPI_Sendrecv_replace}). */
    @Override
    public Status Sendrecv_replace(Object buf, int offset, int count, Datatype datatype, int dest, int sendtag,
                                   int source, int recvtag) throws MPIException {
        String call = "Sendrecv_replace";
        checkType(call, datatype);
        if (datatype.isObject()) return objectSendrecvReplace(buf, offset, count, datatype, dest, sendtag, source, recvtag);
        try {
            if (direct(call, buf, datatype)) {
                return Status.of(Typed.sendrecvReplace(inter, buf, offset, count, base(datatype), dest, sendtag, source, recvtag));
            }
            Object copy = Runs.gather(call, "buf", buf, offset, count, datatype);
            Request r = irecv(call, buf, offset, count, datatype, source, recvtag);
            Typed.send(inter, Mode.STANDARD, copy, 0, count * datatype.size(), datatype.baseType, dest, sendtag);
            return r.Wait();
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    @Override
    Prequest sendInit(String call, Mode mode, Object buf, int offset, int count, Datatype type, int dest, int tag)
            throws MPIException {
        checkType(call, type);
        if (!type.isObject() && direct(call, buf, type)) {
            try {
                return Prequest.over(Typed.sendInit(inter, mode, buf, offset, count, base(type), dest, tag));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
        }
        if (type.isObject()) Objects.array(call, "buf", buf);
        else Runs.landing(call, "buf", buf, 0, type); // checks the array now; each start copies the elements of then
        return new Prequest(() -> new Prequest.Round(isend(call, mode, buf, offset, count, type, dest, tag), Status::of));
    }

    @Override
    Prequest recvInit(String call, Object buf, int offset, int count, Datatype type, int source, int tag) throws MPIException {
        checkType(call, type);
        if (!type.isObject() && direct(call, buf, type)) {
            try {
                return Prequest.over(Typed.recvInit(inter, buf, offset, count, base(type), source, tag));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
        }
        return new Prequest(() -> Prequest.Round.of(irecv(call, buf, offset, count, type, source, tag)));
    }

    /** Packing is local: on COMM_SELF. */
    @Override
    io.jmpi.Comm packer() throws MPIException {
        return MPI.mpi().self();
    }

    @Override
    public String toString() {
        return inter.toString();
    }
}
