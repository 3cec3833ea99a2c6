package io.jmpi.wire;

/**
 * Layout of the 40-byte header that starts every one-sided (RMA) message. RMA messages are ordinary EAGER (or, when
 * large, rendezvous) messages of element type BYTE on a window's own communicator context, whose frames the engine
 * hands to the window's handler instead of matching them; the frame's tag repeats the kind. Little-endian.
 *
 * <pre>
 *   0       1       2       3       4               8
 *   +-------+-------+-------+-------+---------------+
 *   | kind  | dtype |  op   | flags |     count     |
 *   +-------+-------+-------+-------+---------------+
 *   8                               16                              24
 *   +-------------------------------+-------------------------------+
 *   |     target displacement       |          request id           |
 *   +-------------------------------+-------------------------------+
 *   24              28              32                              40
 *   +---------------+---------------+-------------------------------+
 *   |     runs      |  data length  |            (reserved)         |
 *   +---------------+---------------+-------------------------------+
 * </pre>
 *
 * followed by {@code runs} pairs of ints (byte offset relative to the displacement's byte address, byte length) that
 * describe the target datatype (none: the {@code count} elements are contiguous at the displacement), then
 * {@code data length} bytes of data. {@code count} is the number of base elements ({@code dtype}) at the target.
 *
 * <ul>
 *   <li>{@link #PUT}: data = the elements. {@link #ACCUMULATE}: data = the operand, op = an {@code OP_} code.</li>
 *   <li>{@link #GET}, {@link #GET_ACCUMULATE} (also fetch-and-op), {@link #COMPARE_AND_SWAP} (data = origin value,
 *       then compare value): answered by {@link #REPLY} with the same request id, data = the target's elements (the
 *       old ones for the accumulating kinds).</li>
 *   <li>{@link #LOCK} (flags: {@link #FLAG_EXCLUSIVE}), {@link #UNLOCK}, {@link #FLUSH}: answered by {@link #ACK}
 *       (a lock when granted; an unlock or a flush after everything the origin sent before was applied).</li>
 *   <li>{@link #POST}, {@link #COMPLETE}, {@link #FENCE}: epoch markers, counted per source; no answer.</li>
 *   <li>{@link #ERROR}: the request the id names was refused (data = the reason, UTF-8); a put or accumulate, whose
 *       origin waits for nothing, has it reported at its next synchronisation.</li>
 * </ul>
 * The target validates every field before it touches window memory ({@code io.jmpi.rma.RmaEndpoint}).
 */
public final class RmaDescriptor {
    public static final int HEADER_LENGTH = 40;
    public static final int KIND_OFFSET = 0;
    public static final int DTYPE_OFFSET = 1;
    public static final int OP_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int COUNT_OFFSET = 4;
    public static final int DISP_OFFSET = 8;
    public static final int REQUEST_OFFSET = 16;
    public static final int RUNS_OFFSET = 24;
    public static final int DATA_LENGTH_OFFSET = 28;
    /** Bytes per target run: int byte offset, int byte length. */
    public static final int RUN_BYTES = 8;

    public static final byte PUT = 1;
    public static final byte GET = 2;
    public static final byte ACCUMULATE = 3;
    public static final byte GET_ACCUMULATE = 4;
    public static final byte COMPARE_AND_SWAP = 5;
    public static final byte REPLY = 6;
    public static final byte ACK = 7;
    public static final byte ERROR = 8;
    public static final byte LOCK = 9;
    public static final byte UNLOCK = 10;
    public static final byte FLUSH = 11;
    public static final byte POST = 12;
    public static final byte COMPLETE = 13;
    public static final byte FENCE = 14;
    public static final byte MAX_KIND = FENCE;

    public static final byte FLAG_EXCLUSIVE = 1;

    /** Accumulate operation codes (the predefined MPI operations, MINLOC/MAXLOC excepted). */
    public static final byte OP_REPLACE = 1, OP_SUM = 2, OP_PROD = 3, OP_MIN = 4, OP_MAX = 5, OP_LAND = 6, OP_LOR = 7,
            OP_LXOR = 8, OP_BAND = 9, OP_BOR = 10, OP_BXOR = 11, OP_NO_OP = 12;
    public static final byte MAX_OP = OP_NO_OP;

    private RmaDescriptor() {
    }

    public static String opName(int op) {
        return switch (op) {
            case OP_REPLACE -> "REPLACE"; case OP_SUM -> "SUM"; case OP_PROD -> "PROD"; case OP_MIN -> "MIN";
            case OP_MAX -> "MAX"; case OP_LAND -> "LAND"; case OP_LOR -> "LOR"; case OP_LXOR -> "LXOR";
            case OP_BAND -> "BAND"; case OP_BOR -> "BOR"; case OP_BXOR -> "BXOR"; case OP_NO_OP -> "NO_OP";
            default -> "op" + op;
        };
    }
}
