package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.Buf;
import io.jmpi.buffer.ByteBufferBuf;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Engine;
import io.jmpi.engine.Operation;
import io.jmpi.engine.RankMap;
import io.jmpi.engine.MessageInfo;
import io.jmpi.trace.Recorder;
import io.jmpi.trace.TraceFormat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * State and the generic point-to-point operations of a communicator, on engine buffers; {@link PointToPoint}
 * adds the typed overloads, {@link Comm} the communicator management. Every argument is checked before anything
 * is sent, and errors name the call, the argument, its value and the allowed range.
 */
abstract class AbstractComm {
    final Mpi mpi;
    final Engine engine;
    /** Context of point-to-point traffic; {@code context + 1} carries collectives. */
    final int context;
    final int rank;
    final int size;
    /** World rank of each rank of this communicator; null for the world itself. */
    final int[] worldRanks;
    final RankMap rankMap;
    final String name;
    volatile boolean freed;
    /** The rank's trace recorder, or null when tracing is off (docs/TOOLS.md): every hook is one branch on it. */
    final Recorder trace;
    /** The rank's correctness checks ({@code --check}), or null when off. */
    final Checks checks;
    /**
     * The last two collective argument blocks of each kind (0, 2: read; 1, 3: written) and the last combiner, handed out again to a call with the same
     * arguments so that a collective re-run on the same arrays allocates nothing (they keep the last arrays reachable,
     * as the collective cache does). Immutable values: a race between threads costs at most an allocation.
     */
    private final io.jmpi.coll.Block[] lastBlocks = new io.jmpi.coll.Block[4];
    private Op lastOp;
    private DataType lastOpType;
    private io.jmpi.coll.Combiner lastCombiner;

    AbstractComm(Mpi mpi, Engine engine, int context, int[] worldRanks, String name) {
        this.mpi = mpi;
        this.engine = engine;
        this.context = context;
        this.worldRanks = worldRanks;
        this.name = name;
        this.trace = engine.recorder;
        this.checks = mpi.checks;
        engine.nameContext(context, name);
        if (worldRanks == null) {
            this.size = engine.size();
            this.rank = engine.rank();
            this.rankMap = RankMap.IDENTITY;
        } else {
            this.size = worldRanks.length;
            int me = -1;
            int[] toLocal = new int[engine.size()];
            java.util.Arrays.fill(toLocal, -1);
            for (int i = 0; i < worldRanks.length; i++) {
                toLocal[worldRanks[i]] = i;
                if (worldRanks[i] == engine.rank()) me = i;
            }
            this.rank = me;
            this.rankMap = w -> w >= 0 && w < toLocal.length ? toLocal[w] : w;
        }
    }

    /** This process's rank in the communicator ({@code MPI_Comm_rank}). */
    public int rank() {
        return rank;
    }

    /** Number of ranks in the communicator ({@code MPI_Comm_size}). */
    public int size() {
        return size;
    }

    final int toWorld(int r) {
        return worldRanks == null ? r : worldRanks[r];
    }

    // ------------------------------------------------------------------ errors

    /** The communicator's error handler ({@link Comm}'s own; an {@link Intercomm}'s is its local group's). */
    abstract Errhandler handler();

    /**
     * With tracing on: a collective starts. A non-blocking one is recorded at once (its start); a blocking one when
     * {@code finish} completes it (CollectiveBase, InterBase). {@code type} is a {@link DataType} or a derived {@link Datatype}, {@code op} an
     * {@link Op}, either may be null; counts of -1 mean "varies per rank" (v-variants).
     */
    final void traceBegin(String call, boolean async, int root, long count, Object type, Object op) {
        long bytes = type instanceof DataType d && count >= 0 ? count * d.size : 0;
        String tn = type == null ? null : type.toString();
        String on = op == null ? null : op.toString();
        if (async) trace.collective(call, trace.now(), root, context + 1, count, bytes, tn, on);
        else trace.beginCollective(call, root, context + 1, count, bytes, tn, on);
    }

