package io.jmpi.wire;

/**
 * Layout of the 40-byte header that starts every frame between two ranks, on every transport. Little-endian.
 *
 * <pre>
 *   0               4       5       6               8
 *   +---------------+-------+-------+---------------+
 *   | payloadLength | type  | dtype |     flags     |
 *   +---------------+-------+-------+---------------+
 *   8               12              16              20              24
 *   +---------------+---------------+---------------+---------------+
 *   |    context    |  source rank  |      tag      |   reserved    |
 *   +---------------+---------------+---------------+---------------+
 *   24                              32                              40
 *   +-------------------------------+-------------------------------+
 *   |              id               |              id2              |
 *   +-------------------------------+-------------------------------+
 * </pre>
 *
 * Frame types and the meaning of their fields:
 * <ul>
 *   <li>{@link #EAGER}: a whole message; context/source/tag/dtype as sent; payload = the data.</li>
 *   <li>{@link #RTS} (request to send): a rendezvous message's envelope; id = sender's handle, id2 = total bytes.</li>
 *   <li>{@link #CTS} (clear to send): the receiver matched the RTS; id = sender's handle, id2 = receiver's handle.</li>
 *   <li>{@link #DATA}: a chunk of a rendezvous message; id = receiver's handle, id2 = byte offset; payload = chunk.</li>
 *   <li>{@link #CREDIT}: the receiver consumed eager data; id = bytes of credit returned to the sender.</li>
 *   <li>{@link #BYE}: the sender has closed; nothing follows.</li>
 * </ul>
 * Every field is validated before use ({@code Engine#onFrame}); a frame that fails closes its connection.
 */
public final class FrameDescriptor {
    public static final int HEADER_LENGTH = 40;

    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int DTYPE_OFFSET = 5;
    public static final int FLAGS_OFFSET = 6;
    public static final int CONTEXT_OFFSET = 8;
    public static final int SOURCE_OFFSET = 12;
    public static final int TAG_OFFSET = 16;
    public static final int RESERVED_OFFSET = 20;
    public static final int ID_OFFSET = 24;
    public static final int ID2_OFFSET = 32;

    public static final byte EAGER = 1;
    public static final byte RTS = 2;
    public static final byte CTS = 3;
    public static final byte DATA = 4;
    public static final byte CREDIT = 5;
    public static final byte BYE = 6;
    public static final byte MAX_TYPE = BYE;

    /** Flag on RTS: synchronous send (the sender completes when matched). */
    public static final short FLAG_SYNC = 1;
    /**
     * Flag on EAGER and RTS: a ready send ({@code MPI_Rsend}), whose sender asserts that the matching receive is
     * already posted; a receiver that finds none fails the receive that later takes the message.
     */
    public static final short FLAG_READY = 2;

    private FrameDescriptor() {
    }

    public static String typeName(int type) {
        switch (type) {
            case EAGER: return "EAGER";
            case RTS: return "RTS";
            case CTS: return "CTS";
            case DATA: return "DATA";
            case CREDIT: return "CREDIT";
            case BYE: return "BYE";
            default: return "type" + type;
        }
    }
}
