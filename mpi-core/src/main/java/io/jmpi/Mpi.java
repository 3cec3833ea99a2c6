package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.Config;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Bootstraps;
import io.jmpi.bootstrap.LauncherBootstrap;
import io.jmpi.coll.CollectiveTags;
import io.jmpi.coll.Channel;
import io.jmpi.coll.Progress;
import io.jmpi.coll.ShmCollectives;
import io.jmpi.engine.Engine;
import io.jmpi.runtime.InitTimings;
import io.jmpi.runtime.RankRuntime;
import io.jmpi.runtime.ThreadJob;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The entry point of a jmpi program ({@code MPI_Init} / {@code MPI_Finalize}).
 *
 * <pre>{@code
 * try (Mpi mpi = Mpi.init(args)) {
 *     Comm world = mpi.world();
 *     ...
 * }
 * }</pre>
 * A rank learns its identity from its launcher ({@code bin/jmpirun}); a JVM started without one is a job of size 1.
 */
public final class Mpi implements AutoCloseable {
    /** Receive from any rank ({@code MPI_ANY_SOURCE}). */
    public static final int ANY_SOURCE = Engine.ANY_SOURCE;
    /** Receive with any tag ({@code MPI_ANY_TAG}). */
    public static final int ANY_TAG = Engine.ANY_TAG;
    /** A null peer: sends and receives complete at once and move nothing ({@code MPI_PROC_NULL}). */
    public static final int PROC_NULL = Engine.PROC_NULL;
    /** Largest tag value ({@code MPI_TAG_UB}). */
    public static final int TAG_UB = Integer.MAX_VALUE;
    /**
     * Bytes of the attached buffer a buffered send uses beyond its message ({@code MPI_BSEND_OVERHEAD}): size the buffer
     * of {@link #bufferAttach} as the sum over pending buffered sends of (message bytes + BSEND_OVERHEAD).
     */
    public static final int BSEND_OVERHEAD = BsendBuffer.OVERHEAD;

    private final RankRuntime runtime;
    private final Engine engine;
    private final Comm world;
    private final Comm self;
    private final Config config;
    /**
     * Contexts 0 and 1 are WORLD's, 2 and 3 SELF's, 4 carries the member-only context agreements of createGroup and
     * idup ({@link ContextAgreement#CONTEXT}): every rank knows them without agreeing.
     */
    private final AtomicInteger nextContext = new AtomicInteger(6);
    private final String[] hostIds;
    private volatile ObjectCodec codec = ObjectCodec.JAVA;
    private volatile boolean closed;
    private final BsendBuffer bsendBuffer = new BsendBuffer();
    /** The correctness checks of {@code --check}, or null when off. */
    final Checks checks;

    private Mpi(RankRuntime runtime, Config config) {
        this.runtime = runtime;
        this.engine = runtime.engine();
        this.checks = config.get(Config.CHECK) ? new Checks(engine.rank()) : null;
        this.hostIds = runtime.hostIds();
        this.config = config;
        // diagnoses read collective tags by the collectives' own layout; the engine knows none
        engine.describeTagsWith(CollectiveTags.INSTANCE);
        this.world = new Comm(this, engine, 0, null, "WORLD");
        this.self = new Comm(world, 2, new int[]{engine.rank()}, "SELF");
        engine.nameContext(ContextAgreement.CONTEXT, "context agreement (createGroup, idup)");
        if (engine.recorder != null && engine.recorder.writesFiles()) ClockSync.run(engine, engine.recorder);
    }