    /**
     * Applies the error handler to {@code e} and returns it to throw: under {@link Errhandler#ERRORS_ARE_FATAL}
     * the job is aborted first. The one place where a call's failure meets the handler: every check below, the
     * collective and datatype checks ({@link CollectiveArgs}, {@link DatatypeArgs}) and the completion of a request
     * ({@link EngineRequest}) go through it, so no public method needs a try/catch of its own. An error that only
     * reports an abort already under way (ABORTED) is not raised again.
     */
    final MpiException raise(MpiException e) {
        if (trace != null) trace.abandonCollectives(); // a collective that fails its checks leaves no open trace entry
        if (e.errorClass() != ErrorClass.ABORTED && handler() == Errhandler.ERRORS_ARE_FATAL) mpi.fatal(e);
        return e;
    }

    final MpiException raise(ErrorClass c, String message) {
        return raise(new MpiException(c, message));
    }

    // ------------------------------------------------------------------ argument checks

    final void checkUsable(String call) {
        try {
            mpi.checkOpen(call);
        } catch (MpiException e) {
            throw raise(e);
        }
        if (freed) throw raise(ErrorClass.STATE, call + ": communicator " + name + " has been freed");
    }

    final void checkDest(String call, String arg, int dest) {
        if (dest == Mpi.PROC_NULL) return;
        if (dest < 0 || dest >= size) {
            throw raise(ErrorClass.ARG, call + ": " + arg + "=" + dest + " out of range [0, " + size + ")"
                    + " (or PROC_NULL)");
        }
    }

    final void checkSource(String call, String arg, int source) {
        if (source == Mpi.PROC_NULL || source == Mpi.ANY_SOURCE) return;
        if (source < 0 || source >= size) {
            throw raise(ErrorClass.ARG, call + ": " + arg + "=" + source + " out of range [0, " + size + ")"
                    + " (or ANY_SOURCE, PROC_NULL)");
        }
    }

    final void checkSendTag(String call, String arg, int tag) {
        if (tag < 0) {
            throw raise(ErrorClass.ARG, call + ": " + arg + "=" + tag + " out of range [0, " + Mpi.TAG_UB + "]");
        }
    }

    final void checkRecvTag(String call, String arg, int tag) {
        if (tag < 0 && tag != Mpi.ANY_TAG) {
            throw raise(ErrorClass.ARG, call + ": " + arg + "=" + tag + " out of range [0, " + Mpi.TAG_UB
                    + "] (or ANY_TAG)");
        }
    }

    final void checkRange(String call, String arg, Object array, int length, int offset, int count) {
        MpiException e = rangeError(call, arg, array, length, offset, count);
        if (e != null) throw raise(e);
    }

    /** What is wrong with {@code array[offset, offset + count)}, or null; for callers that may have no communicator. */
    static MpiException rangeError(String call, String arg, Object array, int length, int offset, int count) {
        if (array == null) return new MpiException(ErrorClass.BUFFER, call + ": " + arg + " is null");
        if (offset < 0) {
            return new MpiException(ErrorClass.ARG, call + ": offset=" + offset + " out of range [0, " + length + "]");
        }
        if (count < 0) {
            return new MpiException(ErrorClass.ARG, call + ": count=" + count + " out of range [0, " + (length - offset) + "]");
        }
        if ((long) offset + count > length) {
            return new MpiException(ErrorClass.BUFFER, call + ": offset=" + offset + " + count=" + count
                    + " exceeds " + arg + " length " + length);
        }
        return null;
    }

    final Buf buffer(String call, String arg, ByteBuffer b) {
        if (b == null) throw raise(ErrorClass.BUFFER, call + ": " + arg + " is null");
        return new ByteBufferBuf(b);
    }

    // ------------------------------------------------------------------ generic point-to-point

    /** Per thread: the buffer descriptors of its blocking send and receive (no call keeps them once it returns). */
    private static final ThreadLocal<ArrayBuf[]> BLOCKING_BUFS =
            new ThreadLocal<>() { // not withInitial(lambda): linking a lambda costs every rank JVM's start-up
                @Override
                protected ArrayBuf[] initialValue() {
                    return new ArrayBuf[]{new ArrayBuf(DataType.BYTE, null, 0, 0), new ArrayBuf(DataType.BYTE, null, 0, 0)};
                }
            };

