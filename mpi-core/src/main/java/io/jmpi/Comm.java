package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.coll.Progress;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** Longest name {@link #setName} accepts ({@code MPI_MAX_OBJECT_NAME}). */
    public static final int MAX_NAME = 128;

    final Attributes attributes = new Attributes();
    volatile Errhandler errhandler;
    private volatile String userName;
    private volatile Info info = new Info();
    private final AtomicInteger idups = new AtomicInteger();

    /** The world communicator of a rank. */
    Comm(Mpi mpi, Engine engine, int context, int[] worldRanks, String name) {
        super(mpi, engine, context, worldRanks, name, new Progress(mpi.config(), localRanks(mpi)));
        this.errhandler = "fatal".equals(mpi.config().get(io.jmpi.base.Config.ERRORS))
                ? Errhandler.ERRORS_ARE_FATAL : Errhandler.ERRORS_RETURN;
    }

    /** A communicator derived from {@code parent}, sharing its rank's collective progress. */
    Comm(Comm parent, int context, int[] worldRanks, String name) {
        super(parent.mpi, parent.engine, context, worldRanks, name, parent.progress);
        this.errhandler = parent.errhandler;
    }

    private static int localRanks(Mpi mpi) {
        int n = 0;
        String mine = mpi.hostId(mpi.rank());
        for (int r = 0; r < mpi.size(); r++) if (mine.equals(mpi.hostId(r))) n++;
        return n;
    }

    /**
     * The communicator's name ({@code MPI_Comm_get_name}): the one given to {@link #setName}, else the one jmpi
     * made, e.g. {@code WORLD} or {@code WORLD.split(1)}. Error messages keep using the latter.
     */
    public String name() {
        String n = userName;
        return n != null ? n : name;
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
        Comm c = new Comm(this, d.context, d.worldRanks, name + ".dup");
        c.info = info.dup();
        attributes.copyTo(this, c);
        return c;
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
        if (this == mpi.selfComm()) throw new MpiException(ErrorClass.ARG, "free: communicator SELF cannot be freed");
        if (freed) return;
        attributes.deleteAll(this);
        freed = true;
        collCache.clear();
        if (hier != null) hier.free();
    }

    /** {@link #free()}s a derived communicator; does nothing for WORLD and SELF, which {@link Mpi#close()} ends. */
    @Override
    public void close() {
        if (worldRanks != null && this != mpi.selfComm()) free();
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
        finish(startAllgather(call, false, false, DataType.INT, mine, 0, 4, all, 0)); // scratch: not cached
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE, next = 0;
        for (int i = 0; i < size; i++) {
            lo = Math.min(lo, all[4 * i + 2]);
            hi = Math.max(hi, all[4 * i + 2]);
            next = Math.max(next, all[4 * i + 3]);
        }
        while (lo != hi) {
            reserved = mpi.reserveContexts(next);
            int[] v = {reserved, -reserved, mpi.peekNextContext()};
            finish(startAllreduce(call, false, false, DataType.INT, v, 0, v, 0, 3, Op.MAX)); // scratch: not cached
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

    // ------------------------------------------------------------------ comparison, names, info, error handler

    /**
     * How this communicator relates to {@code other} ({@code MPI_Comm_compare}): {@link Comparison#IDENT} for the
     * same communicator, {@link Comparison#CONGRUENT} for another one with the same ranks in the same order (a dup),
     * {@link Comparison#SIMILAR} for the same ranks in another order, {@link Comparison#UNEQUAL} otherwise. Local.
     */
    public Comparison compare(Comm other) {
        String call = "compare";
        checkUsable(call);
        if (other == null) throw raise(new MpiException(ErrorClass.ARG, call + ": other is null"));
        if (other == this) return Comparison.IDENT;
        Comparison g = group().compare(other.group());
        return g == Comparison.IDENT ? Comparison.CONGRUENT : g;
    }

    /** Names the communicator ({@code MPI_Comm_set_name}); local, and names only this rank's handle. */
    public void setName(String name) {
        String call = "setName";
        checkUsable(call);
        if (name == null) throw raise(new MpiException(ErrorClass.ARG, call + ": name is null"));
        if (name.length() > MAX_NAME) {
            throw raise(new MpiException(ErrorClass.ARG, call + ": name length " + name.length() + " out of range [0, "
                    + MAX_NAME + "]"));
        }
        userName = name;
    }

    /** Replaces the communicator's hints with a copy of {@code info} ({@code MPI_Comm_set_info}). */
    public void setInfo(Info info) {
        checkUsable("setInfo");
        if (info == null) throw raise(new MpiException(ErrorClass.ARG, "setInfo: info is null"));
        this.info = info.dup();
    }

    /** A copy of the communicator's hints ({@code MPI_Comm_get_info}). */
    public Info info() {
        return info.dup();
    }

    /** Sets what a failing call on this communicator does ({@code MPI_Comm_set_errhandler}); see {@link Errhandler}. */
    public void setErrhandler(Errhandler handler) {
        if (handler == null) throw new MpiException(ErrorClass.ARG, "setErrhandler: handler is null");
        this.errhandler = handler;
    }

    /**
     * The communicator's error handler ({@code MPI_Comm_get_errhandler}): the parent's for a derived communicator;
     * for WORLD and SELF the setting {@code jmpi.errors} ({@link Errhandler#ERRORS_RETURN} unless it says fatal).
     */
    public Errhandler errhandler() {
        return errhandler;
    }

    @Override
    final Errhandler handler() {
        return errhandler;
    }

    // ------------------------------------------------------------------ attribute caching

    /**
     * A new attribute key ({@code MPI_Comm_create_keyval}); {@link Keyval#NULL_COPY}, {@link Keyval#DUP_COPY} and
     * {@link Keyval#NULL_DELETE} are the predefined callbacks. Local.
     */
    public static Keyval createKeyval(Keyval.CopyFunction copyFn, Keyval.DeleteFunction deleteFn) {
        if (copyFn == null) throw new MpiException(ErrorClass.ARG, "createKeyval: copyFn is null (Keyval.NULL_COPY copies nothing)");
        if (deleteFn == null) throw new MpiException(ErrorClass.ARG, "createKeyval: deleteFn is null (Keyval.NULL_DELETE does nothing)");
        return new Keyval(copyFn, deleteFn);
    }

    /** Caches {@code value} under {@code key} ({@code MPI_Comm_set_attr}); a value already there is deleted first. */
    public void setAttr(Keyval key, Object value) {
        String call = "setAttr";
        checkAttrCall(call, key);
        if (value == null) throw raise(new MpiException(ErrorClass.ARG, call + ": value is null (deleteAttr removes one)"));
        attributes.set(this, key, value);
    }

    /** The value cached under {@code key}, or null if none ({@code MPI_Comm_get_attr}). */
    public Object getAttr(Keyval key) {
        checkAttrCall("getAttr", key);
        return attributes.get(key);
    }

    /** Deletes the value cached under {@code key}, running its delete function ({@code MPI_Comm_delete_attr}). */
    public void deleteAttr(Keyval key) {
        String call = "deleteAttr";
        checkAttrCall(call, key);
        if (!attributes.delete(this, key)) {
            throw raise(new MpiException(ErrorClass.ARG, call + ": no value is cached under " + key + " on " + name));
        }
    }

    private void checkAttrCall(String call, Keyval key) {
        checkUsable(call);
        if (key == null) throw raise(new MpiException(ErrorClass.ARG, call + ": key is null"));
        try {
            key.checkUsable(call);
        } catch (MpiException e) {
            throw raise(e);
        }
    }

    // ------------------------------------------------------------------ more constructors

    /** {@link #dup()} whose result gets a copy of {@code info} as its hints ({@code MPI_Comm_dup_with_info}). */
    public Comm dup(Info info) {
        if (info == null) throw raise(new MpiException(ErrorClass.ARG, "dup: info is null"));
        Comm c = dup();
        c.info = info.dup();
        return c;
    }

    /** Non-blocking {@link #dup()} ({@code MPI_Comm_idup}); see {@link #idup(Info)}. */
    public CompletableFuture<Comm> idup() {
        return idup(info);
    }

    /**
     * Non-blocking {@link #dup(Info)} ({@code MPI_Comm_idup_with_info}): collective, and ordered with the other
     * collectives by the order of the calls, but the agreement on a context runs on its own thread, on messages that
     * no collective of this communicator matches, so the caller may go on with other collectives (including another
     * idup) meanwhile. Attributes are copied when the new communicator is made. A failure completes the future
     * exceptionally with the {@link MpiException}.
     */
    public CompletableFuture<Comm> idup(Info info) {
        String call = "idup";
        checkUsable(call);
        if (info == null) throw raise(new MpiException(ErrorClass.ARG, call + ": info is null"));
        Info hints = info.dup();
        int tag = ContextAgreement.idupTag(context, idups.getAndIncrement());
        int[] members = group().worldRanks();
        CompletableFuture<Comm> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                int ctx = ContextAgreement.agree(mpi, ContextAgreement.disseminate(call, engine, tag, members, rank));
                Comm c = new Comm(this, ctx, members, name + ".idup");
                c.info = hints;
                attributes.copyTo(this, c);
                f.complete(c);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "jmpi-idup-" + mpi.rank());
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** {@link #createGroup(Group, int, Info)} with no hints. */
    public Comm createGroup(Group group, int tag) {
        return createGroup(group, tag, new Info());
    }

    /**
     * A communicator of the members of {@code group}, in its order ({@code MPI_Comm_create_group}): collective over
     * the members only, who must all pass the same group (a subset of this communicator) and {@code tag}; the other
     * ranks need not call, and get null if they do, at once. Concurrent calls over overlapping groups need
     * different tags. The members agree on a context among themselves (see {@link ContextAgreement}).
     */
    public Comm createGroup(Group group, int tag, Info info) {
        String call = "createGroup";
        checkUsable(call);
        if (group == null) throw raise(new MpiException(ErrorClass.ARG, call + ": group is null"));
        if (info == null) throw raise(new MpiException(ErrorClass.ARG, call + ": info is null"));
        if (tag < 0) throw raise(new MpiException(ErrorClass.ARG, call + ": tag=" + tag + " out of range [0, " + Mpi.TAG_UB + "]"));
        int[] members = group.worldRanks();
        for (int i = 0; i < members.length; i++) {
            int w = members[i];
            if (w >= mpi.size() || rankMap.toLocal(w) < 0) {
                throw raise(new MpiException(ErrorClass.ARG, call + ": group member " + i + " (world rank " + w
                        + ") is not in communicator " + name));
            }
        }
        int me = group.rank();
        if (me == UNDEFINED) return null;
        int ctx = ContextAgreement.agree(mpi, ContextAgreement.disseminate(call, engine,
                ContextAgreement.createGroupTag(context, tag), members, me));
        Comm c = new Comm(this, ctx, members, name + ".createGroup(" + tag + ")");
        c.info = info.dup();
        return c;
    }

    /**
     * An intercommunicator between this communicator's group and another, disjoint one ({@code MPI_Intercomm_create});
     * collective over both groups. Every rank here passes the same {@code localLeader}; at the leader,
     * {@code peerComm} (a communicator containing both leaders) and {@code remoteLeader} (the other leader's rank in
     * it) must be valid, and the leaders talk on {@code peerComm} with {@code tag}; elsewhere they are ignored.
     */
    public Intercomm createIntercomm(int localLeader, Comm peerComm, int remoteLeader, int tag) {
        return Intercomm.create(this, localLeader, peerComm, remoteLeader, tag);
    }

    @Override
    public String toString() {
        return "Comm{" + name + ", rank " + rank + " of " + size + "}";
    }
}
