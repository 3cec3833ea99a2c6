package mpi;

import io.jmpi.base.MpiException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * An intracommunicator: {@link Comm} plus collectives and the making of new communicators and topologies. Buffers
 * are as in {@link Comm}; primitive types go to the native datatype collectives, MPI.OBJECT slices to the native
 * object-tier collectives (one serialized {@code Object[]} per rank).
 */
public class Intracomm extends Comm {
    Intracomm(io.jmpi.Comm nat) {
        super(nat);
    }

    Intracomm(int which) {
        super(which);
    }

    /** IDENT, CONGRUENT, SIMILAR or UNEQUAL ({@code MPI_Comm_compare}). */
    public static int Compare(Comm comm1, Comm comm2) throws MPIException {
        return Comm.Compare(comm1, comm2);
    }

    /** A duplicate ({@code MPI_Comm_dup}); collective. */
    @Override
    public Object clone() throws MPIException {
        io.jmpi.Comm c = nat();
        return new Intracomm(MPI.call(c::dup));
    }

    /** Ranks of equal {@code colour}, ordered by {@code key} ({@code MPI_Comm_split}); MPI.UNDEFINED gets null. */
    public Intracomm Split(int colour, int key) throws MPIException {
        io.jmpi.Comm c = nat();
        io.jmpi.Comm s = MPI.call(() -> c.split(colour, key));
        return s == null ? null : new Intracomm(s);
    }

    /** The ranks of {@code group} ({@code MPI_Comm_create}); collective; non-members get null. */
    public Intracomm Create(Group group) throws MPIException {
        if (group == null) throw new MPIException("Create: group is null");
        io.jmpi.Comm c = nat();
        if (group.nat == null) {
            MPI.call(() -> c.split(MPI.UNDEFINED, 0)); // still collective: every rank takes part
            return null;
        }
        io.jmpi.Comm s = MPI.call(() -> c.create(group.nat));
        return s == null ? null : new Intracomm(s);
    }

    /** A Cartesian grid ({@code MPI_Cart_create}); ranks beyond the grid get null. */
    public Cartcomm Create_cart(int[] dims, boolean[] periods, boolean reorder) throws MPIException {
        io.jmpi.Comm c = nat();
        io.jmpi.CartComm g = MPI.call(() -> c.cartCreate(dims, periods, reorder));
        return g == null ? null : new Cartcomm(g);
    }

    /** A graph topology ({@code MPI_Graph_create}); ranks beyond the graph get null. */
    public Graphcomm Create_graph(int[] index, int[] edges, boolean reorder) {
        io.jmpi.Comm c = nat();
        io.jmpi.GraphComm g = MPI.call(() -> c.graphCreate(index, edges, reorder));
        return g == null ? null : new Graphcomm(g);
    }

    // ------------------------------------------------------------------ collectives

