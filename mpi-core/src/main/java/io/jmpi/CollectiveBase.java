package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.coll.AlltoallAlgorithms;
import io.jmpi.coll.BcastAlgorithms;
import io.jmpi.coll.Block;
import io.jmpi.coll.Channel;
import io.jmpi.coll.Combiner;
import io.jmpi.coll.GatherAlgorithms;
import io.jmpi.coll.ObjectAlgorithms;
import io.jmpi.coll.Progress;
import io.jmpi.coll.ReduceAlgorithms;
import io.jmpi.coll.Schedule;
import io.jmpi.coll.ShmCollectives;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.engine.Engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

import static io.jmpi.CollectiveArgs.blocks;
import static io.jmpi.CollectiveArgs.region;
import static io.jmpi.CollectiveArgs.vector;

/**
 * The collectives of a communicator on untyped buffers: argument checks, then a {@link Schedule} built by the
 * algorithms of {@code io.jmpi.coll} and started; blocking calls await it. {@link Collectives} adds the typed
 * overloads, {@link ObjectCollectives} the object tier, this class the barrier.
 *
 * <p>In place ({@code MPI_IN_PLACE}). Java has no special pointer, so the same array expresses it: pass the same
 * array (and offset) as send and receive buffer. Every algorithm reads all of its input before it writes its output
 * where the two may overlap: allreduce, reduce (at the root), scan and exscan with {@code send == recv}; gather and
 * allgather with the send range equal to this rank's block of the receive buffer; scatter with the receive range
 * equal to the root's block of the send buffer; alltoall(v) with the same array (the input is copied first).
 * Convenience overloads such as {@code allreduce(buf, op)} do this.
 */
abstract class CollectiveBase extends PointToPoint {
    /** What a blocking collective that ran on the shared-memory component returns. */
    static final Request SHM_DONE = new CompletedRequest(Status.EMPTY);

    final Progress progress;
    final Channel coll;
    /** The shared-memory component (ranks of one host over the shm transport), or null; chosen once, here. */
    final ShmCollectives shm;

    CollectiveBase(Mpi mpi, Engine engine, int context, int[] worldRanks, String name, Progress progress) {
        super(mpi, engine, context, worldRanks, name);
        this.progress = progress;
        this.coll = new Channel(engine, context + 1, rank, size, worldRanks, rankMap, progress, name);
        this.shm = mpi.shmCollectives(coll, context, worldRanks, progress);
        this.hierEligible = shm == null && mpi.hierarchical(worldRanks);
    }

    /**
     * Whether the blocking barrier, bcast, reduce, allreduce, gather and allgather may take the hierarchical path
     * ({@link Hierarchy}: ranks on several hosts, some host with two or more, collHier=auto); decided once, here, from
     * what all members know alike.
     */
    private final boolean hierEligible;
    /** The node and leader communicators, made at the first collective that takes the hierarchical path. */
    Hierarchy hier;
    /** True while {@link #hier} is being made: the splits' own collectives on this communicator run flat. */
    private boolean hierBuilding;

    /**
     * The hierarchy for a collective, or null for the flat schedules: non-blocking collectives, communicators of one
     * host (or of one rank per host), non-commutative operations ({@code op} null: no reduction) and the collectives
     * that build it take the flat path. Like {@link #viaShm} it depends only on what all ranks share. Builds the
     * hierarchy at its first use (collective over this communicator, which all ranks are calling).
     */
    final Hierarchy hierarchy(String call, boolean async, int root, long count, Op op) {
        if (async || !hierEligible || hierBuilding) return null;
        if (op != null && !op.commutative()) return null;
        if (progress.tuning().check) verify(call, root, count);
        Hierarchy h = hier;
        if (h == null) {
            hierBuilding = true;
            try {
                hier = h = Hierarchy.build((Comm) this, call);
            } finally {
                hierBuilding = false;
            }
        }
        return h;
    }

