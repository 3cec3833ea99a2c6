package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/**
 * Chooses the {@link Bootstrap} of this JVM from its environment, in this order (docs/BOOTSTRAP.md):
 * <ol>
 *   <li>{@code JMPI_LAUNCHER} set: a rank of a jmpirun job, started by jmpirun itself, by srun inside an allocation,
 *       or by a command jmpirun wraps (Open MPI's mpirun): {@link LauncherBootstrap};</li>
 *   <li>{@code PMI_FD} set (with {@code SLURM_STEP_ID}, or {@code PMI_RANK}): a task of {@code srun --mpi=pmi2}
 *       (or of a PMI-1 launcher such as MPICH's Hydra): {@link PmiBootstrap};</li>
 *   <li>{@code OMPI_COMM_WORLD_SIZE} set: a process of Open MPI's mpirun without jmpirun's rendezvous: a job of one
 *       process is a singleton, a bigger one is an error that says how to start it;</li>
 *   <li>a Slurm task without PMI ({@code SLURM_STEP_ID} set, {@code SLURM_NTASKS} &gt; 1: {@code srun --mpi=none}
 *       or {@code --mpi=pmix}): {@link SlurmBootstrap}, a rendezvous through rank 0 and a user-only file in the home
 *       directory (a batch script, which has no {@code SLURM_STEP_ID}, is not a rank);</li>
 *   <li>anything else: a singleton job of size 1.</li>
 * </ol>
 */
public final class Bootstraps {
    private Bootstraps() {
    }

    /** The bootstrap for this process's environment. Connects to the launcher when there is one. */
    public static Bootstrap fromEnvironment(Config config) {
        return fromEnvironment(config, System.getenv());
    }

    /** As {@link #fromEnvironment(Config)}, with an explicit environment (tests, embedders). */
    public static Bootstrap fromEnvironment(Config config, Map<String, String> environment) {
        return switch (kind(environment)) {
            case LAUNCHER -> LauncherBootstrap.connect(config, environment);
            case PMI -> PmiBootstrap.connect(config, environment);
            case OPEN_MPI_WITHOUT_RENDEZVOUS -> throw new MpiException(ErrorClass.ARG, "bootstrap: started by Open MPI's "
                    + "mpirun with " + environment.get("OMPI_COMM_WORLD_SIZE") + " processes, but without jmpi's rendezvous: "
                    + "start it as 'jmpirun -np N --wrap mpirun -np N ... java ...' (docs/CLUSTER.md)");
            case SLURM -> SlurmBootstrap.connect(config, environment);
            case SINGLETON -> new SingletonBootstrap();
        };
    }

    /** Which bootstrap an environment calls for. */
    enum Kind { LAUNCHER, PMI, OPEN_MPI_WITHOUT_RENDEZVOUS, SLURM, SINGLETON }

    static Kind kind(Map<String, String> env) {
        if (set(env, RankEnvironment.LAUNCHER)) return Kind.LAUNCHER;
        if (set(env, PmiBootstrap.PMI_FD) && (set(env, "SLURM_STEP_ID") || set(env, "PMI_RANK"))) return Kind.PMI;
        if (set(env, "OMPI_COMM_WORLD_SIZE")) {
            return "1".equals(env.get("OMPI_COMM_WORLD_SIZE").trim()) ? Kind.SINGLETON : Kind.OPEN_MPI_WITHOUT_RENDEZVOUS;
        }
        if (set(env, "SLURM_STEP_ID") && set(env, "SLURM_NTASKS") && !"1".equals(env.get("SLURM_NTASKS").trim())) {
            return Kind.SLURM;
        }
        return Kind.SINGLETON;
    }

    private static boolean set(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    /**
     * Makes every uncaught exception of this JVM also tell the launcher, before the rank dies, what killed it
     * ({@link Bootstrap#reportFailure}), so jmpirun can print the reason next to the failed rank. The stack trace is
     * still printed, as without a handler; an earlier default handler is kept and called too.
     */
    public static void reportUncaughtExceptions(Bootstrap bootstrap) {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            try {
                if (previous != null) {
                    previous.uncaughtException(thread, e);
                } else {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    System.err.print("Exception in thread \"" + thread.getName() + "\" " + trace);
                    System.err.flush();
                }
            } finally {
                bootstrap.reportFailure("uncaught " + e + " in thread \"" + thread.getName() + "\"");
            }
        });
    }
}