    /**
     * Initialises this rank ({@code MPI_Init}): reads its identity from the launcher's environment, connects to
     * every peer, and returns when the job is ready. {@code args} is accepted for symmetry with MPI and with
     * runtimes that pass their identity as leading arguments.
     */
    public static Mpi init(String[] args) {
        Config config = Config.fromEnvironment();
        ThreadJob.Rank local = ThreadJob.current();
        if (local != null) return new Mpi(RankRuntime.startThread(local.job(), local.rank(), config), config);
        if ("local".equals(config.get(Config.TRANSPORT))) {
            throw new MpiException(ErrorClass.ARG, "init: transport=local runs ranks as threads of one JVM: start the job "
                    + "with 'jmpirun --transport local' or Mpi.runThreads");
        }
        String backend = System.getProperty("jmpi.backend", System.getenv().getOrDefault("JMPI_BACKEND", ""));
        if (!backend.isEmpty() && !backend.equals("jmpi")) return new Mpi(RankRuntime.startBackend(backend, config), config);
        InitTimings timings = InitTimings.start(config);
        Bootstrap b = Bootstraps.fromEnvironment(config);
        timings.mark("bootstrap");
        if (b instanceof LauncherBootstrap) Bootstraps.reportUncaughtExceptions(b);
        Mpi mpi = new Mpi(RankRuntime.start(b, config, timings), config);
        timings.initDone(b.rank());
        return mpi;
    }

    /** Initialises a rank with a given bootstrap (custom launchers, tests). */
    public static Mpi init(Bootstrap bootstrap, Config config) {
        return new Mpi(RankRuntime.start(bootstrap, config), config);
    }

    /**
     * Initialises rank {@code rank} of a thread job whose threads the caller manages itself (benchmarks,
     * embedding); {@link #runThreads} is the simpler form.
     */
    public static Mpi initThread(ThreadJob job, int rank) {
        Config config = Config.fromEnvironment();
        return new Mpi(RankRuntime.startThread(job, rank, config), config);
    }

    /**
     * Runs {@code body} as a job of {@code n} ranks, each a thread of this JVM over the in-JVM transport, and
     * returns when all are done. If a rank throws, every other rank's pending and later operations fail, and the
     * first failure is rethrown here.
     */
    public static void runThreads(int n, RankMain body) {
        ThreadJob.run(n, rank -> {
            Mpi mpi = Mpi.init(new String[0]);
            try {
                body.run(mpi);
            } catch (Throwable t) {
                // abort the other ranks before this one closes, so they fail with this cause at once instead of
                // this rank waiting for their goodbyes
                mpi.runtime.job().abort(new MpiException(ErrorClass.PROC_FAILED, "rank " + rank + " failed: " + t, t));
                throw t;
            } finally {
                mpi.close();
            }
        });
    }

    /** The body of one rank for {@link #runThreads}. */
    @FunctionalInterface
    public interface RankMain {
        void run(Mpi mpi) throws Exception;
    }

    /**
     * Balanced dimensions for a grid of {@code nnodes} ranks in {@code ndims} dimensions ({@code MPI_Dims_create}),
     * as close to each other as possible, non-increasing: {@code dimsCreate(12, 2)} is {@code [4, 3]}.
     */
    public static int[] dimsCreate(int nnodes, int ndims) {
        if (ndims < 0) throw new MpiException(ErrorClass.ARG, "dimsCreate: ndims=" + ndims + " out of range [0, " + Integer.MAX_VALUE + "]");
        return CartComm.dimsCreate(nnodes, new int[ndims]);
    }

    /** {@link #dimsCreate(int, int)} keeping the positive entries of {@code dims} fixed and filling the zeros. */
    public static int[] dimsCreate(int nnodes, int[] dims) {
        return CartComm.dimsCreate(nnodes, dims);
    }

    /** All ranks of the job ({@code MPI_COMM_WORLD}). */
    public Comm world() {
        checkOpen("world");
        return world;
    }

    /**
     * A communicator of this rank alone ({@code MPI_COMM_SELF}); it cannot be freed. Attributes cached on it are
     * deleted first thing in {@link #close()}, so their delete functions can run clean-up while communication still
     * works, as MPI_Finalize does.
     */
    public Comm self() {
        checkOpen("self");
        return self;
    }

    Comm selfComm() {
        return self;
    }

    /**
     * Ends the job because of {@code cause} under {@link Errhandler#ERRORS_ARE_FATAL}: a thread job fails every rank
     * with it (and this throws it); a process rank tells its launcher and halts.
     */
    void fatal(MpiException cause) {
        runtime.abort(1, "rank " + rank() + ": " + cause.getMessage() + " (ERRORS_ARE_FATAL)", cause);
    }

