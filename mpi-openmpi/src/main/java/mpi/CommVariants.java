package mpi;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * The bodies of {@link Comm}'s in-place forms ({@code MPI_IN_PLACE}), non-blocking vector forms, neighbourhood
 * collectives and {@code MPI_Alltoallw}: kept here so that Comm stays a list of Open MPI's signatures. Each runs jmpi's
 * typed operation on contiguous runs of primitives ({@link Bufs}) as Comm's own collectives do; counts and
 * displacements of vector forms are scaled from items of the datatype to primitives (types without holes).
 */
final class CommVariants {
    private CommVariants() {
    }

    private static Object newArray(Bufs.Run like, int n) {
        return java.lang.reflect.Array.newInstance(like.array.getClass().getComponentType(), n);
    }

    /** A copy of {@code count} primitives of {@code r} from primitive {@code from} (relative to r's offset). */
    private static Object part(Bufs.Run r, int from, int count) {
        Object c = newArray(r, count);
        System.arraycopy(r.array, r.offset + from, c, 0, count);
        return c;
    }

    // ------------------------------------------------------------------ gatherv, scatterv, allgatherv

    /** Root's in-place gatherv: its own block is already at {@code displs[root]} of {@code buf}. */
    static Object gathervInPlace(Comm c, String call, String op, Object buf, int[] counts, int[] displs, Datatype type, int root) throws MPIException {
        int g = Comm.grain(call, type), me = c.getRank();
        Bufs.Run r = Bufs.of(call, "recvbuf", buf, Comm.span(counts, displs), type);
        Object mine = part(r, displs[me] * g, counts[me] * g);
        Object q = Native.call(c.n(call), op, mine, 0, counts[me] * g, r.array, Comm.scaled(counts, g, 0), Comm.scaled(displs, g, r.offset), root);
        return done(q, r);
    }

