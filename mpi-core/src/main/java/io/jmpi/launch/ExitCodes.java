package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/**
 * Every exit code of jmpirun, in one place. A failed job exits with the failed rank's own code when it has one
 * (so {@code jmpirun ... ; echo $?} shows what the program returned), else with {@link #RANK_FAILED}.
 */
public final class ExitCodes {
    /** Every rank exited 0. */
    public static final int OK = 0;
    /** A rank failed without an exit code of its own (it hung up, or exited 0 without BYE while others ran). */
    public static final int RANK_FAILED = 1;
    /** Bad command line: unknown option, value out of range, missing program. */
    public static final int USAGE = 2;
    /**
     * The program was compiled against another {@code mpi} API than the one {@code --api} chose (mpiJava 1.2 vs Open
     * MPI's), found by reading its class files before any rank started.
     */
    public static final int WRONG_API = 3;
    /** The job ran longer than {@code --timeout}. */
    public static final int TIMEOUT = 124;
    /** jmpirun could not start the job: a missing jar, an unusable java, a process that would not start. */
    public static final int CANNOT_LAUNCH = 125;
    /** The launcher was interrupted (Ctrl-C); signals end the JVM with 128 + signal number. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    /**
     * The launcher's exit code for {@code abort(code)}: the code itself when a process could exit with it
     * ([1, 255]), else {@link #RANK_FAILED}, because an aborted job must never look successful.
     */
    public static int forAbort(int code) {
        return code >= 1 && code <= 255 ? code : RANK_FAILED;
    }

    /** The exit code for an error found before the job started: usage for bad arguments, else cannot-launch. */
    public static int forError(MpiException e) {
        return e.errorClass() == ErrorClass.ARG ? USAGE : CANNOT_LAUNCH;
    }
}
