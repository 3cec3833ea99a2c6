package io.jmpi.launch;

/**
 * Something that happened to a rank of a running job, as seen by the launcher: on its control connection (from the
 * {@link RendezvousServer}) or to its process. Events are queued and handled by one thread, in order.
 */
sealed interface JobEvent {
    int rank();

    /** The rank authenticated on its control connection. */
    record Connected(int rank) implements JobEvent {
    }

    /** The rank published its endpoint. */
    record EndpointIn(int rank) implements JobEvent {
    }

    /** The rank said {@code BYE}: it ends cleanly. */
    record Bye(int rank) implements JobEvent {
    }

    /** The rank said {@code FAIL}: it is about to die, and why. */
    record Failed(int rank, String reason) implements JobEvent {
    }

    /** The rank said {@code ABORT}: end the job with {@code code}. */
    record Aborted(int rank, int code, String reason) implements JobEvent {
    }

    /** The rank's control connection ended (after or without BYE). */
    record ControlClosed(int rank) implements JobEvent {
    }

    /** The rank's process ended with {@code code}. */
    record Exited(int rank, int code) implements JobEvent {
    }

    /**
     * Someone asked for a hang diagnosis ({@code jmpirun --diagnose PID}, through the {@link ControlSocket}); the
     * report's lines complete {@code reply}. Not about a rank ({@link #rank()} is -1).
     */
    record DiagnoseRequested(java.util.concurrent.CompletableFuture<java.util.List<String>> reply) implements JobEvent {
        @Override
        public int rank() {
            return -1;
        }
    }

    /** The launcher itself was told to stop (signal, interrupt); not about a rank. */
    record Interrupted(int rank) implements JobEvent {
    }

    /**
     * Where the rank runs, as learned after start: its host (a name or address) and, when known, its process id there
     * (-1 when not). From a remote rank's start-up line, its control connection, or srun's messages.
     */
    record Located(int rank, String host, long pid) implements JobEvent {
    }

    /**
     * The one process that started every rank (srun, or the command of {@code --wrap}) ended with {@code code}; not
     * about one rank ({@link #rank()} is -1).
     */
    record LauncherExited(int code) implements JobEvent {
        @Override
        public int rank() {
            return -1;
        }
    }
}
