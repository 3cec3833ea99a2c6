package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ByteBufferBuf;
import io.jmpi.coll.AlltoallAlgorithms;
import io.jmpi.coll.BcastAlgorithms;
import io.jmpi.coll.Block;
import io.jmpi.coll.GatherAlgorithms;
import io.jmpi.coll.Progress;
import io.jmpi.coll.Schedule;
import io.jmpi.engine.Engine;

import java.nio.ByteBuffer;

import static io.jmpi.DatatypeArgs.block;
import static io.jmpi.DatatypeArgs.buf;

/**
 * The operations of a communicator that take a {@link Datatype} (mpiJava style: {@code buf, offset, count, type},
 * with {@code offset} in elements of the type's base type, bytes for a struct or a ByteBuffer's struct view).
 * Point-to-point and bcast/gather/scatter/allgather/alltoall move the type's runs directly between the user's
 * buffer and the frames; reductions pack into a contiguous scratch array per call and unpack the result (pooled
 * scratch comes with zero-allocation collectives).
 */
abstract class DatatypeComm extends ObjectCollectives {
    DatatypeComm(Mpi mpi, Engine engine, int context, int[] worldRanks, String name, Progress progress) {
        super(mpi, engine, context, worldRanks, name, progress);
    }

    // ------------------------------------------------------------------ point-to-point

    /** Sends {@code count} elements of {@code type} at {@code offset} of {@code buf} ({@code MPI_Send}). */
    public void send(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        send("send", buf(this, "send", "buf", buf, offset, count, type, false), dest, tag, false);
    }

