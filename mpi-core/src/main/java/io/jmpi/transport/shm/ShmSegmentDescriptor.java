package io.jmpi.transport.shm;

/**
 * Layout of a rank's shared-memory segment ({@code /dev/shm/jmpi-<job>-<rank>}): a header, then one inbound
 * single-producer/single-consumer ring per world rank (ring {@code i} is written only by rank {@code i}, read only
 * by the owner). All integers little-endian; counters are 8-byte aligned and accessed with acquire/release.
 *
 * <pre>
 * header (4096 bytes)
 *   0  long  magic "JMPISHM1"         24 int  ringCount (world size)
 *   8  int   version                  28 int  ringCapacity (bytes, power of two)
 *   12 int   ownerRank                32 int  ready (1 once initialised; release)
 *   16 long  jobId                    40 long attached (peers that mapped it; atomic add)
 *   36 int   doorbell (1: the owner listens on {@code <segment file>.bell}, a UNIX-domain socket peers connect to)
 *   64 int   waiters (own cache line; 1 while the owner's poller announces that it sleeps: volatile store, then it
 *            re-polls every ring before blocking; a producer reads it with a volatile load after its volatile store
 *            of a record's stamp, and rings the doorbell (one byte on its connection to it) only when it is 1)
 * ring i at 4096 + i * (256 + ringCapacity)
 *   +0   long (reserved; version 2's tail)                       own cache line
 *   +128 long head  (bytes ever consumed; consumer's, release)    own cache line
 *   +256 data[ringCapacity]: records, each padded to 8 bytes:
 *          +0 long stamp: the record's ring position (bytes ever written before it) + 1; stored last, volatile:
 *                         it publishes the record (the consumer takes it when the stamp is its head + 1)
 *          +8 the 40-byte frame header ({@link io.jmpi.wire.FrameDescriptor}), then the payload
 *        a record never wraps: a PAD record (type 0) or, when fewer than 48 bytes are left, an implicit skip, fills
 *        the end.
 * </pre>
 */
public final class ShmSegmentDescriptor {
    public static final long MAGIC = 0x314D485349504D4AL; // "JMPISHM1" little-endian
    /** 2: the doorbell and waiters words; 3: records carry their stamp (no tail counter). */
    public static final int VERSION = 3;
    public static final int HEADER_SIZE = 4096;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int OWNER_OFFSET = 12;
    public static final int JOB_OFFSET = 16;
    public static final int RING_COUNT_OFFSET = 24;
    public static final int RING_CAPACITY_OFFSET = 28;
    public static final int READY_OFFSET = 32;
    public static final int ATTACHED_OFFSET = 40;
    public static final int DOORBELL_OFFSET = 36;
    public static final int WAITERS_OFFSET = 64;

    public static final int RING_META = 256;
    public static final int TAIL_OFFSET = 0;
    public static final int HEAD_OFFSET = 128;
    public static final byte PAD = 0;
    /** The stamp before each record's frame header. */
    public static final int STAMP_LENGTH = 8;

    private ShmSegmentDescriptor() {
    }

    public static long ringOffset(int ring, int capacity) {
        return HEADER_SIZE + (long) ring * (RING_META + capacity);
    }

    public static long segmentSize(int rings, int capacity) {
        return ringOffset(rings, capacity);
    }

    public static int align8(int n) {
        return (n + 7) & ~7;
    }
}
