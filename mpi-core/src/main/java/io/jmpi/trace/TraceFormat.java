package io.jmpi.trace;

import java.nio.file.Path;

/**
 * The files of a trace folder, one pair per rank, as {@link Recorder} writes them and {@link TraceFile} reads them.
 * <pre>
 *   rank-R.events   records of 8 little-endian longs (64 bytes), in the order each thread's buffer was written:
 *     word 0   kind (bits 0-7: OP, MSG_SEND, MSG_RECV) | category (8-15) | name id (16-39) | thread index (40-63)
 *     word 1   t0: start, System.nanoTime of the rank's JVM (add the meta file's clockOffset for rank 0's clock)
 *     word 2   t1: end (= t0 for message events)
 *     word 3   peer (world rank, -1 none) &lt;&lt; 32 | tag (-1 none)
 *     word 4   context &lt;&lt; 32 | root (-1 none)
 *     word 5   bytes
 *     word 6   seq: message number of the (sender, receiver) pair for messages and point-to-point; element count of a
 *              collective; -1 none
 *     word 7   datatype name id (bits 40-59) | op name id (20-39) | call site name id (0-19)
 *   rank-R.meta     properties: version, rank, size, startNanos, endNanos, startMillis, clockOffset, clockRtt,
 *                   dropped, thread.I=name, name.I=string (id I; id 0 is the empty string)
 * </pre>
 */
public final class TraceFormat {
    public static final int VERSION = 1;
    public static final int RECORD_BYTES = 64;

    /** Kinds of record. */
    public static final int OP = 1, MSG_SEND = 2, MSG_RECV = 3;
    /** Categories of operations. */
    public static final int P2P = 0, COLL = 1, PROBE = 2, WAIT = 3, COMM = 4, RMA = 5;
    static final String[] CATEGORY_NAMES = {"p2p", "collective", "probe", "wait", "communicator", "rma"};

    private TraceFormat() {
    }

    public static String categoryName(int cat) {
        return cat >= 0 && cat < CATEGORY_NAMES.length ? CATEGORY_NAMES[cat] : "other";
    }

    public static Path eventFile(Path dir, int rank) {
        return dir.resolve("rank-" + rank + ".events");
    }

    public static Path metaFile(Path dir, int rank) {
        return dir.resolve("rank-" + rank + ".meta");
    }

    static long word0(int kind, int cat, int name, int thread) {
        return (kind & 0xffL) | ((cat & 0xffL) << 8) | ((name & 0xffffffL) << 16) | ((long) thread << 40);
    }

    static long word7(int type, int op, int site) {
        return ((type & 0xfffffL) << 40) | ((op & 0xfffffL) << 20) | (site & 0xfffffL);
    }
}
