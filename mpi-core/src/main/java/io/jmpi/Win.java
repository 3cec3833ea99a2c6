package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.ByteBufferBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.buffer.Layout;
import io.jmpi.engine.Engine;
import io.jmpi.engine.Operation;
import io.jmpi.rma.Pending;
import io.jmpi.rma.RmaEndpoint;
import io.jmpi.rma.RmaMessage;
import io.jmpi.rma.SharedSegments;
import io.jmpi.rma.WinMemory;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static io.jmpi.wire.RmaDescriptor.*;

/**
 * A window of memory for one-sided communication ({@code MPI_Win}): every rank of a communicator exposes memory that
 * the others read and write with {@link #put}, {@link #get}, {@link #accumulate} and friends, inside access epochs
 * opened by {@link #fence}, {@link #start}/{@link #complete} (with {@link #post}/{@link #waitFor} at the target), or
 * {@link #lock}/{@link #unlock}/{@link #lockAll} (passive target: the target takes no part; its background progress
 * applies the operations while it computes). Semantics follow MPI 4.1 chapter 12; see docs/RMA.md.
 *
 * <p>Displacements are in the target's displacement unit (a primitive-array window's unit is its element size
 * unless given). Window ByteBuffers and the segments of {@link #sharedQuery} are little-endian. Collective calls:
 * the factories, {@link #fence} and {@link #free}.
 */
public final class Win implements AutoCloseable {
    /** {@code MPI_LOCK_EXCLUSIVE}. */
    public static final int LOCK_EXCLUSIVE = 234;
    /** {@code MPI_LOCK_SHARED}. */
    public static final int LOCK_SHARED = 235;
    /** Assertions ({@code MPI_MODE_*}): hints, except NOSUCCEED closes fence epochs and NOCHECK skips lock messages. */
    public static final int MODE_NOCHECK = 1024, MODE_NOSTORE = 2048, MODE_NOPUT = 4096, MODE_NOPRECEDE = 8192,
            MODE_NOSUCCEED = 16384;
    /** Window flavors ({@code MPI_WIN_FLAVOR_*}). */
    public static final int FLAVOR_CREATE = 1, FLAVOR_ALLOCATE = 2, FLAVOR_DYNAMIC = 3, FLAVOR_SHARED = 4;

    final Comm comm;
    final Engine engine;
    final RmaEndpoint endpoint;
    private final int flavor;
    private final long[] sizes;
    private final int[] dispUnits;
    private final Object base;
    private final ByteBuffer[] shared;
    private final Runnable cleanup;
    private volatile boolean freed;

    // ---- epochs (origin side), guarded by this
    private boolean fenceOpen;
    private int fenceRound;
    private boolean[] startTargets;
    private final int[] postsTaken;
    private int[] exposedTo;
    private final int[] completesTaken;
    private final int[] lockType;
    private final boolean[] lockNoCheck;
    private boolean lockAll;
    private final List<Operation> inFlight = new ArrayList<>();

    private Win(Comm comm, int flavor, WinMemory memory, long[] sizes, int[] dispUnits, Object base,
                ByteBuffer[] shared, Runnable cleanup) {
        this.comm = comm;
        this.engine = comm.engine;
        this.flavor = flavor;
        this.sizes = sizes;
        this.dispUnits = dispUnits;
        this.base = base;
        this.shared = shared;
        this.cleanup = cleanup;
        this.endpoint = new RmaEndpoint(engine, comm.context, memory, "window of " + comm.name);
        int n = comm.size();
        postsTaken = new int[n];
        completesTaken = new int[n];
        lockType = new int[n];
        lockNoCheck = new boolean[n];
        engine.setContextHandler(comm.context, endpoint);
        engine.ensureAgent(); // passive target: someone must poll while this rank computes
        comm.barrier();       // no origin sends before every handler is in place
    }

    // ------------------------------------------------------------------ creation

    /**
     * {@code MPI_Win_create} over a primitive array (the whole array; displacement unit {@code dispUnit} bytes, 0 for
     * the element size) or a ByteBuffer (its bytes [position, limit), heap or direct). Collective over {@code comm}.
     */
    public static Win create(Comm comm, Object base, int dispUnit) {
        String call = "Win.create";
        comm.checkUsable(call);
        Datatype t = WinOps.typeOf(comm, call, "base", base);
        WinMemory mem;
        int unit = dispUnit == 0 ? t.size() : dispUnit;
        checkDispUnit(comm, call, unit);
        if (base instanceof ByteBuffer b) {
            mem = WinMemory.of(new ByteBufferBuf(b.duplicate()), b.remaining(), DataType.BYTE, unit, base);
        } else {
            int n = Array.getLength(base);
            mem = WinMemory.of(new ArrayBuf(t.wire(), base, 0, n), (long) n * t.size(), t.wire(), unit, base);
        }
        return make(comm, FLAVOR_CREATE, mem, base, null, null);
    }

