package io.jmpi.bootstrap;

import java.net.InetAddress;

/**
 * How a rank learns who it is and where its peers are. Implementations: the jmpirun launcher's rendezvous
 * ({@link LauncherBootstrap}, also when srun or Open MPI's mpirun start the ranks for jmpirun), a task of
 * {@code srun --mpi=pmi2} without jmpirun ({@link PmiBootstrap}), a task of {@code srun} without PMI
 * ({@link SlurmBootstrap}), and a single-rank job ({@link SingletonBootstrap});
 * {@link Bootstraps} chooses. A bootstrap is used once at start-up ({@link #exchange}) and stays open as the job's control
 * channel until {@link #close()}.
 */
public interface Bootstrap extends AutoCloseable {
    int rank();

    int size();

    /** Random 64-bit job id; every connection of the job carries it. */
    long jobId();

    /** The per-job secret (at least 16 bytes) that every connection proves knowledge of. */
    byte[] secret();

    /**
     * The local address to bind listening sockets to and advertise to peers: the address of the interface that
     * reaches the launcher (never blindly {@code getLocalHost()}), or one chosen by the {@code bind} setting.
     */
    InetAddress advertiseAddress();

    /** All-gather of endpoints: publishes this rank's and returns every rank's, indexed by rank. Blocking. */
    Endpoint[] exchange(Endpoint mine);

    /**
     * Tells the launcher, before this rank dies, why: an uncaught exception, a lost peer. Best effort, never throws.
     */
    void reportFailure(String reason);

    /** {@code MPI_Abort}: asks the launcher to end the whole job with {@code code}; then halts this JVM. */
    void abort(int code, String reason);

    /**
     * Where the launcher's hang diagnosis ({@code jmpirun --diagnose-after}, {@code --timeout}, {@code jmpirun --diagnose}) gets this
     * rank's state: lines saying what it is blocked in and what is pending. Bootstraps without a launcher ignore it.
     */
    default void onDiagnose(java.util.function.Supplier<java.util.List<String>> diagnosis) {
    }

    /** A clean end of this rank (after {@code Mpi.close}). */
    @Override
    void close();
}