    /** Waits until every rank has called it ({@code MPI_Barrier}). */
    public void Barrier() throws MPIException {
        io.jmpi.Comm c = nat();
        try {
            c.barrier();
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }

    /** Broadcasts from {@code root} ({@code MPI_Bcast}). */
    public void Bcast(Object buf, int offset, int count, Datatype type, int root) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Bcast", type);
        if (type.basic) {
            Typed.check("Bcast", "buf", buf, type);
            try {
                Typed.bcast(c, buf, offset, count, type.baseType, root);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        if (type.isObject()) {
            Object[] mine = c.rank() == root ? Objects.gather("Bcast", "buf", buf, offset, count, type) : null;
            Object[] got = MPI.call(() -> c.bcastObject(mine, root));
            if (c.rank() != root) Objects.scatter("Bcast", "buf", got, buf, offset, count, type);
            return;
        }
        run(() -> c.bcast(buf, offset, count, type.nat(), root));
    }

    /** Gathers every rank's block at {@code root}, rank i's at block i ({@code MPI_Gather}). */
    public void Gather(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype,
                       Object recvbuf, int recvoffset, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Gather", sendtype);
        if (sendtype.isObject()) {
            Object[] mine = Objects.gather("Gather", "sendbuf", sendbuf, sendoffset, sendcount, sendtype);
            List<Object[]> all = MPI.call(() -> c.gatherObject(mine, root));
            if (c.rank() == root) place("Gather", all, recvbuf, recvoffset, uniform(recvcount, c.size()), blocks(recvcount, c.size()), recvtype);
            return;
        }
        boolean isRoot = c.rank() == root;
        if (sendtype.basic && (!isRoot || (same(sendtype, recvtype) && recvcount == sendcount))) {
            Typed.check("Gather", "sendbuf", sendbuf, sendtype);
            if (isRoot) Typed.check("Gather", "recvbuf", recvbuf, recvtype);
            try {
                Typed.gather(c, sendbuf, sendoffset, isRoot ? recvbuf : null, recvoffset, sendcount, sendtype.baseType, root);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.gather(sendbuf, sendoffset, sendcount, sendtype.nat(), recvbuf, recvoffset, recvcount,
                isRoot ? recvtype.nat() : sendtype.nat(), root));
    }

    /** Gathers blocks of different sizes at {@code root}: rank i's at {@code displs[i]} extents ({@code MPI_Gatherv}). */
    public void Gatherv(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype,
                        Object recvbuf, int recvoffset, int[] recvcount, int[] displs, Datatype recvtype, int root)
            throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Gatherv", sendtype);
        if (sendtype.isObject()) {
            Object[] mine = Objects.gather("Gatherv", "sendbuf", sendbuf, sendoffset, sendcount, sendtype);
            List<Object[]> all = MPI.call(() -> c.gatherObject(mine, root));
            if (c.rank() == root) place("Gatherv", all, recvbuf, recvoffset, recvcount, displs, recvtype);
            return;
        }
        boolean isRoot = c.rank() == root;
        if (sendtype.basic && (!isRoot || same(sendtype, recvtype))) {
            Typed.check("Gatherv", "sendbuf", sendbuf, sendtype);
            if (isRoot) Typed.check("Gatherv", "recvbuf", recvbuf, recvtype);
            try {
                Typed.gatherv(c, sendbuf, sendoffset, sendcount, isRoot ? recvbuf : null, recvcount,
                        isRoot ? shifted("Gatherv", "displs", displs, recvoffset) : displs, sendtype.baseType, root);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.gatherv(sendbuf, sendoffset, sendcount, sendtype.nat(), recvbuf, recvoffset, recvcount, displs,
                isRoot ? recvtype.nat() : sendtype.nat(), root));
    }

    /** Sends block i of the root's buffer to rank i ({@code MPI_Scatter}). */
    public void Scatter(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype,
                        Object recvbuf, int recvoffset, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Scatter", recvtype);
        if (recvtype.isObject()) {
            List<Object[]> parts = c.rank() == root ? take("Scatter", sendbuf, sendoffset, uniform(sendcount, c.size()),
                    blocks(sendcount, c.size()), sendtype) : null;
            Object[] got = MPI.call(() -> c.scatterObject(parts, root));
            Objects.scatter("Scatter", "recvbuf", got, recvbuf, recvoffset, recvcount, recvtype);
            return;
        }
        boolean isRoot = c.rank() == root;
        if (recvtype.basic && (!isRoot || (same(sendtype, recvtype) && sendcount == recvcount))) {
            Typed.check("Scatter", "recvbuf", recvbuf, recvtype);
            if (isRoot) Typed.check("Scatter", "sendbuf", sendbuf, sendtype);
            try {
                Typed.scatter(c, isRoot ? sendbuf : null, sendoffset, recvbuf, recvoffset, recvcount, recvtype.baseType, root);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.scatter(sendbuf, sendoffset, sendcount, isRoot ? sendtype.nat() : recvtype.nat(), recvbuf, recvoffset,
                recvcount, recvtype.nat(), root));
    }

    /** Sends {@code sendcount[i]} elements at {@code displs[i]} extents of the root's buffer to rank i ({@code MPI_Scatterv}). */
    public void Scatterv(Object sendbuf, int sendoffset, int[] sendcount, int[] displs, Datatype sendtype,
                         Object recvbuf, int recvoffset, int recvcount, Datatype recvtype, int root) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Scatterv", recvtype);
        if (recvtype.isObject()) {
            List<Object[]> parts = c.rank() == root ? take("Scatterv", sendbuf, sendoffset, sendcount, displs, sendtype) : null;
            Object[] got = MPI.call(() -> c.scatterObject(parts, root));
            Objects.scatter("Scatterv", "recvbuf", got, recvbuf, recvoffset, recvcount, recvtype);
            return;
        }
        boolean isRoot = c.rank() == root;
        if (recvtype.basic && (!isRoot || same(sendtype, recvtype))) {
            Typed.check("Scatterv", "recvbuf", recvbuf, recvtype);
            if (isRoot) Typed.check("Scatterv", "sendbuf", sendbuf, sendtype);
            try {
                Typed.scatterv(c, isRoot ? sendbuf : null, sendcount, isRoot ? shifted("Scatterv", "displs", displs, sendoffset)
                        : displs, recvbuf, recvoffset, recvcount, recvtype.baseType, root);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.scatterv(sendbuf, sendoffset, sendcount, displs, isRoot ? sendtype.nat() : recvtype.nat(), recvbuf,
                recvoffset, recvcount, recvtype.nat(), root));
    }

    /** Every rank's block at every rank ({@code MPI_Allgather}). */
    public void Allgather(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype,
                          Object recvbuf, int recvoffset, int recvcount, Datatype recvtype) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Allgather", sendtype);
        if (sendtype.isObject()) {
            Object[] mine = Objects.gather("Allgather", "sendbuf", sendbuf, sendoffset, sendcount, sendtype);
            List<Object[]> all = MPI.call(() -> c.allgatherObject(mine));
            place("Allgather", all, recvbuf, recvoffset, uniform(recvcount, c.size()), blocks(recvcount, c.size()), recvtype);
            return;
        }
        if (same(sendtype, recvtype) && sendcount == recvcount) {
            Typed.check("Allgather", "sendbuf", sendbuf, sendtype);
            Typed.check("Allgather", "recvbuf", recvbuf, recvtype);
            try {
                Typed.allgather(c, sendbuf, sendoffset, recvbuf, recvoffset, sendcount, sendtype.baseType);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.allgather(sendbuf, sendoffset, sendcount, sendtype.nat(), recvbuf, recvoffset, recvcount, recvtype.nat()));
    }

    /** Blocks of different sizes at every rank ({@code MPI_Allgatherv}). */
    public void Allgatherv(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype,
                           Object recvbuf, int recvoffset, int[] recvcount, int[] displs, Datatype recvtype) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Allgatherv", sendtype);
        if (sendtype.isObject()) {
            Object[] mine = Objects.gather("Allgatherv", "sendbuf", sendbuf, sendoffset, sendcount, sendtype);
            List<Object[]> all = MPI.call(() -> c.allgatherObject(mine));
            place("Allgatherv", all, recvbuf, recvoffset, recvcount, displs, recvtype);
            return;
        }
        if (same(sendtype, recvtype)) {
            Typed.check("Allgatherv", "sendbuf", sendbuf, sendtype);
            Typed.check("Allgatherv", "recvbuf", recvbuf, recvtype);
            try {
                Typed.allgatherv(c, sendbuf, sendoffset, sendcount, recvbuf, recvcount,
                        shifted("Allgatherv", "displs", displs, recvoffset), sendtype.baseType);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.allgatherv(sendbuf, sendoffset, sendcount, sendtype.nat(), recvbuf, recvoffset, recvcount, displs, recvtype.nat()));
    }

    /** Block j of every rank's buffer to rank j ({@code MPI_Alltoall}). */
    public void Alltoall(Object sendbuf, int sendoffset, int sendcount, Datatype sendtype,
                         Object recvbuf, int recvoffset, int recvcount, Datatype recvtype) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Alltoall", sendtype);
        if (sendtype.isObject()) {
            List<Object[]> parts = take("Alltoall", sendbuf, sendoffset, uniform(sendcount, c.size()), blocks(sendcount, c.size()), sendtype);
            List<Object[]> got = MPI.call(() -> c.alltoallObject(parts));
            place("Alltoall", got, recvbuf, recvoffset, uniform(recvcount, c.size()), blocks(recvcount, c.size()), recvtype);
            return;
        }
        if (same(sendtype, recvtype) && sendcount == recvcount) {
            Typed.check("Alltoall", "sendbuf", sendbuf, sendtype);
            Typed.check("Alltoall", "recvbuf", recvbuf, recvtype);
            try {
                Typed.alltoall(c, sendbuf, sendoffset, recvbuf, recvoffset, sendcount, sendtype.baseType);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.alltoall(sendbuf, sendoffset, sendcount, sendtype.nat(), recvbuf, recvoffset, recvcount, recvtype.nat()));
    }

    /** Blocks of different sizes from every rank to every rank ({@code MPI_Alltoallv}). */
    public void Alltoallv(Object sendbuf, int sendoffset, int[] sendcount, int[] sdispls, Datatype sendtype,
                          Object recvbuf, int recvoffset, int[] recvcount, int[] rdispls, Datatype recvtype) throws MPIException {
        io.jmpi.Comm c = nat();
        checkType("Alltoallv", sendtype);
        if (sendtype.isObject()) {
            List<Object[]> parts = take("Alltoallv", sendbuf, sendoffset, sendcount, sdispls, sendtype);
            List<Object[]> got = MPI.call(() -> c.alltoallObject(parts));
            place("Alltoallv", got, recvbuf, recvoffset, recvcount, rdispls, recvtype);
            return;
        }
        if (same(sendtype, recvtype)) {
            Typed.check("Alltoallv", "sendbuf", sendbuf, sendtype);
            Typed.check("Alltoallv", "recvbuf", recvbuf, recvtype);
            try {
                Typed.alltoallv(c, sendbuf, sendcount, shifted("Alltoallv", "sdispls", sdispls, sendoffset), recvbuf,
                        recvcount, shifted("Alltoallv", "rdispls", rdispls, recvoffset), sendtype.baseType);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.alltoallv(sendbuf, sendoffset, sendcount, sdispls, sendtype.nat(), recvbuf, recvoffset, recvcount,
                rdispls, recvtype.nat()));
    }

    /** Combines every rank's vector with {@code op} at {@code root} ({@code MPI_Reduce}). */
    public void Reduce(Object sendbuf, int sendoffset, Object recvbuf, int recvoffset, int count, Datatype datatype, Op op,
                       int root) throws MPIException {
        io.jmpi.Comm c = nat();
        checkOp("Reduce", datatype, op);
        if (datatype.basic) {
            Typed.check("Reduce", "sendbuf", sendbuf, datatype);
            Typed.check("Reduce", "recvbuf", recvbuf, datatype);
            try {
                Typed.reduce(c, sendbuf, sendoffset, recvbuf, recvoffset, count, datatype.baseType, op.nat(datatype), root);
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        if (datatype.isObject()) {
            Object[] mine = Objects.gather("Reduce", "sendbuf", sendbuf, sendoffset, count, datatype);
            Object[] r = MPI.call(() -> c.reduceObject(mine, combiner(op, count, datatype), root));
            if (c.rank() == root) Objects.scatter("Reduce", "recvbuf", r, recvbuf, recvoffset, count, datatype);
            return;
        }
        run(() -> c.reduce(sendbuf, sendoffset, recvbuf, recvoffset, count, datatype.nat(), op.nat(datatype), root));
    }

    /** {@link #Reduce} with the result at every rank ({@code MPI_Allreduce}). */
    public void Allreduce(Object sendbuf, int sendoffset, Object recvbuf, int recvoffset, int count, Datatype datatype, Op op)
            throws MPIException {
        io.jmpi.Comm c = nat();
        checkOp("Allreduce", datatype, op);
        if (datatype.basic) {
            Typed.check("Allreduce", "sendbuf", sendbuf, datatype);
            Typed.check("Allreduce", "recvbuf", recvbuf, datatype);
            try {
                Typed.allreduce(c, sendbuf, sendoffset, recvbuf, recvoffset, count, datatype.baseType, op.nat(datatype));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        if (datatype.isObject()) {
            Object[] mine = Objects.gather("Allreduce", "sendbuf", sendbuf, sendoffset, count, datatype);
            Object[] r = MPI.call(() -> c.allreduceObject(mine, combiner(op, count, datatype)));
            Objects.scatter("Allreduce", "recvbuf", r, recvbuf, recvoffset, count, datatype);
            return;
        }
        run(() -> c.allreduce(sendbuf, sendoffset, recvbuf, recvoffset, count, datatype.nat(), op.nat(datatype)));
    }

    /** Combines the vectors and scatters the result: rank i keeps {@code recvcounts[i]} elements ({@code MPI_Reduce_scatter}). */
    public void Reduce_scatter(Object sendbuf, int sendoffset, Object recvbuf, int recvoffset, int[] recvcounts,
                               Datatype datatype, Op op) throws MPIException {
        io.jmpi.Comm c = nat();
        checkOp("Reduce_scatter", datatype, op);
        if (recvcounts == null || recvcounts.length < c.size()) throw new MPIException("Reduce_scatter: recvcounts needs " + c.size() + " entries");
        if (datatype.isObject()) {
            int total = 0, before = 0;
            for (int i = 0; i < c.size(); i++) {
                if (i == c.rank()) before = total;
                total += recvcounts[i];
            }
            int n = total, at = before;
            Object[] mine = Objects.gather("Reduce_scatter", "sendbuf", sendbuf, sendoffset, n, datatype);
            Object[] r = MPI.call(() -> c.allreduceObject(mine, combiner(op, n, datatype)));
            int per = datatype.size();
            Object[] part = java.util.Arrays.copyOfRange(r, at * per, (at + recvcounts[c.rank()]) * per);
            Objects.scatter("Reduce_scatter", "recvbuf", part, recvbuf, recvoffset, recvcounts[c.rank()], datatype);
            return;
        }
        if (datatype.basic) {
            Typed.check("Reduce_scatter", "sendbuf", sendbuf, datatype);
            Typed.check("Reduce_scatter", "recvbuf", recvbuf, datatype);
            try {
                Typed.reduceScatter(c, sendbuf, sendoffset, recvbuf, recvoffset, recvcounts, datatype.baseType, op.nat(datatype));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.reduceScatter(sendbuf, sendoffset, recvbuf, recvoffset, recvcounts, datatype.nat(), op.nat(datatype)));
    }

    /** Inclusive prefix reduction: rank i gets ranks 0..i combined ({@code MPI_Scan}). */
    public void Scan(Object sendbuf, int sendoffset, Object recvbuf, int recvoffset, int count, Datatype datatype, Op op)
            throws MPIException {
        io.jmpi.Comm c = nat();
        checkOp("Scan", datatype, op);
        if (datatype.isObject()) {
            // no object-tier scan: gather every rank's vector and fold the prefix locally (O(size) data per rank)
            Object[] mine = Objects.gather("Scan", "sendbuf", sendbuf, sendoffset, count, datatype);
            List<Object[]> all = MPI.call(() -> c.allgatherObject(mine));
            BinaryOperator<Object[]> f = combiner(op, count, datatype);
            Object[] acc = all.get(0);
            for (int i = 1; i <= c.rank(); i++) acc = f.apply(acc, all.get(i));
            Objects.scatter("Scan", "recvbuf", acc, recvbuf, recvoffset, count, datatype);
            return;
        }
        if (datatype.basic) {
            Typed.check("Scan", "sendbuf", sendbuf, datatype);
            Typed.check("Scan", "recvbuf", recvbuf, datatype);
            try {
                Typed.scan(c, sendbuf, sendoffset, recvbuf, recvoffset, count, datatype.baseType, op.nat(datatype));
            } catch (MpiException e) {
                throw MPIException.of(e);
            }
            return;
        }
        run(() -> c.scan(sendbuf, sendoffset, recvbuf, recvoffset, count, datatype.nat(), op.nat(datatype)));
    }

    // ------------------------------------------------------------------ helpers

    /** A native call without a result. */
    interface Action {
        void run();
    }

    static void run(Action a) throws MPIException {
        MPI.call(() -> {
            a.run();
            return null;
        });
    }

    private static void checkOp(String call, Datatype type, Op op) throws MPIException {
        checkType(call, type);
        if (op == null) throw new MPIException(call + ": op is null");
        if (type.isObject() && op.function == null) {
            throw new MPIException(call + ": predefined op does not apply to MPI.OBJECT: use an Op with a User_function");
        }
    }

    /** A user function as a combiner of two object vectors: {@code hi = lo op hi}, on a copy. */
    private static BinaryOperator<Object[]> combiner(Op op, int count, Datatype type) {
        return (lo, hi) -> {
            Object[] out = hi.clone();
            try {
                op.function.Call(lo, 0, out, 0, count, type);
            } catch (MPIException e) {
                throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.OTHER, "User_function.Call: " + e.getMessage(), e);
            }
            return out;
        };
    }

    /** Whether both are the same predefined primitive type: the call can go to jmpi's typed collectives ({@link Typed}). */
    private static boolean same(Datatype a, Datatype b) {
        return a != null && b != null && a.basic && b.basic && a.baseType == b.baseType;
    }

    /**
     * Displacements (in elements of a predefined type, whose extent is 1) counted from the array's start, as jmpi's
     * typed v-collectives take them: {@code displs} itself when {@code offset} is 0 (nothing allocated), else a
     * shifted copy.
     */
    private static int[] shifted(String call, String arg, int[] displs, int offset) throws MPIException {
        if (offset == 0 || displs == null) return displs;
        if (offset < 0) throw new MPIException(call + ": offset=" + offset + " is negative (displacements " + arg + ")");
        int[] d = new int[displs.length];
        for (int i = 0; i < d.length; i++) d[i] = displs[i] + offset;
        return d;
    }

    private static int[] uniform(int count, int size) {
        int[] c = new int[size];
        java.util.Arrays.fill(c, count);
        return c;
    }

    private static int[] blocks(int count, int size) {
        int[] d = new int[size];
        for (int i = 0; i < size; i++) d[i] = i * count;
        return d;
    }

    /** Places rank i's objects at {@code displs[i]} extents after {@code offset}. */
    private static void place(String call, List<Object[]> all, Object buf, int offset, int[] counts, int[] displs, Datatype type)
            throws MPIException {
        checkType(call, type);
        if (counts == null || displs == null || counts.length < all.size() || displs.length < all.size()) {
            throw new MPIException(call + ": counts and displacements need " + all.size() + " entries");
        }
        for (int i = 0; i < all.size(); i++) {
            Objects.scatter(call, "recvbuf", all.get(i), buf, (int) (offset + displs[i] * type.extent()), counts[i], type);
        }
    }

    /** Rank i's objects: {@code counts[i]} elements at {@code displs[i]} extents after {@code offset}. */
    private List<Object[]> take(String call, Object buf, int offset, int[] counts, int[] displs, Datatype type) throws MPIException {
        checkType(call, type);
        int n = Size();
        if (counts == null || displs == null || counts.length < n || displs.length < n) {
            throw new MPIException(call + ": counts and displacements need " + n + " entries");
        }
        List<Object[]> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parts.add(Objects.gather(call, "sendbuf", buf, (int) (offset + displs[i] * type.extent()), counts[i], type));
        }
        return parts;
    }
}