    /** {@code MPI_Win_create} with the element size as displacement unit. */
    public static Win create(Comm comm, Object base) {
        return create(comm, base, 0);
    }

    /** {@code MPI_Win_allocate}: a window over a new direct ByteBuffer of {@code bytes} ({@link #buffer()}). */
    public static Win allocate(Comm comm, long bytes, int dispUnit) {
        String call = "Win.allocate";
        comm.checkUsable(call);
        checkBytes(comm, call, bytes);
        checkDispUnit(comm, call, dispUnit);
        ByteBuffer b = ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        return make(comm, FLAVOR_ALLOCATE, WinMemory.of(new ByteBufferBuf(b.duplicate()), bytes, DataType.BYTE, dispUnit, b), b, null, null);
    }

    /** {@code MPI_Win_create_dynamic}: a window without memory; {@link #attach} exposes regions. */
    public static Win createDynamic(Comm comm) {
        comm.checkUsable("Win.createDynamic");
        return make(comm, FLAVOR_DYNAMIC, WinMemory.dynamic(), null, null, null);
    }

    /**
     * {@code MPI_Win_allocate_shared}: every rank allocates {@code bytes} that all ranks of {@code comm} (on one host)
     * load and store directly through {@link #sharedQuery}: a mapped file per rank in shmDir (Platform.shmDir; the temp dir
     * when absent) for ranks in processes, one direct buffer for thread ranks.
     */
    public static Win allocateShared(Comm comm, long bytes, int dispUnit) {
        String call = "Win.allocateShared";
        comm.checkUsable(call);
        checkBytes(comm, call, bytes);
        checkDispUnit(comm, call, dispUnit);
        Mpi mpi = comm.mpi;
        for (int r = 0; r < comm.size(); r++) {
            if (!mpi.hostId(comm.toWorld(r)).equals(mpi.hostId(comm.toWorld(0)))) {
                throw comm.raise(ErrorClass.ARG, call + ": rank " + r + " of " + comm.name + " is on another host than rank 0;"
                        + " a shared window needs ranks of one host (splitType SHARED first)");
            }
        }
        Comm wc = comm.dup();
        long[] all = new long[wc.size()];
        wc.allgather(new long[]{bytes}, all);
        ByteBuffer[] segs = new ByteBuffer[wc.size()];
        Runnable cleanup;
        Object job = mpi.threadJob();
        if (job != null) {
            if (wc.rank() == 0) {
                long total = 0;
                for (long s : all) total += s;
                if (total > Integer.MAX_VALUE) throw wc.raise(ErrorClass.ARG, call + ": " + total + " bytes in all exceed " + Integer.MAX_VALUE);
                SharedSegments.publish(job, wc.context, ByteBuffer.allocateDirect((int) total));
            }
            wc.barrier();
            ByteBuffer one = SharedSegments.lookup(job, wc.context);
            int at = 0;
            for (int r = 0; r < segs.length; r++) {
                segs[r] = one.slice(at, (int) all[r]).order(ByteOrder.LITTLE_ENDIAN);
                at += (int) all[r];
            }
            wc.barrier();
            if (wc.rank() == 0) SharedSegments.withdraw(job, wc.context);
            cleanup = () -> { };
        } else {
            Path dir = mpi.shmDir();
            Path mine = SharedSegments.file(dir, mpi.jobId(), wc.context, wc.toWorld(wc.rank()));
            segs[wc.rank()] = SharedSegments.create(mine, bytes);
            wc.barrier();
            for (int r = 0; r < segs.length; r++) {
                if (r != wc.rank()) segs[r] = SharedSegments.attach(SharedSegments.file(dir, mpi.jobId(), wc.context, wc.toWorld(r)), all[r]);
            }
            wc.barrier();
            SharedSegments.unlink(mine);
            cleanup = () -> { };
        }
        ByteBuffer own = segs[wc.rank()];
        WinMemory mem = WinMemory.of(new ByteBufferBuf(own.duplicate()), bytes, DataType.BYTE, dispUnit, own);
        return build(wc, FLAVOR_SHARED, mem, own, segs, cleanup, all);
    }

    private static Win make(Comm comm, int flavor, WinMemory mem, Object base, ByteBuffer[] shared, Runnable cleanup) {
        Comm wc = comm.dup();
        long[] all = new long[wc.size()];
        wc.allgather(new long[]{mem.bytes()}, all);
        return build(wc, flavor, mem, base, shared, cleanup, all);
    }

