package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.coll.Progress;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A communicator ({@code MPI_Comm}): a group of ranks with its own message space. Point-to-point traffic and
 * collective traffic travel in separate contexts, so a collective never matches a user's receive, and every
 * communicator made by {@link #dup}, {@link #split}, {@link #create} or {@link #cartCreate} gets contexts that no
 * other communicator of its members uses. Every operation may be called from any thread (MPI_THREAD_MULTIPLE);
 * collectives on one communicator must be called in the same order by all its ranks.
 */
public class Comm extends NeighborCollectives implements AutoCloseable {
    /** A color that leaves the rank out of every new communicator of a {@link #split}; also "not a member". */
    public static final int UNDEFINED = -32766;

    /** The world communicator of a rank. */
    Comm(Mpi mpi, Engine engine, int context, int[] worldRanks, String name) {
        super(mpi, engine, context, worldRanks, name, new Progress(mpi.config(), localRanks(mpi)));
    }

    /** A communicator derived from {@code parent}, sharing its rank's collective progress. */
    Comm(Comm parent, int context, int[] worldRanks, String name) {
        super(parent.mpi, parent.engine, context, worldRanks, name, parent.progress);
    }

    private static int localRanks(Mpi mpi) {
        int n = 0;
        String mine = mpi.hostId(mpi.rank());
        for (int r = 0; r < mpi.size(); r++) if (mine.equals(mpi.hostId(r))) n++;
        return n;
    }

    /** The communicator's name, e.g. {@code WORLD} or {@code WORLD.split(1)}. */
    public String name() {
        return name;
    }

    /** World rank of rank {@code r} of this communicator. */
    public int worldRank(int r) {
        checkDest("worldRank", "rank", r);
        return toWorld(r);
    }

    /** The {@link Mpi} this communicator belongs to. */
    public Mpi mpi() {
        return mpi;
    }

    // ------------------------------------------------------------------ communicator management

    /** The ranks of this communicator as a group ({@code MPI_Comm_group}). */
    public Group group() {
        int[] w = new int[size];
        for (int i = 0; i < size; i++) w[i] = toWorld(i);
        return new Group(w, mpi.rank());
    }

    /** A communicator with the same ranks and a new message space ({@code MPI_Comm_dup}); collective. */
    public Comm dup() {
        Derived d = derive("dup", 0, rank);
        return new Comm(this, d.context, d.worldRanks, name + ".dup");
    }

    /**
     * Splits the ranks by {@code color} ({@code MPI_Comm_split}); collective. Ranks with the same color form a new
     * communicator, ordered by {@code key} and then by rank here; a rank passing {@link #UNDEFINED} (or any
     * negative color) takes part but gets null.
     */
    public Comm split(int color, int key) {
        Derived d = derive("split", color, key);
        return d == null ? null : new Comm(this, d.context, d.worldRanks, name + ".split(" + color + ")");
    }

    /**
     * Splits the ranks by host: one communicator per machine, ranks in their order here
     * ({@code MPI_Comm_split_type(MPI_COMM_TYPE_SHARED)}); collective.
     */
    public Comm splitByHost() {
        checkUsable("splitByHost");
        String mine = mpi.hostId(toWorld(rank));
        int color = rank;
        for (int i = 0; i < size; i++) {
            if (mine.equals(mpi.hostId(toWorld(i)))) {
                color = i;
                break;
            }
        }
        Derived d = derive("splitByHost", color, rank);
        return new Comm(this, d.context, d.worldRanks, name + ".host(" + color + ")");
    }

    /**
     * A communicator of the members of {@code group}, in its order ({@code MPI_Comm_create}); collective over this
     * communicator, every rank passing the same group, which must be a subset of it. Non-members get null.
     */
    public Comm create(Group group) {
        String call = "create";
        checkUsable(call);
        if (group == null) throw new MpiException(ErrorClass.ARG, call + ": group is null");
        int key = Comm.UNDEFINED;
        for (int i = 0; i < group.size(); i++) {
            int w = group.worldRank(i);
            if (w >= mpi.size() || rankMap.toLocal(w) < 0) {
                throw new MpiException(ErrorClass.ARG, call + ": group member " + i + " (world rank " + w
                        + ") is not in communicator " + name);
            }
            if (w == mpi.rank()) key = i;
        }
        Derived d = derive(call, key == Comm.UNDEFINED ? UNDEFINED : 0, key);
        return d == null ? null : new Comm(this, d.context, d.worldRanks, name + ".create");
    }

    /**
     * A communicator with a Cartesian topology ({@code MPI_Cart_create}); collective. Ranks {@code 0 ..
     * product(dims) - 1} become the grid in row-major order (the last dimension varies fastest); the others get null.
     * {@code reorder} is accepted and ignored: ranks keep their order.
     */
    public CartComm cartCreate(int[] dims, boolean[] periods, boolean reorder) {
        String call = "cartCreate";
        checkUsable(call);
        long n = CartComm.checkGrid(call, dims, periods);
        if (n > size) {
            throw new MpiException(ErrorClass.ARG, call + ": dims " + java.util.Arrays.toString(dims) + " need " + n
                    + " ranks, the communicator has " + size);
        }
        Derived d = derive(call, rank < n ? 0 : UNDEFINED, rank);
        return d == null ? null : new CartComm(this, d.context, d.worldRanks, name + ".cart", dims.clone(), periods.clone());
    }

    /**
     * The rank this rank would get in {@link #cartCreate} with these arguments ({@code MPI_Cart_map}): jmpi keeps
     * the identity order, so its own rank, or {@link #UNDEFINED} if it lies beyond the grid. Local.
     */
    public int cartMap(int[] dims, boolean[] periods) {
        return CartComm.map(this, dims, periods);
    }

    /**
     * A communicator with a graph topology ({@code MPI_Graph_create}); collective, every rank passing the same graph.
     * Node i's neighbours are {@code edges[index[i - 1] .. index[i])} ({@code index[-1] = 0}); {@code index} must be
     * non-decreasing, {@code index.length} (the number of nodes) at most the communicator size, and every edge a node.
     * Ranks {@code 0 .. index.length - 1} become the nodes, the others get null. {@code reorder} is accepted and
     * ignored: ranks keep their order (MPI allows this).
     */
    public GraphComm graphCreate(int[] index, int[] edges, boolean reorder) {
        return GraphComm.create(this, index, edges, reorder);
    }

    /**
     * The rank this rank would get in {@link #graphCreate} with this graph ({@code MPI_Graph_map}): its own, or
     * {@link #UNDEFINED} beyond the nodes. Local; checks the graph like {@code graphCreate}.
     */
    public int graphMap(int[] index, int[] edges) {
        return GraphComm.map(this, index, edges);
    }

    /**
     * A communicator with a distributed graph topology, each rank passing its own in-neighbours ({@code sources})
     * and out-neighbours ({@code destinations}) with their weights or {@link DistGraphComm#UNWEIGHTED} for both
     * ({@code MPI_Dist_graph_create_adjacent}); collective. The edges must be consistent: rank a lists b among its
     * destinations as often as b lists a among its sources. MPI's info argument has no counterpart; {@code reorder}
     * is accepted and ignored (ranks keep their order).
     */
    public DistGraphComm distGraphCreateAdjacent(int[] sources, int[] sourceWeights, int[] destinations, int[] destWeights,
                                                 boolean reorder) {
        return DistGraphComm.createAdjacent(this, sources, sourceWeights, destinations, destWeights, reorder);
    }

    /**
     * A communicator with a distributed graph topology from any edges each rank knows ({@code MPI_Dist_graph_create}):
     * {@code degrees[i]} edges from {@code sources[i]} to the next {@code degrees[i]} entries of {@code destinations},
     * weighted by the same entries of {@code weights} (or {@link DistGraphComm#UNWEIGHTED}); collective. The ranks
     * exchange the edges so that each learns its in- and out-neighbours, ordered by the rank that passed the edge and
     * then by its position there. {@code reorder} is accepted and ignored (ranks keep their order).
     */
    public DistGraphComm distGraphCreate(int[] sources, int[] degrees, int[] destinations, int[] weights, boolean reorder) {
        return DistGraphComm.create(this, sources, degrees, destinations, weights, reorder);
    }

    /**
     * Marks the communicator freed ({@code MPI_Comm_free}): later operations on it fail. Operations in flight
     * complete normally. WORLD cannot be freed.
     */
    public void free() {
        if (worldRanks == null) throw new MpiException(ErrorClass.ARG, "free: communicator WORLD cannot be freed");
        freed = true;
    }

    /** {@link #free()}s a derived communicator; does nothing for WORLD, which {@link Mpi#close()} ends. */
    @Override
    public void close() {
        if (worldRanks != null) free();
    }

    /** The context and members of a new communicator. */
    record Derived(int context, int[] worldRanks) {
    }

    /**
     * The common core of every communicator constructor: an allgather of (color, key, reserved context, next free
     * context). All ranks usually reserved the same context; if some did not (another thread created communicators
     * meanwhile), they agree on the largest next free context and reserve again, until all hold the same one.
     * Ranks of different colors share the context: they never talk to each other on it. Returns null for a
     * negative color.
     */
    final Derived derive(String call, int color, int key) {
        checkUsable(call);
        int reserved = mpi.reserveContexts(0);
        int[] mine = {color < 0 ? UNDEFINED : color, key, reserved, mpi.peekNextContext()};
        int[] all = new int[4 * size];
        finish(startAllgather(call, false, DataType.INT, mine, 0, 4, all, 0));
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE, next = 0;
        for (int i = 0; i < size; i++) {
            lo = Math.min(lo, all[4 * i + 2]);
            hi = Math.max(hi, all[4 * i + 2]);
            next = Math.max(next, all[4 * i + 3]);
        }
        while (lo != hi) {
            reserved = mpi.reserveContexts(next);
            int[] v = {reserved, -reserved, mpi.peekNextContext()};
            finish(startAllreduce(call, false, DataType.INT, v, 0, v, 0, 3, Op.MAX));
            hi = v[0];
            lo = -v[1];
            next = v[2];
        }
        if (mine[0] == UNDEFINED) return null;
        List<int[]> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (all[4 * i] == mine[0]) members.add(new int[]{all[4 * i + 1], i});
        }
        members.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]));
        int[] w = new int[members.size()];
        for (int i = 0; i < w.length; i++) w[i] = toWorld(members.get(i)[1]);
        return new Derived(reserved, w);
    }

    @Override
    public String toString() {
        return "Comm{" + name + ", rank " + rank + " of " + size + "}";
    }
}