    /** Synchronous send of a datatype ({@code MPI_Ssend}): returns once the receive has matched. */
    public void ssend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        send("ssend", buf(this, "ssend", "buf", buf, offset, count, type, false), dest, tag, true);
    }

    /** Non-blocking send of a datatype ({@code MPI_Isend}); leave the buffer alone until the request completes. */
    public Request isend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return isend("isend", buf(this, "isend", "buf", buf, offset, count, type, false), dest, tag, false);
    }

    /** Non-blocking synchronous send of a datatype ({@code MPI_Issend}). */
    public Request issend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return isend("issend", buf(this, "issend", "buf", buf, offset, count, type, false), dest, tag, true);
    }

    /** Receives up to {@code count} elements of {@code type} into {@code buf} at {@code offset} ({@code MPI_Recv}). */
    public Status recv(Object buf, int offset, int count, Datatype type, int source, int tag) {
        return recv("recv", buf(this, "recv", "buf", buf, offset, count, type, true), source, tag);
    }

    /** Non-blocking receive of a datatype ({@code MPI_Irecv}). */
    public Request irecv(Object buf, int offset, int count, Datatype type, int source, int tag) {
        return irecv("irecv", buf(this, "irecv", "buf", buf, offset, count, type, true), source, tag);
    }

    /**
     * A persistent send of {@code count} elements of {@code type} at {@code offset} of {@code buf}
     * ({@code MPI_Send_init}): arguments are checked once; each {@link Prequest#start} sends the buffer's contents then.
     */
    public Prequest sendInit(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        String call = "sendInit";
        return P2pModes.sendInit(this, call, buf(this, call, "buf", buf, offset, count, type, false), dest, tag, P2pModes.STANDARD);
    }

    /** A persistent receive of up to {@code count} elements of {@code type} into {@code buf} ({@code MPI_Recv_init}). */
    public Prequest recvInit(Object buf, int offset, int count, Datatype type, int source, int tag) {
        String call = "recvInit";
        return P2pModes.recvInit(this, call, buf(this, call, "buf", buf, offset, count, type, true), source, tag);
    }

    /** Sends one datatype message and receives another ({@code MPI_Sendrecv}). */
    public Status sendrecv(Object sendBuf, int sendOffset, int sendCount, Datatype sendType, int dest, int sendTag,
                           Object recvBuf, int recvOffset, int recvCount, Datatype recvType, int source, int recvTag) {
        String call = "sendrecv";
        return sendrecv(call, buf(this, call, "sendBuf", sendBuf, sendOffset, sendCount, sendType, false), dest, sendTag,
                buf(this, call, "recvBuf", recvBuf, recvOffset, recvCount, recvType, true), source, recvTag);
    }

    // ------------------------------------------------------------------ pack

    /** Packs {@code count} elements of {@code type} into {@code out} from {@code position} ({@code MPI_Pack}); returns the new position. */
    public int pack(Object in, int offset, int count, Datatype type, byte[] out, int position) {
        return checked("pack", type).pack(in, offset, count, out, position);
    }

    /** Unpacks {@code count} elements of {@code type} from {@code in} at {@code position} ({@code MPI_Unpack}); returns the new position. */
    public int unpack(byte[] in, int position, Object out, int offset, int count, Datatype type) {
        return checked("unpack", type).unpack(in, position, out, offset, count);
    }

    /** Bytes that packing {@code count} elements of {@code type} needs ({@code MPI_Pack_size}). */
    public int packSize(int count, Datatype type) {
        return checked("packSize", type).packSize(count);
    }

    /**
     * Receives a message of any element type as its packed bytes into {@code buf[offset, offset + count)}
     * ({@code MPI_Recv} with {@code MPI_PACKED}); {@link #unpack} then takes it apart. {@link Status#bytes()} is
     * the number of bytes received.
     */
    public Status recvPacked(byte[] buf, int offset, int count, int source, int tag) {
        return irecvPacked(buf, offset, count, source, tag).await();
    }

    /** Non-blocking {@link #recvPacked} ({@code MPI_Irecv} with {@code MPI_PACKED}). */
    public Request irecvPacked(byte[] buf, int offset, int count, int source, int tag) {
        String call = "recvPacked";
        checkRange(call, "buf", buf, buf == null ? 0 : buf.length, offset, count);
        return irecv(call, new ByteBufferBuf(ByteBuffer.wrap(buf, offset, count)), source, tag);
    }

    private Datatype checked(String call, Datatype type) {
        if (type == null) throw raise(ErrorClass.ARG, call + ": type is null");
        return type;
    }

    // ------------------------------------------------------------------ collectives on the runs

    /** Broadcasts {@code count} elements of {@code type} from {@code root} ({@code MPI_Bcast}). */
    public void bcast(Object buf, int offset, int count, Datatype type, int root) {
        finish(startBcast("bcast", false, buf, offset, count, type, root));
    }

    /** Non-blocking {@link #bcast(Object, int, int, Datatype, int)} ({@code MPI_Ibcast}). */
    public Request ibcast(Object buf, int offset, int count, Datatype type, int root) {
        return startBcast("ibcast", true, buf, offset, count, type, root);
    }

    private Request startBcast(String call, boolean async, Object buf, int offset, int count, Datatype type, int root) {
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Block b = block(this, call, "buf", buf, offset, count, type, rank != root);
        Schedule s = schedule(call, root, b.count);
        BcastAlgorithms.bcast(s, b, root);
        return new EngineRequest(s.start(async), this);
    }

    /**
     * Gathers {@code sendCount} elements of {@code sendType} from every rank at {@code root}, rank i's at element
     * {@code i * recvCount} of {@code recvType} from {@code recvOffset} ({@code MPI_Gather}); recv arguments matter
     * only at the root.
     */
    public void gather(Object send, int sendOffset, int sendCount, Datatype sendType,
                       Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        finish(startGather("gather", false, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType, root));
    }

    /** Non-blocking datatype gather ({@code MPI_Igather}). */
    public Request igather(Object send, int sendOffset, int sendCount, Datatype sendType,
                           Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        return startGather("igather", true, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType, root);
    }

    private Request startGather(String call, boolean async, Object send, int sendOffset, int sendCount, Datatype sendType,
                                Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Block sb = block(this, call, "send", send, sendOffset, sendCount, sendType, false);
        Block rb = null;
        if (rank == root) {
            DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
            rb = block(this, call, "recv", recv, recvOffset, count(call, recvCount, size), recvType, true);
        }
        Schedule s = schedule(call, root, sb.count);
        GatherAlgorithms.gather(s, sb, rb, root);
        return new EngineRequest(s.start(async), this);
    }

    /**
     * Scatters block i ({@code sendCount} elements of {@code sendType} at element {@code i * sendCount}) of the
     * root's {@code send} to rank i ({@code MPI_Scatter}); send arguments matter only at the root.
     */
    public void scatter(Object send, int sendOffset, int sendCount, Datatype sendType,
                        Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        finish(startScatter("scatter", false, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType, root));
    }

    /** Non-blocking datatype scatter ({@code MPI_Iscatter}). */
    public Request iscatter(Object send, int sendOffset, int sendCount, Datatype sendType,
                            Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        return startScatter("iscatter", true, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType, root);
    }

    private Request startScatter(String call, boolean async, Object send, int sendOffset, int sendCount, Datatype sendType,
                                 Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Block rb = block(this, call, "recv", recv, recvOffset, recvCount, recvType, true);
        Block sb = null;
        if (rank == root) {
            DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
            sb = block(this, call, "send", send, sendOffset, count(call, sendCount, size), sendType, false);
        }
        Schedule s = schedule(call, root, rb.count);
        GatherAlgorithms.scatter(s, sb, rb, root);
        return new EngineRequest(s.start(async), this);
    }

    /** Gathers {@code sendCount} elements of {@code sendType} from every rank at every rank ({@code MPI_Allgather}). */
    public void allgather(Object send, int sendOffset, int sendCount, Datatype sendType,
                          Object recv, int recvOffset, int recvCount, Datatype recvType) {
        finish(startAllgather("allgather", false, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType));
    }

    /** Non-blocking datatype allgather ({@code MPI_Iallgather}). */
    public Request iallgather(Object send, int sendOffset, int sendCount, Datatype sendType,
                              Object recv, int recvOffset, int recvCount, Datatype recvType) {
        return startAllgather("iallgather", true, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType);
    }

    private Request startAllgather(String call, boolean async, Object send, int sendOffset, int sendCount, Datatype sendType,
                                   Object recv, int recvOffset, int recvCount, Datatype recvType) {
        checkUsable(call);
        Block sb = block(this, call, "send", send, sendOffset, sendCount, sendType, false);
        DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
        Block rb = block(this, call, "recv", recv, recvOffset, count(call, recvCount, size), recvType, true);
        int n = sb.count;
        int[] counts = new int[size], displs = new int[size];
        for (int i = 0; i < size; i++) {
            counts[i] = n;
            displs[i] = i * n;
        }
        Schedule s = schedule(call, -1, n);
        GatherAlgorithms.allgatherv(s, sb, rb, counts, displs);
        return new EngineRequest(s.start(async), this);
    }

    /**
     * Sends block j ({@code sendCount} elements of {@code sendType} at element {@code j * sendCount}) to rank j,
     * which receives it as its block {@code rank} ({@code MPI_Alltoall}).
     */
    public void alltoall(Object send, int sendOffset, int sendCount, Datatype sendType,
                         Object recv, int recvOffset, int recvCount, Datatype recvType) {
        finish(startAlltoall("alltoall", false, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType));
    }

    /** Non-blocking datatype all-to-all ({@code MPI_Ialltoall}). */
    public Request ialltoall(Object send, int sendOffset, int sendCount, Datatype sendType,
                             Object recv, int recvOffset, int recvCount, Datatype recvType) {
        return startAlltoall("ialltoall", true, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCount, recvType);
    }

    private Request startAlltoall(String call, boolean async, Object send, int sendOffset, int sendCount, Datatype sendType,
                                  Object recv, int recvOffset, int recvCount, Datatype recvType) {
        checkUsable(call);
        DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
        Block sb = block(this, call, "send", send, sendOffset, count(call, sendCount, size), sendType, false);
        Block rb = block(this, call, "recv", recv, recvOffset, count(call, recvCount, size), recvType, true);
        if (send == recv) sb = contiguousCopy(sb); // in place: blocks are received while others are still to be sent
        Schedule s = schedule(call, -1, sb.count / size);
        AlltoallAlgorithms.alltoall(s, sb, rb, sb.count / size);
        return new EngineRequest(s.start(async), this);
    }

    /** {@code perRank} elements for each of {@code size} ranks, within an int. */
    private int count(String call, int perRank, int size) {
        long n = (long) perRank * size;
        if (n > Integer.MAX_VALUE) {
            throw raise(ErrorClass.ARG, call + ": count=" + perRank + " x " + size + " ranks exceeds " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    private static Block contiguousCopy(Block b) {
        Block c = Block.allocate(b.type, b.count);
        Block.copy(b, 0, c, 0, b.count);
        return c;
    }

    // ------------------------------------------------------------------ reductions (packed scratch)

    /**
     * Combines {@code count} elements of {@code type} from every rank with {@code op}, elementwise over the
     * primitive elements the type selects, into {@code recv} of {@code root} ({@code MPI_Reduce}).
     */
    public void reduce(Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op, int root) {
        String call = "reduce";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Block sb = block(this, call, "send", send, sendOffset, count, type, false);
        Block rb = rank == root ? block(this, call, "recv", recv, recvOffset, count, type, true) : null;
        reductionType(call, type, op);
        Block in = contiguousCopy(sb);
        Block out = rank == root ? Block.allocate(sb.type, sb.count) : null;
        finish(startReduce(call, false, sb.type, in.array(), 0, out == null ? null : out.array(), 0, sb.count, op, root));
        if (rb != null) Block.copy(out, 0, rb, 0, sb.count);
    }

    /** {@link #reduce(Object, int, Object, int, int, Datatype, Op, int)} with the result at every rank ({@code MPI_Allreduce}). */
    public void allreduce(Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op) {
        String call = "allreduce";
        checkUsable(call);
        Block sb = block(this, call, "send", send, sendOffset, count, type, false);
        Block rb = block(this, call, "recv", recv, recvOffset, count, type, true);
        reductionType(call, type, op);
        Block in = contiguousCopy(sb);
        Block out = Block.allocate(sb.type, sb.count);
        finish(startAllreduce(call, false, sb.type, in.array(), 0, out.array(), 0, sb.count, op));
        Block.copy(out, 0, rb, 0, sb.count);
    }

    private void reductionType(String call, Datatype type, Op op) {
        if (type.isStruct()) {
            throw raise(ErrorClass.TYPE, call + ": type " + type + " is a struct of mixed fields; reductions "
                    + "apply to types over one primitive type");
        }
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
    }
}
