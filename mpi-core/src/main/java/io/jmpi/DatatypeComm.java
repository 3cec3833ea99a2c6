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

    /** Buffered send of a datatype ({@code MPI_Bsend}): copied into the attached buffer ({@link Mpi#bufferAttach}). */
    public void bsend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        P2pModes.bsend(this, "bsend", buf(this, "bsend", "buf", buf, offset, count, type, false), dest, tag);
    }

    /** Non-blocking buffered send of a datatype ({@code MPI_Ibsend}). */
    public Request ibsend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return P2pModes.ibsend(this, "ibsend", buf(this, "ibsend", "buf", buf, offset, count, type, false), dest, tag);
    }

    /** Ready send of a datatype ({@code MPI_Rsend}): the matching receive must already be posted. */
    public void rsend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        P2pModes.rsend(this, "rsend", buf(this, "rsend", "buf", buf, offset, count, type, false), dest, tag);
    }

    /** Non-blocking ready send of a datatype ({@code MPI_Irsend}). */
    public Request irsend(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return P2pModes.irsend(this, "irsend", buf(this, "irsend", "buf", buf, offset, count, type, false), dest, tag);
    }


    /** Persistent synchronous send of a datatype ({@code MPI_Ssend_init}). */
    public Prequest ssendInit(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return P2pModes.sendInit(this, "ssendInit", buf(this, "ssendInit", "buf", buf, offset, count, type, false), dest, tag, P2pModes.SYNC);
    }

    /** Persistent buffered send of a datatype ({@code MPI_Bsend_init}). */
    public Prequest bsendInit(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return P2pModes.sendInit(this, "bsendInit", buf(this, "bsendInit", "buf", buf, offset, count, type, false), dest, tag, P2pModes.BUFFERED);
    }

    /** Persistent ready send of a datatype ({@code MPI_Rsend_init}). */
    public Prequest rsendInit(Object buf, int offset, int count, Datatype type, int dest, int tag) {
        return P2pModes.sendInit(this, "rsendInit", buf(this, "rsendInit", "buf", buf, offset, count, type, false), dest, tag, P2pModes.READY);
    }


    /** Sends {@code count} elements of {@code type} and receives into the same place ({@code MPI_Sendrecv_replace}). */
    public Status sendrecvReplace(Object buf, int offset, int count, Datatype type, int dest, int sendTag, int source,
                                  int recvTag) {
        return sendrecvReplace("sendrecvReplace", buf(this, "sendrecvReplace", "buf", buf, offset, count, type, true), dest,
                sendTag, source, recvTag);
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
        if (trace != null) traceBegin(call, async, root, count, type, null);
        CollectiveArgs.root(this, call, root, size);
        Block b = block(this, call, "buf", buf, offset, count, type, rank != root);
        if (viaShm(call, async, root, b.count, (long) b.count * b.type.size)) { // the typed bcast's rule (mixed forms)
            shm.bcast(call, b, root);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, root, b.count, null); // the typed bcast's rule too
        if (h != null) {
            h.bcast(buf, offset, count, type, root);
            return SHM_DONE;
        }
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
        if (trace != null) traceBegin(call, async, root, sendCount, sendType, null);
        CollectiveArgs.root(this, call, root, size);
        Block sb = block(this, call, "send", send, sendOffset, sendCount, sendType, false);
        Block rb = null;
        if (rank == root) {
            DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
            rb = block(this, call, "recv", recv, recvOffset, count(call, recvCount, size), recvType, true);
        }
        if (viaShm(call, async, root, sb.count, (long) sb.count * sb.type.size)) { // the typed gather's rule
            shm.gather(call, sb, rb, root);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, root, sb.count, null); // the typed gather's rule too
        if (h != null && h.fitsGather(sb.count)) {
            h.gather(call, sb.type, sb, rb, sb.count, root);
            return SHM_DONE;
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
        if (trace != null) traceBegin(call, async, root, sendCount, sendType, null);
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
        if (trace != null) traceBegin(call, async, -1, sendCount, sendType, null);
        Block sb = block(this, call, "send", send, sendOffset, sendCount, sendType, false);
        DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
        Block rb = block(this, call, "recv", recv, recvOffset, count(call, recvCount, size), recvType, true);
        int n = sb.count;
        if (viaShm(call, async, -1, n, (long) n * sb.type.size)) { // the typed allgather's rule
            shm.gather(call, sb, rb, -1);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, -1, n, null); // the typed allgather's rule too
        if (h != null && h.fitsGather(n)) {
            h.gather(call, sb.type, sb, rb, n, -1);
            return SHM_DONE;
        }
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
        if (trace != null) traceBegin(call, async, -1, sendCount, sendType, null);
        DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCount, recvType);
        Block sb = block(this, call, "send", send, sendOffset, count(call, sendCount, size), sendType, false);
        Block rb = block(this, call, "recv", recv, recvOffset, count(call, recvCount, size), recvType, true);
        if (send == recv) sb = contiguousCopy(sb); // in place: blocks are received while others are still to be sent
        Schedule s = schedule(call, -1, sb.count / size);
        AlltoallAlgorithms.alltoall(s, sb, rb, sb.count / size);
        return new EngineRequest(s.start(async), this);
    }

    // ------------------------------------------------------------------ v-variants on datatypes

    /**
     * Gathers {@code sendCount} elements of {@code sendType} from every rank at {@code root}: rank i's land as
     * {@code recvCounts[i]} elements of {@code recvType} at element {@code displs[i]} (in extents of recvType) from
     * {@code recvOffset} ({@code MPI_Gatherv}); recv arguments matter only at the root.
     */
    public void gatherv(Object send, int sendOffset, int sendCount, Datatype sendType,
                        Object recv, int recvOffset, int[] recvCounts, int[] displs, Datatype recvType, int root) {
        finish(startGatherv("gatherv", false, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCounts, displs, recvType, root));
    }

    /** Non-blocking datatype gatherv ({@code MPI_Igatherv}). */
    public Request igatherv(Object send, int sendOffset, int sendCount, Datatype sendType,
                            Object recv, int recvOffset, int[] recvCounts, int[] displs, Datatype recvType, int root) {
        return startGatherv("igatherv", true, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCounts, displs, recvType, root);
    }

    private Request startGatherv(String call, boolean async, Object send, int sendOffset, int sendCount, Datatype sendType,
                                 Object recv, int recvOffset, int[] recvCounts, int[] displs, Datatype recvType, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, sendCount, sendType, null);
        CollectiveArgs.root(this, call, root, size);
        Block sb = block(this, call, "send", send, sendOffset, sendCount, sendType, false);
        VBlock rb = null;
        if (rank == root) {
            rb = vblock(call, "recv", recv, recvOffset, recvCounts, "recvCounts", displs, "displs", recvType, true);
            DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCounts[root], recvType);
        }
        Schedule s = schedule(call, root, -1);
        GatherAlgorithms.gatherv(s, sb, rb == null ? null : rb.block, rb == null ? null : rb.counts, rb == null ? null : rb.displs, root);
        return new EngineRequest(s.start(async), this);
    }

    /**
     * Scatters {@code sendCounts[i]} elements of {@code sendType} at element {@code displs[i]} of the root's
     * {@code send} to rank i, which receives {@code recvCount} elements of {@code recvType} ({@code MPI_Scatterv});
     * send arguments matter only at the root.
     */
    public void scatterv(Object send, int sendOffset, int[] sendCounts, int[] displs, Datatype sendType,
                         Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        finish(startScatterv("scatterv", false, send, sendOffset, sendCounts, displs, sendType, recv, recvOffset, recvCount, recvType, root));
    }

    /** Non-blocking datatype scatterv ({@code MPI_Iscatterv}). */
    public Request iscatterv(Object send, int sendOffset, int[] sendCounts, int[] displs, Datatype sendType,
                             Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        return startScatterv("iscatterv", true, send, sendOffset, sendCounts, displs, sendType, recv, recvOffset, recvCount, recvType, root);
    }

    private Request startScatterv(String call, boolean async, Object send, int sendOffset, int[] sendCounts, int[] displs,
                                  Datatype sendType, Object recv, int recvOffset, int recvCount, Datatype recvType, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, recvCount, sendType, null);
        CollectiveArgs.root(this, call, root, size);
        Block rb = block(this, call, "recv", recv, recvOffset, recvCount, recvType, true);
        VBlock sb = null;
        if (rank == root) {
            sb = vblock(call, "send", send, sendOffset, sendCounts, "sendCounts", displs, "displs", sendType, false);
            DatatypeArgs.sameSignature(this, call, sendCounts[root], sendType, recvCount, recvType);
        }
        Schedule s = schedule(call, root, -1);
        GatherAlgorithms.scatterv(s, sb == null ? null : sb.block, rb, sb == null ? null : sb.counts, sb == null ? null : sb.displs, root);
        return new EngineRequest(s.start(async), this);
    }

    /** Gathers every rank's {@code sendCount} elements at every rank, rank i's at {@code displs[i]} ({@code MPI_Allgatherv}). */
    public void allgatherv(Object send, int sendOffset, int sendCount, Datatype sendType,
                           Object recv, int recvOffset, int[] recvCounts, int[] displs, Datatype recvType) {
        finish(startAllgatherv("allgatherv", false, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCounts, displs, recvType));
    }

    /** Non-blocking datatype allgatherv ({@code MPI_Iallgatherv}). */
    public Request iallgatherv(Object send, int sendOffset, int sendCount, Datatype sendType,
                               Object recv, int recvOffset, int[] recvCounts, int[] displs, Datatype recvType) {
        return startAllgatherv("iallgatherv", true, send, sendOffset, sendCount, sendType, recv, recvOffset, recvCounts, displs, recvType);
    }

    private Request startAllgatherv(String call, boolean async, Object send, int sendOffset, int sendCount, Datatype sendType,
                                    Object recv, int recvOffset, int[] recvCounts, int[] displs, Datatype recvType) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, sendCount, sendType, null);
        Block sb = block(this, call, "send", send, sendOffset, sendCount, sendType, false);
        VBlock rb = vblock(call, "recv", recv, recvOffset, recvCounts, "recvCounts", displs, "displs", recvType, true);
        DatatypeArgs.sameSignature(this, call, sendCount, sendType, recvCounts[rank], recvType);
        Schedule s = schedule(call, -1, -1);
        GatherAlgorithms.allgatherv(s, sb, rb.block, rb.counts, rb.displs);
        return new EngineRequest(s.start(async), this);
    }

    /**
     * Sends {@code sendCounts[j]} elements of {@code sendType} at element {@code sdispls[j]} to rank j, which receives
     * them as {@code recvCounts[rank]} elements of {@code recvType} at {@code rdispls[rank]} ({@code MPI_Alltoallv}).
     */
    public void alltoallv(Object send, int sendOffset, int[] sendCounts, int[] sdispls, Datatype sendType,
                          Object recv, int recvOffset, int[] recvCounts, int[] rdispls, Datatype recvType) {
        finish(startAlltoallv("alltoallv", false, send, sendOffset, sendCounts, sdispls, sendType, recv, recvOffset, recvCounts, rdispls, recvType));
    }

    /** Non-blocking datatype alltoallv ({@code MPI_Ialltoallv}). */
    public Request ialltoallv(Object send, int sendOffset, int[] sendCounts, int[] sdispls, Datatype sendType,
                              Object recv, int recvOffset, int[] recvCounts, int[] rdispls, Datatype recvType) {
        return startAlltoallv("ialltoallv", true, send, sendOffset, sendCounts, sdispls, sendType, recv, recvOffset, recvCounts, rdispls, recvType);
    }

    private Request startAlltoallv(String call, boolean async, Object send, int sendOffset, int[] sendCounts, int[] sdispls,
                                   Datatype sendType, Object recv, int recvOffset, int[] recvCounts, int[] rdispls, Datatype recvType) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, sendType, null);
        VBlock sb = vblock(call, "send", send, sendOffset, sendCounts, "sendCounts", sdispls, "sdispls", sendType, false);
        VBlock rb = vblock(call, "recv", recv, recvOffset, recvCounts, "recvCounts", rdispls, "rdispls", recvType, true);
        DatatypeArgs.sameSignature(this, call, sendCounts[rank], sendType, recvCounts[rank], recvType);
        Block in = send == recv ? contiguousCopy(sb.block) : sb.block; // in place: blocks arrive while others still go
        Schedule s = schedule(call, -1, -1);
        AlltoallAlgorithms.alltoallv(s, in, sb.counts, sb.displs, rb.block, rb.counts, rb.displs);
        return new EngineRequest(s.start(async), this);
    }

    /** The area of a v-collective's buffer and its per-rank counts and displacements in packed primitive elements. */
    private static final class VBlock {
        final Block block;
        final int[] counts;
        final int[] displs;

        VBlock(Block block, int[] counts, int[] displs) {
            this.block = block;
            this.counts = counts;
            this.displs = displs;
        }
    }

    /**
     * Checks per-rank {@code counts} and {@code displs} (in elements of {@code type}) and the buffer up to the furthest
     * block; a derived type's element k packs to primitive elements {@code [k * size, (k + 1) * size)}, so the
     * algorithms get the counts and displacements scaled by the type's size.
     */
    private VBlock vblock(String call, String arg, Object buf, int offset, int[] counts, String countsArg, int[] displs,
                          String displsArg, Datatype type, boolean write) {
        CollectiveArgs.counts(this, call, countsArg, counts, size, Integer.MAX_VALUE);
        if (displs == null) throw raise(ErrorClass.ARG, call + ": " + displsArg + " is null");
        if (displs.length != size) {
            throw raise(ErrorClass.ARG, call + ": " + displsArg + ".length=" + displs.length + " differs from the communicator size " + size);
        }
        long items = 0;
        for (int i = 0; i < size; i++) {
            if (displs[i] < 0) throw raise(ErrorClass.ARG, call + ": " + displsArg + "[" + i + "]=" + displs[i] + " out of range [0, " + Integer.MAX_VALUE + "]");
            items = Math.max(items, (long) displs[i] + counts[i]);
        }
        if (items > Integer.MAX_VALUE) {
            throw raise(ErrorClass.ARG, call + ": " + displsArg + " + " + countsArg + " reach element " + items + ", beyond " + Integer.MAX_VALUE);
        }
        Block b = block(this, call, arg, buf, offset, (int) items, type, write);
        int unit = items == 0 ? 0 : (int) (b.count / items); // primitive elements per element of type (size() is bytes)
        int[] pc = new int[size], pd = new int[size];
        for (int i = 0; i < size; i++) {
            pc[i] = counts[i] * unit; // within the block's packed int count, which block() checked
            pd[i] = displs[i] * unit;
        }
        return new VBlock(b, pc, pd);
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
        finish(startReduce(call, false, false, sb.type, in.array(), 0, out == null ? null : out.array(), 0, sb.count, op, root));
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
        finish(startAllreduce(call, false, false, sb.type, in.array(), 0, out.array(), 0, sb.count, op));
        Block.copy(out, 0, rb, 0, sb.count);
    }

    /** Non-blocking {@link #reduce(Object, int, Object, int, int, Datatype, Op, int)} ({@code MPI_Ireduce}). */
    public Request ireduce(Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op, int root) {
        String call = "ireduce";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Block sb = block(this, call, "send", send, sendOffset, count, type, false);
        Block rb = rank == root ? block(this, call, "recv", recv, recvOffset, count, type, true) : null;
        reductionType(call, type, op);
        Block in = contiguousCopy(sb);
        Block out = rank == root ? Block.allocate(sb.type, sb.count) : null;
        Request r = startReduce(call, true, sb.type, in.array(), 0, out == null ? null : out.array(), 0, sb.count, op, root);
        return rb == null ? r : new AfterRequest(r, () -> Block.copy(out, 0, rb, 0, sb.count));
    }

    /** Non-blocking {@link #allreduce(Object, int, Object, int, int, Datatype, Op)} ({@code MPI_Iallreduce}). */
    public Request iallreduce(Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op) {
        String call = "iallreduce";
        checkUsable(call);
        Block sb = block(this, call, "send", send, sendOffset, count, type, false);
        Block rb = block(this, call, "recv", recv, recvOffset, count, type, true);
        reductionType(call, type, op);
        Block in = contiguousCopy(sb);
        Block out = Block.allocate(sb.type, sb.count);
        Request r = startAllreduce(call, true, sb.type, in.array(), 0, out.array(), 0, sb.count, op);
        return new AfterRequest(r, () -> Block.copy(out, 0, rb, 0, sb.count));
    }

    private void reductionType(String call, Datatype type, Op op) {
        if (type.isStruct()) {
            throw raise(ErrorClass.TYPE, call + ": type " + type + " is a struct of mixed fields; reductions "
                    + "apply to types over one primitive type");
        }
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
    }

    // ------------------------------------------------------------------ reductions by block and prefix (DatatypeVectors)

    /**
     * Combines {@code sum(recvCounts)} elements of {@code type} from every rank with {@code op}; rank i keeps block i
     * ({@code recvCounts[i]} elements) ({@code MPI_Reduce_scatter}).
     */
    public void reduceScatter(Object send, int sendOffset, Object recv, int recvOffset, int[] recvCounts, Datatype type, Op op) {
        DatatypeVectors.reduceScatter(this, send, sendOffset, recv, recvOffset, recvCounts, type, op);
    }

    /** Inclusive prefix reduction of {@code count} elements of {@code type}: rank i gets ranks 0..i combined ({@code MPI_Scan}). */
    public void scan(Object send, int sendOffset, Object recv, int recvOffset, int count, Datatype type, Op op) {
        DatatypeVectors.scan(this, send, sendOffset, recv, recvOffset, count, type, op);
    }
}