    /** This rank in the world (shorthand for {@code world().rank()}). */
    public int rank() {
        return engine.rank();
    }

    /** Number of ranks in the world. */
    public int size() {
        return engine.size();
    }

    /** Wall-clock seconds since an arbitrary origin ({@code MPI_Wtime}). */
    public double wtime() {
        return System.nanoTime() / 1e9;
    }

    /** Resolution of {@link #wtime()} in seconds ({@code MPI_Wtick}). */
    public double wtick() {
        return 1e-9;
    }

    /** The host's name ({@code MPI_Get_processor_name}). */
    public String processorName() {
        return io.jmpi.base.Platform.hostname(io.jmpi.base.Platform.portable(config));
    }

    /** Ends the whole job with {@code code} ({@code MPI_Abort}). Does not return for process ranks. */
    public void abort(int code) {
        runtime.abort(code, "rank " + rank() + " called abort(" + code + ")", new MpiException(ErrorClass.ABORTED, "job aborted by rank " + rank() + " with code " + code));
    }

    /**
     * Attaches {@code buffer} (its bytes from position to limit) for buffered sends ({@code MPI_Buffer_attach}); one
     * buffer per rank. The buffer belongs to jmpi until {@link #bufferDetach()}.
     */
    public void bufferAttach(ByteBuffer buffer) {
        checkOpen("bufferAttach");
        bsendBuffer.attach(buffer);
    }

    /** Attaches a new heap buffer of {@code bytes} bytes for buffered sends ({@code MPI_Buffer_attach}). */
    public void bufferAttach(int bytes) {
        if (bytes < 0) throw new MpiException(ErrorClass.ARG, "bufferAttach: bytes=" + bytes + " out of range [0, " + Integer.MAX_VALUE + "]");
        bufferAttach(ByteBuffer.allocate(bytes));
    }

    /**
     * Detaches the buffer of buffered sends ({@code MPI_Buffer_detach}), first waiting (and driving progress) until
     * every message sent from it has been delivered; returns it.
     */
    public ByteBuffer bufferDetach() {
        checkOpen("bufferDetach");
        return bsendBuffer.detach(engine);
    }

    BsendBuffer bsendBuffer() {
        return bsendBuffer;
    }

    /** The codec of the object tier (Java serialization by default). */
    public ObjectCodec codec() {
        return codec;
    }

    /** Replaces the codec of the object tier; every rank must use the same one. */
    public void codec(ObjectCodec codec) {
        if (codec == null) throw new MpiException(ErrorClass.ARG, "codec: codec is null");
        this.codec = codec;
    }

    /** The settings this rank runs with. */
    public Config config() {
        return config;
    }

    /**
     * What this rank is blocked in and what is pending, in words (the lines jmpirun's hang diagnosis prints).
     */
    public List<String> diagnose() {
        return engine.diagnose(RankRuntime.DIAGNOSE_LOCK_MILLIS);
    }

    /**
     * Every operation of this rank in flight and every message that arrived and matches no receive yet, one line each,
     * unabridged; the lines are those of {@link #diagnose()} (the same snapshot), e.g. {@code pending recv on WORLD: ...},
     * {@code unmatched message from rank 1 on WORLD with tag 5, 1000 bytes}. Empty when nothing is pending.
     */
    public List<String> pendingOperations() {
        return engine.describePending();
    }

    /**
     * The shared-memory collective component of a communicator (context {@code context}, members {@code worldRanks},
     * null for WORLD), or null where it does not apply: collShm=off, a rank alone, ranks on several hosts, or no shm
     * transport between them (transport=tcp or local, thread ranks, a foreign backend). Decided from values all
     * members agree on, so all choose alike.
     */
    ShmCollectives shmCollectives(Channel ch, int context, int[] worldRanks, Progress progress) {
        if (!runtime.sharedMemory() || !progress.tuning().shm) return null;
        int n = worldRanks == null ? hostIds.length : worldRanks.length;
        if (n < 2) return null;
        int leader = worldRanks == null ? 0 : worldRanks[0];
        for (int i = 0; i < n; i++) {
            if (!hostIds[worldRanks == null ? i : worldRanks[i]].equals(hostIds[leader])) return null;
        }
        return new ShmCollectives(ch, io.jmpi.base.Platform.shmDir(config), runtime.bootstrap().jobId(),
                context, leader);
    }

