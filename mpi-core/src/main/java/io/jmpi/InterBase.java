package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.DataType;
import io.jmpi.coll.Block;
import io.jmpi.coll.Channel;
import io.jmpi.coll.Combiner;
import io.jmpi.coll.InterAlgorithms;
import io.jmpi.coll.Schedule;
import io.jmpi.engine.RankMap;

import java.util.function.Supplier;

import static io.jmpi.CollectiveArgs.region;

/**
 * State and the generic collectives of an {@link Intercomm} on untyped buffers (MPI 4.1 section 6.2.2);
 * {@link InterCollectives} adds the typed overloads (generated), {@link Intercomm} construction and management.
 * Each collective checks its arguments, then builds one {@link Schedule} ({@link InterAlgorithms}) on a channel of
 * both groups, local group first, on the intercommunicator's collective context; blocking calls await it, and the
 * blocking ones with fixed-size arguments are kept compiled and re-run while the caller passes the same arguments
 * ({@link CollectiveCache}, as for intracommunicators), so a steady-state loop allocates nothing. Rooted collectives
 * take {@link Intercomm#ROOT} at the root, {@link Mpi#PROC_NULL} at the rest of the root's group and the root's rank
 * in the other group; their schedule starts with an agreement of the leaders on which group is the root's.
 * With {@code collCheck=on} every collective also agrees on the counts that must match between the groups.
 */
abstract class InterBase extends PointToPoint {
    /** {@link Intercomm#ROOT}. */
    static final int ROOT = -3;

    /** A private duplicate of the local group (its own contexts), for merge's agreement and the local group's queries. */
    final Comm local;
    final int[] remote;
    /** Both groups, local first: the channel of every intercommunicator collective. */
    final Channel channel;
    final CollectiveCache collCache = new CollectiveCache();

    InterBase(Comm local, int context, int[] remote, String name) {
        super(local.mpi, local.engine, context, remote, name);
        this.local = local;
        this.remote = remote;
        int l = local.size, all = l + remote.length;
        int[] both = new int[all];
        int[] toBoth = new int[engine.size()];
        java.util.Arrays.fill(toBoth, -1);
        for (int i = 0; i < all; i++) {
            both[i] = i < l ? local.toWorld(i) : remote[i - l];
            toBoth[both[i]] = i;
        }
        RankMap map = w -> w >= 0 && w < toBoth.length ? toBoth[w] : w;
        this.channel = new Channel(engine, context + 1, local.rank, all, both, map, local.progress, name);
    }

    // ------------------------------------------------------------------ running

    /** The cached re-run of a blocking collective with exactly these arguments ({@code call} a literal), or null. */
    private Request cached(boolean async, String call, int root, DataType t, Object op, long count, Object send,
                           int sendOffset, Object recv, int recvOffset) {
        if (async || local.progress.tuning().check) return null;
        CollectiveCache.Entry e = collCache.hit(call, root, t, op, count, send, keyOffset(send, sendOffset), keyLimit(send),
                recv, keyOffset(recv, recvOffset), keyLimit(recv));
        return e == null ? null : e.rerun();
    }

