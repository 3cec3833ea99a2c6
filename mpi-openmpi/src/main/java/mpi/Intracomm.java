package mpi;

import java.nio.Buffer;

/** An intra-communicator: communicator creation, topologies and prefix reductions. */
public class Intracomm extends Comm {
    Intracomm(int kind) {
        super(kind, null);
    }

    Intracomm(io.jmpi.Comm c) {
        super(FIXED, c);
    }

    /** {@code MPI_Comm_dup}. */
    @Override
    public Intracomm dup() throws MPIException {
        io.jmpi.Comm c = c("dup");
        return new Intracomm(Errors.run(c::dup));
    }

    /** {@code MPI_Comm_dup_with_info}. */
    @Override
    public Intracomm dupWithInfo(Info info) throws MPIException {
        io.jmpi.Comm c = c("dupWithInfo");
        return new Intracomm(Errors.run(() -> c.dup(info == null ? new io.jmpi.Info() : info.i)));
    }

    /** {@code MPI_Comm_idup}: usable once {@link #getRequest()} completed (a call on it before waits for that). */
    @Override
    public Intracomm iDup() throws MPIException {
        io.jmpi.Comm c = c("iDup");
        Intracomm d = new Intracomm((io.jmpi.Comm) null);
        d.pending(Errors.run(c::idup));
        return d;
    }