    /**
     * Whether a communicator of these members ({@code worldRanks}, null for WORLD) takes the hierarchical
     * collectives ({@link Hierarchy}): process ranks, collHier=auto, the shared-memory component allowed (collShm=auto,
     * transport auto or shm), ranks on more than one host and two or more on some host. Decided from values all
     * members agree on.
     */
    boolean hierarchical(int[] worldRanks) {
        if (runtime.job() != null || !"auto".equals(config.get(Config.COLL_HIER))) return false;
        if (!"auto".equals(config.get(Config.COLL_SHM))) return false;
        String transport = config.get(Config.TRANSPORT);
        if (!transport.equals("auto") && !transport.equals("shm")) return false;
        int n = worldRanks == null ? hostIds.length : worldRanks.length;
        if (n < 3) return false;
        String[] hosts = new String[n];
        for (int i = 0; i < n; i++) hosts[i] = hostIds[worldRanks == null ? i : worldRanks[i]];
        return Hierarchy.applies(hosts);
    }

    /** The in-JVM job of a thread rank, or null for a rank in a process of its own. */
    ThreadJob threadJob() {
        return runtime.job();
    }

    /** The job id segments are named by (shared-memory windows). */
    long jobId() {
        return runtime.bootstrap() == null ? 0 : runtime.bootstrap().jobId();
    }

    /** The directory of shared-memory segments ({@code Platform.shmDir}), or the temp dir when it does not exist. */
    java.nio.file.Path shmDir() {
        java.nio.file.Path d = io.jmpi.base.Platform.shmDir(config);
        return java.nio.file.Files.isDirectory(d) ? d : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Host identity of every world rank (equal for ranks that share a machine). */
    String hostId(int worldRank) {
        return hostIds[worldRank];
    }

    /** Fails this rank's pending and later operations (tests and in-process harnesses). */
    void abortLocally(MpiException cause) {
        engine.abort(cause);
    }

    /** A fresh communicator context id pair base; collectives agree on it across ranks. */
    int reserveContexts(int atLeast) {
        while (true) {
            int cur = nextContext.get();
            int next = Math.max(cur, atLeast);
            if (nextContext.compareAndSet(cur, next + 2)) return next;
        }
    }

    int peekNextContext() {
        return nextContext.get();
    }

    void checkOpen(String call) {
        if (closed) throw new MpiException(ErrorClass.STATE, call + ": Mpi is closed");
    }

    boolean isClosed() {
        return closed;
    }

    /** Finalises this rank ({@code MPI_Finalize}): flushes, says goodbye to every peer, closes connections. */
    @Override
    public void close() {
        if (closed) return;
        try {
            self.attributes.deleteAll(self);
        } finally {
            closed = true;
            if (checks != null) checks.closing();
            runtime.close();
            if (checks != null) unmatchedAtClose();
        }
    }

    /** {@code --check}: messages no receive took; after the close protocol every message sent to this rank is here. */
    private void unmatchedAtClose() {
        for (io.jmpi.engine.Diagnosis.Entry e : engine.diagnosis(1000).entries()) {
            if (e.kind() == io.jmpi.engine.Diagnosis.Kind.UNMATCHED) checks.report(Checks.Kind.UNMATCHED_MESSAGE, e.text());
        }
    }

    /**
     * What the correctness checks of {@code jmpirun --check} (setting {@code check=on}) found on this rank so far, one
     * line each ({@code KIND: message}); empty when checks are off. No MPI equivalent (MUST's reports).
     */
    public java.util.List<String> checkFindings() {
        if (checks == null) return java.util.List.of();
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Checks.Finding f : checks.findings()) out.add(f.toString());
        return out;
    }
}