    /** Blocking send of a primitive array run, allocating nothing when the message goes out at once. */
    final void sendArray(String call, DataType type, Object array, int offset, int count, int dest, int tag, boolean sync) {
        ArrayBuf b = BLOCKING_BUFS.get()[0].set(type, array, offset, count);
        try {
            send(call, b, dest, tag, sync);
        } finally {
            b.set(type, null, 0, 0);
        }
    }

    /**
     * Blocking receive into a primitive array run; allocates nothing in steady state but the returned Status, and
     * nothing at all when the caller passes its own {@code into} (a {@link Status#Status()} it reuses).
     */
    final Status recvArray(String call, DataType type, Object array, int offset, int count, int source, int tag, Status into) {
        checkUsable(call);
        Status.checkFillable(call, into);
        checkSource(call, "source", source);
        checkRecvTag(call, "tag", tag);
        if (source == Mpi.PROC_NULL) return Status.fill(call, into, CompletedRequest.PROC_NULL.await());
        long t0 = trace == null ? 0 : trace.now();
        ArrayBuf b = BLOCKING_BUFS.get()[1].set(type, array, offset, count);
        try {
            int src = source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : toWorld(source);
            MessageInfo m = engine.recvBlocking(call, b, src, context, tag, rankMap);
            if (trace != null) traceReceived(call, t0, m);
            return Status.fill(call, into, m);
        } catch (MpiException e) {
            throw raise(e);
        } finally {
            b.set(type, null, 0, 0);
        }
    }

    /** Per thread: the buffer descriptors of its blocking ByteBuffer send and receive. */
    private static final ThreadLocal<ByteBufferBuf[]> BLOCKING_BYTE_BUFS =
            new ThreadLocal<>() {
                @Override
                protected ByteBufferBuf[] initialValue() {
                    return new ByteBufferBuf[]{new ByteBufferBuf(null), new ByteBufferBuf(null)};
                }
            };

    /** Blocking send of a ByteBuffer's bytes [position, limit); allocates nothing when the message goes out at once. */
    final void sendBytes(String call, ByteBuffer buf, int dest, int tag, boolean sync) {
        if (buf == null) throw raise(ErrorClass.BUFFER, call + ": buf is null");
        ByteBufferBuf b = BLOCKING_BYTE_BUFS.get()[0].set(buf);
        try {
            send(call, b, dest, tag, sync);
        } finally {
            b.set(null);
        }
    }

    /** Blocking receive into a ByteBuffer's bytes [position, limit); position advances by the bytes received. */
    final Status recvBytes(String call, ByteBuffer buf, int source, int tag, Status into) {
        if (buf == null) throw raise(ErrorClass.BUFFER, call + ": buf is null");
        checkUsable(call);
        Status.checkFillable(call, into);
        checkSource(call, "source", source);
        checkRecvTag(call, "tag", tag);
        if (source == Mpi.PROC_NULL) return Status.fill(call, into, CompletedRequest.PROC_NULL.await());
        long t0 = trace == null ? 0 : trace.now();
        ByteBufferBuf b = BLOCKING_BYTE_BUFS.get()[1].set(buf);
        try {
            int src = source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : toWorld(source);
            MessageInfo m = engine.recvBlocking(call, b, src, context, tag, rankMap);
            if (trace != null) traceReceived(call, t0, m);
            buf.position(buf.position() + (int) m.bytes());
            return Status.fill(call, into, m);
        } catch (MpiException e) {
            throw raise(e);
        } finally {
            b.set(null);
        }
    }

    final void send(String call, Buf b, int dest, int tag, boolean sync) {
        long t0 = trace == null ? 0 : trace.now();
        Operation op = startSend(call, b, dest, tag, sync);
        if (op != null) {
            try {
                op.await();
            } catch (MpiException e) {
                throw raise(e);
            }
            engine.release(op);
        }
        if (trace != null) traceP2p(call, t0, dest, tag, b.byteLength());
    }

    final Request isend(String call, Buf b, int dest, int tag, boolean sync) {
        long t0 = trace == null ? 0 : trace.now();
        Operation op = startSend(call, b, dest, tag, sync);
        if (trace != null) traceP2p(call, t0, dest, tag, b.byteLength());
        return op == null ? CompletedRequest.SEND : new EngineRequest(op, this);
    }

