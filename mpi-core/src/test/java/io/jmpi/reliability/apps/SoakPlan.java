package io.jmpi.reliability.apps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * The soak's traffic, derived from a seed so that every rank can replay every sender's schedule and know exactly
 * which messages it must receive, from whom, with which tag, in which order.
 *
 * <p>Each round, sender thread {@code t} of rank {@code s} sends {@code msgs} messages ({@link Item}): a random
 * destination (itself included), a random receive communicator {@code j} (one per receiver thread of the
 * destination, so each communicator has exactly one consuming thread there, whose posting order defines matching
 * order), a random tag with {@code tag % senders == t} (so a stream (source, communicator, tag) has one sending
 * thread and MPI's non-overtaking rule orders it completely), a size skewed to small, and a send mode. Between items,
 * every rank's thread {@code t} also takes part in {@code exchanges} sendrecv shifts on its own communicator.
 *
 * <p>Message layout (little-endian), for messages of at least {@link #HEADER} bytes:
 * <pre>
 *  0 int magic | 4 short source | 6 byte thread | 7 byte comm | 8 int round | 12 int k (index in its stream)
 * 16 int tag   | 20 int size    | 24 int item   | 28 int crc32c(bytes [0,28) and [32,size)) | 32.. filler
 * </pre>
 * A shorter message is the first {@code size} bytes of that header with a zero filler and crc over the header:
 * the receiver compares it with the expected one.
 */
public final class SoakPlan {
    public static final int HEADER = 32;
    public static final int MAGIC = 0x4B414F53; // "SOAK"
    static final int FILLER = 1 << 16;

    /** Send modes. */
    public enum Mode { SEND, SSEND, ISEND, ISSEND, ISEND_DIRECT, ISEND_TEST }

    /** One message of a sender's schedule. */
    public static final class Item {
        public final int index, dest, comm, tag, size, k;
        public final Mode mode;

        Item(int index, int dest, int comm, int tag, int size, int k, Mode mode) {
            this.index = index;
            this.dest = dest;
            this.comm = comm;
            this.tag = tag;
            this.size = size;
            this.k = k;
            this.mode = mode;
        }
    }

    public final long seed;
    public final int ranks, senders, receivers, msgs, exchanges, maxSize, largePermille;
    private static final byte[] BLOCK = filler();

    public SoakPlan(long seed, int ranks, int senders, int receivers, int msgs, int exchanges, int maxSize, int largePermille) {
        this.seed = seed;
        this.ranks = ranks;
        this.senders = senders;
        this.receivers = receivers;
        this.msgs = msgs;
        this.exchanges = exchanges;
        this.maxSize = maxSize;
        this.largePermille = largePermille;
    }

    private static byte[] filler() {
        byte[] b = new byte[(8 << 20) + FILLER];
        new SplittableRandom(42).nextBytes(b);
        return b;
    }

    static long mix(long... v) {
        long h = 0x9E3779B97F4A7C15L;
        for (long x : v) {
            h ^= x + 0x632BE59BD9B4E019L + (h << 6) + (h >>> 2);
            h *= 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    /** A size skewed to small: 0-64 B, up to 4 KiB, up to the eager limit, then rendezvous sizes up to {@code max}. */
    int size(SplittableRandom r) {
        int p = r.nextInt(1000);
        if (p < largePermille) return r.nextInt(Math.min(maxSize, 1 << 20), maxSize + 1);
        p = r.nextInt(100);
        if (p < 40) return r.nextInt(65);
        if (p < 70) return r.nextInt(65, 4097);
        if (p < 90) return r.nextInt(4097, 65537);
        return r.nextInt(65537, Math.max(65538, Math.min(maxSize, 1 << 20) + 1));
    }

    /** The schedule of sender thread {@code t} of rank {@code s} in {@code round}. */
    public List<Item> schedule(int round, int s, int t) {
        SplittableRandom r = new SplittableRandom(mix(seed, round, s, t, 1));
        List<Item> items = new ArrayList<>(msgs);
        Map<Long, Integer> streamCount = new HashMap<>();
        int[] tagBases = {0, 1, 7, 1000};
        Mode[] modes = Mode.values();
        int[] weights = {35, 8, 30, 8, 12, 7};
        for (int i = 0; i < msgs; i++) {
            int dest = r.nextInt(ranks);
            int comm = r.nextInt(receivers);
            int base = r.nextInt(10) < 7 ? tagBases[r.nextInt(tagBases.length)] : r.nextInt(Integer.MAX_VALUE / senders - 1);
            int tag = base * senders + t;
            int size = size(r);
            int w = r.nextInt(100), m = 0;
            while (w >= weights[m]) w -= weights[m++];
            long key = ((long) dest << 40) ^ ((long) comm << 32) ^ (tag & 0xFFFFFFFFL);
            int k = streamCount.merge(key, 1, Integer::sum) - 1;
            items.add(new Item(i, dest, comm, tag, size, k, modes[m]));
        }
        return items;
    }

    /** Item positions before which thread {@code t} does its sendrecv exchanges this round (same on every rank). */
    public int[] exchangePoints(int round, int t) {
        SplittableRandom r = new SplittableRandom(mix(seed, round, t, 2));
        int[] p = new int[exchanges];
        for (int x = 0; x < exchanges; x++) p[x] = r.nextInt(msgs + 1);
        java.util.Arrays.sort(p);
        return p;
    }

    /** Shift of exchange {@code x} of thread {@code t} (same on every rank): send to rank+shift, receive from rank-shift. */
    public int exchangeShift(int round, int t, int x) {
        return ranks == 1 ? 0 : 1 + new SplittableRandom(mix(seed, round, t, x, 3)).nextInt(ranks - 1);
    }

    /** Size of what rank {@code s} sends in exchange {@code x} of thread {@code t}. */
    public int exchangeSize(int round, int t, int x, int s) {
        return size(new SplittableRandom(mix(seed, round, t, x, s, 4)));
    }

    // ------------------------------------------------------------------ message contents

    /** Writes message {@code item} of sender ({@code source}, {@code thread}) of {@code round} into {@code b[0, size)}. */
    public static void fill(byte[] b, int source, int thread, int comm, int round, int k, int tag, int size, int item) {
        byte[] head = new byte[HEADER];
        ByteBuffer hh = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        hh.putInt(0, MAGIC).putShort(4, (short) source).put(6, (byte) thread).put(7, (byte) comm).putInt(8, round)
                .putInt(12, k).putInt(16, tag).putInt(20, size).putInt(24, item);
        if (size > HEADER) {
            int off = (int) (Integer.toUnsignedLong((int) mix(source, thread, round, item)) % FILLER);
            System.arraycopy(BLOCK, off, b, HEADER, size - HEADER);
        }
        CRC32C c = new CRC32C();
        c.update(head, 0, 28);
        if (size > HEADER) c.update(b, HEADER, size - HEADER);
        hh.putInt(28, (int) c.getValue());
        System.arraycopy(head, 0, b, 0, Math.min(size, HEADER));
    }

    /** Whether a message of at least {@link #HEADER} bytes is intact: its crc matches its contents. */
    public static boolean intact(byte[] b, int off, int size) {
        CRC32C c = new CRC32C();
        c.update(b, off, 28);
        if (size > HEADER) c.update(b, off + HEADER, size - HEADER);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off + 28) == (int) c.getValue();
    }
}
