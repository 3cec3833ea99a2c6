package mpi;

/**
 * A persistent request ({@code MPI_Send_init}, {@code MPI_Recv_init}, ...): {@link #start()} begins one more
 * instance of the operation; completing it makes the request inactive, not null.
 */
public final class Prequest extends Request {
    /** Starts one instance: a jmpi request and what to do when it completes. */
    interface Starter {
        Request start() throws MPIException;
    }

    private final Starter starter;

    Prequest(Starter starter) {
        super(null, null);
        this.starter = starter;
    }

    /** {@code MPI_Start}. */
    public void start() throws MPIException {
        if (r != null) throw new MPIException("start: the persistent request is still active", MPI.ERR_REQUEST, null);
        Request q = starter.start();
        r = q.r;
        done = q.done;
    }

    /** {@code MPI_Startall}. */
    public static void startAll(Prequest[] requests) throws MPIException {
        for (Prequest p : requests) p.start();
    }
}