    /**
     * Whether a collective runs on the shared-memory component: blocking, of at most collShmMax bytes per rank, on a
     * communicator that has one (non-blocking ones keep the schedules). With collCheck=on the check runs first.
     *
     * <p>The one rule for every buffer form. It depends only on what all ranks know alike: the call, the bytes of
     * the type signature per rank ({@code count} primitive elements, packed: the same for a typed array and a derived
     * {@link Datatype} of that signature) and the communicator, never on the form a rank passed. So every form of a
     * collective the component runs (the typed overloads here, the Datatype forms of {@link DatatypeComm}) must ask
     * it with the packed count and bytes: ranks of one call may pass different forms (MPI only asks for matching type
     * signatures), and if one took a schedule while another took the component, the component's epochs would shift
     * and later collectives read the wrong slots (wrong data, or a hang).
     */
    final boolean viaShm(String call, boolean async, int root, long count, long bytes) {
        if (async || shm == null || !shm.accepts(bytes)) return false;
        if (progress.tuning().check) verify(call, root, count);
        return true;
    }

    /** The compiled blocking collectives of this communicator (see {@link CollectiveCache}). */
    final CollectiveCache collCache = new CollectiveCache();

    /**
     * The re-run of the cached blocking collective with exactly these arguments ({@code call} a literal), or null.
     * A hit skips argument checks and schedule building: the same arguments passed them when the entry was made.
     */
    final Request cached(boolean async, String call, int root, DataType t, Object op, long count, Object send,
                         int sendOffset, Object recv, int recvOffset) {
        if (async || progress.tuning().check) return null;
        CollectiveCache.Entry e = collCache.hit(call, root, t, op, count, send, keyOffset(send, sendOffset),
                keyLimit(send), recv, keyOffset(recv, recvOffset), keyLimit(recv));
        return e == null ? null : e.rerun();
    }

    /**
     * Starts {@code s}; a blocking one is kept in the cache under these arguments for the next identical call. The
     * schedule of a persistent collective (a {@code call} ending in "Init") is returned unstarted instead, for
     * {@link P2pModes#collectiveInit}.
     */
    final Request run(Schedule s, boolean async, String call, int root, DataType t, Object op, long count, Object send,
                      int sendOffset, Object recv, int recvOffset) {
        if (call.endsWith("Init")) return new Unstarted(this, s);
        CollectiveCache.Entry e = async || progress.tuning().check ? null : collCache.slot();
        if (e == null) return new EngineRequest(s.start(async));
        e.call = call;
        e.root = root;
        e.type = t;
        e.op = op;
        e.count = count;
        e.send = send;
        e.sendOffset = keyOffset(send, sendOffset);
        e.sendLimit = keyLimit(send);
        e.recv = recv;
        e.recvOffset = keyOffset(recv, recvOffset);
        e.recvLimit = keyLimit(recv);
        return e.run(s);
    }

    /** The schedule of a persistent collective, built by its init call and not started (never seen by callers). */
    static final class Unstarted implements Request {
        final CollectiveBase comm;
        final Schedule schedule;

        Unstarted(CollectiveBase comm, Schedule schedule) {
            this.comm = comm;
            this.schedule = schedule;
        }

        @Override public Status await() { throw new IllegalStateException(schedule.call() + ": not started"); }
        @Override public Status test() { throw new IllegalStateException(schedule.call() + ": not started"); }
        @Override public boolean isDone() { return false; }
        @Override public boolean cancel() { return false; }
    }

    private static int keyOffset(Object a, int off) {
        return a instanceof java.nio.ByteBuffer b ? b.position() + off : off;
    }

    private static int keyLimit(Object a) {
        return a instanceof java.nio.ByteBuffer b ? b.limit() : -1;
    }

    /**
     * Completes a blocking collective; with tracing on, records it (begun by {@link #traceBegin}, which runs before
     * the argument checks: a call that throws there never reaches this, and its staged entry is never recorded).
     */
    final void finish(Request r) {
        if (trace == null) {
            r.await();
            return;
        }
        trace.enterCollective(); // the call passed its checks (one that throws never gets here: its entry is dropped)
        try {
            r.await();
        } finally {
            trace.endCollective();
        }
    }

