package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.BytesBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.coll.ObjectAlgorithms;
import io.jmpi.coll.Progress;
import io.jmpi.coll.Schedule;
import io.jmpi.engine.Engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * The object tier of the collectives: objects serialized by the job's codec (Java serialization by default), so no
 * buffer sizing is needed. One object per rank ({@code bcastObject}, {@code gatherObject}, {@code reduceObject} with a
 * {@link BinaryOperator}, ...), slices of {@code Object[]} with counts and displacements ({@code gathervObject},
 * {@code scattervObject}, {@code allgathervObject}: the shape of {@code MPI_Gatherv} on a buffer of objects), and
 * non-blocking forms returning an {@link ObjectRequest} whose {@link ObjectRequest#object()} is the result. Like every
 * non-blocking collective here, a multi-round one advances when it is tested or awaited (docs/ARCHITECTURE.md).
 */
abstract class ObjectCollectives extends Collectives {
    ObjectCollectives(Mpi mpi, Engine engine, int context, int[] worldRanks, String name, Progress progress) {
        super(mpi, engine, context, worldRanks, name, progress);
    }

    // ------------------------------------------------------------------ blocking, one object per rank

    /** Broadcasts an object of {@code root} to every rank ({@code MPI_Bcast} of a serialized object); returns it. */
    @SuppressWarnings("unchecked")
    public <T> T bcastObject(T obj, int root) {
        String call = "bcastObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        byte[] bytes = rank == root ? mpi.codec().encode(obj) : null;
        Schedule s = schedule(call, root, -1);
        BytesBuf b = ObjectAlgorithms.bcast(s, bytes, root);
        finish(s.start(false));
        return rank == root ? obj : (T) mpi.codec().decode(b.bytes());
    }

    /** Gathers one object from every rank at {@code root} ({@code MPI_Gather}); a list in rank order there, null elsewhere. */
    public <T> List<T> gatherObject(T obj, int root) {
        String call = "gatherObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        byte[] mine = mpi.codec().encode(obj);
        int[] lens = rank == root ? new int[size] : null;
        finish(startGather(call, false, DataType.INT, new int[]{mine.length}, 0, 1, lens, 0, root));
        if (rank != root) {
            finish(startGatherv(call, false, DataType.OBJECT, mine, 0, mine.length, null, null, null, root));
            return null;
        }
        int[] displs = displacements(lens);
        byte[] all = new byte[displs[size - 1] + lens[size - 1]];
        finish(startGatherv(call, false, DataType.OBJECT, mine, 0, mine.length, all, lens, displs, root));
        return decodeAll(all, lens, displs);
    }

    /** Gathers one object from every rank at every rank ({@code MPI_Allgather}); a list in rank order. */
    public <T> List<T> allgatherObject(T obj) {
        String call = "allgatherObject";
        checkUsable(call);
        byte[] mine = mpi.codec().encode(obj);
        int[] lens = new int[size];
        finish(startAllgather(call, false, DataType.INT, new int[]{mine.length}, 0, 1, lens, 0));
        int[] displs = displacements(lens);
        byte[] all = new byte[displs[size - 1] + lens[size - 1]];
        finish(startAllgatherv(call, false, DataType.OBJECT, mine, 0, mine.length, all, lens, displs));
        return decodeAll(all, lens, displs);
    }

    /** Sends element i of {@code objs} (significant at {@code root} only; one per rank) to rank i ({@code MPI_Scatter}). */
    @SuppressWarnings("unchecked")
    public <T> T scatterObject(List<? extends T> objs, int root) {
        String call = "scatterObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        int[] lens = null, displs = null;
        byte[] all = null;
        if (rank == root) {
            if (objs == null) throw raise(ErrorClass.ARG, call + ": objs is null");
            if (objs.size() != size) {
                throw raise(ErrorClass.ARG, call + ": objs.size()=" + objs.size() + " differs from the communicator size " + size);
            }
            byte[][] parts = encodeAll(objs);
            lens = new int[size];
            for (int i = 0; i < size; i++) lens[i] = parts[i].length;
            displs = displacements(lens);
            all = concat(parts, displs);
        }
        int[] len = new int[1];
        finish(startScatter(call, false, DataType.INT, lens, 0, len, 0, 1, root));
        byte[] mine = new byte[len[0]];
        finish(startScatterv(call, false, DataType.OBJECT, all, lens, displs, mine, 0, len[0], root));
        return (T) mpi.codec().decode(mine);
    }

    /** Sends element j of {@code objs} (one per rank) to rank j and returns what every rank sent here ({@code MPI_Alltoall}). */
    public <T> List<T> alltoallObject(List<? extends T> objs) {
        String call = "alltoallObject";
        checkUsable(call);
        if (objs == null) throw raise(ErrorClass.ARG, call + ": objs is null");
        if (objs.size() != size) {
            throw raise(ErrorClass.ARG, call + ": objs.size()=" + objs.size() + " differs from the communicator size " + size);
        }
        byte[][] parts = encodeAll(objs);
        int[] sendLens = new int[size];
        for (int i = 0; i < size; i++) sendLens[i] = parts[i].length;
        int[] sdispls = displacements(sendLens);
        int[] recvLens = new int[size];
        finish(startAlltoall(call, false, DataType.INT, sendLens, 0, recvLens, 0, 1));
        int[] rdispls = displacements(recvLens);
        byte[] in = new byte[rdispls[size - 1] + recvLens[size - 1]];
        finish(startAlltoallv(call, false, DataType.OBJECT, concat(parts, sdispls), sendLens, sdispls, in, recvLens, rdispls));
        return decodeAll(in, recvLens, rdispls);
    }

    /**
     * Reduces one object per rank with {@code op} in rank order ({@code MPI_Reduce} with a user operation, which need
     * not be commutative but must be associative); the result at {@code root}, null elsewhere.
     */
    @SuppressWarnings("unchecked")
    public <T> T reduceObject(T obj, BinaryOperator<T> op, int root) {
        String call = "reduceObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
        Schedule s = schedule(call, root, -1);
        Object[] result = ObjectAlgorithms.reduce(s, obj, op, mpi.codec()::encode, mpi.codec()::decode, root, false);
        finish(s.start(false));
        return rank == root ? (T) result[0] : null;
    }

    /** {@link #reduceObject} with the result at every rank ({@code MPI_Allreduce} with a user operation). */
    @SuppressWarnings("unchecked")
    public <T> T allreduceObject(T obj, BinaryOperator<T> op) {
        String call = "allreduceObject";
        checkUsable(call);
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
        Schedule s = schedule(call, -1, -1);
        Object[] result = ObjectAlgorithms.reduce(s, obj, op, mpi.codec()::encode, mpi.codec()::decode, 0, true);
        finish(s.start(false));
        return (T) result[0];
    }

    /**
     * Prefix reduction of one object per rank in rank order ({@code MPI_Scan} with a user operation, which need be
     * associative only): rank r gets {@code op} applied to the objects of ranks 0..r, left to right.
     */
    public <T> T scanObject(T obj, BinaryOperator<T> op) {
        return this.<T>iscan("scanObject", false, obj, op, 0).object();
    }

    /** {@link #scanObject} without this rank's own object ({@code MPI_Exscan}): null at rank 0. */
    public <T> T exscanObject(T obj, BinaryOperator<T> op) {
        return this.<T>iscan("exscanObject", false, obj, op, 1).object();
    }

    /**
     * Element i of {@code objs} (one per rank) combined over all ranks in rank order, returned at rank i
     * ({@code MPI_Reduce_scatter_block} with one object per block and a user operation).
     */
    @SuppressWarnings("unchecked")
    public <T> T reduceScatterObject(List<? extends T> objs, BinaryOperator<T> op) {
        String call = "reduceScatterObject";
        checkUsable(call);
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
        checkOnePerRank(call, objs);
        List<T> mine = alltoallObject(objs);
        T acc = mine.get(0);
        for (int i = 1; i < size; i++) acc = op.apply(acc, mine.get(i));
        return acc;
    }

    // ------------------------------------------------------------------ slices of Object[] with counts

    /**
     * Gathers {@code send[sendOffset, sendOffset + sendCount)} of every rank into {@code recv} at {@code root}: rank
     * i's objects land at {@code recv[displs[i], displs[i] + recvCounts[i])} ({@code MPI_Gatherv} on objects).
     * {@code recv}, {@code recvCounts} and {@code displs} are significant at the root only; a rank that sends more
     * objects than the root expects from it fails the root's call (TRUNCATE), fewer is an ARG error there.
     */
    public void gathervObject(Object[] send, int sendOffset, int sendCount, Object[] recv, int[] recvCounts, int[] displs,
                              int root) {
        String call = "gathervObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        checkRange(call, "send", send, send == null ? 0 : send.length, sendOffset, sendCount);
        if (rank == root) CollectiveArgs.vectorBounds(this, call, "recv", recv, recvCounts, "recvCounts", displs, "displs", size, true);
        List<Object[]> parts = gatherObject(Arrays.copyOfRange(send, sendOffset, sendOffset + sendCount), root);
        if (rank == root) for (int i = 0; i < size; i++) place(call, "recvCounts", i, parts.get(i), recv, displs[i], recvCounts[i]);
    }

    /**
     * Sends {@code send[displs[i], displs[i] + sendCounts[i])} of {@code root} to rank i, which receives them into
     * {@code recv[recvOffset, recvOffset + recvCount)} ({@code MPI_Scatterv} on objects); returns the number of
     * objects received. {@code send}, {@code sendCounts} and {@code displs} are significant at the root only.
     */
    public int scattervObject(Object[] send, int[] sendCounts, int[] displs, Object[] recv, int recvOffset, int recvCount,
                              int root) {
        String call = "scattervObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        checkRange(call, "recv", recv, recv == null ? 0 : recv.length, recvOffset, recvCount);
        List<Object[]> parts = null;
        if (rank == root) {
            CollectiveArgs.vectorBounds(this, call, "send", send, sendCounts, "sendCounts", displs, "displs", size, false);
            parts = new ArrayList<>(size);
            for (int i = 0; i < size; i++) parts.add(Arrays.copyOfRange(send, displs[i], displs[i] + sendCounts[i]));
        }
        Object[] mine = scatterObject(parts, root);
        return place(call, "recvCount", -1, mine, recv, recvOffset, recvCount);
    }

    /**
     * Gathers {@code send[sendOffset, sendOffset + sendCount)} of every rank into {@code recv} at every rank, rank i's
     * at {@code recv[displs[i], displs[i] + recvCounts[i])} ({@code MPI_Allgatherv} on objects).
     */
    public void allgathervObject(Object[] send, int sendOffset, int sendCount, Object[] recv, int[] recvCounts, int[] displs) {
        String call = "allgathervObject";
        checkUsable(call);
        checkRange(call, "send", send, send == null ? 0 : send.length, sendOffset, sendCount);
        CollectiveArgs.vectorBounds(this, call, "recv", recv, recvCounts, "recvCounts", displs, "displs", size, true);
        List<Object[]> parts = allgatherObject(Arrays.copyOfRange(send, sendOffset, sendOffset + sendCount));
        for (int i = 0; i < size; i++) place(call, "recvCounts", i, parts.get(i), recv, displs[i], recvCounts[i]);
    }

    /** Copies the objects {@code got} (from rank {@code from}, -1: the root) into {@code recv[at, at + expected)}. */
    private int place(String call, String countArg, int from, Object[] got, Object[] recv, int at, int expected) {
        String arg = from < 0 ? countArg : countArg + "[" + from + "]";
        if (got.length != expected) {
            throw raise(got.length > expected ? ErrorClass.TRUNCATE : ErrorClass.ARG, call + ": "
                    + (from < 0 ? "the root" : "rank " + from) + " sent " + got.length + " objects, but " + arg + "=" + expected);
        }
        System.arraycopy(got, 0, recv, at, got.length);
        return got.length;
    }

    // ------------------------------------------------------------------ non-blocking, one object per rank

    /** Non-blocking {@link #bcastObject} ({@code MPI_Ibcast}); the request's object is the root's at every rank. */
    @SuppressWarnings("unchecked")
    public <T> ObjectRequest<T> ibcastObject(T obj, int root) {
        String call = "ibcastObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Schedule s = schedule(call, root, -1);
        BytesBuf b = ObjectAlgorithms.bcast(s, rank == root ? mpi.codec().encode(obj) : null, root);
        return new ObjectRequest<>(new EngineRequest(s.start(true), this),
                () -> rank == root ? obj : (T) mpi.codec().decode(b.bytes()));
    }

    /** Non-blocking {@link #gatherObject} ({@code MPI_Igather}); the object is the list at the root, null elsewhere. */
    public <T> ObjectRequest<List<T>> igatherObject(T obj, int root) {
        String call = "igatherObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        Schedule s = schedule(call, root, -1);
        BytesBuf[] parts = ObjectAlgorithms.gather(s, mpi.codec().encode(obj), root);
        return new ObjectRequest<>(new EngineRequest(s.start(true), this), () -> parts == null ? null : decodeAll(parts));
    }

    /** Non-blocking {@link #allgatherObject} ({@code MPI_Iallgather}); the object is the list in rank order. */
    public <T> ObjectRequest<List<T>> iallgatherObject(T obj) {
        String call = "iallgatherObject";
        checkUsable(call);
        Schedule s = schedule(call, -1, -1);
        BytesBuf[] parts = ObjectAlgorithms.allgather(s, mpi.codec().encode(obj));
        return new ObjectRequest<>(new EngineRequest(s.start(true), this), () -> decodeAll(parts));
    }

    /** Non-blocking {@link #scatterObject} ({@code MPI_Iscatter}); the object is this rank's element. */
    @SuppressWarnings("unchecked")
    public <T> ObjectRequest<T> iscatterObject(List<? extends T> objs, int root) {
        String call = "iscatterObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        byte[][] parts = null;
        if (rank == root) {
            checkOnePerRank(call, objs);
            parts = encodeAll(objs);
        }
        Schedule s = schedule(call, root, -1);
        BytesBuf b = ObjectAlgorithms.scatter(s, parts, root);
        return new ObjectRequest<>(new EngineRequest(s.start(true), this), () -> (T) mpi.codec().decode(b.bytes()));
    }

    /** Non-blocking {@link #alltoallObject} ({@code MPI_Ialltoall}); the object is the list of what each rank sent here. */
    public <T> ObjectRequest<List<T>> ialltoallObject(List<? extends T> objs) {
        String call = "ialltoallObject";
        checkUsable(call);
        checkOnePerRank(call, objs);
        Schedule s = schedule(call, -1, -1);
        BytesBuf[] in = ObjectAlgorithms.alltoall(s, encodeAll(objs));
        return new ObjectRequest<>(new EngineRequest(s.start(true), this), () -> decodeAll(in));
    }

    /** Non-blocking {@link #reduceObject} ({@code MPI_Ireduce}); the object is the result at the root, null elsewhere. */
    @SuppressWarnings("unchecked")
    public <T> ObjectRequest<T> ireduceObject(T obj, BinaryOperator<T> op, int root) {
        String call = "ireduceObject";
        checkUsable(call);
        CollectiveArgs.root(this, call, root, size);
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
        Schedule s = schedule(call, root, -1);
        Object[] result = ObjectAlgorithms.reduce(s, obj, op, mpi.codec()::encode, mpi.codec()::decode, root, false);
        return new ObjectRequest<>(new EngineRequest(s.start(true), this), () -> rank == root ? (T) result[0] : null);
    }

    /** Non-blocking {@link #allreduceObject} ({@code MPI_Iallreduce}); the object is the result at every rank. */
    @SuppressWarnings("unchecked")
    public <T> ObjectRequest<T> iallreduceObject(T obj, BinaryOperator<T> op) {
        String call = "iallreduceObject";
        checkUsable(call);
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
        Schedule s = schedule(call, -1, -1);
        Object[] result = ObjectAlgorithms.reduce(s, obj, op, mpi.codec()::encode, mpi.codec()::decode, 0, true);
        return new ObjectRequest<>(new EngineRequest(s.start(true), this), () -> (T) result[0]);
    }

    /** Non-blocking {@link #scanObject} ({@code MPI_Iscan}). */
    public <T> ObjectRequest<T> iscanObject(T obj, BinaryOperator<T> op) {
        return iscan("iscanObject", true, obj, op, 0);
    }

    /** Non-blocking {@link #exscanObject} ({@code MPI_Iexscan}); null at rank 0. */
    public <T> ObjectRequest<T> iexscanObject(T obj, BinaryOperator<T> op) {
        return iscan("iexscanObject", true, obj, op, 1);
    }

    /** Scan (which = 0) or exscan (1) of objects; blocking forms await it. */
    @SuppressWarnings("unchecked")
    private <T> ObjectRequest<T> iscan(String call, boolean async, T obj, BinaryOperator<T> op, int which) {
        checkUsable(call);
        if (op == null) throw raise(ErrorClass.ARG, call + ": op is null");
        Schedule s = schedule(call, -1, -1);
        Object[] result = ObjectAlgorithms.scan(s, obj, op, mpi.codec()::encode, mpi.codec()::decode);
        return new ObjectRequest<>(new EngineRequest(s.start(async), this),
                () -> (T) result[which]);
    }

    // ------------------------------------------------------------------ helpers

    private void checkOnePerRank(String call, List<?> objs) {
        if (objs == null) throw raise(ErrorClass.ARG, call + ": objs is null");
        if (objs.size() != size) {
            throw raise(ErrorClass.ARG, call + ": objs.size()=" + objs.size() + " differs from the communicator size " + size);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> decodeAll(BytesBuf[] parts) {
        List<T> out = new ArrayList<>(parts.length);
        for (BytesBuf b : parts) out.add((T) mpi.codec().decode(b.bytes()));
        return out;
    }

    private static int[] displacements(int[] counts) {
        int[] d = new int[counts.length];
        for (int i = 1; i < counts.length; i++) d[i] = d[i - 1] + counts[i - 1];
        return d;
    }

    private byte[][] encodeAll(List<?> objs) {
        byte[][] parts = new byte[objs.size()][];
        for (int i = 0; i < parts.length; i++) parts[i] = mpi.codec().encode(objs.get(i));
        return parts;
    }

    private static byte[] concat(byte[][] parts, int[] displs) {
        int n = parts.length;
        byte[] all = new byte[displs[n - 1] + parts[n - 1].length];
        for (int i = 0; i < n; i++) System.arraycopy(parts[i], 0, all, displs[i], parts[i].length);
        return all;
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> decodeAll(byte[] all, int[] lens, int[] displs) {
        List<T> out = new ArrayList<>(lens.length);
        for (int i = 0; i < lens.length; i++) out.add((T) mpi.codec().decode(Arrays.copyOfRange(all, displs[i], displs[i] + lens[i])));
        return out;
    }
}
