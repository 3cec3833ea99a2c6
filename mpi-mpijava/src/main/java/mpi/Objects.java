package mpi;

/**
 * MPI.OBJECT buffers: the elements a datatype selects from an {@code Object[]} travel as one serialized
 * {@code Object[]} through jmpi's object tier; receives place them back by the same type map.
 */
final class Objects {
    private Objects() {
    }

    static Object[] array(String call, String arg, Object buf) throws MPIException {
        if (buf == null) throw new MPIException(call + ": " + arg + " is null");
        if (!(buf instanceof Object[])) {
            throw new MPIException(call + ": " + arg + " is " + buf.getClass().getSimpleName() + " but the datatype's base type is OBJECT: it needs an Object[]");
        }
        return (Object[]) buf;
    }

    /** The {@code count * type.Size()} objects that {@code count} elements of {@code type} select from {@code offset}. */
    static Object[] gather(String call, String arg, Object buf, int offset, int count, Datatype type) throws MPIException {
        Object[] a = array(call, arg, buf);
        if (count < 0) throw new MPIException(call + ": count=" + count + " out of range [0, " + Integer.MAX_VALUE + "]");
        Object[] out = new Object[count * type.size()];
        int n = 0;
        long ext = type.extent();
        for (int k = 0; k < count; k++) {
            for (int r = 0; r < type.off.length; r++) {
                int at = range(call, arg, a, offset + k * ext + type.off[r], type.len[r]);
                System.arraycopy(a, at, out, n, type.len[r]);
                n += type.len[r];
            }
        }
        return out;
    }

    /** Places {@code objs} into up to {@code count} elements of {@code type} at {@code offset}; returns how many objects. */
    static int scatter(String call, String arg, Object[] objs, Object buf, int offset, int count, Datatype type) throws MPIException {
        Object[] a = array(call, arg, buf);
        int n = objs == null ? 0 : objs.length;
        if (n > (long) count * type.size()) {
            throw new MPIException(call + ": message of " + n + " objects truncated: the receive takes count=" + count
                    + " elements of " + type + " (" + (long) count * type.size() + " objects)");
        }
        int done = 0;
        long ext = type.extent();
        for (int k = 0; done < n; k++) {
            for (int r = 0; r < type.off.length && done < n; r++) {
                int m = Math.min(type.len[r], n - done);
                int at = range(call, arg, a, offset + k * ext + type.off[r], m);
                System.arraycopy(objs, done, a, at, m);
                done += m;
            }
        }
        return n;
    }

    private static int range(String call, String arg, Object[] a, long at, int len) throws MPIException {
        if (at < 0 || at + len > a.length) {
            throw new MPIException(call + ": elements [" + at + ", " + (at + len) + ") lie outside " + arg + " of length " + a.length);
        }
        return (int) at;
    }
}
