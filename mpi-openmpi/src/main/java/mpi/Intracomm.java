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