    /** Starts {@code s}; a blocking one is kept in the cache under these arguments (cacheable: fixed-size arguments). */
    private Request run(Schedule s, boolean async, boolean cacheable, String call, int root, DataType t, Object op,
                        long count, Object send, int sendOffset, Object recv, int recvOffset) {
        CollectiveCache.Entry e = async || !cacheable || local.progress.tuning().check ? null : collCache.slot();
        if (e == null) return new EngineRequest(s.start(async), this);
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

    private static int keyOffset(Object a, int off) {
        return a instanceof java.nio.ByteBuffer b ? b.position() + off : off;
    }

    private static int keyLimit(Object a) {
        return a instanceof java.nio.ByteBuffer b ? b.limit() : -1;
    }

    /**
     * Completes a blocking collective; its failure goes through the error handler (an {@link EngineRequest} does that
     * itself; a cache entry does not).
     */
    final void finish(Request r) {
        if (trace != null) trace.enterCollective(); // begun by traceBegin; a call that threw in its checks never gets here
        try {
            if (r instanceof EngineRequest) {
                r.await();
                return;
            }
            try {
                r.await();
            } catch (MpiException e) {
                throw raise(e);
            }
        } finally {
            if (trace != null) trace.endCollective();
        }
    }

    /**
     * A persistent intercommunicator collective ({@code MPI_Bcast_init} ...): the schedule is built (and the arguments
     * checked) once; every start re-runs it registered with the rank's collective progress ({@link PersistentSchedule});
     * a start after a failed run builds it again.
     */
    final Prequest persistent(String call, Supplier<Schedule> build) {
        return PersistentSchedule.of(this, call, build, true);
    }

    private Schedule schedule(String call) {
        return new Schedule(channel, call, -1); // the root differs between the groups: not part of the tag signature
    }

    private int localSize() {
        return local.size;
    }

    // ------------------------------------------------------------------ generic collectives (typed overloads call these)

    final Request startBarrier(String call, boolean async) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, null, null);
        Request hit = cached(async, call, -1, null, null, 0, null, 0, null, 0);
        if (hit != null) return hit;
        return run(buildBarrier(call), async, true, call, -1, null, null, 0, null, 0, null, 0);
    }

    final Schedule buildBarrier(String call) {
        Schedule s = schedule(call);
        InterAlgorithms.barrier(s, localSize());
        return s;
    }

    final Request startBcast(String call, boolean async, DataType t, Object buf, int offset, int count, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, null);
        Request hit = cached(async, call, root, t, null, count, buf, offset, null, 0);
        if (hit != null) return hit;
        return run(buildBcast(call, t, buf, offset, count, root), async, true, call, root, t, null, count, buf, offset, null, 0);
    }

    final Schedule buildBcast(String call, DataType t, Object buf, int offset, int count, int root) {
        boolean rootGroup = rootGroup(call, root);
        Block b = root == Mpi.PROC_NULL ? null : region(this, call, "buf", "offset", "count", t, buf, offset, count, !rootGroup);
        Schedule s = schedule(call);
        roles(s, call, rootGroup);
        if (root == ROOT) InterAlgorithms.bcastRoot(s, localSize(), b);
        else if (!rootGroup) InterAlgorithms.bcastReceive(s, localSize(), b, root);
        return s;
    }

    final Request startReduce(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                              int recvOffset, int count, Op op, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, op);
        Request hit = cached(async, call, root, t, op, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        return run(buildReduce(call, t, send, sendOffset, recv, recvOffset, count, op, root), async, true, call, root, t,
                op, count, send, sendOffset, recv, recvOffset);
    }

    final Schedule buildReduce(String call, DataType t, Object send, int sendOffset, Object recv, int recvOffset,
                               int count, Op op, int root) {
        boolean rootGroup = rootGroup(call, root);
        Schedule s = schedule(call);
        if (root == ROOT) {
            Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
            CollectiveArgs.op(this, call, op, t, "count", count);
            roles(s, call, true);
            InterAlgorithms.reduceRoot(s, localSize(), rb);
        } else if (rootGroup) {
            roles(s, call, true);
        } else {
            Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
            Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
            roles(s, call, false);
            InterAlgorithms.reduceContribute(s, localSize(), c, sb, leaderScratch(t, count), root);
        }
        return s;
    }

    final Request startAllreduce(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                                 int recvOffset, int count, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, op);
        Request hit = cached(async, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        return run(buildAllreduce(call, t, send, sendOffset, recv, recvOffset, count, op), async, true, call, -1, t, op,
                count, send, sendOffset, recv, recvOffset);
    }

    final Schedule buildAllreduce(String call, DataType t, Object send, int sendOffset, Object recv, int recvOffset,
                                  int count, Op op) {
        Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
        Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
        Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
        Schedule s = schedule(call);
        counts(s, call, "count", count, "count", count);
        InterAlgorithms.allreduce(s, localSize(), c, sb, leaderScratch(t, count), rb);
        return s;
    }

    final Request startGather(String call, boolean async, DataType t, Object send, int sendOffset, int count,
                              Object recv, int recvOffset, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, null);
        Request hit = cached(async, call, root, t, null, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        return run(buildGather(call, t, send, sendOffset, count, recv, recvOffset, root), async, true, call, root, t, null,
                count, send, sendOffset, recv, recvOffset);
    }

    final Schedule buildGather(String call, DataType t, Object send, int sendOffset, int count, Object recv,
                               int recvOffset, int root) {
        boolean rootGroup = rootGroup(call, root);
        Schedule s = schedule(call);
        if (root == ROOT) {
            Block rb = remoteBlocks(call, "recv", "recvOffset", t, recv, recvOffset, count, true);
            int[][] b = InterAlgorithms.blocks(remote.length, count);
            roles(s, call, true);
            InterAlgorithms.direct(s, localSize(), remote.length, null, null, null, rb, b[0], b[1], -1);
        } else if (rootGroup) {
            roles(s, call, true);
        } else {
            Block sb = region(this, call, "send", "sendOffset", "count", t, send, sendOffset, count, false);
            roles(s, call, false);
            InterAlgorithms.direct(s, localSize(), remote.length, sb, null, null, null, null, null, root);
        }
        return s;
    }

    final Request startGatherv(String call, boolean async, DataType t, Object send, int sendOffset, int sendCount,
                               Object recv, int[] recvCounts, int[] displs, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, sendCount, t, null);
        boolean rootGroup = rootGroup(call, root);
        Schedule s = schedule(call);
        if (root == ROOT) {
            Block rb = remoteVector(call, "recv", t, recv, recvCounts, "recvCounts", displs, "displs", true);
            roles(s, call, true);
            InterAlgorithms.direct(s, localSize(), remote.length, null, null, null, rb, recvCounts.clone(), displs.clone(), -1);
        } else if (rootGroup) {
            roles(s, call, true);
        } else {
            Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
            roles(s, call, false);
            InterAlgorithms.direct(s, localSize(), remote.length, sb, null, null, null, null, null, root);
        }
        return run(s, async, false, call, root, t, null, 0, send, sendOffset, recv, 0);
    }

    final Request startScatter(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                               int recvOffset, int count, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, count, t, null);
        Request hit = cached(async, call, root, t, null, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        return run(buildScatter(call, t, send, sendOffset, recv, recvOffset, count, root), async, true, call, root, t, null,
                count, send, sendOffset, recv, recvOffset);
    }

    final Schedule buildScatter(String call, DataType t, Object send, int sendOffset, Object recv, int recvOffset,
                                int count, int root) {
        boolean rootGroup = rootGroup(call, root);
        Schedule s = schedule(call);
        if (root == ROOT) {
            Block sb = remoteBlocks(call, "send", "sendOffset", t, send, sendOffset, count, false);
            int[][] b = InterAlgorithms.blocks(remote.length, count);
            roles(s, call, true);
            InterAlgorithms.direct(s, localSize(), remote.length, sb, b[0], b[1], null, null, null, -1);
        } else if (rootGroup) {
            roles(s, call, true);
        } else {
            Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
            roles(s, call, false);
            InterAlgorithms.direct(s, localSize(), remote.length, null, null, null, rb, null, null, root);
        }
        return s;
    }

    final Request startScatterv(String call, boolean async, DataType t, Object send, int[] sendCounts, int[] displs,
                                Object recv, int recvOffset, int recvCount, int root) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, root, -1, t, null);
        boolean rootGroup = rootGroup(call, root);
        Schedule s = schedule(call);
        if (root == ROOT) {
            Block sb = remoteVector(call, "send", t, send, sendCounts, "sendCounts", displs, "displs", false);
            roles(s, call, true);
            InterAlgorithms.direct(s, localSize(), remote.length, sb, sendCounts.clone(), displs.clone(), null, null, null, -1);
        } else if (rootGroup) {
            roles(s, call, true);
        } else {
            Block rb = region(this, call, "recv", "recvOffset", "recvCount", t, recv, recvOffset, recvCount, true);
            roles(s, call, false);
            InterAlgorithms.direct(s, localSize(), remote.length, null, null, null, rb, null, null, root);
        }
        return run(s, async, false, call, root, t, null, 0, send, 0, recv, recvOffset);
    }

    final Request startAllgather(String call, boolean async, DataType t, Object send, int sendOffset, int sendCount,
                                 Object recv, int recvOffset, int recvCount) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, sendCount, t, null);
        long key = (long) sendCount << 32 | (recvCount & 0xFFFFFFFFL);
        Request hit = cached(async, call, -1, t, null, key, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        return run(buildAllgather(call, t, send, sendOffset, sendCount, recv, recvOffset, recvCount), async, true, call, -1,
                t, null, key, send, sendOffset, recv, recvOffset);
    }

    final Schedule buildAllgather(String call, DataType t, Object send, int sendOffset, int sendCount, Object recv,
                                  int recvOffset, int recvCount) {
        Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
        Block rb = remoteBlocks(call, "recv", "recvOffset", t, recv, recvOffset, recvCount, true);
        Schedule s = schedule(call);
        counts(s, call, "sendCount", sendCount, "recvCount", recvCount);
        Block acc = local.rank == 0 ? Block.allocate(t, (int) Math.min(Integer.MAX_VALUE, (long) localSize() * sendCount)) : null;
        InterAlgorithms.allgather(s, localSize(), sb, acc, rb);
        return s;
    }

    final Request startAllgatherv(String call, boolean async, DataType t, Object send, int sendOffset, int sendCount,
                                  Object recv, int[] recvCounts, int[] displs) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, sendCount, t, null);
        Block sb = region(this, call, "send", "sendOffset", "sendCount", t, send, sendOffset, sendCount, false);
        Block rb = remoteVector(call, "recv", t, recv, recvCounts, "recvCounts", displs, "displs", true);
        int[][] one = InterAlgorithms.blocks(remote.length, sendCount);
        Schedule s = schedule(call);
        InterAlgorithms.direct(s, localSize(), remote.length, sb, one[0], zeros(remote.length), rb, recvCounts.clone(),
                displs.clone(), -1);
        return run(s, async, false, call, -1, t, null, 0, send, sendOffset, recv, 0);
    }

    final Request startAlltoall(String call, boolean async, DataType t, Object send, int sendOffset, int sendCount,
                                Object recv, int recvOffset, int recvCount) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, sendCount, t, null);
        long key = (long) sendCount << 32 | (recvCount & 0xFFFFFFFFL);
        Request hit = cached(async, call, -1, t, null, key, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        return run(buildAlltoall(call, t, send, sendOffset, sendCount, recv, recvOffset, recvCount), async, true, call, -1,
                t, null, key, send, sendOffset, recv, recvOffset);
    }

    final Schedule buildAlltoall(String call, DataType t, Object send, int sendOffset, int sendCount, Object recv,
                                 int recvOffset, int recvCount) {
        Block sb = remoteBlocks(call, "send", "sendOffset", t, send, sendOffset, sendCount, false);
        Block rb = remoteBlocks(call, "recv", "recvOffset", t, recv, recvOffset, recvCount, true);
        int[][] sbl = InterAlgorithms.blocks(remote.length, sendCount), rbl = InterAlgorithms.blocks(remote.length, recvCount);
        Schedule s = schedule(call);
        counts(s, call, "sendCount", sendCount, "recvCount", recvCount);
        InterAlgorithms.direct(s, localSize(), remote.length, sb, sbl[0], sbl[1], rb, rbl[0], rbl[1], -1);
        return s;
    }

    final Request startAlltoallv(String call, boolean async, DataType t, Object send, int[] sendCounts, int[] sdispls,
                                 Object recv, int[] recvCounts, int[] rdispls) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, t, null);
        Block sb = remoteVector(call, "send", t, send, sendCounts, "sendCounts", sdispls, "sdispls", false);
        Block rb = remoteVector(call, "recv", t, recv, recvCounts, "recvCounts", rdispls, "rdispls", true);
        Schedule s = schedule(call);
        InterAlgorithms.direct(s, localSize(), remote.length, sb, sendCounts.clone(), sdispls.clone(), rb, recvCounts.clone(),
                rdispls.clone(), -1);
        return run(s, async, false, call, -1, t, null, 0, send, 0, recv, 0);
    }

    final Request startReduceScatterBlock(String call, boolean async, DataType t, Object send, int sendOffset,
                                          Object recv, int recvOffset, int count, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, count, t, op);
        Request hit = cached(async, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
        if (hit != null) return hit;
        Block rb = region(this, call, "recv", "recvOffset", "count", t, recv, recvOffset, count, true);
        Block sb = CollectiveArgs.blocks(this, call, "send", "sendOffset", t, send, sendOffset, count, localSize(), false);
        Combiner c = CollectiveArgs.op(this, call, op, t, "count", count);
        Schedule s = schedule(call);
        counts(s, call, "size * count", sb.count, "size * count", sb.count);
        InterAlgorithms.reduceScatter(s, localSize(), c, sb, leaderScratch(t, sb.count), leaderScratch(t, sb.count), rb,
                null, null);
        return run(s, async, true, call, -1, t, op, count, send, sendOffset, recv, recvOffset);
    }

    final Request startReduceScatter(String call, boolean async, DataType t, Object send, int sendOffset, Object recv,
                                     int recvOffset, int[] recvCounts, Op op) {
        checkUsable(call);
        if (trace != null) traceBegin(call, async, -1, -1, t, op);
        long total = CollectiveArgs.counts(this, call, "recvCounts", recvCounts, localSize(), Integer.MAX_VALUE);
        if (total > Integer.MAX_VALUE) {
            throw raise(ErrorClass.ARG, call + ": sum(recvCounts)=" + total + " out of range [0, " + Integer.MAX_VALUE + "]");
        }
        int n = (int) total;
        Block sb = region(this, call, "send", "sendOffset", "sum(recvCounts)", t, send, sendOffset, n, false);
        Block rb = region(this, call, "recv", "recvOffset", "recvCounts[" + local.rank + "]", t, recv, recvOffset,
                recvCounts[local.rank], true);
        Combiner c = CollectiveArgs.op(this, call, op, t, "recvCounts", recvCounts);
        int[] displs = new int[recvCounts.length];
        for (int i = 1; i < displs.length; i++) displs[i] = displs[i - 1] + recvCounts[i - 1];
        Schedule s = schedule(call);
        counts(s, call, "sum(recvCounts)", n, "sum(recvCounts)", n);
        InterAlgorithms.reduceScatter(s, localSize(), c, sb, leaderScratch(t, n), leaderScratch(t, n), rb,
                recvCounts.clone(), displs);
        return run(s, async, false, call, -1, t, op, 0, send, sendOffset, recv, recvOffset);
    }

    // ------------------------------------------------------------------ agreements between the groups

    /** Whether this rank's root argument puts it in the root's group; checks its range. */
    final boolean rootGroup(String call, int root) {
        if (root == ROOT || root == Mpi.PROC_NULL) return true;
        if (root >= 0 && root < remote.length) return false;
        throw raise(ErrorClass.ARG, call + ": root=" + root + " out of range [0, " + remote.length
                + ") of the remote group (or Intercomm.ROOT, PROC_NULL in the root's group)");
    }

    /** Appends the agreement that exactly one group is the root's (verdict 1: both claim it, 2: neither does). */
    private void roles(Schedule s, String call, boolean mine) {
        long[] v = new long[3];
        v[0] = mine ? 1 : 0;
        InterAlgorithms.agree(s, localSize(), v, 1, a -> (a[1] == 1) != (a[0] == 1) ? 0 : a[0] == 1 ? 1 : 2, verdict -> {
            throw new MpiException(ErrorClass.COLLECTIVE, verdict == 1
                    ? call + ": both groups of " + name + " passed Intercomm.ROOT or PROC_NULL as root; only the root's"
                    + " group does, the other group passes the root's rank"
                    : call + ": neither group of " + name + " passed Intercomm.ROOT or PROC_NULL as root; the root passes"
                    + " ROOT, the rest of its group PROC_NULL");
        });
    }

    /**
     * With {@code collCheck=on}: the agreement that what this group sends per rank ({@code sent}) is what the other
     * group expects ({@code expected}) and the other way round, so that a mismatch fails both groups alike.
     */
    private void counts(Schedule s, String call, String sentArg, long sent, String expectedArg, long expected) {
        if (!local.progress.tuning().check) return;
        long[] v = new long[5];
        v[0] = sent;
        v[1] = expected;
        InterAlgorithms.agree(s, localSize(), v, 2, a -> a[2] != a[1] || a[3] != a[0] ? 1 : 0, verdict -> {
            throw new MpiException(ErrorClass.COLLECTIVE, call + ": collective check failed: this group of " + name
                    + " passed " + sentArg + "=" + v[0] + ", " + expectedArg + "=" + v[1] + ", the other group "
                    + sentArg + "=" + v[2] + ", " + expectedArg + "=" + v[3]);
        });
    }

    // ------------------------------------------------------------------ argument checks

    /** The leader's scratch block for its group's reduction or gather, null at the other ranks. */
    private Block leaderScratch(DataType t, int count) {
        return local.rank == 0 ? Block.allocate(t, count) : null;
    }

    private static int[] zeros(int n) {
        return new int[n];
    }

    /** One block of {@code count} elements per remote rank. */
    private Block remoteBlocks(String call, String arg, String offArg, DataType t, Object a, int off, int count, boolean write) {
        return CollectiveArgs.blocks(this, call, arg, offArg, t, a, off, count, remote.length, write);
    }

    /** The whole of {@code a}, in which remote rank i's block is {@code counts[i]} elements at {@code displs[i]}. */
    private Block remoteVector(String call, String arg, DataType t, Object a, int[] counts, String countsArg, int[] displs,
                               String displsArg, boolean write) {
        int r = remote.length;
        if (counts != null && counts.length != r) {
            throw raise(ErrorClass.ARG, call + ": " + countsArg + ".length=" + counts.length
                    + " differs from the remote group size " + r);
        }
        if (displs != null && displs.length != r) {
            throw raise(ErrorClass.ARG, call + ": " + displsArg + ".length=" + displs.length
                    + " differs from the remote group size " + r);
        }
        return CollectiveArgs.vector(this, call, arg, t, a, counts, countsArg, displs, displsArg, r, write);
    }

    /** Elements per block of {@code a} cut into one block per remote rank (whole-array forms). */
    final int perRemote(String call, String arg, Object a) {
        int n = CollectiveArgs.length(a);
        if (n % remote.length != 0) {
            throw raise(ErrorClass.ARG, call + ": " + arg + ".length=" + n + " is not a multiple of the remote group size "
                    + remote.length);
        }
        return n / remote.length;
    }

    /** Elements per block of {@code a} cut into one block per local rank (whole-array reduceScatterBlock). */
    final int perLocal(String call, String arg, Object a) {
        int n = CollectiveArgs.length(a);
        if (n % local.size != 0) {
            throw raise(ErrorClass.ARG, call + ": " + arg + ".length=" + n + " is not a multiple of the local group size "
                    + local.size);
        }
        return n / local.size;
    }

}
