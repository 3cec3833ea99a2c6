package mpi;

import java.lang.reflect.Array;

/**
 * The elements a derived datatype over a primitive selects, copied between the user's array and a contiguous array
 * of the base type: the path of derived types where jmpi's native call takes only primitive arrays (point-to-point
 * on {@link Intercomm}). The message then carries base elements, so it matches a receive of the base type or of any
 * type over it, as the type signatures of MPI require.
 */
final class Runs {
    private Runs() {
    }

    /** A new base-type array of the {@code count * type.Size()} elements that {@code count} elements of {@code type} select. */
    static Object gather(String call, String arg, Object buf, int offset, int count, Datatype type) throws MPIException {
        int length = length(call, arg, buf, count, type);
        Object out = Array.newInstance(buf.getClass().getComponentType(), count * type.size());
        int n = 0;
        long ext = type.extent();
        for (int k = 0; k < count; k++) {
            for (int r = 0; r < type.off.length; r++) {
                int at = range(call, arg, length, offset + k * ext + type.off[r], type.len[r]);
                System.arraycopy(buf, at, out, n, type.len[r]);
                n += type.len[r];
            }
        }
        return out;
    }

    /** A new base-type array that a receive of {@code count} elements of {@code type} into {@code buf} lands in first. */
    static Object landing(String call, String arg, Object buf, int count, Datatype type) throws MPIException {
        length(call, arg, buf, count, type);
        return Array.newInstance(buf.getClass().getComponentType(), count * type.size());
    }

    /** Places the first {@code n} elements of {@code src} into {@code buf} by {@code type}'s map from {@code offset}. */
    static void scatter(String call, String arg, Object src, int n, Object buf, int offset, Datatype type) throws MPIException {
        int length = Array.getLength(buf);
        int done = 0;
        long ext = type.extent();
        for (int k = 0; done < n; k++) {
            for (int r = 0; r < type.off.length && done < n; r++) {
                int m = Math.min(type.len[r], n - done);
                int at = range(call, arg, length, offset + k * ext + type.off[r], m);
                System.arraycopy(src, done, buf, at, m);
                done += m;
            }
        }
    }

    private static int length(String call, String arg, Object buf, int count, Datatype type) throws MPIException {
        if (buf == null) throw new MPIException(call + ": " + arg + " is null");
        Typed.check(call, arg, buf, type);
        if (count < 0) throw new MPIException(call + ": count=" + count + " out of range [0, " + Integer.MAX_VALUE + "]");
        return Array.getLength(buf);
    }

    private static int range(String call, String arg, int length, long at, int len) throws MPIException {
        if (at < 0 || at + len > length) {
            throw new MPIException(call + ": elements [" + at + ", " + (at + len) + ") lie outside " + arg + " of length " + length);
        }
        return (int) at;
    }
}
