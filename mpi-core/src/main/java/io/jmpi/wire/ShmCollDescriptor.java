package io.jmpi.wire;

/**
 * Layout of the shared-memory segment of one communicator's shared-memory collectives
 * ({@code <shmDir>/jmpi-<job>-c<context>-<leader>}: job id in hex, the communicator's context and the world rank of
 * its rank 0, so disjoint groups of one split, which share a context, get different files; the prefix
 * {@code jmpi-<job>-} is the one the launcher's clean-up removes). Rank 0 of the communicator creates it, the others
 * attach; the last to attach unlinks it. All integers little-endian; flags are 8-byte aligned and accessed with
 * acquire/release; each rank's flags sit alone in a 128-byte block (two cache lines, so that adjacent-line prefetch
 * does not share them either).
 *
 * <pre>
 * header (256 bytes)
 *   0  long  magic "JMPICOL1"          24 int  context (the communicator's point-to-point context)
 *   8  int   version                   28 int  leader (world rank of the communicator's rank 0)
 *   12 int   size (ranks)              32 int  ready (1 once initialised; release)
 *   16 long  jobId                     40 long attached (ranks that mapped it, creator included; atomic add)
 *   48 int   slotBytes
 * flags of rank i at 256 + i * 128 (written only by rank i)
 *   +0  long ready   last epoch whose data rank i has published in its slot (or reached, for a barrier)
 *   +8  long done    last epoch whose reads rank i has finished
 * slot of rank i at align4096(256 + size * 128) + i * slotBytes (written only by rank i)
 *   two banks of slotBytes / 2; epoch e uses bank e mod 2
 * </pre>
 *
 * Epochs. Every step of every shared-memory collective of the communicator has the next epoch number, the same on
 * every rank (all ranks call collectives in the same order and the steps depend only on values they agree on).
 * Flags only grow (64 bits never wrap), so no flag is ever reset and there is no reset race. A writer fills its bank
 * of epoch e only once every rank's {@code done} is at least e - 2 (nobody still reads that bank), then publishes
 * {@code ready = e}; a reader waits for {@code ready >= e} of the writer, copies, and publishes {@code done = e}.
 */
public final class ShmCollDescriptor {
    public static final long MAGIC = 0x314C4F4349504D4AL; // "JMPICOL1" little-endian
    public static final int VERSION = 1;
    public static final int HEADER_SIZE = 256;
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int SIZE_OFFSET = 12;
    public static final int JOB_OFFSET = 16;
    public static final int CONTEXT_OFFSET = 24;
    public static final int LEADER_OFFSET = 28;
    public static final int READY_OFFSET = 32;
    public static final int ATTACHED_OFFSET = 40;
    public static final int SLOT_BYTES_OFFSET = 48;

    /** Bytes of one rank's flag block. */
    public static final int FLAGS_STRIDE = 128;
    public static final int FLAG_READY = 0;
    public static final int FLAG_DONE = 8;

    private ShmCollDescriptor() {
    }

    /** The segment's file name in the shared-memory directory. */
    public static String fileName(long jobId, int context, int leaderWorldRank) {
        return "jmpi-" + Long.toHexString(jobId) + "-c" + context + "-" + leaderWorldRank;
    }

    /** Offset of rank {@code r}'s flag {@code flag} ({@link #FLAG_READY} or {@link #FLAG_DONE}). */
    public static int flagOffset(int r, int flag) {
        return HEADER_SIZE + r * FLAGS_STRIDE + flag;
    }

    /** Offset of the first slot. */
    public static long slotsOffset(int size) {
        return (HEADER_SIZE + (long) size * FLAGS_STRIDE + 4095) & ~4095L;
    }

    /** Offset of bank {@code bank} (0 or 1) of rank {@code r}'s slot. */
    public static long bankOffset(int size, int slotBytes, int r, int bank) {
        return slotsOffset(size) + (long) r * slotBytes + (long) bank * (slotBytes / 2);
    }

    public static long segmentSize(int size, int slotBytes) {
        return slotsOffset(size) + (long) size * slotBytes;
    }
}
