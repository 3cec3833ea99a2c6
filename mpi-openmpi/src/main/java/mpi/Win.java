package mpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-sided communication window ({@code MPI_Win}) over jmpi's native RMA, {@link io.jmpi.Win} (docs/RMA.md).
 * As in Open MPI, window memory and every RMA buffer (origin, result, compare) are direct buffers: a
 * {@code ByteBuffer} from {@code MPI.newByteBuffer}/{@code ByteBuffer.allocateDirect}, or a typed buffer from
 * {@code MPI.newIntBuffer} & co. (or their {@code MPI.slice}), whose bytes the adapter knows ({@link DirectViews}).
 * The window is the user's memory itself, little-endian (jmpi's wire order; native order on x86 and ARM), so a put
 * is seen in the user's buffer after the epoch's synchronisation. Displacements count {@code dispUnit} bytes;
 * datatypes, counts and displacements are Open MPI's ({@code int}). Failures throw {@link MPIException} with
 * Open MPI's error class: an RMA call outside an epoch is {@link MPI#ERR_RMA_SYNC}, a target outside the window
 * {@link MPI#ERR_ARG} (Open MPI's Java bindings have no {@code ERR_RMA_RANGE}).
 */
public final class Win implements Freeable {
    /** Open MPI's values. */
    public static final int WIN_NULL = 0, FLAVOR_PRIVATE = 0, FLAVOR_SHARED = 1;

    private static final AtomicInteger NEXT_KEY = new AtomicInteger(100);
    private static final java.util.Set<Integer> KEYS = ConcurrentHashMap.newKeySet();

    private io.jmpi.Win w;
    private final Buffer base;
    private final Errhandler errhandler;
    private final Map<Integer, Object> attrs = new ConcurrentHashMap<>();
    private final Map<Buffer, Object> attached = new IdentityHashMap<>();
    private Info info;
    private String name = "";

    private Win(io.jmpi.Win w, Buffer base, Errhandler errhandler) {
        this.w = w;
        this.base = base;
        this.errhandler = errhandler;
    }

    /**
     * {@code MPI_Win_create} over the first {@code size} bytes of the direct buffer {@code base}, displacement unit
     * {@code dispUnit} bytes. Collective over {@code comm}; {@code info} is accepted (jmpi has no window info keys).
     */
    public Win(Buffer base, int size, int dispUnit, Info info, Comm comm) throws MPIException {
        this(create("Win", base, size, dispUnit, comm), base, comm.getErrhandler());
        this.info = info;
    }

    /**
     * {@code MPI_Win_allocate} ({@link #FLAVOR_PRIVATE}) or {@code MPI_Win_allocate_shared} ({@link #FLAVOR_SHARED})
     * of {@code size} bytes. Open MPI stores the new memory's C address in {@code base}, which Java cannot use; here a
     * private window is made over {@code base} itself (its first {@code size} bytes: the program reads its window
     * there), a shared one over memory of jmpi's shared window (reachable through RMA calls; Open MPI's Java API has
     * no {@code MPI_Win_shared_query}).
     */
    public Win(int size, int dispUnit, Info info, Comm comm, Buffer base, int flavor) throws MPIException {
        this(allocate(size, dispUnit, comm, base, flavor), base, comm.getErrhandler());
        this.info = info;
    }

    /** {@code MPI_Win_create_dynamic}: memory is exposed by {@link #attach}. */
    public Win(Info info, Comm comm) throws MPIException {
        this(dynamic(comm), null, comm.getErrhandler());
        this.info = info;
    }

    private static io.jmpi.Win create(String call, Buffer base, int size, int dispUnit, Comm comm) throws MPIException {
        io.jmpi.Comm c = comm(call, comm);
        ByteBuffer b = region(call, "base", base, size);
        return run(() -> io.jmpi.Win.create(c, b, dispUnit));
    }

    private static io.jmpi.Win allocate(int size, int dispUnit, Comm comm, Buffer base, int flavor) throws MPIException {
        String call = "Win";
        if (flavor == FLAVOR_PRIVATE) return create(call, base, size, dispUnit, comm);
        if (flavor != FLAVOR_SHARED) {
            throw new MPIException(call + ": flavor=" + flavor + " out of range {FLAVOR_PRIVATE=0, FLAVOR_SHARED=1}", MPI.ERR_ARG, null);
        }
        io.jmpi.Comm c = comm(call, comm);
        return run(() -> io.jmpi.Win.allocateShared(c, size, dispUnit));
    }

    private static io.jmpi.Win dynamic(Comm comm) throws MPIException {
        io.jmpi.Comm c = comm("Win", comm);
        return run(() -> io.jmpi.Win.createDynamic(c));
    }

    private static io.jmpi.Comm comm(String call, Comm comm) throws MPIException {
        if (comm == null) throw new MPIException(call + ": comm is null", MPI.ERR_COMM, null);
        return comm.c(call);
    }

    /** The bytes of direct buffer {@code b} from its element 0: {@code size} of them, or all when size is -1. */
    static ByteBuffer region(String call, String arg, Buffer b, long size) throws MPIException {
        Bufs.direct(call, arg, b);
        ByteBuffer bytes = b instanceof ByteBuffer ? (ByteBuffer) b : DirectViews.bytes(b);
        if (bytes == null) {
            throw new MPIException(call + ": " + arg + " is a direct " + b.getClass().getSimpleName() + " not made by "
                    + "MPI.newXBuffer or MPI.slice; use those, or a direct ByteBuffer", MPI.ERR_BUFFER, null);
        }
        // little-endian: the order of jmpi's window memory and wire (duplicate() would make it big-endian)
        ByteBuffer all = bytes.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
        if (size < -1 || size > all.capacity()) {
            throw new MPIException(call + ": size=" + size + " out of range [0, " + all.capacity() + "] (bytes of " + arg + ")",
                    MPI.ERR_SIZE, null);
        }
        return size < 0 ? all : all.limit((int) size);
    }

    private static <T> T run(Errors.Call<T> c) throws MPIException {
        try {
            return c.run();
        } catch (MpiException e) {
            int cls = e.errorClass() == ErrorClass.STATE ? MPI.ERR_RMA_SYNC : Errors.classOf(e);
            throw new MPIException(e.getMessage(), cls, e);
        }
    }

    private interface Step {
        void run();
    }

    private static void exec(Step s) throws MPIException {
        run(() -> { s.run(); return null; });
    }

    private io.jmpi.Win w(String call) throws MPIException {
        io.jmpi.Win x = w;
        if (x == null) throw new MPIException("Win." + call + ": the window has been freed (MPI_WIN_NULL)", MPI.ERR_WIN, null);
        return x;
    }

    private static io.jmpi.Datatype type(String call, String arg, Datatype t) throws MPIException {
        if (t == null) throw Errors.arg(call + ": " + arg + " is null");
        t.check(call);
        return t.t;
    }

    private static io.jmpi.Op op(String call, Op op) throws MPIException {
        if (op == null) throw new MPIException(call + ": op is null", MPI.ERR_OP, null);
        return op.forRma(call);
    }

    private static int lockType(String call, int lockType) throws MPIException {
        if (lockType == MPI.LOCK_EXCLUSIVE) return io.jmpi.Win.LOCK_EXCLUSIVE;
        if (lockType == MPI.LOCK_SHARED) return io.jmpi.Win.LOCK_SHARED;
        throw new MPIException(call + ": lockType=" + lockType + " out of range {LOCK_EXCLUSIVE=" + MPI.LOCK_EXCLUSIVE
                + ", LOCK_SHARED=" + MPI.LOCK_SHARED + "}", MPI.ERR_LOCKTYPE, null);
    }

    /** Open MPI's {@code MPI.MODE_*} bits to jmpi's. */
    private static int assertion(String call, int a) throws MPIException {
        int all = MPI.MODE_NOCHECK | MPI.MODE_NOPRECEDE | MPI.MODE_NOPUT | MPI.MODE_NOSTORE | MPI.MODE_NOSUCCEED;
        if ((a & ~all) != 0) {
            throw new MPIException(call + ": assertion=" + a + " has bits outside MODE_NOCHECK|MODE_NOPRECEDE|MODE_NOPUT|"
                    + "MODE_NOSTORE|MODE_NOSUCCEED (" + all + ")", MPI.ERR_ASSERT, null);
        }
        int j = 0;
        if ((a & MPI.MODE_NOCHECK) != 0) j |= io.jmpi.Win.MODE_NOCHECK;
        if ((a & MPI.MODE_NOPRECEDE) != 0) j |= io.jmpi.Win.MODE_NOPRECEDE;
        if ((a & MPI.MODE_NOPUT) != 0) j |= io.jmpi.Win.MODE_NOPUT;
        if ((a & MPI.MODE_NOSTORE) != 0) j |= io.jmpi.Win.MODE_NOSTORE;
        if ((a & MPI.MODE_NOSUCCEED) != 0) j |= io.jmpi.Win.MODE_NOSUCCEED;
        return j;
    }

    private static io.jmpi.Group group(String call, Group g) throws MPIException {
        if (g == null || g.g == null) throw new MPIException(call + ": group is null", MPI.ERR_GROUP, null);
        return g.g;
    }

    private static Request req(io.jmpi.Request r) {
        return new Request(r, null);
    }

    // ------------------------------------------------------------------ memory of dynamic windows

    /** {@code MPI_Win_attach}: exposes the first {@code size} bytes of direct buffer {@code base}. */
    public void attach(Buffer base, int size) throws MPIException {
        io.jmpi.Win x = w("attach");
        ByteBuffer b = region("Win.attach", "base", base, size);
        synchronized (attached) {
            if (attached.containsKey(base)) throw Errors.arg("Win.attach: base is attached already");
            run(() -> x.attach(b));
            attached.put(base, b);
        }
    }

    /** {@code MPI_Win_detach}. */
    public void detach(Buffer base) throws MPIException {
        io.jmpi.Win x = w("detach");
        synchronized (attached) {
            Object b = attached.get(base);
            if (b == null) throw Errors.arg("Win.detach: base is not attached to this window");
            exec(() -> x.detach(b));
            attached.remove(base);
        }
    }

    /** {@code MPI_Win_get_group}. */
    public Group getGroup() throws MPIException {
        return new Group(w("getGroup").group());
    }

    // ------------------------------------------------------------------ communication

    /** {@code MPI_Put}. */
    public void put(Buffer origin, int orgCount, Datatype orgType, int targetRank, int targetDisp, int targetCount, Datatype targetType) throws MPIException {
        String c = "Win.put";
        io.jmpi.Win x = w("put");
        ByteBuffer o = region(c, "origin", origin, -1);
        io.jmpi.Datatype ot = type(c, "origin type", orgType), tt = type(c, "target type", targetType);
        exec(() -> x.put(o, 0, orgCount, ot, targetRank, targetDisp, targetCount, tt));
    }

    /** {@code MPI_Get}: the data is in {@code origin} after the epoch's synchronisation. */
    public void get(Buffer origin, int orgCount, Datatype orgType, int targetRank, int targetDisp, int targetCount, Datatype targetType) throws MPIException {
        String c = "Win.get";
        io.jmpi.Win x = w("get");
        ByteBuffer o = region(c, "origin", origin, -1);
        io.jmpi.Datatype ot = type(c, "origin type", orgType), tt = type(c, "target type", targetType);
        exec(() -> x.get(o, 0, orgCount, ot, targetRank, targetDisp, targetCount, tt));
    }

    /** {@code MPI_Accumulate} with a predefined operation, {@code MPI.REPLACE} or {@code MPI.NO_OP}. */
    public void accumulate(Buffer origin, int orgCount, Datatype orgType, int targetRank, int targetDisp, int targetCount,
                           Datatype targetType, Op op) throws MPIException {
        String c = "Win.accumulate";
        io.jmpi.Win x = w("accumulate");
        ByteBuffer o = region(c, "origin", origin, -1);
        io.jmpi.Datatype ot = type(c, "origin type", orgType), tt = type(c, "target type", targetType);
        io.jmpi.Op p = op(c, op);
        exec(() -> x.accumulate(o, 0, orgCount, ot, targetRank, targetDisp, targetCount, tt, p));
    }

    /** {@code MPI_Rput}: the request completes when {@code origin} may be reused. */
    public final Request rPut(Buffer origin, int orgCount, Datatype orgType, int targetRank, int targetDisp, int targetCount,
                              Datatype targetType) throws MPIException {
        String c = "Win.rPut";
        io.jmpi.Win x = w("rPut");
        ByteBuffer o = region(c, "origin", origin, -1);
        io.jmpi.Datatype ot = type(c, "origin type", orgType), tt = type(c, "target type", targetType);
        return req(run(() -> x.rput(o, 0, orgCount, ot, targetRank, targetDisp, targetCount, tt)));
    }

    /** {@code MPI_Rget}: the request completes when the data is in {@code origin}. */
    public final Request rGet(Buffer origin, int orgCount, Datatype orgType, int targetRank, int targetDisp, int targetCount,
                              Datatype targetType) throws MPIException {
        String c = "Win.rGet";
        io.jmpi.Win x = w("rGet");
        ByteBuffer o = region(c, "origin", origin, -1);
        io.jmpi.Datatype ot = type(c, "origin type", orgType), tt = type(c, "target type", targetType);
        return req(run(() -> x.rget(o, 0, orgCount, ot, targetRank, targetDisp, targetCount, tt)));
    }

    /** {@code MPI_Raccumulate}. */
    public Request rAccumulate(Buffer origin, int orgCount, Datatype orgType, int targetRank, int targetDisp, int targetCount,
                               Datatype targetType, Op op) throws MPIException {
        String c = "Win.rAccumulate";
        io.jmpi.Win x = w("rAccumulate");
        ByteBuffer o = region(c, "origin", origin, -1);
        io.jmpi.Datatype ot = type(c, "origin type", orgType), tt = type(c, "target type", targetType);
        io.jmpi.Op p = op(c, op);
        return req(run(() -> x.raccumulate(o, 0, orgCount, ot, targetRank, targetDisp, targetCount, tt, p)));
    }

    /** {@code MPI_Get_accumulate}: waits until the target's old elements are in {@code resultAddr}. */
    public void getAccumulate(Buffer origin, int orgCount, Datatype orgType, Buffer resultAddr, int resultCount, Datatype resultType,
                              int targetRank, int targetDisp, int targetCount, Datatype targetType, Op op) throws MPIException {
        Request r = rGetAccumulate("Win.getAccumulate", origin, orgCount, orgType, resultAddr, resultCount, resultType,
                targetRank, targetDisp, targetCount, targetType, op);
        exec(() -> r.r.await());
    }

    /** {@code MPI_Rget_accumulate}; {@code origin} may be null with {@code MPI.NO_OP}. */
    public Request rGetAccumulate(Buffer origin, int orgCount, Datatype orgType, Buffer resultAddr, int resultCount, Datatype resultType,
                                  int targetRank, int targetDisp, int targetCount, Datatype targetType, Op op) throws MPIException {
        return rGetAccumulate("Win.rGetAccumulate", origin, orgCount, orgType, resultAddr, resultCount, resultType,
                targetRank, targetDisp, targetCount, targetType, op);
    }

    private Request rGetAccumulate(String c, Buffer origin, int orgCount, Datatype orgType, Buffer resultAddr, int resultCount,
                                   Datatype resultType, int targetRank, int targetDisp, int targetCount, Datatype targetType, Op op) throws MPIException {
        io.jmpi.Win x = w(c.substring(4));
        io.jmpi.Op p = op(c, op);
        ByteBuffer o = origin == null && p == io.jmpi.Op.NO_OP ? null : region(c, "origin", origin, -1);
        ByteBuffer r = region(c, "resultAddr", resultAddr, -1);
        io.jmpi.Datatype ot = orgType == null && o == null ? null : type(c, "origin type", orgType);
        io.jmpi.Datatype rt = type(c, "result type", resultType), tt = type(c, "target type", targetType);
        return req(run(() -> x.rgetAccumulate(o, 0, orgCount, ot == null ? rt : ot, r, 0, resultCount, rt, targetRank,
                targetDisp, targetCount, tt, p)));
    }

    /** {@code MPI_Fetch_and_op}: one element; its old value into {@code resultAddr}. Waits for it. */
    public void fetchAndOp(Buffer origin, Buffer resultAddr, Datatype dataType, int targetRank, int targetDisp, Op op) throws MPIException {
        getAccumulate(origin, 1, dataType, resultAddr, 1, dataType, targetRank, targetDisp, 1, dataType, op);
    }

    /** {@code MPI_Compare_and_swap}: one element; waits for the old value in {@code resultAddr}. */
    public void compareAndSwap(Buffer origin, Buffer compareAddr, Buffer resultAddr, Datatype dataType, int targetRank,
                               int targetDisp) throws MPIException {
        String c = "Win.compareAndSwap";
        io.jmpi.Win x = w("compareAndSwap");
        io.jmpi.Datatype t = type(c, "datatype", dataType);
        if (t.isStruct() || t.base() != t) {
            throw new MPIException(c + ": datatype " + dataType + " is not a predefined type", MPI.ERR_TYPE, null);
        }
        for (Buffer b : new Buffer[]{origin, compareAddr, resultAddr}) region(c, "buffer", b, -1);
        // one element each, and the call waits: a staged copy of each is exact (jmpi's form takes typed arrays)
        Bufs.Run o = Bufs.of(c, "origin", origin, 1, dataType), k = Bufs.of(c, "compareAddr", compareAddr, 1, dataType);
        Bufs.Run r = Bufs.of(c, "resultAddr", resultAddr, 1, dataType);
        exec(() -> x.compareAndSwap(o.array, o.offset, k.array, k.offset, r.array, r.offset, targetRank, targetDisp));
        r.back();
    }

    // ------------------------------------------------------------------ synchronisation

    /** {@code MPI_Win_fence}. */
    public void fence(int assertion) throws MPIException {
        io.jmpi.Win x = w("fence");
        int a = assertion("Win.fence", assertion);
        exec(() -> x.fence(a));
    }

    /** {@code MPI_Win_start}: an access epoch to the ranks of {@code group}. */
    public void start(Group group, int assertion) throws MPIException {
        io.jmpi.Win x = w("start");
        io.jmpi.Group g = group("Win.start", group);
        int a = assertion("Win.start", assertion);
        exec(() -> x.start(g, a));
    }

    /** {@code MPI_Win_complete}. */
    public void complete() throws MPIException {
        io.jmpi.Win x = w("complete");
        exec(x::complete);
    }

    /** {@code MPI_Win_post}: an exposure epoch to the ranks of {@code group}. */
    public void post(Group group, int assertion) throws MPIException {
        io.jmpi.Win x = w("post");
        io.jmpi.Group g = group("Win.post", group);
        int a = assertion("Win.post", assertion);
        exec(() -> x.post(g, a));
    }

    /** {@code MPI_Win_wait}. */
    public void waitFor() throws MPIException {
        io.jmpi.Win x = w("waitFor");
        exec(x::waitFor);
    }

    /** {@code MPI_Win_test}. */
    public boolean test() throws MPIException {
        io.jmpi.Win x = w("test");
        return run(x::test);
    }

    /** {@code MPI_Win_lock}: {@code MPI.LOCK_EXCLUSIVE} or {@code MPI.LOCK_SHARED}. */
    public void lock(int lockType, int rank, int assertion) throws MPIException {
        io.jmpi.Win x = w("lock");
        int t = lockType("Win.lock", lockType), a = assertion("Win.lock", assertion);
        exec(() -> x.lock(t, rank, a));
    }

    /** {@code MPI_Win_unlock}. */
    public void unlock(int rank) throws MPIException {
        io.jmpi.Win x = w("unlock");
        exec(() -> x.unlock(rank));
    }

    /** {@code MPI_Win_lock_all}: a shared lock on every rank. */
    public void lockAll(int assertion) throws MPIException {
        io.jmpi.Win x = w("lockAll");
        int a = assertion("Win.lockAll", assertion);
        exec(() -> x.lockAll(a));
    }

    /** {@code MPI_Win_unlock_all}. */
    public void unlockAll() throws MPIException {
        io.jmpi.Win x = w("unlockAll");
        exec(x::unlockAll);
    }

    /** {@code MPI_Win_sync}: window memory and its public copy are one in jmpi; orders this rank's loads and stores. */
    public void sync() throws MPIException {
        io.jmpi.Win x = w("sync");
        exec(x::sync);
    }

    /** {@code MPI_Win_flush}. */
    public void flush(int targetRank) throws MPIException {
        io.jmpi.Win x = w("flush");
        exec(() -> x.flush(targetRank));
    }

    /** {@code MPI_Win_flush_all}. */
    public void flushAll() throws MPIException {
        io.jmpi.Win x = w("flushAll");
        exec(x::flushAll);
    }

    /** {@code MPI_Win_flush_local}. */
    public void flushLocal(int targetRank) throws MPIException {
        io.jmpi.Win x = w("flushLocal");
        exec(() -> x.flushLocal(targetRank));
    }

    /** {@code MPI_Win_flush_local_all}. */
    public void flushLocalAll() throws MPIException {
        io.jmpi.Win x = w("flushLocalAll");
        exec(x::flushLocalAll);
    }

    // ------------------------------------------------------------------ names, attributes, error handler, info

    /** {@code MPI_Win_get_name}; "" until set. */
    public String getName() throws MPIException {
        w("getName");
        return name;
    }

    /** {@code MPI_Win_set_name}. */
    public void setName(String name) throws MPIException {
        w("setName");
        if (name == null) throw Errors.arg("Win.setName: name is null");
        this.name = name;
    }

    /** {@code MPI_Win_create_keyval}. */
    public static int createKeyval() throws MPIException {
        int k = NEXT_KEY.getAndIncrement();
        KEYS.add(k);
        return k;
    }

    /** {@code MPI_Win_free_keyval}. */
    public static void freeKeyval(int keyval) throws MPIException {
        if (!KEYS.remove(keyval)) throw new MPIException("Win.freeKeyval: keyval=" + keyval + " was not created by Win.createKeyval", MPI.ERR_KEYVAL, null);
    }

    private static Integer userKey(String call, int keyval) throws MPIException {
        if (!KEYS.contains(keyval)) throw new MPIException(call + ": keyval=" + keyval + " was not created by Win.createKeyval", MPI.ERR_KEYVAL, null);
        return keyval;
    }

    /** {@code MPI_Win_set_attr}. */
    public void setAttr(int keyval, Object value) throws MPIException {
        w("setAttr");
        attrs.put(userKey("Win.setAttr", keyval), value);
    }

    /**
     * {@code MPI_Win_get_attr}: {@code MPI.WIN_BASE} (the base buffer; null for dynamic and shared windows),
     * {@code MPI.WIN_SIZE}, {@code MPI.WIN_DISP_UNIT} (Integer), or a user attribute (null when not set).
     */
    public Object getAttr(int keyval) throws MPIException {
        io.jmpi.Win x = w("getAttr");
        if (keyval == MPI.WIN_BASE) return x.flavor() == io.jmpi.Win.FLAVOR_CREATE ? base : null;
        if (keyval == MPI.WIN_SIZE) return (int) x.size();
        if (keyval == MPI.WIN_DISP_UNIT) return x.dispUnit();
        return attrs.get(userKey("Win.getAttr", keyval));
    }

    /** {@code MPI_Win_delete_attr}. */
    public void deleteAttr(int keyval) throws MPIException {
        w("deleteAttr");
        attrs.remove(userKey("Win.deleteAttr", keyval));
    }

    /**
     * {@code MPI_Win_set_errhandler}: jmpi's window reports through the error handler its communicator had at creation
     * ({@link #getErrhandler()}); setting that one again is accepted, another fails with
     * {@code MPI.ERR_UNSUPPORTED_OPERATION} (set it on the communicator before creating the window).
     */
    public void setErrhandler(Errhandler errhandler) throws MPIException {
        w("setErrhandler");
        if (errhandler == null) throw Errors.arg("Win.setErrhandler: errhandler is null");
        if (errhandler.h != this.errhandler.h) {
            throw new MPIException("Win.setErrhandler: jmpi's windows use the error handler of their communicator at "
                    + "creation; set it with Comm.setErrhandler before creating the window", MPI.ERR_UNSUPPORTED_OPERATION, null);
        }
    }

    /** {@code MPI_Win_get_errhandler}: the communicator's at creation. */
    public Errhandler getErrhandler() throws MPIException {
        w("getErrhandler");
        return errhandler.h == io.jmpi.Errhandler.ERRORS_RETURN ? MPI.ERRORS_RETURN : MPI.ERRORS_ARE_FATAL;
    }

    /** {@code MPI_Win_call_errhandler}: throws {@code MPIException(errorCode)} under ERRORS_RETURN, else ends the job. */
    public void callErrhandler(int errorCode) throws MPIException {
        w("callErrhandler");
        if (getErrhandler() == MPI.ERRORS_RETURN) throw new MPIException("Win.callErrhandler: error code " + errorCode, errorCode, null);
        MPI.COMM_WORLD.abort(errorCode);
    }

    /** {@code MPI_Win_get_info}: jmpi has no window info keys; the info given at creation or set, else an empty one. */
    public Info getInfo() throws MPIException {
        w("getInfo");
        return info != null ? info.dup() : new Info();
    }

    /** {@code MPI_Win_set_info}: kept for {@link #getInfo()}; its hints do not change jmpi's behaviour. */
    public void setInfo(Info info) throws MPIException {
        w("setInfo");
        if (info == null) throw new MPIException("Win.setInfo: info is null", MPI.ERR_INFO, null);
        this.info = info;
    }

    /** {@code MPI_Win_free}: collective; ends the window's epochs' checks and unregisters it. */
    @Override
    public void free() throws MPIException {
        io.jmpi.Win x = w("free");
        exec(x::free);
        w = null;
    }
}