    @Override
    public Intracomm clone() {
        try {
            return dup();
        } catch (MPIException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    /** {@code MPI_Comm_split}: {@link MPI#UNDEFINED} as colour gives a null communicator ({@link #isNull()}), as in Open MPI. */
    public final Intracomm split(int colour, int key) throws MPIException {
        io.jmpi.Comm c = c("split");
        io.jmpi.Comm s = Errors.run(() -> c.split(colour == MPI.UNDEFINED ? io.jmpi.Comm.UNDEFINED : colour, key));
        return new Intracomm(s);
    }

    /** {@code MPI_Comm_create}: a null communicator ({@link #isNull()}) on processes outside {@code group}. */
    public final Intracomm create(Group group) throws MPIException {
        io.jmpi.Comm c = c("create");
        io.jmpi.Comm s = Errors.run(() -> c.create(group.g));
        return new Intracomm(s);
    }

    /** {@code MPI_Comm_create_group}. */
    public final Intracomm createGroup(Group group, int tag) throws MPIException {
        io.jmpi.Comm c = c("createGroup");
        io.jmpi.Comm s = Errors.run(() -> c.createGroup(group.g, tag));
        return new Intracomm(s);
    }

    /** {@code MPI_Cart_create}: a null communicator ({@link #isNull()}) on processes outside the grid. */
    public final CartComm createCart(int[] dims, boolean[] periods, boolean reorder) throws MPIException {
        io.jmpi.Comm c = c("createCart");
        io.jmpi.CartComm s = Errors.run(() -> c.cartCreate(dims, periods, reorder));
        return new CartComm(s);
    }

    /** {@code MPI_Graph_create}. */
    public final GraphComm createGraph(int[] index, int[] edges, boolean reorder) throws MPIException {
        io.jmpi.Comm c = c("createGraph");
        io.jmpi.GraphComm s = Errors.run(() -> c.graphCreate(index, edges, reorder));
        return new GraphComm(s);
    }

    /** {@code MPI_Dist_graph_create}. */
    public final GraphComm createDistGraph(int[] sources, int[] degrees, int[] destinations, int[] weights, Info info, boolean reorder) throws MPIException {
        io.jmpi.Comm c = c("createDistGraph");
        return new GraphComm(Errors.run(() -> c.distGraphCreate(sources, degrees, destinations, weights, reorder)));
    }

    /** {@code MPI_Dist_graph_create} with {@code MPI_UNWEIGHTED}. */
    public final GraphComm createDistGraph(int[] sources, int[] degrees, int[] destinations, Info info, boolean reorder) throws MPIException {
        return createDistGraph(sources, degrees, destinations, io.jmpi.DistGraphComm.UNWEIGHTED, info, reorder);
    }

    /** {@code MPI_Dist_graph_create_adjacent}. */
    public final GraphComm createDistGraphAdjacent(int[] sources, int[] sourceWeights, int[] destinations, int[] destWeights,
                                                   Info info, boolean reorder) throws MPIException {
        io.jmpi.Comm c = c("createDistGraphAdjacent");
        return new GraphComm(Errors.run(() -> c.distGraphCreateAdjacent(sources, sourceWeights, destinations, destWeights, reorder)));
    }

    /** {@code MPI_Dist_graph_create_adjacent} with {@code MPI_UNWEIGHTED}. */
    public final GraphComm createDistGraphAdjacent(int[] sources, int[] destinations, Info info, boolean reorder) throws MPIException {
        return createDistGraphAdjacent(sources, io.jmpi.DistGraphComm.UNWEIGHTED, destinations, io.jmpi.DistGraphComm.UNWEIGHTED, info, reorder);
    }

    /** {@code MPI_Scan}. */
    public final void scan(Object sendbuf, Object recvbuf, int count, Datatype type, Op op) throws MPIException {
        prefix("scan", "scan", sendbuf, recvbuf, count, type, op);
    }

    /** {@code MPI_Scan} with {@code MPI_IN_PLACE}. */
    public final void scan(Object recvbuf, int count, Datatype type, Op op) throws MPIException {
        prefix("scan", "scan", null, recvbuf, count, type, op);
    }

    /** {@code MPI_Exscan}: rank 0's {@code recvbuf} is left unchanged. */
    public final void exScan(Object sendbuf, Object recvbuf, int count, Datatype type, Op op) throws MPIException {
        prefix("exScan", "exscan", sendbuf, recvbuf, count, type, op);
    }

    /** {@code MPI_Exscan} with {@code MPI_IN_PLACE}. */
    public final void exScan(Object buf, int count, Datatype type, Op op) throws MPIException {
        prefix("exScan", "exscan", null, buf, count, type, op);
    }

    /** {@code MPI_Iscan}. */
    public final Request iScan(Buffer sendbuf, Buffer recvbuf, int count, Datatype type, Op op) throws MPIException {
        Bufs.direct("iScan", "sendbuf", sendbuf);
        Bufs.direct("iScan", "recvbuf", recvbuf);
        Bufs.Run s = Bufs.of("iScan", "sendbuf", sendbuf, count, type);
        Bufs.Run r = Bufs.of("iScan", "recvbuf", recvbuf, count, type);
        io.jmpi.Request q = (io.jmpi.Request) Native.call(n("iScan"), "iscan", s.array, s.offset, r.array, r.offset, s.count, op.forType("iScan", type));
        return new Request(q, r::back);
    }

    /** {@code MPI_Iexscan}. */
    public final Request iExScan(Buffer sendbuf, Buffer recvbuf, int count, Datatype type, Op op) throws MPIException {
        Bufs.direct("iExScan", "sendbuf", sendbuf);
        Bufs.direct("iExScan", "recvbuf", recvbuf);
        Bufs.Run s = Bufs.of("iExScan", "sendbuf", sendbuf, count, type);
        Bufs.Run r = Bufs.of("iExScan", "recvbuf", recvbuf, count, type);
        io.jmpi.Request q = (io.jmpi.Request) Native.call(n("iExScan"), "iexscan", s.array, s.offset, r.array, r.offset, s.count, op.forType("iExScan", type));
        return new Request(q, r::back);
    }

    /** {@code MPI_Iscan} with {@code MPI_IN_PLACE}. */
    public final Request iScan(Buffer buf, int count, Datatype type, Op op) throws MPIException {
        return prefixInPlace("iScan", "iscan", buf, count, type, op);
    }

    /** {@code MPI_Iexscan} with {@code MPI_IN_PLACE}. */
    public final Request iExScan(Buffer buf, int count, Datatype type, Op op) throws MPIException {
        return prefixInPlace("iExScan", "iexscan", buf, count, type, op);
    }

    private Request prefixInPlace(String call, String op, Buffer buf, int count, Datatype type, Op o) throws MPIException {
        Bufs.direct(call, "buf", buf);
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        io.jmpi.Request q = (io.jmpi.Request) Native.call(n(call), op, copyOf(r), 0, r.array, r.offset, r.count, o.forType(call, type));
        return new Request(q, r::back);
    }

    /**
     * {@code MPI_Comm_split_type}: {@link Comm#TYPE_SHARED} groups the ranks of one host, ordered by {@code key} (then
     * by rank here); {@link MPI#UNDEFINED} gives a null communicator.
     */
    public final Intracomm splitType(int splitType, int key, Info info) throws MPIException {
        io.jmpi.Comm c = c("splitType");
        if (splitType == MPI.UNDEFINED) return new Intracomm(Errors.run(() -> c.split(io.jmpi.Comm.UNDEFINED, key)));
        if (splitType != TYPE_SHARED) {
            throw Errors.arg("splitType: splitType=" + splitType + " is neither Comm.TYPE_SHARED (" + TYPE_SHARED + ") nor MPI.UNDEFINED");
        }
        io.jmpi.Comm host = Errors.run(c::splitByHost);
        try {
            return new Intracomm(Errors.run(() -> host.split(0, key)));
        } finally {
            Errors.run(() -> { host.free(); return null; });
        }
    }

    // ------------------------------------------------------------------ dynamic processes: not in jmpi

    private static MPIException noDynamic(String call) {
        return new MPIException(call + ": jmpi has no dynamic process management (spawn, ports, name service); start "
                + "every rank with jmpirun, mpirun or srun", MPI.ERR_UNSUPPORTED_OPERATION, null);
    }

    /** {@code MPI_Comm_spawn}: not available in jmpi (throws MPIException, ERR_UNSUPPORTED_OPERATION). */
    public final Intercomm spawn(String command, String[] argv, int maxprocs, Info info, int root, int[] errcodes) throws MPIException {
        throw noDynamic("spawn");
    }

    /** {@code MPI_Comm_spawn_multiple}: not available in jmpi. */
    public final Intercomm spawnMultiple(String[] commands, String[][] argv, int[] maxprocs, Info[] info, int root, int[] errcodes) throws MPIException {
        throw noDynamic("spawnMultiple");
    }

    /** {@code MPI_Comm_accept}: not available in jmpi. */
    public final Intercomm accept(String port, int root) throws MPIException {
        throw noDynamic("accept");
    }

    /** {@code MPI_Comm_accept}: not available in jmpi. */
    public final Intercomm accept(String port, Info info, int root) throws MPIException {
        throw noDynamic("accept");
    }

    /** {@code MPI_Comm_connect}: not available in jmpi. */
    public final Intercomm connect(String port, int root) throws MPIException {
        throw noDynamic("connect");
    }

    /** {@code MPI_Comm_connect}: not available in jmpi. */
    public final Intercomm connect(String port, Info info, int root) throws MPIException {
        throw noDynamic("connect");
    }

    /** {@code MPI_Open_port}: not available in jmpi. */
    public static String openPort() throws MPIException {
        throw noDynamic("openPort");
    }

    /** {@code MPI_Open_port}: not available in jmpi. */
    public static String openPort(Info info) throws MPIException {
        throw noDynamic("openPort");
    }

    /** {@code MPI_Close_port}: not available in jmpi. */
    public static void closePort(String name) throws MPIException {
        throw noDynamic("closePort");
    }

    /** {@code MPI_Publish_name}: not available in jmpi. */
    public static void publishName(String service, String port) throws MPIException {
        throw noDynamic("publishName");
    }

    /** {@code MPI_Publish_name}: not available in jmpi. */
    public static void publishName(String service, Info info, String port) throws MPIException {
        throw noDynamic("publishName");
    }

    /** {@code MPI_Unpublish_name}: not available in jmpi. */
    public static void unpublishName(String service, String port) throws MPIException {
        throw noDynamic("unpublishName");
    }

    /** {@code MPI_Unpublish_name}: not available in jmpi. */
    public static void unpublishName(String service, Info info, String port) throws MPIException {
        throw noDynamic("unpublishName");
    }

    /** {@code MPI_Lookup_name}: not available in jmpi. */
    public static String lookupName(String service) throws MPIException {
        throw noDynamic("lookupName");
    }

    /** {@code MPI_Lookup_name}: not available in jmpi. */
    public static String lookupName(String service, Info info) throws MPIException {
        throw noDynamic("lookupName");
    }

    private void prefix(String call, String op, Object sendbuf, Object recvbuf, int count, Datatype type, Op o) throws MPIException {
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, count, type);
        Object sa;
        int so;
        if (sendbuf == null) {
            sa = java.lang.reflect.Array.newInstance(r.array.getClass().getComponentType(), r.count);
            System.arraycopy(r.array, r.offset, sa, 0, r.count);
            so = 0;
        } else {
            Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, count, type);
            sa = s.array;
            so = s.offset;
        }
        Native.call(n(call), op, sa, so, r.array, r.offset, r.count, o.forType(call, type));
        r.back();
    }
}
