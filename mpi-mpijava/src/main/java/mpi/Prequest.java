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

        /** The round of a freshly made (non-persistent) request. */
        static Round of(Request r) {
            return new Round(r.nat, r.finisher);
        }
    }

    private final Starter starter;
    /** The native persistent request each round restarts, or null when {@link #starter} makes each round. */
    private final io.jmpi.Prequest persistent;

    Prequest(Starter starter) {
        this.starter = starter;
        this.persistent = null;
    }

    private Prequest(io.jmpi.Prequest persistent) {
        this.starter = null;
        this.persistent = persistent;
    }

    /** Rounds of a native persistent request: a start allocates nothing. */
    static Prequest over(io.jmpi.Prequest p) {
        return new Prequest(p);
    }

    /** Starts one round ({@code MPI_Start}). */
    public void Start() throws MPIException {
        if (nat != null) throw new MPIException("Start: the request is still active: wait for it first");
        if (persistent != null) {
            try {
                persistent.start();
            } catch (io.jmpi.base.MpiException e) {
                throw MPIException.of(e);
            }
            activate(persistent, Status::of);
            return;
        }
        Round r = starter.start();
        activate(r.request, r.finisher);
    }

    /** Starts every request ({@code MPI_Startall}). */
    public static void Startall(Prequest[] array_of_requests) throws MPIException {
        if (array_of_requests == null) throw new MPIException("Startall: array_of_requests is null");
        for (Prequest p : array_of_requests) if (p != null) p.Start();
    }
}
