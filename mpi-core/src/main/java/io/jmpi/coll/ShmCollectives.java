package io.jmpi.coll;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Shared-memory collectives of a communicator whose ranks all run on one host: data moves through one slot per rank
 * in a segment shared by the communicator ({@link ShmCollSegment}, layout {@link io.jmpi.wire.ShmCollDescriptor}),
 * synchronised by per-rank flags; no message is sent. Chosen once per communicator (docs/COLLECTIVES.md,
 * "Shared-memory collectives"); the segment is created at the communicator's first shared-memory collective (which
 * all its ranks call), so communicators that never run one cost nothing.
 *
 * <p>Protocol. A collective is a sequence of steps, each with the next epoch number (the same on every rank). A
 * writer waits until every rank has finished the step two epochs back (then nobody reads the bank it is about to
 * fill: banks alternate by epoch), copies its data into its bank and publishes {@code ready = epoch}; a reader waits
 * for the writer's {@code ready >= epoch}, copies out, and every rank publishes {@code done = epoch} at the end of the
 * step. Flags only grow, so nothing is ever reset. Two banks let a writer fill chunk k+1 while the others still read
 * chunk k (a pipeline for messages larger than a bank).
 *
 * <p>Algorithms (flat: node sizes are small and every rank reads the others' slots directly):
 * <ul>
 *   <li>barrier: one step, every rank publishes {@code ready} and waits for everyone's;</li>
 *   <li>bcast: per chunk, the root writes, the others copy;</li>
 *   <li>gather / allgather: per chunk, every rank writes its block's chunk; the root / everyone copies them all;</li>
 *   <li>reduce / allreduce: per chunk, every rank writes its contribution; small chunks: the root / every rank folds
 *   all contributions in rank order; chunks of at least {@link #SPLIT_MIN} elements per rank: rank r folds segment r
 *   of all contributions in rank order and publishes it in the next step, the root / everyone copies the segments
 *   (a reduce-scatter + gather over slots). Each element is the same left fold {@code ((c0 op c1) op c2) ...} in
 *   both forms, so results are bitwise identical on every rank, from run to run and between the two forms, and
 *   non-commutative operations are applied in rank order.</li>
 * </ul>
 *
 * <p>Waiting ({@link #await}, the one place that waits): spin (unless ranks outnumber cores), yield, then park with a
 * growing period; now and then it also advances the rank's non-blocking collectives and the engine, and asks the
 * engine whether the awaited rank is still alive, so a rank that dies fails the others' collective (PROC_FAILED)
 * instead of hanging them.
 *
 * <p>Allocation: none per call on primitive arrays (the reduction scratch is kept, array data moves through typed
 * views of the banks made once; {@code AllocationTest.shmCollectivesAllocateNothing}).
 *
 * <p>Not thread-safe across collectives of one communicator (MPI forbids concurrent collectives on one
 * communicator); the methods are synchronized so that misuse cannot corrupt the views.
 */
public final class ShmCollectives {
    /** Elements per rank from which a reduction chunk is reduce-scattered over the slots instead of folded by all. */
    static final int SPLIT_MIN = 256;
    /** How long a flag wait spins before it yields (when the ranks fit the cores). */
    static final long SPIN_NANOS = 20_000;
    /** How long a flag wait yields before it parks. */
    static final long YIELD_NANOS = 2_000_000;
    /** Fruitless flag reads between looks at the engine (liveness, progress of other collectives). */
    private static final int CHECK_EVERY = 1024;

    private final Channel ch;
    private final Path dir;
    private final long jobId;
    private final int context;
    private final int leader;
    private final int rank;
    private final int size;
    private ShmCollSegment seg;
    private long epoch;
    private long calls;
    private String lastAlgorithm = "";
    /** Reduction scratch, kept between collectives (see {@link #scratch}). */
    private final Block[] scratch = new Block[2];
    /** Tiles of the split fold ({@link #foldSegment}), kept between collectives. */
    private final Block[] tiles = new Block[2];
    /**
     * More ranks in this communicator, or on this machine, than cores: a waiter does not spin (it would hold the
     * writer's core). The machine's count matters with testHosts (2 labels of 2 ranks on 2 cores).
     */
    private final boolean oversubscribed;
    private final long maxParkNanos;

    /**
     * The component of a communicator ({@code context} its point-to-point context, {@code leader} the world rank of
     * its rank 0) with segments in {@code dir} named by {@code jobId}.
     */
    public ShmCollectives(Channel ch, Path dir, long jobId, int context, int leader) {
        this.ch = ch;
        this.dir = dir;
        this.jobId = jobId;
        this.context = context;
        this.leader = leader;
        this.rank = ch.rank;
        this.size = ch.size;
        this.oversubscribed = size > Runtime.getRuntime().availableProcessors()
                || (ch.engine != null && ch.engine.oversubscribed());
        this.maxParkNanos = ch.progress.tuning.maxParkNanos;
    }

    /** Whether a collective moving {@code bytes} per rank goes through shared memory (collShmMax). */
    public boolean accepts(long bytes) {
        return bytes <= ch.progress.tuning.shmMax;
    }

    /** Shared-memory collectives run so far on this communicator (tests, diagnosis). */
    public synchronized long calls() {
        return calls;
    }

    /** Name of the algorithm of the last shared-memory collective, e.g. "shm barrier". */
    public synchronized String lastAlgorithm() {
        return lastAlgorithm;
    }

    // ------------------------------------------------------------------ collectives

    public synchronized void barrier(String call) {
        begin(call, "shm barrier");
        long e = ++epoch;
        seg.publishReady(rank, e);
        for (int j = 0; j < size; j++) if (j != rank) awaitReady(call, j, e);
        seg.publishDone(rank, e);
    }

    public synchronized void bcast(String call, Block b, int root) {
        begin(call, "shm bcast");
        int chunk = chunkElements(b, 1);
        for (int from = 0; from < b.count; from += chunk) {
            int n = Math.min(chunk, b.count - from);
            long e = ++epoch;
            if (rank == root) {
                write(call, e, b, from, n, 0);
            } else {
                awaitReady(call, root, e);
                read(root, e, 0, b, from, n);
            }
            seg.publishDone(rank, e);
        }
    }

    /** Gather ({@code all} non-null at the root only) or, with {@code root < 0}, allgather of blocks of {@code mine.count}. */
    public synchronized void gather(String call, Block mine, Block all, int root) {
        begin(call, root < 0 ? "shm allgather" : "shm gather");
        int count = mine.count;
        boolean collects = root < 0 || rank == root;
        if (collects) Block.copy(mine, 0, all, rank * count, count);
        if (size == 1) return;
        int chunk = chunkElements(mine, 1);
        for (int from = 0; from < count; from += chunk) {
            int n = Math.min(chunk, count - from);
            long e = ++epoch;
            if (!(root >= 0 && rank == root)) write(call, e, mine, from, n, 0);
            if (collects) {
                for (int j = 0; j < size; j++) {
                    if (j == rank) continue;
                    awaitReady(call, j, e);
                    read(j, e, 0, all, j * count + from, n);
                }
            }
            seg.publishDone(rank, e);
        }
    }

    /** Reduce to {@code root} ({@code out} non-null there only) or, with {@code root < 0}, allreduce. */
    public synchronized void reduce(String call, Combiner c, Block in, Block out, int root) {
        int grain = c.grain();
        begin(call, root < 0 ? "shm allreduce" : "shm reduce");
        int chunk = chunkElements(in, grain);
        boolean split = Math.min(chunk, in.count) >= SPLIT_MIN * size;
        lastAlgorithm = root < 0 ? (split ? ALLREDUCE_SPLIT : ALLREDUCE_FLAT) : (split ? REDUCE_SPLIT : REDUCE_FLAT);
        if (in.count == 0) return;
        int need = Math.min(chunk, in.count);
        Block tmp = split ? null : scratch(in.type, need, false);
        boolean gets = root < 0 || rank == root;
        // the own segment of the input is folded from `in` itself unless out is the same array (in place: the fold
        // writes out's segment before it reads this rank's contribution)
        boolean direct = split && in.array() != null && (out == null || out.array() != in.array());
        for (int from = 0; from < in.count; from += chunk) {
            int n = Math.min(chunk, in.count - from);
            long e = ++epoch;
            if (!split) {
                write(call, e, in, from, n, 0);
                if (gets) fold(call, e, 0, n, out, from, tmp, c); // in's chunk is in the bank: out may alias it
                seg.publishDone(rank, e);
                continue;
            }
            // rank r folds segment r of every contribution, then publishes it in the next epoch's bank
            int units = n / grain, per = units / size, extra = units % size;
            int lo = (rank * per + Math.min(rank, extra)) * grain;
            int len = (per + (rank < extra ? 1 : 0)) * grain;
            // the partial result goes straight to its place in out where this rank gets the result, else to scratch
            Block acc = gets ? out : scratch(in.type, need, true);
            int accAt = gets ? from + lo : 0;
            // nobody else reads this rank's own segment when it is folded from `in`: it stays out of the bank
            if (direct) write(call, e, in, from, n, 0, lo, len);
            else write(call, e, in, from, n, 0);
            // the fold also fills this rank's bank of the next epoch with its segment (see foldSegment)
            foldSegment(call, e, lo, len, in, from + lo, direct, acc, accAt, c);
            seg.publishDone(rank, e);
            long e2 = ++epoch;
            seg.publishReady(rank, e2);
            if (gets) {
                for (int j = 0; j < size; j++) {
                    if (j == rank) continue;
                    int jlo = (j * per + Math.min(j, extra)) * grain;
                    int jlen = (per + (j < extra ? 1 : 0)) * grain;
                    awaitReady(call, j, e2);
                    read(j, e2, jlo, out, from + jlo, jlen);
                }
            }
            seg.publishDone(rank, e2);
        }
    }

    private static final String ALLREDUCE_FLAT = "shm allreduce (flat)";
    private static final String ALLREDUCE_SPLIT = "shm allreduce (reduce-scatter over slots)";
    private static final String REDUCE_FLAT = "shm reduce (flat)";
    private static final String REDUCE_SPLIT = "shm reduce (reduce-scatter over slots)";

    /**
     * A scratch block of at least {@code n} elements of {@code type}, kept for the next collective (two: {@code
     * second} picks the other one), so that a reduction allocates nothing in steady state.
     */
    private Block scratch(io.jmpi.buffer.DataType type, int n, boolean second) {
        int i = second ? 1 : 0;
        Block b = scratch[i];
        if (b == null || b.type != type || b.count < n) {
            b = Block.allocate(type, Math.max(n, b != null && b.type == type ? b.count : 0));
            scratch[i] = b;
        }
        return b;
    }

    // ------------------------------------------------------------------ steps

    private void begin(String call, String algorithm) {
        if (seg == null) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ch.progress.tuning.shmAttachSeconds);
            // the others wait for rank 0 to create the segment: once per communicator, shown by the hang diagnosis
            if (rank != 0) ch.engine.waitingOutside(call, ch.context, ch.world(0), "collective over shared memory, for its segment");
            try {
                seg = ShmCollSegment.open(dir, jobId, context, leader, rank, size, ch.progress.tuning.shmSlot, deadline);
            } finally {
                if (rank != 0) ch.engine.doneWaitingOutside();
            }
        }
        calls++;
        lastAlgorithm = algorithm;
    }

    /** Elements of {@code b}'s type per chunk: what a bank holds, a multiple of {@code grain}. */
    private int chunkElements(Block b, int grain) {
        int n = seg.bankBytes / b.type.size;
        return Math.max(grain, n - n % grain);
    }

    /** Writes elements [from, from + n) of {@code src} into this rank's bank of epoch {@code e} at element {@code at}. */
    private void write(String call, long e, Block src, int from, int n, int at) {
        write(call, e, src, from, n, at, 0, 0);
    }

    /**
     * {@link #write(String, long, Block, int, int, int)} but for the elements {@code [skip, skip + skipN)} of the
     * range (relative to {@code from}), which nobody reads from this bank.
     */
    private void write(String call, long e, Block src, int from, int n, int at, int skip, int skipN) {
        for (int j = 0; j < size; j++) {
            if (j != rank) awaitDone(call, j, e - 2);
        }
        if (skipN == 0) {
            put(e, src, from, n, at);
        } else {
            put(e, src, from, skip, at);
            put(e, src, from + skip + skipN, n - skip - skipN, at + skip + skipN);
        }
        seg.publishReady(rank, e);
    }

    private void put(long e, Block src, int from, int n, int at) {
        if (n <= 0) return;
        Object a = src.array();
        if (a == null || !seg.copy(true, rank, e, at * src.type.size, src.type, a, src.offset + from, n)) {
            src.buf(from, n).copyOut(0, seg.bank(rank, e, at * src.type.size), n * src.type.size);
        }
    }

    /** Copies elements [at, at + n) of rank j's bank of epoch {@code e} into {@code dst} from element {@code to}. */
    private void read(int j, long e, int at, Block dst, int to, int n) {
        if (n == 0) return;
        int es = dst.type.size;
        Object a = dst.array();
        if (a == null || !seg.copy(false, j, e, at * es, dst.type, a, dst.offset + to, n)) {
            dst.buf(to, n).copyIn(0, seg.bank(j, e, at * es), n * es);
        }
    }

    /** acc[at0, at0 + n) = elements [at, at + n) of every rank's bank of epoch {@code e}, folded in rank order. */
    private void fold(String call, long e, int at, int n, Block acc, int at0, Block tmp, Combiner c) {
        if (n == 0) return;
        awaitReady(call, 0, e);
        read(0, e, at, acc, at0, n);
        for (int j = 1; j < size; j++) {
            awaitReady(call, j, e);
            read(j, e, at, tmp, 0, n);
            c.combine(acc, at0, tmp, 0, acc, at0, n);
        }
    }

    /** Elements per tile of {@link #foldSegment}: 1-8 KiB, kept in L1 while all ranks' contributions are folded. */
    static final int TILE = 1024;

    /**
     * acc[at0, at0 + n) = elements [at, at + n) of every rank's contribution of epoch {@code e}, folded in rank order
     * ({@code ((c0 op c1) op c2) ...}); this rank's own contribution is {@code in[inAt, inAt + n)} when {@code own},
     * else its bank. Tile by tile: each rank's tile is copied from its bank into a small scratch that stays in the
     * cache and folded at once, so the segment passes through memory once, not once per rank. Each finished tile is
     * also written to this rank's bank of epoch e + 1 at element {@code at}, where the others gather it; that bank is
     * free: a rank publishes ready(e) only after done(e - 1), and the fold waits for every rank's ready(e).
     */
    private void foldSegment(String call, long e, int at, int n, Block in, int inAt, boolean own, Block acc, int at0, Combiner c) {
        if (n == 0) return;
        for (int j = 0; j < size; j++) {
            if (j != rank) awaitReady(call, j, e);
        }
        Block ta = tile(in.type, 0), tb = tile(in.type, 1);
        for (int t0 = 0; t0 < n; t0 += TILE) {
            int t = Math.min(TILE, n - t0);
            // every operand and the result at index 0 of the tiles: the loop shape the JIT vectorises
            if (own && rank == 0) Block.copy(in, inAt + t0, ta, 0, t);
            else read(0, e, at + t0, ta, 0, t);
            for (int j = 1; j < size; j++) {
                if (own && j == rank) Block.copy(in, inAt + t0, tb, 0, t);
                else read(j, e, at + t0, tb, 0, t);
                c.combine(ta, 0, tb, 0, ta, 0, t);
            }
            Block.copy(ta, 0, acc, at0 + t0, t);
            put(e + 1, ta, 0, t, at + t0);
        }
    }

    /** Tile scratch {@code i} (0 or 1) of {@link #TILE} elements of {@code type}, kept between collectives. */
    private Block tile(io.jmpi.buffer.DataType type, int i) {
        Block b = tiles[i];
        if (b == null || b.type != type) {
            b = Block.allocate(type, TILE);
            tiles[i] = b;
        }
        return b;
    }

    /** How long a flag wait lasts before the hang diagnosis is told of it. */
    private static final long ANNOUNCE_AFTER_NANOS = 100_000_000L;

    private void awaitReady(String call, int j, long e) {
        if (seg.ready(j) < e) await(call, j, e, true);
    }

    private void awaitDone(String call, int j, long e) {
        if (seg.done(j) < e) await(call, j, e, false);
    }

    /**
     * The one place that waits: until rank j's ready (or done) flag reaches {@code e}. Peers write flags without
     * ringing a doorbell, so the waiter never blocks in the kernel: it spins for {@link #SPIN_NANOS} (not when the
     * communicator has more ranks than the host has cores: the writer may need this core), then yields for
     * {@link #YIELD_NANOS} (on an oversubscribed host a yield hands the core to the rank it waits for, which a park
     * would too, but a park ends a timer slack later: those wake-ups were the tails of 4-rank collectives on 2 cores),
     * then parks with a period growing to maxParkMicros. Every {@link #CHECK_EVERY} tries it advances the rank's other
     * collectives and the engine and fails if rank j is gone.
     */
    private void await(String call, int j, long e, boolean ready) {
        boolean announced = false;
        long start = System.nanoTime(), since = 0;
        long spinNanos = oversubscribed ? 0 : SPIN_NANOS;
        int park = 0;
        try {
            for (int tries = 1; ; tries++) {
                if ((ready ? seg.ready(j) : seg.done(j)) >= e) return;
                if (!announced && (tries & 63) == 0) {
                    // a wait that lasts (100 ms) is shown by the hang diagnosis: it is no engine operation
                    long now = System.nanoTime();
                    if (since == 0) {
                        since = now;
                    } else if (now - since > ANNOUNCE_AFTER_NANOS) {
                        ch.engine.waitingOutside(call, ch.context, ch.world(j), "collective over shared memory, "
                                + (ready ? "for its data" : "for its slot to be free"));
                        announced = true;
                    }
                }
                if (tries % CHECK_EVERY == 0) {
                    ch.engine.checkPeer(call, ch.world(j));
                    ch.progress.advanceOthers(null);
                    ch.engine.progress();
                } else if ((tries & 31) == 0 && ch.engine.hasContextHandlers()) {
                    ch.engine.progress(); // an RMA window of this rank is served while it waits here (passive target)
                }
                long waited = System.nanoTime() - start;
                if (waited < spinNanos) {
                    Thread.onSpinWait();
                } else if (waited < YIELD_NANOS) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(Math.min(maxParkNanos, 1000L << Math.min(park++, 20)));
                }
            }
        } finally {
            if (announced) ch.engine.doneWaitingOutside();
        }
    }
}
