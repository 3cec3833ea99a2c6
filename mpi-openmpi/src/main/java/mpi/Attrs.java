package mpi;

import io.jmpi.Keyval;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Open MPI's int attribute keys over jmpi's {@link Keyval} objects; user keys start above the predefined ones. */
final class Attrs {
    private static final AtomicInteger NEXT = new AtomicInteger(100);
    private static final Map<Integer, Keyval> KEYS = new ConcurrentHashMap<>();

    private Attrs() {
    }

    static int create() {
        int k = NEXT.getAndIncrement();
        KEYS.put(k, io.jmpi.Comm.createKeyval(Keyval.NULL_COPY, Keyval.NULL_DELETE));
        return k;
    }

    static void free(int k) throws MPIException {
        Keyval v = KEYS.remove(k);
        if (v == null) throw new MPIException("freeKeyval: keyval=" + k + " is not a key of createKeyval", MPI.ERR_KEYVAL, null);
        v.free();
    }

    static Keyval key(int k) {
        Keyval v = KEYS.get(k);
        if (v == null) throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, "attribute: keyval=" + k + " is not a key of createKeyval");
        return v;
    }
}