    // ------------------------------------------------------------------ trace hooks (called only when tracing is on)

    /** A point-to-point operation to or from {@code peer} (a rank of this communicator, or a wildcard) ended. */
    final void traceP2p(String call, long t0, int peer, int tag, long bytes) {
        int w = peer >= 0 && peer < size ? toWorld(peer) : -1;
        trace.op(TraceFormat.P2P, call, t0, w, tag, context, bytes, -1);
    }

    /** A blocking receive ended with the message {@code m}. */
    final void traceReceived(String call, long t0, MessageInfo m) {
        trace.op(TraceFormat.P2P, call, t0, m.worldSource(), m.tag(), context, m.bytes(), m.sequence());
    }

    private Operation startSend(String call, Buf b, int dest, int tag, boolean sync) {
        checkUsable(call);
        checkDest(call, "dest", dest);
        checkSendTag(call, "tag", tag);
        if (dest == Mpi.PROC_NULL) return null;
        try {
            return engine.startSend(call, b, toWorld(dest), context, tag, sync);
        } catch (MpiException e) {
            throw raise(e);
        }
    }

    final Status recv(String call, Buf b, int source, int tag) {
        return irecv(call, b, source, tag).await();
    }

    /** Non-blocking send of a primitive array run: allocates only the request, and none if the message went out at once. */
    final Request isendArray(String call, DataType type, Object array, int offset, int count, int dest, int tag, boolean sync) {
        checkUsable(call);
        checkDest(call, "dest", dest);
        checkSendTag(call, "tag", tag);
        if (dest == Mpi.PROC_NULL) return CompletedRequest.SEND;
        long t0 = trace == null ? 0 : trace.now();
        Operation op;
        try {
            op = engine.startSendArray(call, type, array, offset, count, toWorld(dest), context, tag, sync);
        } catch (MpiException e) {
            throw raise(e);
        }
        if (trace != null) traceP2p(call, t0, dest, tag, (long) count * type.size);
        if (op == null) return CompletedRequest.SEND;
        EngineRequest r = new EngineRequest(op, this);
        if (checks != null) checks.sendBuffer(r, call + " to rank " + dest + " tag " + tag, array, offset, count);
        return r;
    }

    /** The checks of a non-blocking receive; false for a receive from {@code PROC_NULL} (complete at once). */
    private boolean checkRecv(String call, int source, int tag) {
        checkUsable(call);
        checkSource(call, "source", source);
        checkRecvTag(call, "tag", tag);
        return source != Mpi.PROC_NULL;
    }

    /** Non-blocking receive into a primitive array run: allocates only the request (its operation is pooled). */
    final Request irecvArray(String call, DataType type, Object array, int offset, int count, int source, int tag) {
        if (!checkRecv(call, source, tag)) return CompletedRequest.PROC_NULL;
        int src = source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : toWorld(source);
        if (trace != null) traceP2p(call, trace.now(), source, tag, 0);
        try {
            return new EngineRequest(engine.startRecvArray(call, type, array, offset, count, src, context, tag, rankMap), this);
        } catch (MpiException e) {
            throw raise(e);
        }
    }

    final Request irecv(String call, Buf b, int source, int tag) {
        if (!checkRecv(call, source, tag)) return CompletedRequest.PROC_NULL;
        int src = source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : toWorld(source);
        if (trace != null) traceP2p(call, trace.now(), source, tag, 0);
        try {
            return new EngineRequest(engine.startRecvPooled(call, b, src, context, tag, rankMap), this);
        } catch (MpiException e) {
            throw raise(e);
        }
    }

    final Status sendrecv(String call, Buf sb, int dest, int sendTag, Buf rb, int source, int recvTag) {
        checkDest(call, "dest", dest);
        checkSendTag(call, "sendTag", sendTag);
        checkSource(call, "source", source);
        checkRecvTag(call, "recvTag", recvTag);
        Request r = irecv(call, rb, source, recvTag);
        Request s = isend(call, sb, dest, sendTag, false);
        s.await();
        return r.await();
    }

