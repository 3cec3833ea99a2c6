package io.jmpi.coll;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
 * <p>Waiting ({@link #await}, the one place that waits): spin, then the rank's idle strategy; now and then it also
 * advances the rank's non-blocking collectives and the engine, and asks the engine whether the awaited rank is
 * still alive, so a rank that dies fails the others' collective (PROC_FAILED) instead of hanging them.
 *
 * <p>Not thread-safe across collectives of one communicator (MPI forbids concurrent collectives on one
 * communicator); the methods are synchronized so that misuse cannot corrupt the views.
 */
public final class ShmCollectives {
    /** Elements per rank from which a reduction chunk is reduce-scattered over the slots instead of folded by all. */
    static final int SPLIT_MIN = 256;
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
        begin(call, root < 0 ? "shm allreduce" : "shm reduce");
        int grain = c.grain();
        int chunk = chunkElements(in, grain);
        boolean split = Math.min(chunk, in.count) >= SPLIT_MIN * size;
        lastAlgorithm += split ? " (reduce-scatter over slots)" : " (flat)";
        if (in.count == 0) return;
        Block acc = Block.allocate(in.type, Math.min(chunk, in.count));
        Block tmp = Block.allocate(in.type, Math.min(chunk, in.count));
        boolean gets = root < 0 || rank == root;
        for (int from = 0; from < in.count; from += chunk) {
            int n = Math.min(chunk, in.count - from);
            long e = ++epoch;
            write(call, e, in, from, n, 0);
            if (!split) {
                if (gets) {
                    fold(call, e, 0, n, acc, tmp, c);
                    Block.copy(acc, 0, out, from, n);
                }
                seg.publishDone(rank, e);
                continue;
            }
            // rank r folds segment r of every contribution, then publishes it in the next epoch's bank
            int units = n / grain, per = units / size, extra = units % size;
            int lo = (rank * per + Math.min(rank, extra)) * grain;
            int len = (per + (rank < extra ? 1 : 0)) * grain;
            fold(call, e, lo, len, acc, tmp, c);
            seg.publishDone(rank, e);
            long e2 = ++epoch;
            write(call, e2, acc, 0, len, lo);
            if (gets) {
                Block.copy(acc, 0, out, from + lo, len);
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
        for (int j = 0; j < size; j++) {
            if (j != rank) awaitDone(call, j, e - 2);
        }
        if (n > 0) {
            int bytes = n * src.type.size;
            src.buf(from, n).copyOut(0, seg.bank(rank, e, at * src.type.size), bytes);
        }
        seg.publishReady(rank, e);
    }

    /** Copies elements [at, at + n) of rank j's bank of epoch {@code e} into {@code dst} from element {@code to}. */
    private void read(int j, long e, int at, Block dst, int to, int n) {
        if (n == 0) return;
        int es = dst.type.size;
        dst.buf(to, n).copyIn(0, seg.bank(j, e, at * es), n * es);
    }

    /** acc[0, n) = elements [at, at + n) of every rank's bank of epoch {@code e}, folded in rank order. */
    private void fold(String call, long e, int at, int n, Block acc, Block tmp, Combiner c) {
        if (n == 0) return;
        awaitReady(call, 0, e);
        read(0, e, at, acc, 0, n);
        for (int j = 1; j < size; j++) {
            awaitReady(call, j, e);
            read(j, e, at, tmp, 0, n);
            c.combine(acc, 0, tmp, 0, acc, 0, n);
        }
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
     * The one place that waits: until rank j's ready (or done) flag reaches {@code e}. Spins, then idles with the
     * rank's idle strategy (not the doorbell: flags are written without ringing); every {@link #CHECK_EVERY} tries advances the rank's other collectives and the engine and
     * fails if rank j is gone. (A doorbell, when the engine has one, goes here.)
     */
    private void await(String call, int j, long e, boolean ready) {
        int step = 0;
        boolean announced = false;
        long since = 0;
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
                step = ch.engine.idleWithoutDoorbell(step); // peers write flags without ringing a doorbell
            }
        } finally {
            if (announced) ch.engine.doneWaitingOutside();
        }
    }
}
