package mpi;

import java.nio.ByteBuffer;

/**
 * Point-to-point calls on an intra-communicator without reflection: the blocking and non-blocking send and receive
 * of one contiguous run ({@link Bufs.Run}) or raw ByteBuffer go straight to jmpi's typed overload. {@link Native}
 * (one reflective call) serves every other case. This is the path OSU-style ping-pong takes, so it decides the
 * API's overhead over jmpi's native API.
 */
final class Direct {
    private Direct() {
    }

    /** jmpi's {@code send} of {@code n} primitives at {@code off} of array {@code a}; false when {@code o} is not an intra-communicator. */
    static boolean send(Object o, Object a, int off, int n, int dest, int tag) throws MPIException {
        if (!(o instanceof io.jmpi.Comm)) return false;
        io.jmpi.Comm c = (io.jmpi.Comm) o;
        try {
            if (a instanceof byte[]) c.send((byte[]) a, off, n, dest, tag);
            else if (a instanceof short[]) c.send((short[]) a, off, n, dest, tag);
            else if (a instanceof char[]) c.send((char[]) a, off, n, dest, tag);
            else if (a instanceof int[]) c.send((int[]) a, off, n, dest, tag);
            else if (a instanceof long[]) c.send((long[]) a, off, n, dest, tag);
            else if (a instanceof float[]) c.send((float[]) a, off, n, dest, tag);
            else if (a instanceof double[]) c.send((double[]) a, off, n, dest, tag);
            else if (a instanceof boolean[]) c.send((boolean[]) a, off, n, dest, tag);
            else if (a instanceof ByteBuffer) c.send((ByteBuffer) a, dest, tag);
            else return false;
            return true;
        } catch (io.jmpi.base.MpiException e) {
            throw new MPIException(e);
        }
    }

    /** jmpi's {@code recv}, or null when {@code o} is not an intra-communicator or {@code a} not a primitive array. */
    static io.jmpi.Status recv(Object o, Object a, int off, int n, int source, int tag) throws MPIException {
        if (!(o instanceof io.jmpi.Comm)) return null;
        io.jmpi.Comm c = (io.jmpi.Comm) o;
        try {
            if (a instanceof byte[]) return c.recv((byte[]) a, off, n, source, tag);
            if (a instanceof short[]) return c.recv((short[]) a, off, n, source, tag);
            if (a instanceof char[]) return c.recv((char[]) a, off, n, source, tag);
            if (a instanceof int[]) return c.recv((int[]) a, off, n, source, tag);
            if (a instanceof long[]) return c.recv((long[]) a, off, n, source, tag);
            if (a instanceof float[]) return c.recv((float[]) a, off, n, source, tag);
            if (a instanceof double[]) return c.recv((double[]) a, off, n, source, tag);
            if (a instanceof boolean[]) return c.recv((boolean[]) a, off, n, source, tag);
            if (a instanceof ByteBuffer) return c.recv((ByteBuffer) a, source, tag);
            return null;
        } catch (io.jmpi.base.MpiException e) {
            throw new MPIException(e);
        }
    }

    /** jmpi's {@code isend} or {@code irecv}, or null when not an intra-communicator or not an array. */
    static io.jmpi.Request start(Object o, boolean send, Object a, int off, int n, int peer, int tag) throws MPIException {
        if (!(o instanceof io.jmpi.Comm)) return null;
        io.jmpi.Comm c = (io.jmpi.Comm) o;
        try {
            if (a instanceof byte[]) return send ? c.isend((byte[]) a, off, n, peer, tag) : c.irecv((byte[]) a, off, n, peer, tag);
            if (a instanceof short[]) return send ? c.isend((short[]) a, off, n, peer, tag) : c.irecv((short[]) a, off, n, peer, tag);
            if (a instanceof char[]) return send ? c.isend((char[]) a, off, n, peer, tag) : c.irecv((char[]) a, off, n, peer, tag);
            if (a instanceof int[]) return send ? c.isend((int[]) a, off, n, peer, tag) : c.irecv((int[]) a, off, n, peer, tag);
            if (a instanceof long[]) return send ? c.isend((long[]) a, off, n, peer, tag) : c.irecv((long[]) a, off, n, peer, tag);
            if (a instanceof float[]) return send ? c.isend((float[]) a, off, n, peer, tag) : c.irecv((float[]) a, off, n, peer, tag);
            if (a instanceof double[]) return send ? c.isend((double[]) a, off, n, peer, tag) : c.irecv((double[]) a, off, n, peer, tag);
            if (a instanceof boolean[]) return send ? c.isend((boolean[]) a, off, n, peer, tag) : c.irecv((boolean[]) a, off, n, peer, tag);
            if (a instanceof ByteBuffer) return send ? c.isend((ByteBuffer) a, peer, tag) : c.irecv((ByteBuffer) a, peer, tag);
            return null;
        } catch (io.jmpi.base.MpiException e) {
            throw new MPIException(e);
        }
    }
}
