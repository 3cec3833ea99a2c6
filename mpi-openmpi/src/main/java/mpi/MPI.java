package mpi;

import io.jmpi.Mpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * The MPI environment of Open MPI's Java API, over jmpi. {@link #COMM_WORLD} and {@link #COMM_SELF} are single static
 * objects as in Open MPI; they resolve to the communicators of the rank that calls them. A process rank has one
 * rank; when ranks run as threads of one JVM (jmpirun's local transport, {@code Mpi.runThreads}), {@link #Init}
 * records the rank in an inheritable thread-local, so threads a rank starts after Init act for it too. Threads
 * started by other means see the first rank initialised in the JVM.
 */
public final class MPI {
    /** One rank's state: its jmpi runtime and whether Finalize was called. */
    static final class Env {
        final Mpi mpi;
        final boolean adopted;
        volatile boolean finalized;
        byte[] buffer;

        Env(Mpi mpi, boolean adopted) {
            this.mpi = mpi;
            this.adopted = adopted;
        }
    }

    private static final InheritableThreadLocal<Env> LOCAL = new InheritableThreadLocal<>();
    private static volatile Env first;
    /** A runtime a harness already started for this thread's rank (tests under {@code Mpi.runThreads}). */
    private static final ThreadLocal<Mpi> PROVIDED = new ThreadLocal<>();

    public static final int THREAD_SINGLE = 0, THREAD_FUNNELED = 1, THREAD_SERIALIZED = 2, THREAD_MULTIPLE = 3;
    public static final int GRAPH = 2, DIST_GRAPH = 3, CART = 1;
    public static final int ANY_SOURCE = Mpi.ANY_SOURCE, ANY_TAG = Mpi.ANY_TAG, PROC_NULL = Mpi.PROC_NULL;
    public static final int UNDEFINED = -32766;
    public static final int IDENT = 0, CONGRUENT = 1, SIMILAR = 2, UNEQUAL = 3;
    /** Attribute keys of {@link Comm#getAttr}. */
    public static final int TAG_UB = 1, HOST = 2, IO = 3, WTIME_IS_GLOBAL = 4, APPNUM = 5, LASTUSEDCODE = 6, UNIVERSE_SIZE = 7,
            WIN_BASE = 8, WIN_SIZE = 9, WIN_DISP_UNIT = 10;
    public static final int VERSION = 3, SUBVERSION = 1;
    public static final int ROOT = io.jmpi.Intercomm.ROOT, KEYVAL_INVALID = -1, BSEND_OVERHEAD = Mpi.BSEND_OVERHEAD;
    public static final int MAX_OBJECT_NAME = 128, MAX_PORT_NAME = 1024, MAX_DATAREP_STRING = 128;
    public static final int MAX_INFO_KEY = io.jmpi.Info.MAX_KEY, MAX_INFO_VAL = io.jmpi.Info.MAX_VALUE;
    public static final int ORDER_C = 0, ORDER_FORTRAN = 1;
    public static final int DISTRIBUTE_BLOCK = 121, DISTRIBUTE_CYCLIC = 122, DISTRIBUTE_NONE = 123, DISTRIBUTE_DFLT_DARG = -49767;
    /** Access modes of MPI-IO ({@code mpi.File}, which waits for jmpi's parallel I/O); the values of Open MPI's mpi.h. */
    public static final int MODE_CREATE = 1, MODE_RDONLY = 2, MODE_WRONLY = 4, MODE_RDWR = 8, MODE_DELETE_ON_CLOSE = 16,
            MODE_UNIQUE_OPEN = 32, MODE_EXCL = 64, MODE_APPEND = 128, MODE_SEQUENTIAL = 256;
    /** {@code MPI_DISPLACEMENT_CURRENT} of MPI-IO file views. */
    public static final int DISPLACEMENT_CURRENT = -54278278;
    /** Whence of MPI-IO seeks. */
    public static final int SEEK_SET = 600, SEEK_CUR = 602, SEEK_END = 604;
    /** Assertions of one-sided synchronisation ({@code mpi.Win}, which waits for jmpi's RMA); Open MPI's values. */
    public static final int MODE_NOCHECK = 1, MODE_NOPRECEDE = 2, MODE_NOPUT = 4, MODE_NOSTORE = 8, MODE_NOSUCCEED = 16;
    /** Lock types of {@code MPI_Win_lock}. */
    public static final int LOCK_EXCLUSIVE = 1, LOCK_SHARED = 2;

    public static final int SUCCESS = 0, ERR_BUFFER = 1, ERR_COUNT = 2, ERR_TYPE = 3, ERR_TAG = 4, ERR_COMM = 5, ERR_RANK = 6,
            ERR_REQUEST = 7, ERR_ROOT = 8, ERR_GROUP = 9, ERR_OP = 10, ERR_TOPOLOGY = 11, ERR_DIMS = 12, ERR_ARG = 13,
            ERR_UNKNOWN = 14, ERR_TRUNCATE = 15, ERR_OTHER = 16, ERR_INTERN = 17, ERR_IN_STATUS = 18, ERR_PENDING = 19,
            ERR_ACCESS = 20, ERR_AMODE = 21, ERR_ASSERT = 22, ERR_BAD_FILE = 23, ERR_BASE = 24, ERR_CONVERSION = 25,
            ERR_DISP = 26, ERR_DUP_DATAREP = 27, ERR_FILE_EXISTS = 28, ERR_FILE_IN_USE = 29, ERR_FILE = 30,
            ERR_INFO_KEY = 31, ERR_INFO_NOKEY = 32, ERR_INFO_VALUE = 33, ERR_INFO = 34, ERR_IO = 35, ERR_KEYVAL = 36,
            ERR_LOCKTYPE = 37, ERR_NAME = 38, ERR_NO_MEM = 39, ERR_NOT_SAME = 40, ERR_NO_SPACE = 41, ERR_NO_SUCH_FILE = 42,
            ERR_PORT = 43, ERR_QUOTA = 44, ERR_READ_ONLY = 45, ERR_RMA_CONFLICT = 46, ERR_RMA_SYNC = 47, ERR_SERVICE = 48,
            ERR_SIZE = 49, ERR_SPAWN = 50, ERR_UNSUPPORTED_DATAREP = 51, ERR_UNSUPPORTED_OPERATION = 52, ERR_WIN = 53,
            ERR_SYSRESOURCE = -2, ERR_LASTCODE = 92;

    public static final Intracomm COMM_WORLD = new Intracomm(Comm.WORLD), COMM_SELF = new Intracomm(Comm.SELF);

    public static final Op MAX = new Op(io.jmpi.Op.MAX), MIN = new Op(io.jmpi.Op.MIN), SUM = new Op(io.jmpi.Op.SUM),
            PROD = new Op(io.jmpi.Op.PROD), LAND = new Op(io.jmpi.Op.LAND), BAND = new Op(io.jmpi.Op.BAND),
            LOR = new Op(io.jmpi.Op.LOR), BOR = new Op(io.jmpi.Op.BOR), LXOR = new Op(io.jmpi.Op.LXOR), BXOR = new Op(io.jmpi.Op.BXOR);
    /** Minimum value and its index, on the pair types {@link #INT2}, {@link #SHORT_INT}, {@link #LONG_INT}, {@link #FLOAT_INT}, {@link #DOUBLE_INT}. */
    public static final Op MINLOC = new Op(io.jmpi.Op.MINLOC);
    /** Maximum value and its index; see {@link #MINLOC}. */
    public static final Op MAXLOC = new Op(io.jmpi.Op.MAXLOC);
    /** {@code MPI_REPLACE} and {@code MPI_NO_OP}: for one-sided accumulate only; collective reductions refuse them. */
    public static final Op REPLACE = new Op("REPLACE"), NO_OP = new Op("NO_OP");

    public static final Datatype DATATYPE_NULL = new Datatype(null, Datatype.NULL, "MPI.DATATYPE_NULL", null);
    public static final Datatype BYTE = new Datatype(io.jmpi.Datatype.BYTE, Datatype.BYTE, "MPI.BYTE", null),
            CHAR = new Datatype(io.jmpi.Datatype.CHAR, Datatype.CHAR, "MPI.CHAR", null),
            SHORT = new Datatype(io.jmpi.Datatype.SHORT, Datatype.SHORT, "MPI.SHORT", null),
            BOOLEAN = new Datatype(io.jmpi.Datatype.BOOLEAN, Datatype.BOOLEAN, "MPI.BOOLEAN", null),
            INT = new Datatype(io.jmpi.Datatype.INT, Datatype.INT, "MPI.INT", null),
            LONG = new Datatype(io.jmpi.Datatype.LONG, Datatype.LONG, "MPI.LONG", null),
            FLOAT = new Datatype(io.jmpi.Datatype.FLOAT, Datatype.FLOAT, "MPI.FLOAT", null),
            DOUBLE = new Datatype(io.jmpi.Datatype.DOUBLE, Datatype.DOUBLE, "MPI.DOUBLE", null),
            /** Packed bytes of {@link Comm#pack}: sent and received as bytes. */
            PACKED = new Datatype(io.jmpi.Datatype.BYTE, Datatype.PACKED, "MPI.PACKED", null);
    /** (real, imaginary) pairs of floats, used with {@link FloatComplex}; reductions apply element-wise (SUM). */
    public static final Datatype FLOAT_COMPLEX = new Datatype(io.jmpi.Datatype.contiguous(2, io.jmpi.Datatype.FLOAT).commit(),
            Datatype.FLOAT, "MPI.FLOAT_COMPLEX", null);
    /** (real, imaginary) pairs of doubles, used with {@link DoubleComplex}; reductions apply element-wise (SUM). */
    public static final Datatype DOUBLE_COMPLEX = new Datatype(io.jmpi.Datatype.contiguous(2, io.jmpi.Datatype.DOUBLE).commit(),
            Datatype.DOUBLE, "MPI.DOUBLE_COMPLEX", null);

    /** (int value, int index), used with {@link #int2}. */
    public static final Datatype INT2 = Datatype.pair(io.jmpi.Datatype.INT, 4, Datatype.INT2, "MPI.INT2");
    /** (short value, int index), used with {@link #shortInt}. */
    public static final Datatype SHORT_INT = Datatype.pair(io.jmpi.Datatype.SHORT, 2, Datatype.SHORT_INT, "MPI.SHORT_INT");
    /** (long value, int index), used with {@link #longInt}. */
    public static final Datatype LONG_INT = Datatype.pair(io.jmpi.Datatype.LONG, 8, Datatype.LONG_INT, "MPI.LONG_INT");
    /** (float value, int index), used with {@link #floatInt}. */
    public static final Datatype FLOAT_INT = Datatype.pair(io.jmpi.Datatype.FLOAT, 4, Datatype.FLOAT_INT, "MPI.FLOAT_INT");
    /** (double value, int index), used with {@link #doubleInt}. */
    public static final Datatype DOUBLE_INT = Datatype.pair(io.jmpi.Datatype.DOUBLE, 8, Datatype.DOUBLE_INT, "MPI.DOUBLE_INT");

    public static final Int2 int2 = new Int2();
    public static final ShortInt shortInt = new ShortInt();
    public static final LongInt longInt = new LongInt();
    public static final FloatInt floatInt = new FloatInt();
    public static final DoubleInt doubleInt = new DoubleInt();

    public static final Request REQUEST_NULL = new Request(null, null);
    public static final Group GROUP_EMPTY = new Group(null);
    public static final Info INFO_NULL = new Info(new io.jmpi.Info()), INFO_ENV = new Info(new io.jmpi.Info());

    public static final Errhandler ERRORS_ARE_FATAL = new Errhandler(io.jmpi.Errhandler.ERRORS_ARE_FATAL),
            ERRORS_RETURN = new Errhandler(io.jmpi.Errhandler.ERRORS_RETURN);

    /** Open MPI's class has a public constructor (all its members are static); kept for compatibility. */
    public MPI() {
    }

    /** {@code MPI_Init}: starts this rank (from jmpirun's environment; a plain JVM is a job of one rank). */
    public static String[] Init(String[] args) throws MPIException {
        start("Init");
        return args;
    }

    /** {@code MPI_Init_thread}: jmpi always provides {@link #THREAD_MULTIPLE}. */
    public static int InitThread(String[] args, int required) throws MPIException {
        start("InitThread");
        return THREAD_MULTIPLE;
    }

    private static void start(String call) throws MPIException {
        Env e = LOCAL.get();
        if (e != null && !e.finalized) throw new MPIException(call + ": MPI is already initialized", ERR_OTHER, null);
        Mpi provided = PROVIDED.get();
        Mpi m = provided != null ? provided : Errors.run(() -> Mpi.init(new String[0]));
        Env env = new Env(m, provided != null);
        LOCAL.set(env);
        synchronized (MPI.class) {
            if (first == null || first.finalized) first = env;
        }
    }

    /** Lets a test harness run a program's {@code MPI.Init} on a rank it started itself (not closed by Finalize). */
    static void provide(Mpi mpi) {
        if (mpi == null) PROVIDED.remove();
        else PROVIDED.set(mpi);
    }

    /** The calling rank's state; an error naming {@code call} before Init or after Finalize. */
    static Env env(String call) throws MPIException {
        Env e = LOCAL.get();
        if (e == null) e = first;
        if (e == null) throw new MPIException(call + ": MPI is not initialized (call MPI.Init first)", ERR_OTHER, null);
        if (e.finalized) throw new MPIException(call + ": MPI is finalized", ERR_OTHER, null);
        return e;
    }

    private static Env current() {
        Env e = LOCAL.get();
        return e != null ? e : first;
    }

    /** {@code MPI_Query_thread}. */
    public static int queryThread() throws MPIException {
        env("queryThread");
        return THREAD_MULTIPLE;
    }

    /** {@code MPI_Is_thread_main}: true on the thread that called Init. */
    public static boolean isThreadMain() throws MPIException {
        env("isThreadMain");
        return true;
    }

    /** {@code MPI_Finalize}. */
    public static void Finalize() throws MPIException {
        Env e = env("Finalize");
        e.finalized = true;
        if (!e.adopted) Errors.run(() -> { e.mpi.close(); return null; });
    }

    /** {@code MPI_Initialized}. */
    public static boolean isInitialized() throws MPIException {
        return current() != null;
    }

    /** {@code MPI_Finalized}. */
    public static boolean isFinalized() throws MPIException {
        Env e = current();
        return e != null && e.finalized;
    }

    /** {@code MPI_Get_version}. */
    public static Version getVersion() {
        return new Version(VERSION, SUBVERSION);
    }

    /** {@code MPI_Get_library_version}. */
    public static String getLibVersion() {
        return "jmpi (Open MPI Java API adapter)";
    }

    /** {@code MPI_Wtime}. */
    public static double wtime() throws MPIException {
        return env("wtime").mpi.wtime();
    }

    /** {@code MPI_Wtick}. */
    public static double wtick() throws MPIException {
        return env("wtick").mpi.wtick();
    }

    /** {@code MPI_Get_processor_name}. */
    public static String getProcessorName() throws MPIException {
        return env("getProcessorName").mpi.processorName();
    }

    /** {@code MPI_Buffer_attach}: the buffer for buffered sends. */
    public static void attachBuffer(byte[] buffer) throws MPIException {
        Env e = env("attachBuffer");
        if (buffer == null) throw Errors.arg("attachBuffer: buffer is null");
        Errors.run(() -> { e.mpi.bufferAttach(ByteBuffer.wrap(buffer)); return null; });
        e.buffer = buffer;
    }

    /** {@code MPI_Buffer_detach}: waits until buffered messages left, returns the buffer. */
    public static byte[] detachBuffer() throws MPIException {
        Env e = env("detachBuffer");
        Errors.run(e.mpi::bufferDetach);
        byte[] b = e.buffer;
        e.buffer = null;
        return b;
    }

    /** {@code MPI_Pcontrol}: nothing to control. */
    public static void pControl(int level, Object obj) {
    }

    static int comparison(io.jmpi.Comparison c) {
        switch (c.name()) {
            case "IDENT": return IDENT;
            case "CONGRUENT": return CONGRUENT;
            case "SIMILAR": return SIMILAR;
            default: return UNEQUAL;
        }
    }

    /** A direct byte buffer in native order. */
    public static ByteBuffer newByteBuffer(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    public static CharBuffer newCharBuffer(int capacity) {
        ByteBuffer b = newByteBuffer(capacity * 2);
        return DirectViews.register(b.asCharBuffer(), b);
    }

    public static ShortBuffer newShortBuffer(int capacity) {
        ByteBuffer b = newByteBuffer(capacity * 2);
        return DirectViews.register(b.asShortBuffer(), b);
    }

    public static IntBuffer newIntBuffer(int capacity) {
        ByteBuffer b = newByteBuffer(capacity * 4);
        return DirectViews.register(b.asIntBuffer(), b);
    }

    public static LongBuffer newLongBuffer(int capacity) {
        ByteBuffer b = newByteBuffer(capacity * 8);
        return DirectViews.register(b.asLongBuffer(), b);
    }

    public static FloatBuffer newFloatBuffer(int capacity) {
        ByteBuffer b = newByteBuffer(capacity * 4);
        return DirectViews.register(b.asFloatBuffer(), b);
    }

    public static DoubleBuffer newDoubleBuffer(int capacity) {
        ByteBuffer b = newByteBuffer(capacity * 8);
        return DirectViews.register(b.asDoubleBuffer(), b);
    }

    /** A buffer sharing {@code buf}'s content from {@code offset}: how offsets are given in this API. */
    public static ByteBuffer slice(ByteBuffer buf, int offset) {
        return buf.duplicate().position(offset).slice().order(buf.order());
    }

    public static CharBuffer slice(CharBuffer buf, int offset) {
        CharBuffer s = buf.duplicate().position(offset).slice();
        ByteBuffer b = DirectViews.bytes(buf);
        return b == null ? s : DirectViews.register(s, MPI.slice(b, offset * 2));
    }

    public static ShortBuffer slice(ShortBuffer buf, int offset) {
        ShortBuffer s = buf.duplicate().position(offset).slice();
        ByteBuffer b = DirectViews.bytes(buf);
        return b == null ? s : DirectViews.register(s, MPI.slice(b, offset * 2));
    }

    public static IntBuffer slice(IntBuffer buf, int offset) {
        IntBuffer s = buf.duplicate().position(offset).slice();
        ByteBuffer b = DirectViews.bytes(buf);
        return b == null ? s : DirectViews.register(s, MPI.slice(b, offset * 4));
    }

    public static LongBuffer slice(LongBuffer buf, int offset) {
        LongBuffer s = buf.duplicate().position(offset).slice();
        ByteBuffer b = DirectViews.bytes(buf);
        return b == null ? s : DirectViews.register(s, MPI.slice(b, offset * 8));
    }

    public static FloatBuffer slice(FloatBuffer buf, int offset) {
        FloatBuffer s = buf.duplicate().position(offset).slice();
        ByteBuffer b = DirectViews.bytes(buf);
        return b == null ? s : DirectViews.register(s, MPI.slice(b, offset * 4));
    }

    public static DoubleBuffer slice(DoubleBuffer buf, int offset) {
        DoubleBuffer s = buf.duplicate().position(offset).slice();
        ByteBuffer b = DirectViews.bytes(buf);
        return b == null ? s : DirectViews.register(s, MPI.slice(b, offset * 8));
    }

    public static ByteBuffer slice(byte[] buf, int offset) {
        return ByteBuffer.wrap(buf, offset, buf.length - offset).slice().order(ByteOrder.nativeOrder());
    }

    public static CharBuffer slice(char[] buf, int offset) {
        return CharBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    public static ShortBuffer slice(short[] buf, int offset) {
        return ShortBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    public static IntBuffer slice(int[] buf, int offset) {
        return IntBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    public static LongBuffer slice(long[] buf, int offset) {
        return LongBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    public static FloatBuffer slice(float[] buf, int offset) {
        return FloatBuffer.wrap(buf, offset, buf.length - offset).slice();
    }

    public static DoubleBuffer slice(double[] buf, int offset) {
        return DoubleBuffer.wrap(buf, offset, buf.length - offset).slice();
    }
}