    private static Win build(Comm wc, int flavor, WinMemory mem, Object base, ByteBuffer[] shared, Runnable cleanup, long[] sizes) {
        int[] units = new int[wc.size()];
        wc.allgather(new int[]{mem.dispUnit()}, units);
        return new Win(wc, flavor, mem, sizes, units, base, shared, cleanup == null ? () -> { } : cleanup);
    }

    private static void checkBytes(Comm c, String call, long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE) throw c.raise(ErrorClass.ARG, call + ": size=" + bytes + " out of range [0, " + Integer.MAX_VALUE + "]");
    }

    private static void checkDispUnit(Comm c, String call, int unit) {
        if (unit <= 0) throw c.raise(ErrorClass.ARG, call + ": dispUnit=" + unit + " out of range [1, " + Integer.MAX_VALUE + "]");
    }

    // ------------------------------------------------------------------ queries

    /** This rank's window size in bytes ({@code MPI_WIN_SIZE}); 0 for a dynamic window. */
    public long size() { return sizes[comm.rank()]; }
    /** Size in bytes of rank {@code r}'s window. */
    public long size(int r) { return sizes[r]; }
    /** This rank's displacement unit ({@code MPI_WIN_DISP_UNIT}). */
    public int dispUnit() { return dispUnits[comm.rank()]; }
    /** Rank {@code r}'s displacement unit. */
    public int dispUnit(int r) { return dispUnits[r]; }
    /** The window's flavor ({@code MPI_WIN_CREATE_FLAVOR}). */
    public int flavor() { return flavor; }
    /** This rank's memory ({@code MPI_WIN_BASE}): the array or ByteBuffer; null for a dynamic window. */
    public Object base() { return base; }
    /** The group of the window's ranks ({@code MPI_Win_get_group}). */
    public Group group() { return comm.group(); }
    /** The number of ranks of the window. */
    public int commSize() { return comm.size(); }
    /** This rank's rank in the window's group. */
    public int rank() { return comm.rank(); }
    /** Requests this rank applied as a target (tests, diagnosis). */
    public long appliedAsTarget() { return endpoint.applied(); }
    /** Requests this rank refused as a target (bad displacement, type, op, forged headers). */
    public long refusedAsTarget() { return endpoint.refused(); }

    /** The memory of an allocated or shared window, little-endian, [0, size). */
    public ByteBuffer buffer() {
        if (!(base instanceof ByteBuffer b) || flavor == FLAVOR_CREATE) {
            throw comm.raise(ErrorClass.STATE, "Win.buffer: only allocate and allocateShared windows own a buffer");
        }
        return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code MPI_Win_shared_query}: rank {@code r}'s segment of a shared window, for direct loads and stores. */
    public ByteBuffer sharedQuery(int r) {
        if (shared == null) throw comm.raise(ErrorClass.STATE, "Win.sharedQuery: the window was not made by allocateShared");
        if (r < 0 || r >= shared.length) throw comm.raise(ErrorClass.ARG, "Win.sharedQuery: rank=" + r + " out of range [0, " + shared.length + ")");
        return shared[r].duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * {@code MPI_Win_attach}: exposes {@code region} (a primitive array or a ByteBuffer's [position, limit)) in this
     * dynamic window; returns its base address, which origins use as displacement (plus a byte offset).
     */
    public long attach(Object region) {
        String call = "Win.attach";
        if (flavor != FLAVOR_DYNAMIC) throw comm.raise(ErrorClass.STATE, call + ": the window is not dynamic");
        Datatype t = WinOps.typeOf(comm, call, "region", region);
        if (region instanceof ByteBuffer b) {
            return endpoint.memory().attach(new WinMemory.Region(new ByteBufferBuf(b.duplicate()), b.remaining(), DataType.BYTE, region));
        }
        int n = Array.getLength(region);
        return endpoint.memory().attach(new WinMemory.Region(new ArrayBuf(t.wire(), region, 0, n), (long) n * t.size(), t.wire(), region));
    }

    /** {@code MPI_Win_detach}. */
    public void detach(Object region) {
        if (!endpoint.memory().detach(region)) throw comm.raise(ErrorClass.ARG, "Win.detach: region is not attached to this window");
    }

    // ------------------------------------------------------------------ communication

    /** {@code MPI_Put} of {@code count} elements of {@code origin} (a primitive array or ByteBuffer) from {@code offset}. */
    public void put(Object origin, int offset, int count, int target, long disp) {
        Datatype t = WinOps.typeOf(comm, "Win.put", "origin", origin);
        put(origin, offset, count, t, target, disp, count, t);
    }

    /** {@code MPI_Put} with derived datatypes on both sides. */
    public void put(Object origin, int offset, int originCount, Datatype originType, int target, long disp, int targetCount, Datatype targetType) {
        rput("Win.put", origin, offset, originCount, originType, target, disp, targetCount, targetType);
    }

    /** {@code MPI_Rput}: completes when the origin buffer may be reused. */
    public Request rput(Object origin, int offset, int originCount, Datatype originType, int target, long disp, int targetCount, Datatype targetType) {
        return rput("Win.rput", origin, offset, originCount, originType, target, disp, targetCount, targetType);
    }

    private Request rput(String call, Object origin, int offset, int oc, Datatype ot, int target, long disp, int tc, Datatype tt) {
        WinOps.Args a = args(call, PUT, origin, offset, oc, ot, target, disp, tc, tt);
        return WinOps.start(this, a);
    }

    /** {@code MPI_Get} of {@code count} elements into {@code origin} from {@code offset}. */
    public void get(Object origin, int offset, int count, int target, long disp) {
        Datatype t = WinOps.typeOf(comm, "Win.get", "origin", origin);
        get(origin, offset, count, t, target, disp, count, t);
    }

    /** {@code MPI_Get} with derived datatypes; the data is there after the epoch's synchronisation (or flushLocal). */
    public void get(Object origin, int offset, int originCount, Datatype originType, int target, long disp, int targetCount, Datatype targetType) {
        WinOps.start(this, args("Win.get", GET, origin, offset, originCount, originType, target, disp, targetCount, targetType));
    }

    /** {@code MPI_Rget}: completes when the data is in {@code origin}. */
    public Request rget(Object origin, int offset, int originCount, Datatype originType, int target, long disp, int targetCount, Datatype targetType) {
        return WinOps.start(this, args("Win.rget", GET, origin, offset, originCount, originType, target, disp, targetCount, targetType));
    }

    /** {@code MPI_Accumulate} of {@code count} elements with a predefined {@code op} (or REPLACE). */
    public void accumulate(Object origin, int offset, int count, int target, long disp, Op op) {
        Datatype t = WinOps.typeOf(comm, "Win.accumulate", "origin", origin);
        accumulate(origin, offset, count, t, target, disp, count, t, op);
    }

    /** {@code MPI_Accumulate} with derived datatypes (of one primitive type). */
    public void accumulate(Object origin, int offset, int originCount, Datatype originType, int target, long disp, int targetCount, Datatype targetType, Op op) {
        WinOps.Args a = args("Win.accumulate", ACCUMULATE, origin, offset, originCount, originType, target, disp, targetCount, targetType);
        a.op = op;
        WinOps.start(this, a);
    }

    /** {@code MPI_Raccumulate}. */
    public Request raccumulate(Object origin, int offset, int originCount, Datatype originType, int target, long disp, int targetCount, Datatype targetType, Op op) {
        WinOps.Args a = args("Win.raccumulate", ACCUMULATE, origin, offset, originCount, originType, target, disp, targetCount, targetType);
        a.op = op;
        return WinOps.start(this, a);
    }

    /**
     * {@code MPI_Get_accumulate}: the target's old elements into {@code result}, then {@code target op= origin},
     * atomically per element; {@code origin} may be null with {@link Op#NO_OP} (an atomic read).
     */
    public void getAccumulate(Object origin, int offset, int count, Object result, int resultOffset, int target, long disp, Op op) {
        Datatype t = WinOps.typeOf(comm, "Win.getAccumulate", "result", result);
        rgetAccumulate("Win.getAccumulate", origin, offset, count, t, result, resultOffset, count, t, target, disp, count, t, op).await();
    }

    /** {@code MPI_Rget_accumulate} with derived datatypes; completes when the old elements are in {@code result}. */
    public Request rgetAccumulate(Object origin, int offset, int originCount, Datatype originType, Object result, int resultOffset,
                                  int resultCount, Datatype resultType, int target, long disp, int targetCount, Datatype targetType, Op op) {
        return rgetAccumulate("Win.rgetAccumulate", origin, offset, originCount, originType, result, resultOffset, resultCount,
                resultType, target, disp, targetCount, targetType, op);
    }

    private Request rgetAccumulate(String call, Object origin, int offset, int oc, Datatype ot, Object result, int ro, int rc,
                                   Datatype rt, int target, long disp, int tc, Datatype tt, Op op) {
        WinOps.Args a = args(call, GET_ACCUMULATE, origin, offset, oc, ot, target, disp, tc, tt);
        a.result = result;
        a.resultOffset = ro;
        a.resultCount = rc;
        a.resultType = rt;
        a.op = op;
        return WinOps.start(this, a);
    }

    /** {@code MPI_Fetch_and_op}: one element; the target's old value into {@code result[resultOffset]}. Waits for it. */
    public void fetchAndOp(Object origin, int offset, Object result, int resultOffset, int target, long disp, Op op) {
        Datatype t = WinOps.typeOf(comm, "Win.fetchAndOp", "result", result);
        rgetAccumulate("Win.fetchAndOp", origin, offset, 1, t, result, resultOffset, 1, t, target, disp, 1, t, op).await();
    }

    /**
     * {@code MPI_Compare_and_swap}: one element; if the target's equals {@code compare[compareOffset]} (bitwise) it
     * becomes {@code origin[offset]}; the old value goes to {@code result[resultOffset]}. Waits for it.
     */
    public void compareAndSwap(Object origin, int offset, Object compare, int compareOffset, Object result, int resultOffset,
                               int target, long disp) {
        String call = "Win.compareAndSwap";
        Datatype t = WinOps.typeOf(comm, call, "origin", origin);
        WinOps.Args a = args(call, COMPARE_AND_SWAP, origin, offset, 1, t, target, disp, 1, t);
        a.compare = compare;
        a.compareOffset = compareOffset;
        a.result = result;
        a.resultOffset = resultOffset;
        a.resultCount = 1;
        a.resultType = t;
        if (compare == null || WinOps.typeOf(comm, call, "compare", compare) != t) {
            throw comm.raise(ErrorClass.TYPE, call + ": compare must be an array of the origin's type " + t);
        }
        WinOps.start(this, a).await();
    }

    private static WinOps.Args args(String call, byte kind, Object origin, int offset, int oc, Datatype ot, int target, long disp, int tc, Datatype tt) {
        WinOps.Args a = new WinOps.Args();
        a.call = call;
        a.kind = kind;
        a.origin = origin;
        a.originOffset = offset;
        a.originCount = oc;
        a.originType = ot;
        a.target = target;
        a.disp = disp;
        a.targetCount = tc;
        a.targetType = tt;
        return a;
    }

    // ------------------------------------------------------------------ checks used by WinOps

    void checkNotFreed(String call) {
        if (freed) throw comm.raise(ErrorClass.STATE, call + ": the window has been freed");
    }

    /** An RMA call to {@code target} needs an access epoch to it (MPI_ERR_RMA_SYNC otherwise). */
    synchronized void checkEpoch(String call, int target) {
        if (fenceOpen || lockAll || lockType[target] != 0 || (startTargets != null && startTargets[target])) return;
        throw comm.raise(ErrorClass.STATE, call + ": no access epoch to target rank " + target + " is open (RMA call "
                + "outside an epoch): call fence, start with a group holding rank " + target + ", lock(" + target + ") or lockAll first");
    }

    /** The target bytes of {@code count} x {@code type} at {@code disp} must lie in the target's window. */
    void checkTargetRange(String call, int target, long disp, Layout l, int count, Datatype type) {
        if (disp < 0 && flavor != FLAVOR_DYNAMIC) {
            throw comm.raise(ErrorClass.ARG, call + ": targetDisp=" + disp + " out of range [0, " + sizes[target] / dispUnits[target]
                    + "] (displacements of rank " + target + "'s window, in units of " + dispUnits[target] + " bytes)");
        }
        if (flavor == FLAVOR_DYNAMIC || count == 0) return; // the target checks attached regions
        long unit = l.isStruct() ? 1 : l.wire().size;
        long at = disp * dispUnits[target];
        long lo = at + l.lowest(count) * unit, hi = at + l.highest(count) * unit;
        if (disp > Long.MAX_VALUE / dispUnits[target] || lo < 0 || hi > sizes[target]) {
            throw comm.raise(ErrorClass.ARG, call + ": targetDisp=" + disp + " + targetCount=" + count + " x " + type
                    + " covers bytes [" + lo + ", " + hi + ") of rank " + target + "'s window, outside its " + sizes[target]
                    + " bytes (displacements [0, " + sizes[target] / dispUnits[target] + "] in units of " + dispUnits[target] + " bytes)");
        }
    }

    synchronized void inFlight(Operation op) {
        inFlight.add(op);
    }

    /** Waits, driving progress, until {@code done}; a lost {@code world} peer (if >= 0) fails the wait. */
    void waitFor(String call, BooleanSupplier done, int world) {
        if (!done.getAsBoolean()) engine.awaitUntil(call, done, world);
    }

    /** Local completion of every send still queued in the engine; then a refusal nobody waited for is raised. */
    private void drainLocal(String call) {
        List<Operation> ops;
        synchronized (this) {
            ops = new ArrayList<>(inFlight);
            inFlight.clear();
        }
        try {
            for (Operation op : ops) op.await();
        } catch (MpiException e) {
            throw comm.raise(e);
        }
        waitFor(call, () -> !endpoint.waitingFor(-1), -1);
        MpiException e = endpoint.takeDeferred();
        if (e != null) throw comm.raise(new MpiException(e.errorClass(), call + ": an earlier operation was refused: " + e.getMessage(), e));
    }

    private void sendControl(String call, byte kind, int target, int flags, long id) {
        RmaMessage m = new RmaMessage().start(kind, null, 0, flags, 0, 0, id);
        try {
            Operation op = endpoint.send(call, m, comm.toWorld(target));
            if (op != null) inFlight(op);
        } catch (MpiException e) {
            throw comm.raise(e);
        }
    }

    /** Sends a request answered by ACK to {@code target} and returns what to wait for. */
    private Pending request(String call, byte kind, int target, int flags) {
        long id = endpoint.newRequest();
        Pending p = endpoint.expect(id, comm.toWorld(target), null, 0);
        sendControl(call, kind, target, flags, id);
        return p;
    }

    private void await(String call, Pending p) {
        waitFor(call, p::isDone, p.target());
        if (p.error() != null) throw comm.raise(new MpiException(p.error().errorClass(), call + ": " + p.error().getMessage(), p.error()));
    }

    private void checkRank(String call, String arg, int r) {
        if (r < 0 || r >= comm.size()) throw comm.raise(ErrorClass.ARG, call + ": " + arg + "=" + r + " out of range [0, " + comm.size() + ")");
    }

    private void usable(String call) {
        comm.checkUsable(call);
        checkNotFreed(call);
    }

    // ------------------------------------------------------------------ active target: fence

    /**
     * {@code MPI_Win_fence}: completes every operation of the epoch at origin and target (this rank's operations
     * are applied at their targets, and every rank's operations on this rank's window are applied here) and opens
     * the next epoch, unless {@link #MODE_NOSUCCEED}. Collective. How: a FENCE marker to every other rank travels
     * behind this rank's operations on each ordered channel; once the markers of all others arrived, everything sent
     * here is applied; a barrier (more than 2 ranks) then makes that true at every rank before any returns.
     */
    public void fence(int assertion) {
        String call = "Win.fence";
        usable(call);
        synchronized (this) {
            if (lockAll || anyLock() || startTargets != null || exposedTo != null) {
                throw comm.raise(ErrorClass.STATE, call + ": a lock, start or post epoch is open on this window (close it first)");
            }
        }
        int me = comm.rank();
        // FENCE markers travel behind this rank's operations on each ordered channel: a peer that saw ours has applied them
        for (int r = 0; r < comm.size(); r++) if (r != me) sendControl(call, FENCE, r, 0, 0);
        int round = ++fenceRound;
        for (int r = 0; r < comm.size(); r++) {
            if (r == me) continue;
            int w = comm.toWorld(r);
            waitFor(call, () -> endpoint.fences(w) >= round, w);
        }
        drainLocal(call);
        // every rank has now applied what was sent to it; after the barrier, so has every other rank: a get of the
        // next epoch sees the puts that a third rank made in this one
        if (comm.size() > 2) comm.barrier();
        synchronized (this) {
            fenceOpen = (assertion & MODE_NOSUCCEED) == 0;
        }
    }

    private boolean anyLock() {
        for (int t : lockType) if (t != 0) return true;
        return false;
    }

    // ------------------------------------------------------------------ active target: post/start/complete/wait

    private int[] ranksOf(String call, Group g) {
        if (g == null) throw comm.raise(ErrorClass.ARG, call + ": group is null");
        int[] world = g.worldRanks();
        int[] local = new int[world.length];
        for (int i = 0; i < world.length; i++) {
            local[i] = -1;
            for (int r = 0; r < comm.size(); r++) if (comm.toWorld(r) == world[i]) local[i] = r;
            if (local[i] < 0) throw comm.raise(ErrorClass.ARG, call + ": group rank " + i + " (world rank " + world[i] + ") is not in the window's group");
        }
        return local;
    }

    /** {@code MPI_Win_post}: exposes this rank's window to the origins in {@code group}. */
    public void post(Group group, int assertion) {
        String call = "Win.post";
        usable(call);
        int[] origins = ranksOf(call, group);
        synchronized (this) {
            if (exposedTo != null) throw comm.raise(ErrorClass.STATE, call + ": an exposure epoch is already open (call waitFor first)");
            exposedTo = origins;
        }
        for (int r : origins) sendControl(call, POST, r, 0, 0);
    }

    /** {@code MPI_Win_start}: opens an access epoch to the targets in {@code group} (waits for their post). */
    public void start(Group group, int assertion) {
        String call = "Win.start";
        usable(call);
        int[] targets = ranksOf(call, group);
        boolean[] set = new boolean[comm.size()];
        for (int r : targets) {
            int w = comm.toWorld(r);
            int want = postsTaken[r] + 1;
            waitFor(call, () -> endpoint.posts(w) >= want, w);
            postsTaken[r] = want;
            set[r] = true;
        }
        synchronized (this) {
            if (startTargets != null) throw comm.raise(ErrorClass.STATE, call + ": an access epoch is already open (call complete first)");
            startTargets = set;
        }
    }

    /** {@code MPI_Win_complete}: ends the start epoch; the targets' waitFor returns once they applied everything. */
    public void complete() {
        String call = "Win.complete";
        usable(call);
        boolean[] targets;
        synchronized (this) {
            targets = startTargets;
            if (targets == null) throw comm.raise(ErrorClass.STATE, call + ": no access epoch was started (call start first)");
            startTargets = null;
        }
        for (int r = 0; r < targets.length; r++) if (targets[r]) sendControl(call, COMPLETE, r, 0, 0);
        drainLocal(call);
    }

    /** {@code MPI_Win_wait}: ends the exposure epoch once every origin of the post group completed. */
    public void waitFor() {
        String call = "Win.waitFor";
        usable(call);
        int[] origins;
        synchronized (this) {
            origins = exposedTo;
            if (origins == null) throw comm.raise(ErrorClass.STATE, call + ": no exposure epoch was posted (call post first)");
        }
        for (int r : origins) {
            int w = comm.toWorld(r);
            int want = completesTaken[r] + 1;
            waitFor(call, () -> endpoint.completes(w) >= want, w);
        }
        finishExposure(origins);
    }

    /** {@code MPI_Win_test}: {@link #waitFor} if every origin completed, else false at once. */
    public boolean test() {
        String call = "Win.test";
        usable(call);
        int[] origins;
        synchronized (this) {
            origins = exposedTo;
            if (origins == null) throw comm.raise(ErrorClass.STATE, call + ": no exposure epoch was posted (call post first)");
        }
        engine.progress();
        for (int r : origins) if (endpoint.completes(comm.toWorld(r)) < completesTaken[r] + 1) return false;
        finishExposure(origins);
        return true;
    }

    private synchronized void finishExposure(int[] origins) {
        for (int r : origins) completesTaken[r]++;
        exposedTo = null;
    }

    // ------------------------------------------------------------------ passive target

    /** {@code MPI_Win_lock}: {@link #LOCK_SHARED} or {@link #LOCK_EXCLUSIVE} on {@code rank}'s window; waits for the grant. */
    public void lock(int lockType, int rank, int assertion) {
        String call = "Win.lock";
        usable(call);
        checkRank(call, "rank", rank);
        if (lockType != LOCK_SHARED && lockType != LOCK_EXCLUSIVE) {
            throw comm.raise(ErrorClass.ARG, call + ": lockType=" + lockType + " is neither LOCK_SHARED (" + LOCK_SHARED
                    + ") nor LOCK_EXCLUSIVE (" + LOCK_EXCLUSIVE + ")");
        }
        synchronized (this) {
            if (this.lockType[rank] != 0 || lockAll) throw comm.raise(ErrorClass.STATE, call + ": rank " + rank + " is already locked by this rank");
            this.lockType[rank] = lockType;
            lockNoCheck[rank] = (assertion & MODE_NOCHECK) != 0;
        }
        if (lockNoCheck[rank]) return;
        try {
            await(call, request(call, LOCK, rank, lockType == LOCK_EXCLUSIVE ? FLAG_EXCLUSIVE : 0));
        } catch (MpiException e) {
            synchronized (this) { this.lockType[rank] = 0; }
            throw e;
        }
    }

    /** {@code MPI_Win_unlock}: completes every operation to {@code rank} at the target, then releases the lock. */
    public void unlock(int rank) {
        String call = "Win.unlock";
        usable(call);
        checkRank(call, "rank", rank);
        boolean noCheck;
        synchronized (this) {
            if (lockType[rank] == 0) throw comm.raise(ErrorClass.STATE, call + ": rank " + rank + " is not locked by this rank (call lock first)");
            noCheck = lockNoCheck[rank];
        }
        try {
            await(call, request(call, noCheck ? FLUSH : UNLOCK, rank, 0));
        } finally {
            synchronized (this) { lockType[rank] = 0; }
        }
        drainLocal(call);
    }

    /** {@code MPI_Win_lock_all}: a shared lock on every rank's window. */
    public void lockAll(int assertion) {
        String call = "Win.lockAll";
        usable(call);
        synchronized (this) {
            if (lockAll || anyLock()) throw comm.raise(ErrorClass.STATE, call + ": a lock epoch is already open on this window");
            lockAll = true;
        }
        if ((assertion & MODE_NOCHECK) != 0) {
            synchronized (this) { java.util.Arrays.fill(lockNoCheck, true); }
            return;
        }
        Pending[] ps = new Pending[comm.size()];
        for (int r = 0; r < ps.length; r++) ps[r] = request(call, LOCK, r, 0);
        for (Pending p : ps) await(call, p);
    }

    /** {@code MPI_Win_unlock_all}. */
    public void unlockAll() {
        String call = "Win.unlockAll";
        usable(call);
        synchronized (this) {
            if (!lockAll) throw comm.raise(ErrorClass.STATE, call + ": no lockAll epoch is open (call lockAll first)");
        }
        boolean noCheck = lockNoCheck[0];
        Pending[] ps = new Pending[comm.size()];
        for (int r = 0; r < ps.length; r++) ps[r] = request(call, noCheck ? FLUSH : UNLOCK, r, 0);
        try {
            for (Pending p : ps) await(call, p);
        } finally {
            synchronized (this) {
                lockAll = false;
                java.util.Arrays.fill(lockNoCheck, false);
            }
        }
        drainLocal(call);
    }

    private synchronized void checkPassive(String call, int rank) {
        if (!lockAll && lockType[rank] == 0) {
            throw comm.raise(ErrorClass.STATE, call + ": rank " + rank + " is not locked by this rank (flush needs a lock or lockAll epoch)");
        }
    }

    /** {@code MPI_Win_flush}: every operation of this rank to {@code rank} is complete at the target. */
    public void flush(int rank) {
        String call = "Win.flush";
        usable(call);
        checkRank(call, "rank", rank);
        checkPassive(call, rank);
        await(call, request(call, FLUSH, rank, 0));
        drainLocal(call);
    }

    /** {@code MPI_Win_flush_all}. */
    public void flushAll() {
        String call = "Win.flushAll";
        usable(call);
        Pending[] ps = new Pending[comm.size()];
        for (int r = 0; r < ps.length; r++) {
            boolean locked;
            synchronized (this) { locked = lockAll || lockType[r] != 0; }
            if (locked) ps[r] = request(call, FLUSH, r, 0);
        }
        for (Pending p : ps) if (p != null) await(call, p);
        drainLocal(call);
    }

    /** {@code MPI_Win_flush_local}: the origin buffers of every operation to {@code rank} may be reused. */
    public void flushLocal(int rank) {
        String call = "Win.flushLocal";
        usable(call);
        checkRank(call, "rank", rank);
        checkPassive(call, rank);
        drainLocal(call);
    }

    /** {@code MPI_Win_flush_local_all}. */
    public void flushLocalAll() {
        String call = "Win.flushLocalAll";
        usable(call);
        drainLocal(call);
    }

    /** {@code MPI_Win_sync}: a full memory fence between this rank's loads/stores and the window's copies. */
    public void sync() {
        usable("Win.sync");
        VarHandle.fullFence();
    }

    // ------------------------------------------------------------------ free

    /** {@code MPI_Win_free}: collective; every epoch must be closed. */
    public void free() {
        String call = "Win.free";
        if (freed) return;
        comm.checkUsable(call);
        synchronized (this) {
            if (lockAll || anyLock() || startTargets != null || exposedTo != null) {
                throw comm.raise(ErrorClass.STATE, call + ": an epoch is still open on this window (unlock, complete or waitFor first)");
            }
        }
        drainLocal(call);
        comm.barrier(); // every rank closed its epochs: nothing targets this window any more
        freed = true;
        engine.setContextHandler(comm.context, null);
        cleanup.run();
        comm.free();
    }

    /** {@link #free()}. */
    @Override
    public void close() {
        free();
    }

    @Override
    public String toString() {
        return "Win(" + comm.name + ", rank " + comm.rank() + " of " + comm.size() + ", " + sizes[comm.rank()] + " bytes)";
    }
}
