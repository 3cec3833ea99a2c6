package mpi;

/**
 * A persistent request ({@code MPI_Send_init} ... {@code MPI_Recv_init}): {@link #Start()} starts one round, a
 * wait or test completes it and leaves the request inactive, ready for the next start.
 */
public class Prequest extends Request {
    /** Starts a round and returns the native operation with the finisher of that round. */
    interface Starter {
        Round start() throws MPIException;
    }

    /** One started round. */
    static final class Round {
        final io.jmpi.Request request;
        final Finisher finisher;

        Round(io.jmpi.Request request, Finisher finisher) {
            this.request = request;
            this.finisher = finisher;
        }
    }

    private final Starter starter;

    Prequest(Starter starter) {
        this.starter = starter;
    }

    /** Starts one round ({@code MPI_Start}). */
    public void Start() throws MPIException {
        if (nat != null) throw new MPIException("Start: the request is still active: wait for it first");
        Round r = starter.start();
        activate(r.request, r.finisher);
    }

    /** Starts every request ({@code MPI_Startall}). */
    public static void Startall(Prequest[] array_of_requests) throws MPIException {
        if (array_of_requests == null) throw new MPIException("Startall: array_of_requests is null");
        for (Prequest p : array_of_requests) if (p != null) p.Start();
    }
}