    /** A non-root's gatherv: it only sends. */
    static Object gathervSend(Comm c, String call, String op, Object sendbuf, int sendcount, Datatype type, int root) throws MPIException {
        Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, sendcount, type);
        return done(Native.call(c.n(call), op, s.array, s.offset, s.count, newArray(s, 0), null, null, root), null);
    }

    static Object gatherv(Comm c, String call, String op, Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf,
                          int[] counts, int[] displs, Datatype recvtype, int root) throws MPIException {
        Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, sendcount, sendtype);
        Bufs.Run r = Comm.empty(s);
        int[] cs = null, ds = null;
        if (c.getRank() == root) {
            int g = Comm.grain(call, recvtype);
            r = Bufs.of(call, "recvbuf", recvbuf, Comm.span(counts, displs), recvtype);
            cs = Comm.scaled(counts, g, 0);
            ds = Comm.scaled(displs, g, r.offset);
        }
        return done(Native.call(c.n(call), op, s.array, s.offset, s.count, r.array, cs, ds, root), r);
    }

    /** Root's in-place scatterv: its own block stays in {@code buf}. */
    static Object scattervInPlace(Comm c, String call, String op, Object buf, int[] counts, int[] displs, Datatype type, int root) throws MPIException {
        int g = Comm.grain(call, type), me = c.getRank();
        Bufs.Run s = Bufs.of(call, "sendbuf", buf, Comm.span(counts, displs), type);
        Object scratch = newArray(s, counts[me] * g);
        return done(Native.call(c.n(call), op, s.array, Comm.scaled(counts, g, 0), Comm.scaled(displs, g, s.offset), scratch, 0,
                counts[me] * g, root), null);
    }

    /** A non-root's scatterv: it only receives. */
    static Object scattervRecv(Comm c, String call, String op, Object recvbuf, int recvcount, Datatype type, int root) throws MPIException {
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, recvcount, type);
        return done(Native.call(c.n(call), op, newArray(r, 0), null, null, r.array, r.offset, r.count, root), r);
    }

    static Object scatterv(Comm c, String call, String op, Object sendbuf, int[] counts, int[] displs, Datatype sendtype,
                           Object recvbuf, int recvcount, Datatype recvtype, int root) throws MPIException {
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, recvcount, recvtype);
        Bufs.Run s = Comm.empty(r);
        int[] cs = null, ds = null;
        if (c.getRank() == root) {
            int g = Comm.grain(call, sendtype);
            s = Bufs.of(call, "sendbuf", sendbuf, Comm.span(counts, displs), sendtype);
            cs = Comm.scaled(counts, g, 0);
            ds = Comm.scaled(displs, g, s.offset);
        }
        return done(Native.call(c.n(call), op, s.array, cs, ds, r.array, r.offset, r.count, root), r);
    }

    static Object allGathervInPlace(Comm c, String call, String op, Object buf, int[] counts, int[] displs, Datatype type) throws MPIException {
        int g = Comm.grain(call, type), me = c.getRank();
        Bufs.Run r = Bufs.of(call, "buf", buf, Comm.span(counts, displs), type);
        Object mine = part(r, displs[me] * g, counts[me] * g);
        return done(Native.call(c.n(call), op, mine, 0, counts[me] * g, r.array, Comm.scaled(counts, g, 0), Comm.scaled(displs, g, r.offset)), r);
    }

    static Object allGatherv(Comm c, String call, String op, Object sendbuf, int sendcount, Datatype sendtype, Object recvbuf,
                             int[] counts, int[] displs, Datatype recvtype) throws MPIException {
        Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, sendcount, sendtype);
        int g = Comm.grain(call, recvtype);
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, Comm.span(counts, displs), recvtype);
        return done(Native.call(c.n(call), op, s.array, s.offset, s.count, r.array, Comm.scaled(counts, g, 0), Comm.scaled(displs, g, r.offset)), r);
    }

    static Object allToAllv(Comm c, String call, String op, Object sendbuf, int[] sc, int[] sd, Datatype st, Object recvbuf,
                            int[] rc, int[] rd, Datatype rt) throws MPIException {
        int gs = Comm.grain(call, st), gr = Comm.grain(call, rt);
        Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, Comm.span(sc, sd), st);
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, Comm.span(rc, rd), rt);
        return done(Native.call(c.n(call), op, s.array, Comm.scaled(sc, gs, 0), Comm.scaled(sd, gs, s.offset),
                r.array, Comm.scaled(rc, gr, 0), Comm.scaled(rd, gr, r.offset)), r);
    }

    // ------------------------------------------------------------------ in-place forms of fixed-size collectives

    static Object allGatherInPlace(Comm c, String call, String op, Object buf, int count, Datatype type) throws MPIException {
        int size = c.getSize();
        Bufs.Run r = Bufs.of(call, "buf", buf, count * size, type);
        int g = r.count / size;
        return done(Native.call(c.n(call), op, part(r, c.getRank() * g, g), 0, g, r.array, r.offset), r);
    }

    static Object scatterInPlace(Comm c, String call, String op, Object buf, int count, Datatype type, int root) throws MPIException {
        int size = c.getSize();
        if (c.getRank() == root) {
            Bufs.Run s = Bufs.of(call, "buf", buf, count * size, type);
            int g = s.count / size;
            return done(Native.call(c.n(call), op, s.array, s.offset, newArray(s, g), 0, g, root), null);
        }
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        return done(Native.call(c.n(call), op, newArray(r, 0), 0, r.array, r.offset, r.count, root), r);
    }

    static Object reduceInPlace(Comm c, String call, String op, Object buf, int count, Datatype type, Op o, int root) throws MPIException {
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        return done(Native.call(c.n(call), op, Comm.copyOf(r), 0, r.array, r.offset, r.count, o.forType(call, type), root), r);
    }

    static Object allReduceInPlace(Comm c, String call, String op, Object buf, int count, Datatype type, Op o) throws MPIException {
        Bufs.Run r = Bufs.of(call, "buf", buf, count, type);
        return done(Native.call(c.n(call), op, Comm.copyOf(r), 0, r.array, r.offset, r.count, o.forType(call, type)), r);
    }

    static Object reduceScatter(Comm c, String call, String op, Object sendbuf, Object recvbuf, int[] counts, Datatype type, Op o) throws MPIException {
        int g = Comm.grain(call, type), total = 0;
        if (counts == null || counts.length != c.getSize()) throw Errors.arg(call + ": recvcounts needs one count per rank (" + c.getSize() + ")");
        for (int k : counts) total += k;
        Bufs.Run s = Bufs.of(call, sendbuf == null ? "buf" : "sendbuf", sendbuf == null ? recvbuf : sendbuf, total, type);
        Bufs.Run r = sendbuf == null ? s : Bufs.of(call, "recvbuf", recvbuf, counts[c.getRank()], type);
        Object in = sendbuf == null ? Comm.copyOf(s) : s.array;
        int inOff = sendbuf == null ? 0 : s.offset;
        return done(Native.call(c.n(call), op, in, inOff, r.array, r.offset, Comm.scaled(counts, g, 0), o.forType(call, type)), r);
    }

    static Object reduceScatterBlock(Comm c, String call, String op, Object sendbuf, Object recvbuf, int count, Datatype type, Op o) throws MPIException {
        int size = c.getSize();
        Bufs.Run s = Bufs.of(call, sendbuf == null ? "buf" : "sendbuf", sendbuf == null ? recvbuf : sendbuf, count * size, type);
        Bufs.Run r = sendbuf == null ? s : Bufs.of(call, "recvbuf", recvbuf, count, type);
        Object in = sendbuf == null ? Comm.copyOf(s) : s.array;
        int inOff = sendbuf == null ? 0 : s.offset;
        return done(Native.call(c.n(call), op, in, inOff, r.array, r.offset, s.count / size, o.forType(call, type)), r);
    }

    // ------------------------------------------------------------------ neighbourhood collectives

    /** Edges into and out of this process in the communicator's topology ({in, out}). */
    private static int[] degrees(Comm c, String call) throws MPIException {
        Object o = c.n(call);
        if (o instanceof io.jmpi.CartComm) {
            int d = 2 * ((io.jmpi.CartComm) o).ndims();
            return new int[]{d, d};
        }
        if (o instanceof io.jmpi.GraphComm) {
            int d = ((io.jmpi.GraphComm) o).neighborsCount();
            return new int[]{d, d};
        }
        if (o instanceof io.jmpi.DistGraphComm) {
            io.jmpi.DistGraphComm g = (io.jmpi.DistGraphComm) o;
            return new int[]{g.inDegree(), g.outDegree()};
        }
        throw new MPIException(call + ": the communicator has no topology (create it with createCart, createGraph or "
                + "createDistGraph)", MPI.ERR_TOPOLOGY, null);
    }

    static Object neighborAllGather(Comm c, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                                    Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        int in = degrees(c, call)[0];
        Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, sendcount, sendtype);
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, recvcount * in, recvtype);
        return done(Native.call(c.n(call), op, s.array, s.offset, s.count, r.array, r.offset), r);
    }

    static Object neighborAllGatherv(Comm c, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                                     Object recvbuf, int[] counts, int[] displs, Datatype recvtype) throws MPIException {
        return allGatherv(c, call, op, sendbuf, sendcount, sendtype, recvbuf, counts, displs, recvtype);
    }

    static Object neighborAllToAll(Comm c, String call, String op, Object sendbuf, int sendcount, Datatype sendtype,
                                   Object recvbuf, int recvcount, Datatype recvtype) throws MPIException {
        int[] d = degrees(c, call);
        Bufs.Run s = Bufs.of(call, "sendbuf", sendbuf, sendcount * d[1], sendtype);
        Bufs.Run r = Bufs.of(call, "recvbuf", recvbuf, recvcount * d[0], recvtype);
        return done(Native.call(c.n(call), op, s.array, s.offset, r.array, r.offset, d[0] == 0 ? 0 : r.count / d[0]), r);
    }

    // ------------------------------------------------------------------ alltoallw

    /**
     * {@code MPI_Alltoallw}: block i of {@code sendcount[i]} items of {@code sendtypes[i]} at byte {@code sdispls[i]}
     * goes to rank i. Runs as point-to-point on a duplicate of the communicator (so no user message can match it),
     * complete when this returns.
     */
    static void allToAllw(Comm c, String call, Buffer sendbuf, int[] sc, int[] sd, Datatype[] st,
                          Buffer recvbuf, int[] rc, int[] rd, Datatype[] rt) throws MPIException {
        int n = c.getSize();
        for (int[] a : new int[][]{sc, sd, rc, rd}) {
            if (a == null || a.length != n) throw Errors.arg(call + ": counts and displacements need one entry per rank (" + n + ")");
        }
        if (st == null || rt == null || st.length != n || rt.length != n) throw Errors.arg(call + ": types need one entry per rank (" + n + ")");
        io.jmpi.Comm base = c.c(call);
        Intracomm d = new Intracomm(Errors.run(base::dup));
        try {
            Request[] q = new Request[2 * n];
            for (int i = 0; i < n; i++) q[i] = d.iRecv(at(call, recvbuf, rd[i]), rc[i], rt[i], i, 0);
            for (int i = 0; i < n; i++) q[n + i] = d.iSend(at(call, sendbuf, sd[i]), sc[i], st[i], i, 0);
            Request.waitAll(q);
        } finally {
            d.free();
        }
    }

    /** {@code b} from byte {@code bytes} on. */
    private static Buffer at(String call, Buffer b, int bytes) throws MPIException {
        Bufs.direct(call, "buffer", b);
        if (b instanceof ByteBuffer) return MPI.slice((ByteBuffer) b, bytes);
        int unit = b instanceof ShortBuffer || b instanceof CharBuffer ? 2 : b instanceof IntBuffer || b instanceof FloatBuffer ? 4 : 8;
        if (bytes % unit != 0) throw Errors.arg(call + ": displacement " + bytes + " bytes is not a whole number of " + unit + "-byte elements");
        int e = bytes / unit;
        if (b instanceof ShortBuffer) return MPI.slice((ShortBuffer) b, e);
        if (b instanceof CharBuffer) return MPI.slice((CharBuffer) b, e);
        if (b instanceof IntBuffer) return MPI.slice((IntBuffer) b, e);
        if (b instanceof FloatBuffer) return MPI.slice((FloatBuffer) b, e);
        if (b instanceof LongBuffer) return MPI.slice((LongBuffer) b, e);
        return MPI.slice((DoubleBuffer) b, e);
    }

    // ------------------------------------------------------------------ completion

    /** Blocking forms: stores staged data back; non-blocking forms: a Request that does so when it completes. */
    private static Object done(Object q, Bufs.Run r) {
        if (q instanceof io.jmpi.Request) return r == null ? Comm.req(q) : Comm.req(q, r);
        if (r != null) r.back();
        return null;
    }
}
