package mpi;

import io.jmpi.Mpi;
import io.jmpi.base.MpiException;
import io.jmpi.runtime.ThreadJob;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The mpiJava 1.2 entry point (class {@code MPI} of MPJ Express 0.44): initialisation, the predefined
 * communicators, datatypes, operations and constants, timers and the buffered-send buffer.
 *
 * <p><b>Per-rank state.</b> mpiJava's model is one rank per JVM with static state ({@code MPI.COMM_WORLD}). jmpi can
 * also run ranks as threads of one JVM ({@code Mpi.runThreads}, {@code jmpirun --transport local}), so the state
 * behind the statics is per rank: {@link #Init} called on a thread of a thread job keeps the rank's state in an
 * inheritable thread-local (threads the rank starts see it too); in a process it is one global. The public
 * constants are the same for every rank; {@code COMM_WORLD} and {@code COMM_SELF} are handles that resolve to the
 * calling rank's communicator on each call.
 *
 * <p>The constants are {@code final} here (MPJ Express leaves most of them assignable); programs read them only.
 */
public class MPI {
    /** MPJ Express's debug switch; always false here. */
    public static final boolean DEBUG = false;
    /** Processors of this JVM. */
    public static final int NUM_OF_PROCESSORS = Runtime.getRuntime().availableProcessors();
    /** MPJ Express's switch between its two devices' code paths; has no effect here. */
    public static boolean isOldSelected = false;

    public static final int UNDEFINED = io.jmpi.Comm.UNDEFINED;
    public static final int ANY_SOURCE = Mpi.ANY_SOURCE;
    public static final int ANY_TAG = Mpi.ANY_TAG;
    public static final int PROC_NULL = Mpi.PROC_NULL;
    public static final int BSEND_OVERHEAD = Mpi.BSEND_OVERHEAD;
    /** No per-message overhead in jmpi's standard sends; kept for MPJ Express programs. */
    public static final int SEND_OVERHEAD = 0;
    public static final int RECV_OVERHEAD = 0;
    /** Keys of {@link Comm#Attr_get}. */
    public static final int TAG_UB = 0, HOST = 1, IO = 2;
    // MPJ Express's values (final there, so compiled programs carry them)
    public static final int IDENT = 0;
    public static final int CONGRUENT = 3;
    public static final int SIMILAR = 1;
    public static final int UNEQUAL = 2;
    public static final int GRAPH = 1;
    public static final int CART = 2;
    public static final int THREAD_SINGLE = 0, THREAD_FUNNELED = 1, THREAD_SERIALIZED = 2, THREAD_MULTIPLE = 3;

    public static final Datatype NULL = Datatype.primitive(Datatype.NULL, "NULL");
    public static final Datatype BYTE = Datatype.primitive(Datatype.BYTE, "BYTE");
    public static final Datatype CHAR = Datatype.primitive(Datatype.CHAR, "CHAR");
    public static final Datatype SHORT = Datatype.primitive(Datatype.SHORT, "SHORT");
    public static final Datatype BOOLEAN = Datatype.primitive(Datatype.BOOLEAN, "BOOLEAN");
    public static final Datatype INT = Datatype.primitive(Datatype.INT, "INT");
    public static final Datatype LONG = Datatype.primitive(Datatype.LONG, "LONG");
    public static final Datatype FLOAT = Datatype.primitive(Datatype.FLOAT, "FLOAT");
    public static final Datatype DOUBLE = Datatype.primitive(Datatype.DOUBLE, "DOUBLE");
    public static final Datatype PACKED = Datatype.primitive(Datatype.PACKED, "PACKED");
    public static final Datatype LB = Datatype.primitive(Datatype.LB, "LB");
    public static final Datatype UB = Datatype.primitive(Datatype.UB, "UB");
    public static final Datatype OBJECT = Datatype.primitive(Datatype.OBJECT, "OBJECT");
    /** (value, index) pairs for MINLOC/MAXLOC: one element is two of the base type; a count counts pairs. */
    public static final Datatype SHORT2 = pair(SHORT, "SHORT2");
    public static final Datatype INT2 = pair(INT, "INT2");
    public static final Datatype LONG2 = pair(LONG, "LONG2");
    public static final Datatype FLOAT2 = pair(FLOAT, "FLOAT2");
    public static final Datatype DOUBLE2 = pair(DOUBLE, "DOUBLE2");

    public static final Op MAX = new Op(io.jmpi.Op.MAX);
    public static final Op MIN = new Op(io.jmpi.Op.MIN);
    public static final Op SUM = new Op(io.jmpi.Op.SUM);
    public static final Op PROD = new Op(io.jmpi.Op.PROD);
    public static final Op LAND = new Op(io.jmpi.Op.LAND);
    public static final Op BAND = new Op(io.jmpi.Op.BAND);
    public static final Op LOR = new Op(io.jmpi.Op.LOR);
    public static final Op BOR = new Op(io.jmpi.Op.BOR);
    public static final Op LXOR = new Op(io.jmpi.Op.LXOR);
    public static final Op BXOR = new Op(io.jmpi.Op.BXOR);
    public static final Op MAXLOC = new Op(io.jmpi.Op.MAXLOC);
    public static final Op MINLOC = new Op(io.jmpi.Op.MINLOC);

    public static final Status EMPTY_STATUS = new Status();
    public static final Group GROUP_EMPTY = new Group(null);
    public static final Group GROUP_NULL = new Group(null);
    public static final Request REQUEST_NULL = new Request();
    public static final Errhandler ERRORS_ARE_FATAL = new Errhandler(io.jmpi.Errhandler.ERRORS_ARE_FATAL);
    public static final Errhandler ERRORS_RETURN = new Errhandler(io.jmpi.Errhandler.ERRORS_RETURN);
    /** All ranks of the job; resolves to the calling rank's world. */
    public static final Intracomm COMM_WORLD = new Intracomm(Comm.WORLD);
    /** This rank alone; resolves to the calling rank's. */
    public static final Comm COMM_SELF = new Intracomm(Comm.SELF);
    /** The null communicator. */
    public static final Comm COMM_NULL = new Comm(null);

    /** Devices MPJ Express's runtime names as the third leading argument. */
    private static final java.util.Set<String> DEVICES = java.util.Set.of("niodev", "mxdev", "smpdev", "multicore",
            "hybdev", "native", "ibdev");

    private static final InheritableThreadLocal<RankState> THREAD_RANK = new InheritableThreadLocal<>();
    private static volatile RankState processRank;
    /** Whether any rank of this JVM lives in {@link #THREAD_RANK}: until then every call skips the thread-local lookup. */
    private static volatile boolean threadRanks;

    public MPI() {
    }

    private static Datatype pair(Datatype base, String name) {
        try {
            Datatype t = Datatype.Contiguous(2, base);
            t.name = name;
            return t;
        } catch (MPIException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ------------------------------------------------------------------ per-rank state

    /** One rank's state behind the statics. */
    static final class RankState {
        final Mpi mpi;
        /** Whether Init made {@code mpi} (and Finalize closes it) or a test harness lent it. */
        final boolean owned;
        volatile boolean initialized;
        volatile boolean finalized;
        volatile int threadLevel = THREAD_MULTIPLE;

        RankState(Mpi mpi, boolean owned) {
            this.mpi = mpi;
            this.owned = owned;
        }
    }

    /** The calling rank's state, or null before Init. */
    static RankState stateOrNull() {
        RankState s = threadRanks ? THREAD_RANK.get() : null;
        return s != null ? s : processRank;
    }

    static RankState state() throws MPIException {
        RankState s = stateOrNull();
        if (s == null || !s.initialized) throw new MPIException("MPI.Init has not been called on this rank");
        if (s.finalized) throw new MPIException("MPI.Finalize has been called on this rank");
        return s;
    }

    static Mpi mpi() throws MPIException {
        return state().mpi;
    }

    /**
     * Lends an initialised native rank to the statics of the calling thread (tests: {@code Mpi.runThreads(n, m ->
     * { MPI.adopt(m); MPI.Init(args); ... })}); Init then uses it and Finalize leaves closing it to its owner.
     */
    static void adopt(Mpi mpi) {
        threadRanks = true;
        THREAD_RANK.set(new RankState(mpi, false));
    }

    /** Forgets the calling thread's rank (the end of a thread-job rank). */
    static void release() {
        THREAD_RANK.remove();
    }

    // ------------------------------------------------------------------ initialisation

    /**
     * Initialises this rank ({@code MPI_Init}) and returns the program's arguments. Under MPJ Express's runtime the
     * first three arguments are its own (rank, configuration file, device), recognised by a second argument ending in
     * {@code .conf} or a third naming a device, and are stripped; under jmpirun the arguments arrive unchanged.
     */
    public static String[] Init(String[] args) throws MPIException {
        String[] programArgs = programArgs(args);
        RankState s = stateOrNull();
        if (s != null && s.initialized && !s.finalized) throw new MPIException("Init: MPI is already initialised on this rank");
        if (s != null && !s.initialized) {
            s.initialized = true; // a lent rank (adopt)
            return programArgs;
        }
        Mpi m = call(() -> Mpi.init(programArgs));
        RankState fresh = new RankState(m, true);
        fresh.initialized = true;
        if (ThreadJob.current() != null) {
            threadRanks = true;
            THREAD_RANK.set(fresh);
        } else {
            processRank = fresh;
        }
        return programArgs;
    }

    static String[] programArgs(String[] args) {
        if (args == null) return new String[0];
        boolean mpj = args.length >= 3 && (args[1].endsWith(".conf") || DEVICES.contains(args[2]));
        return mpj ? Arrays.copyOfRange(args, 3, args.length) : args.clone();
    }

    /** {@link #Init} with a thread level ({@code MPI_Init_thread}); jmpi always provides THREAD_MULTIPLE. */
    public static String[] initThread(int required, int provided, String[] args) {
        String[] a = Init(args);
        stateOrNull().threadLevel = THREAD_MULTIPLE;
        return a;
    }

    /** Whether the calling thread is the one that initialised its rank (MPJ Express's; jmpi does not record it: true). */
    public static boolean isMainThread() {
        return true;
    }

    /** The thread level provided ({@code MPI_Query_thread}): THREAD_MULTIPLE. */
    public static int queryThread() {
        RankState s = stateOrNull();
        return s == null ? THREAD_MULTIPLE : s.threadLevel;
    }

    /** Finalises this rank ({@code MPI_Finalize}). */
    public static void Finalize() throws MPIException {
        RankState s = state();
        s.finalized = true;
        if (s.owned) call(() -> {
            s.mpi.close();
            return null;
        });
    }

    /** Whether Init has been called on this rank ({@code MPI_Initialized}). */
    public static boolean Initialized() throws MPIException {
        RankState s = stateOrNull();
        return s != null && s.initialized;
    }

    /** The host's name ({@code MPI_Get_processor_name}). */
    public static String Get_processor_name() throws MPIException {
        return mpi().processorName();
    }

    /** Sets the error handler of COMM_WORLD ({@code MPI_Errhandler_set}). */
    public static void Errorhandler_set(Errhandler errhandler) throws MPIException {
        if (errhandler == null) throw new MPIException("Errorhandler_set: errhandler is null");
        mpi().world().setErrhandler(errhandler.handler);
    }

    /** The error handler of COMM_WORLD ({@code MPI_Errhandler_get}). */
    public static Errhandler Errorhandler_get() throws MPIException {
        return mpi().world().errhandler() == io.jmpi.Errhandler.ERRORS_RETURN ? ERRORS_RETURN : ERRORS_ARE_FATAL;
    }

    /** Seconds since an arbitrary origin, with the JVM's nanosecond clock ({@code MPI_Wtime}). */
    public static double Wtime() throws MPIException {
        return System.nanoTime() / 1e9;
    }

    /** The resolution of {@link #Wtime()}: 1e-9 s ({@code MPI_Wtick}). */
    public static double Wtick() throws MPIException {
        return 1e-9;
    }

    /** Attaches {@code buffer} for buffered sends ({@code MPI_Buffer_attach}). */
    public static void Buffer_attach(ByteBuffer buffer) throws MPIException {
        Mpi m = mpi();
        call(() -> {
            m.bufferAttach(buffer);
            return null;
        });
    }

    /** Detaches the buffer of buffered sends, once its messages are delivered ({@code MPI_Buffer_detach}). */
    public static void Buffer_detach() throws MPIException {
        Mpi m = mpi();
        call(m::bufferDetach);
    }

    // ------------------------------------------------------------------ native failures as MPIException

    /** A call of the native API. */
    interface Call<T> {
        T run() throws MPIException;
    }

    /** Runs {@code c}, turning native failures into {@link MPIException}. */
    static <T> T call(Call<T> c) throws MPIException {
        try {
            return c.run();
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
    }
}
