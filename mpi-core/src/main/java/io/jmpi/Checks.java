package io.jmpi;

import io.jmpi.base.Log;
import io.jmpi.trace.CallSite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Run-time correctness checks of {@code jmpirun --check} (setting {@code check=on}; issue 19, docs/TOOLS.md), one
 * object per rank, null when off (each hook is one branch on a final field). Each finding is printed on the rank's
 * standard error with the user's call site and kept for {@link Mpi#checkFindings()}:
 * <ul>
 *   <li>{@link Kind#SEND_BUFFER_MODIFIED}: the array of a non-blocking send changed between the post and the
 *       completion (a checksum of its elements at each end; {@link EngineRequest});</li>
 *   <li>{@link Kind#REQUEST_NOT_COMPLETED}: a non-blocking request was never completed by await or a successful test
 *       when the rank closed (with where it was created);</li>
 *   <li>{@link Kind#COLLECTIVE_MISMATCH}: the ranks of a communicator called a collective with different operations,
 *       roots, counts, datatypes or reduction ops ({@link CollectiveBase}: an allreduce before each collective);</li>
 *   <li>{@link Kind#UNMATCHED_MESSAGE}: a message that no receive took when the rank closed.</li>
 * </ul>
 */
final class Checks {
    enum Kind { SEND_BUFFER_MODIFIED, REQUEST_NOT_COMPLETED, COLLECTIVE_MISMATCH, UNMATCHED_MESSAGE }

    record Finding(Kind kind, String message) {
        @Override
        public String toString() {
            return kind + ": " + message;
        }
    }

    private final int rank;
    private final List<Finding> findings = new ArrayList<>();
    /** Requests posted and not yet completed: where each was created, and a pending send's buffer and checksum. */
    private final Map<Request, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(String what, Object array, int offset, int count, long sum) {
    }

    Checks(int rank) {
        this.rank = rank;
    }

    static String site() {
        return CallSite.find();
    }

    void report(Kind kind, String message) {
        Finding f = new Finding(kind, message);
        synchronized (findings) {
            findings.add(f);
        }
        Log.warn(rank, "check: " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + message);
    }

    List<Finding> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    void posted(Request r, String what) {
        pending.put(r, new Pending(what + " created at " + site(), null, 0, 0, 0));
    }

    /** The pending send {@code r} of {@code array[offset, offset + count)}: its checksum now, compared at completion. */
    void sendBuffer(Request r, String what, Object array, int offset, int count) {
        pending.put(r, new Pending(what + " posted at " + site(), array, offset, count, checksum(array, offset, count)));
    }

    void completed(Request r) {
        Pending p = pending.remove(r);
        if (p != null && p.array() != null && checksum(p.array(), p.offset(), p.count()) != p.sum()) {
            report(Kind.SEND_BUFFER_MODIFIED, "the send buffer of " + p.what() + " was modified before the send "
                    + "completed (completed at " + site() + ")");
        }
    }

    /** At close: every request still pending is a finding. */
    void closing() {
        for (Pending p : pending.values()) {
            report(Kind.REQUEST_NOT_COMPLETED, p.what() + " was never completed (await or test) before close");
        }
        pending.clear();
    }

    /** A checksum of {@code array[offset, offset + count)}, element by element (any primitive array). */
    static long checksum(Object array, int offset, int count) {
        long h = 1125899906842597L;
        int end = offset + count;
        if (array instanceof byte[] a) for (int i = offset; i < end; i++) h = 31 * h + a[i];
        else if (array instanceof short[] a) for (int i = offset; i < end; i++) h = 31 * h + a[i];
        else if (array instanceof char[] a) for (int i = offset; i < end; i++) h = 31 * h + a[i];
        else if (array instanceof int[] a) for (int i = offset; i < end; i++) h = 31 * h + a[i];
        else if (array instanceof long[] a) for (int i = offset; i < end; i++) h = 31 * h + a[i];
        else if (array instanceof float[] a) for (int i = offset; i < end; i++) h = 31 * h + Float.floatToRawIntBits(a[i]);
        else if (array instanceof double[] a) for (int i = offset; i < end; i++) h = 31 * h + Double.doubleToRawLongBits(a[i]);
        else if (array instanceof boolean[] a) for (int i = offset; i < end; i++) h = 31 * h + (a[i] ? 1 : 2);
        return h;
    }
}