    static void finish(io.jmpi.engine.Completion c) {
        c.await();
    }

    /** Elements per rank when the whole of {@code a} is cut into one block per rank. */
    final int perRank(String call, String arg, Object a) {
        return CollectiveArgs.perRank(this, call, arg, a, size);
    }

    /** Blocks until every rank of the communicator has called it ({@code MPI_Barrier}). */
    public void barrier() {
        finish(startBarrier("barrier", false));
    }

    /** Non-blocking barrier ({@code MPI_Ibarrier}): completes once every rank has started it. */
    public Request ibarrier() {
        return startBarrier("ibarrier", true);
    }

    /**
     * A persistent barrier ({@code MPI_Barrier_init}): each {@link Prequest#start()} runs a non-blocking barrier. Like
     * every persistent collective here, its schedule is built at init and re-run by each start, allocating nothing
     * ({@link PersistentSchedule}).
     */
    public Prequest barrierInit() {
        checkUsable("barrierInit");
        return P2pModes.collectiveInit("barrierInit", () -> startBarrier("barrierInit", true));
    }

    // ------------------------------------------------------------------ generic collectives (typed overloads call these)

    final Request startBarrier(String call, boolean async) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, null, null);
        if (checks != null) checkCollective(call, -1, -1, null, null);
        Request hit = cached(async, call, -1, null, null, 0, null, 0, null, 0);
        if (hit != null) return hit;
        if (viaShm(call, async, -1, -1, 0)) {
            shm.barrier(call);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, -1, -1, null);
        if (h != null) {
            h.barrier(call);
            return SHM_DONE;
        }
        Schedule s = schedule(call, -1, -1);
        BcastAlgorithms.barrier(s);
        return run(s, async, call, -1, null, null, 0, null, 0, null, 0);
    }

    final Request startBcast(String call, boolean async, DataType t, Object buf, int offset, int count, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, null);
        if (checks != null) checkCollective(call, root, count, t, null);
        CollectiveArgs.root(this, call, root, size);
        Request hit = cached(async, call, root, t, null, count, buf, offset, null, 0);
        if (hit != null) return hit;
        Block b = region(this, call, "buf", "offset", "count", t, buf, offset, count, rank != root);
        if (viaShm(call, async, root, count, (long) count * t.size)) {
            shm.bcast(call, b, root);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, root, count, null);
        if (h != null) {
            h.bcast(call, t, buf, offset, count, root);
            return SHM_DONE;
        }
        Schedule s = schedule(call, root, count);
        BcastAlgorithms.bcast(s, b, root);
        return run(s, async, call, root, t, null, count, buf, offset, null, 0);
    }

    final Request startReduce(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                              int recvOffset, int count, Op op, int root) {
        return startReduce(call, async, true, t, send, sendOffset, recv, recvOffset, count, op, root);
    }

    /**
     * {@code keep=false}: not through the {@link CollectiveCache}, for callers that pass scratch arrays of their own
     * (the Datatype reductions, internal agreements): a new array per call never hits, and an entry would evict the
     * caller's compiled collectives and keep the scratch (up to 8 message-sized arrays) alive.
     */
    final Request startReduce(String call, boolean async, boolean keep, DataType t, Object send, int sendOffset,
                              Object recv, int recvOffset, int count, Op op, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, op);
        if (checks != null) checkCollective(call, root, count, t, op);
        CollectiveArgs.root(this, call, root, size);
        Request hit = keep ? cached(async, call, root, t, op, count, send, sendOffset, recv, recvOffset) : null;
        if (hit != null) return hit;
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = rank == root ? region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true) : null;
        Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
        if (viaShm(call, async, root, count, (long) count * t.size)) {
            shm.reduce(call, c, sb, rb, root);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, root, count, op);
        if (h != null) {
            h.reduce(call, t, send, sendOffset, recv, recvOffset, rb, count, op, root);
            return SHM_DONE;
        }
        Schedule s = schedule(call, root, count);
        ReduceAlgorithms.reduce(s, c, sb, rb, root);
        if (!keep) return new EngineRequest(s.start(async), this);
        return run(s, async, call, root, t, op, count, send, sendOffset, recv, recvOffset);
    }

    final Request startAllreduce(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                                 int recvOffset, int count, Op op) {
        return startAllreduce(call, async, true, t, send, sendOffset, recv, recvOffset, count, op);
    }

    /** {@code keep=false}: not cached (scratch arrays; see {@link #startReduce(String, boolean, boolean, DataType, Object, int, Object, int, int, Op, int)}). */
    final Request startAllreduce(String call, boolean async, boolean keep, DataType t, Object send, int sendOffset,
                                 Object recv, int recvOffset, int count, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, op);
        if (checks != null) checkCollective(call, -1, count, t, op);
        Request hit = keep ? cached(async, call, -1, t, op, count, send, sendOffset, recv, recvOffset) : null;
        if (hit != null) return hit;
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
        Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
        if (viaShm(call, async, -1, count, (long) count * t.size)) {
            shm.reduce(call, c, sb, rb, -1);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, -1, count, op);
        if (h != null) {
            h.allreduce(call, t, send, sendOffset, recv, recvOffset, count, op);
            return SHM_DONE;
        }
        Schedule s = schedule(call, -1, count);
        ReduceAlgorithms.allreduce(s, c, sb, rb);
        if (!keep) return new EngineRequest(s.start(async), this);
        return run(s, async, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
    }

    final Request startGather(String call, boolean async, DataType t, Object send, int sendOffset, int count, Object recv,
                              int recvOffset, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, null);
        if (checks != null) checkCollective(call, root, count, t, null);
        CollectiveArgs.root(this, call, root, size);
        Request hit = cached(async, call, root, t, null, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = rank == root ? blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, size, true) : null;
        if (viaShm(call, async, root, count, (long) count * t.size)) {
            shm.gather(call, sb, rb, root);
            return SHM_DONE;
        }
        Hierarchy h = hierarchy(call, async, root, count, null);
        if (h != null && h.fitsGather(count)) {
            h.gather(call, t, sb, rb, count, root);
            return SHM_DONE;
        }
        Schedule s = schedule(call, root, count);
        GatherAlgorithms.gather(s, sb, rb, root);
        return run(s, async, call, root, t, null, count, send, sendOffset, recv, recvOffset);
    }

    final Request startGatherv(String call, boolean async, DataType t, Object send, int sendOffset, int sendCount,
                               Object recv, int[] recvCounts, int[] displs, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, sendCount, t, null);
        if (checks != null) checkCollective(call, root, -1, t, null);
        CollectiveArgs.root(this, call, root, size);
        Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
        Block rb = null;
        if (rank == root) {
            rb = vector(this, call, "recv", t, recv, recvCounts, "recvCounts", displs, "displs", size, true);
            CollectiveArgs.sameOwnCount(this, call, "sendCount", sendCount, "recvCounts[" + root + "]", recvCounts[root]);
        }
        Schedule s = schedule(call, root, -1);
        GatherAlgorithms.gatherv(s, sb, rb, recvCounts == null ? null : recvCounts.clone(), displs == null ? null : displs.clone(), root);
        return new EngineRequest(s.start(async), this);
    }

    final Request startScatter(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                               int recvOffset, int count, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, null);
        if (checks != null) checkCollective(call, root, count, t, null);
        CollectiveArgs.root(this, call, root, size);
        Request hit = cached(async, call, root, t, null, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
        Block sb = rank == root ? blocks(this, call, "send", "sendOffset", t, send, sendOffset, count, size, false) : null;
        Schedule s = schedule(call, root, count);
        GatherAlgorithms.scatter(s, sb, rb, root);
        return run(s, async, call, root, t, null, count, send, sendOffset, recv, recvOffset);
    }

    final Request startScatterv(String call, boolean async, DataType t, Object send, int[] sendCounts, int[] displs,
                                Object recv, int recvOffset, int recvCount, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, recvCount, t, null);
        if (checks != null) checkCollective(call, root, -1, t, null);
        CollectiveArgs.root(this, call, root, size);
        Block rb = region(this, call, "recv", "recvOffset", "recvCount", t, recv, recvOffset, recvCount, true);
        Block sb = null;
        if (rank == root) {
            sb = vector(this, call, "send", t, send, sendCounts, "sendCounts", displs, "displs", size, false);
            CollectiveArgs.sameOwnCount(this, call, "recvCount", recvCount, "sendCounts[" + root + "]", sendCounts[root]);
        }
        Schedule s = schedule(call, root, -1);
        GatherAlgorithms.scatterv(s, sb, rb, sendCounts == null ? null : sendCounts.clone(), displs == null ? null : displs.clone(), root);
        return new EngineRequest(s.start(async), this);
    }

    final Request startAllgather(String call, boolean async, DataType t, Object send, int sendOffset, int count,
                                 Object recv, int recvOffset) {
        return startAllgather(call, async, true, t, send, sendOffset, count, recv, recvOffset);
    }

    /** {@code keep=false}: not cached (scratch arrays; see {@link #startReduce(String, boolean, boolean, DataType, Object, int, Object, int, int, Op, int)}). */
    final Request startAllgather(String call, boolean async, boolean keep, DataType t, Object send, int sendOffset,
                                 int count, Object recv, int recvOffset) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, null);
        if (checks != null) checkCollective(call, -1, count, t, null);
        Request hit = keep ? cached(async, call, -1, t, null, count, send, sendOffset, recv, recvOffset) : null;
        if (hit != null) return hit;
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, size, true);
        if (viaShm(call, async, -1, count, (long) count * t.size)) {
            shm.gather(call, sb, rb, -1);
            return SHM_DONE;
        }
        // keep=false (a split's agreement on scratch arrays, on every rank alike): flat, so the sub-communicators'
        // caches keep the program's collectives rather than entries for arrays that are never passed again
        Hierarchy h = keep ? hierarchy(call, async, -1, count, null) : null;
        if (h != null && h.fitsGather(count)) {
            h.gather(call, t, sb, rb, count, -1);
            return SHM_DONE;
        }
        int[] counts = new int[size], displs = new int[size];
        for (int i = 0; i < size; i++) {
            counts[i] = count;
            displs[i] = i * count;
        }
        Schedule s = schedule(call, -1, count);
        GatherAlgorithms.allgatherv(s, sb, rb, counts, displs);
        if (!keep) return new EngineRequest(s.start(async), this);
        return run(s, async, call, -1, t, null, count, send, sendOffset, recv, recvOffset);
    }

    final Request startAllgatherv(String call, boolean async, DataType t, Object send, int sendOffset, int sendCount,
                                  Object recv, int[] recvCounts, int[] displs) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, sendCount, t, null);
        if (checks != null) checkCollective(call, -1, -1, t, null);
        Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
        Block rb = vector(this, call, "recv", t, recv, recvCounts, "recvCounts", displs, "displs", size, true);
        CollectiveArgs.sameOwnCount(this, call, "sendCount", sendCount, "recvCounts[" + rank + "]", recvCounts[rank]);
        Schedule s = schedule(call, -1, -1);
        GatherAlgorithms.allgatherv(s, sb, rb, recvCounts.clone(), displs.clone());
        return new EngineRequest(s.start(async), this);
    }

    final Request startAlltoall(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                                int recvOffset, int count) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, null);
        if (checks != null) checkCollective(call, -1, count, t, null);
        Request hit = cached(async, call, -1, t, null, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        Block sb = blocks(this, call, "send", "sendOffset", t, send, sendOffset, count, size, false);
        Block rb = blocks(this, call, "recv", "recvOffset", t, recv, recvOffset, count, size, true);
        Schedule s = schedule(call, -1, count);
        AlltoallAlgorithms.alltoall(s, send == recv ? snapshot(s, sb) : sb, rb, count);
        return run(s, async, call, -1, t, null, count, send, sendOffset, recv, recvOffset);
    }

    final Request startAlltoallv(String call, boolean async, DataType t, Object send, int[] sendCounts, int[] sdispls,
                                 Object recv, int[] recvCounts, int[] rdispls) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, t, null);
        if (checks != null) checkCollective(call, -1, -1, t, null);
        Block sb = vector(this, call, "send", t, send, sendCounts, "sendCounts", sdispls, "sdispls", size, false);
        Block rb = vector(this, call, "recv", t, recv, recvCounts, "recvCounts", rdispls, "rdispls", size, true);
        CollectiveArgs.sameOwnCount(this, call, "sendCounts[" + rank + "]", sendCounts[rank], "recvCounts[" + rank + "]", recvCounts[rank]);
        Schedule s = schedule(call, -1, -1);
        AlltoallAlgorithms.alltoallv(s, send == recv ? snapshot(s, sb) : sb, sendCounts.clone(), sdispls.clone(), rb,
                recvCounts.clone(), rdispls.clone());
        return new EngineRequest(s.start(async), this);
    }

    final Request startReduceScatter(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                                     int recvOffset, int[] recvCounts, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, t, op);
        if (checks != null) checkCollective(call, -1, -1, t, op);
        long total = CollectiveArgs.counts(this, call, "recvCounts", recvCounts, size, Integer.MAX_VALUE);
        if (total > Integer.MAX_VALUE) {
            throw raise(ErrorClass.ARG, call + ": sum(recvCounts)=" + total + " out of range [0, " + Integer.MAX_VALUE + "]");
        }
        Block sb = region(this, call, "send", "sendOffset", "sum(recvCounts)", t, send, sendOffset, (int) total, false);
        Block rb = region(this, call, "recv", "recvOffset", "recvCounts[" + rank + "]", t, recv, recvOffset, recvCounts[rank], true);
        Combiner c = CollectiveArgs.op(this, call, op, t, "recvCounts", recvCounts);
        Schedule s = schedule(call, -1, total);
        ReduceAlgorithms.reduceScatter(s, c, sb, rb, recvCounts.clone());
        return new EngineRequest(s.start(async), this);
    }

    final Request startReduceScatterBlock(String call, boolean async, DataType t, Object send, int sendOffset,
                                          Object recv, int recvOffset, int count, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, op);
        if (checks != null) checkCollective(call, -1, count, t, op);
        Request hit = cached(async, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
        Block sb = blocks(this, call, "send", "sendOffset", t, send, sendOffset, count, size, false);
        Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
        int[] counts = new int[size];
        Arrays.fill(counts, count);
        Schedule s = schedule(call, -1, count);
        ReduceAlgorithms.reduceScatter(s, c, sb, rb, counts);
        return run(s, async, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
    }

    final Request startScan(String call, boolean async, boolean exclusive, DataType t, Object send, int sendOffset,
                            Object recv, int recvOffset, int count, Op op) {
        return startScan(call, async, true, exclusive, t, send, sendOffset, recv, recvOffset, count, op);
    }

    /** {@code keep=false}: not cached (scratch arrays; see {@link #startReduce(String, boolean, boolean, DataType, Object, int, Object, int, int, Op, int)}). */
    final Request startScan(String call, boolean async, boolean keep, boolean exclusive, DataType t, Object send,
                            int sendOffset, Object recv, int recvOffset, int count, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, op);
        if (checks != null) checkCollective(call, -1, count, t, op);
        Request hit = keep ? cached(async, call, -1, t, op, count, send, sendOffset, recv, recvOffset) : null;
        if (hit != null) return hit;
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
        Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
        Schedule s = schedule(call, -1, count);
        ReduceAlgorithms.scan(s, c, sb, rb, exclusive);
        if (!keep) return new EngineRequest(s.start(async), this);
        return run(s, async, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
    }

    /**
     * A copy of {@code b}: the all-to-all algorithms receive into one block while still sending others, so in place
     * (the same array as send and receive buffer) they work on a copy of the input. The copy is allocated once and
     * refreshed by the schedule's first step at every run, so the schedule can be re-run (cached, persistent).
     */
    private static Block snapshot(Schedule s, Block b) {
        Block copy = Block.allocate(b.type, b.count);
        s.action(() -> Block.copy(b, 0, copy, 0, b.count));
        return copy;
    }

    // ------------------------------------------------------------------ consistency check (collCheck=on)

    /**
     * A new schedule for {@code call}; with {@code collCheck=on} first verifies, with an allreduce, that all ranks
     * called the same collective with the same root and count (-1: not checked), so that a mismatch is an error on
     * every rank instead of a hang or a wrong result.
     */
    final Schedule schedule(String call, int root, long count) {
        if (progress.tuning().check) verify(call, root, count);
        return new Schedule(coll, call, root);
    }

    /**
     * {@code --check}: an allreduce of a fixed signature (so it matches even when the ranks' collectives differ)
     * compares the operation, root, count (where all ranks must pass the same), datatype and op of this call with
     * every rank's; a difference is a finding and fails the call with COLLECTIVE on every rank, naming the call site.
     */
    final void checkCollective(String call, int root, long count, DataType t, Op op) {
        String kind = call.startsWith("i") ? call.substring(1) : call.endsWith("Init") ? call.substring(0, call.length() - 4) : call;
        long[] mine = {kind.hashCode(), root, count, t == null ? 0 : t.ordinal(), op == null ? 0 : op.name().hashCode()};
        long[] v = new long[2 * mine.length];
        for (int i = 0; i < mine.length; i++) {
            v[i] = mine[i];
            v[mine.length + i] = -mine[i];
        }
        Schedule s = new Schedule(coll, "check", -1);
        ReduceAlgorithms.allreduce(s, CollectiveArgs.op(this, call, Op.MAX, DataType.LONG, "count", v.length), Block.of(DataType.LONG, v, 0, v.length),
                Block.of(DataType.LONG, v, 0, v.length));
        finish(s.start(false));
        String[] what = {"operation", "root", "count", "datatype", "op"};
        StringBuilder diff = new StringBuilder();
        for (int i = 0; i < mine.length; i++) {
            if (v[i] != -v[mine.length + i]) diff.append(diff.length() == 0 ? "" : ", ").append(what[i]);
        }
        if (diff.length() == 0) return;
        String here = call + "(root=" + root + ", count=" + count + ", datatype=" + t + ", op=" + op + ") at " + Checks.site();
        checks.report(Checks.Kind.COLLECTIVE_MISMATCH, "rank " + rank + " of " + name + " called " + here
                + ", but the ranks differ in: " + diff);
        throw raise(ErrorClass.COLLECTIVE, call + ": --check: the ranks called this collective with different " + diff
                + " (here: " + here + ")");
    }

    private void verify(String call, int root, long count) {
        long kind = (call.startsWith("i") ? call.substring(1) : call).hashCode();
        long[] v = {kind, root, count, -kind, -root, -count};
        Block b = Block.of(DataType.LONG, v, 0, v.length);
        // a fixed signature: this allreduce must match across ranks even when their collectives or roots differ
        Schedule s = new Schedule(coll, "collCheck", -1);
        ReduceAlgorithms.allreduce(s, CollectiveArgs.op(this, call, Op.MAX, DataType.LONG, "count", v.length), b, b);
        finish(s.start(false));
        String head = call + ": collective check failed: ";
        if (v[0] != -v[3]) {
            throw raise(ErrorClass.COLLECTIVE, head + "the ranks called different collectives (" + call + " here)");
        }
        if (v[1] != -v[4]) {
            throw raise(ErrorClass.COLLECTIVE, head + "root=" + root + " here, but the ranks passed roots from "
                    + -v[4] + " to " + v[1]);
        }
        if (v[2] != -v[5]) {
            throw raise(ErrorClass.COLLECTIVE, head + "count=" + count + " here, but the ranks passed counts from "
                    + -v[5] + " to " + v[2]);
        }
    }
}