    final Status sendrecvReplace(String call, Buf b, int dest, int sendTag, int source, int recvTag) {
        if (b instanceof ArrayBuf) {
            // a typed copy: holds up to Integer.MAX_VALUE elements of any type (a byte[] copy stops at 2 GiB)
            ArrayBuf a = (ArrayBuf) b;
            Object copy = java.lang.reflect.Array.newInstance(a.array().getClass().getComponentType(), a.count());
            System.arraycopy(a.array(), a.offset(), copy, 0, a.count());
            return sendrecv(call, new ArrayBuf(a.type(), copy, 0, a.count()), dest, sendTag, b, source, recvTag);
        }
        long n = b.byteLength();
        if (n > BytesBuf.MAX_ARRAY) {
            throw raise(ErrorClass.BUFFER, call + ": message of " + n + " bytes exceeds the largest byte[] ("
                    + BytesBuf.MAX_ARRAY + ") of the temporary copy");
        }
        byte[] copy = new byte[(int) n];
        b.copyOut(0, ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN), (int) n);
        return sendrecv(call, BytesBuf.forSend(b.type(), copy), dest, sendTag, b, source, recvTag);
    }

    // ------------------------------------------------------------------ probe

    /** Waits for a matching message without receiving it ({@code MPI_Probe}); the status sizes a buffer. */
    public Status probe(int source, int tag) {
        String call = "probe";
        checkUsable(call);
        checkSource(call, "source", source);
        checkRecvTag(call, "tag", tag);
        if (source == Mpi.PROC_NULL) return CompletedRequest.PROC_NULL.await();
        long t0 = trace == null ? 0 : trace.now();
        MessageInfo m = engine.probe(call, source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : toWorld(source), context, tag, rankMap);
        if (trace != null) trace.op(TraceFormat.PROBE, call, t0, toWorld(m.source()), m.tag(), context, m.bytes(), -1);
        return Status.of(m);
    }

    /** Checks for a matching message without receiving it ({@code MPI_Iprobe}); null if none has arrived. */
    public Status iprobe(int source, int tag) {
        String call = "iprobe";
        checkUsable(call);
        checkSource(call, "source", source);
        checkRecvTag(call, "tag", tag);
        if (source == Mpi.PROC_NULL) return CompletedRequest.PROC_NULL.await();
        long t0 = trace == null ? 0 : trace.now();
        MessageInfo m = engine.iprobe(call, source == Mpi.ANY_SOURCE ? Engine.ANY_SOURCE : toWorld(source), context, tag, rankMap);
        if (trace != null) trace.op(TraceFormat.PROBE, call, t0, m == null ? -1 : toWorld(m.source()), m == null ? -1 : m.tag(), context, m == null ? 0 : m.bytes(), -1);
        return m == null ? null : Status.of(m);
    }

    // ------------------------------------------------------------------ object tier

    /** Sends an object, serialized by the job's codec (Java serialization by default). */
    public void sendObject(Object o, int dest, int tag) {
        send("sendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag, false);
    }

    /** Non-blocking {@link #sendObject}; the object is serialized before this returns. */
    public Request isendObject(Object o, int dest, int tag) {
        return isend("isendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag, false);
    }

    /** Synchronous {@link #sendObject} ({@code MPI_Ssend}): returns once the receive has matched. */
    public void ssendObject(Object o, int dest, int tag) {
        send("ssendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag, true);
    }

    /** Non-blocking synchronous {@link #sendObject} ({@code MPI_Issend}). */
    public Request issendObject(Object o, int dest, int tag) {
        return isend("issendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag, true);
    }

    /** Buffered {@link #sendObject} ({@code MPI_Bsend}): the serialized bytes go through the attached buffer. */
    public void bsendObject(Object o, int dest, int tag) {
        P2pModes.bsend(this, "bsendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag);
    }

    /** Non-blocking buffered {@link #sendObject} ({@code MPI_Ibsend}). */
    public Request ibsendObject(Object o, int dest, int tag) {
        return P2pModes.ibsend(this, "ibsendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag);
    }

    /** Ready {@link #sendObject} ({@code MPI_Rsend}): the matching receive must already be posted. */
    public void rsendObject(Object o, int dest, int tag) {
        P2pModes.rsend(this, "rsendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag);
    }

    /** Non-blocking ready {@link #sendObject} ({@code MPI_Irsend}). */
    public Request irsendObject(Object o, int dest, int tag) {
        return P2pModes.irsend(this, "irsendObject", BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(o)), dest, tag);
    }

    /** Receives an object sent by {@code sendObject}; no buffer sizing needed. */
    public <T> T recvObject(int source, int tag) {
        return this.<T>irecvObject(source, tag).object();
    }

    /** Non-blocking object receive; {@link ObjectRequest#object()} waits and returns it. */
    public <T> ObjectRequest<T> irecvObject(int source, int tag) {
        BytesBuf b = BytesBuf.forReceive(DataType.OBJECT);
        return new ObjectRequest<>(irecv("irecvObject", b, source, tag), b, mpi.codec());
    }

    /**
     * {@code MPI_Send} of the objects {@code buf[offset, offset + count)}, serialized together by the job's codec
     * (mpiJava's {@code MPI.OBJECT} buffers); a receive of an {@code Object[]} slice takes them.
     */
    public void send(Object[] buf, int offset, int count, int dest, int tag) {
        String call = "send";
        checkRange(call, "buf", buf, buf == null ? 0 : buf.length, offset, count);
        send(call, objects(buf, offset, count), dest, tag, false);
    }

    /** {@code MPI_Isend} of the objects {@code buf[offset, offset + count)}; they are serialized before this returns. */
    public Request isend(Object[] buf, int offset, int count, int dest, int tag) {
        String call = "isend";
        checkRange(call, "buf", buf, buf == null ? 0 : buf.length, offset, count);
        return isend(call, objects(buf, offset, count), dest, tag, false);
    }

    /**
     * {@code MPI_Recv} of up to {@code count} objects sent by {@link #send(Object[], int, int, int, int)} into
     * {@code buf[offset..]}; the status counts objects. More than {@code count} objects: TRUNCATE.
     */
    public Status recv(Object[] buf, int offset, int count, int source, int tag) {
        return receiveObjects("recv", buf, offset, count, source, tag).await();
    }

    /** {@code MPI_Irecv} of up to {@code count} objects into {@code buf[offset..]}; filled when the request completes. */
    public Request irecv(Object[] buf, int offset, int count, int source, int tag) {
        return receiveObjects("irecv", buf, offset, count, source, tag);
    }

    private Buf objects(Object[] buf, int offset, int count) {
        return BytesBuf.forSend(DataType.OBJECT, mpi.codec().encode(java.util.Arrays.copyOfRange(buf, offset, offset + count)));
    }

    private Request receiveObjects(String call, Object[] buf, int offset, int count, int source, int tag) {
        checkRange(call, "buf", buf, buf == null ? 0 : buf.length, offset, count);
        BytesBuf b = BytesBuf.forReceive(DataType.OBJECT);
        return new ObjectSliceRequest(this, call, irecv(call, b, source, tag), b, buf, offset, count);
    }

    /**
     * A block of {@code count} elements of {@code a} from absolute index {@code offset}, reused when it is one of the
     * last two of its slot (two: a hierarchical allreduce alternates a node reduce from the send array and a node
     * bcast of the receive array, both read at the leader).
     */
    final io.jmpi.coll.Block argBlock(int slot, DataType t, Object a, int offset, int count) {
        io.jmpi.coll.Block b = lastBlocks[slot];
        if (b != null && b.isOf(t, a, offset, count)) return b;
        io.jmpi.coll.Block older = lastBlocks[slot + 2];
        if (older != null && older.isOf(t, a, offset, count)) {
            lastBlocks[slot + 2] = b;
            lastBlocks[slot] = older;
            return older;
        }
        lastBlocks[slot + 2] = b;
        b = io.jmpi.coll.Block.of(t, a, offset, count);
        lastBlocks[slot] = b;
        return b;
    }

    /** The combiner of {@code op} on {@code t} (checked), reused when it is the last one. */
    final io.jmpi.coll.Combiner combiner(Op op, DataType t) {
        io.jmpi.coll.Combiner c;
        synchronized (lastBlocks) {
            if (op == lastOp && t == lastOpType) return lastCombiner;
        }
        c = CollectiveArgs.combiner(op, t);
        synchronized (lastBlocks) {
            lastOp = op;
            lastOpType = t;
            lastCombiner = c;
        }
        return c;
    }
}
