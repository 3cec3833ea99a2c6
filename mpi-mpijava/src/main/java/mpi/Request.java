package mpi;

import io.jmpi.Requests;
import io.jmpi.base.MpiException;

/**
 * A non-blocking operation ({@code MPI_Request}) over a native {@link io.jmpi.Request}. Once its completion has been
 * returned by a wait or test, a request is null ({@link #Is_null()}), as MPI sets it to MPI_REQUEST_NULL; a
 * persistent request ({@link Prequest}) becomes inactive instead.
 */
public class Request {
    /** The native operation; null when inactive or completed. */
    volatile io.jmpi.Request nat;
    /** Turns the native status into this API's (an OBJECT receive unpacks its objects here). */
    volatile Finisher finisher;

    /** Completes an operation: runs after the native operation is done, returns the status. */
    interface Finisher {
        Status finish(io.jmpi.Status s) throws MPIException;
    }

    Request() {
    }

    Request(io.jmpi.Request nat) {
        this(nat, Status::of);
    }

    Request(io.jmpi.Request nat, Finisher finisher) {
        this.nat = nat;
        this.finisher = finisher;
    }

    void activate(io.jmpi.Request n, Finisher f) {
        this.finisher = f;
        this.nat = n;
    }

    /** Whether this request is null or inactive ({@code MPI_REQUEST_NULL}). */
    public boolean Is_null() throws MPIException {
        return nat == null;
    }

    private Status complete(io.jmpi.Status s) throws MPIException {
        Finisher f = finisher;
        nat = null;
        return f.finish(s);
    }

    /**
     * Waits for completion ({@code MPI_Wait}); a null request returns an empty status at once. The native wait fills
     * a per-thread status ({@link Status#scratch()}), so the returned Status is all this allocates.
     */
    public Status Wait() throws MPIException {
        io.jmpi.Request n = nat;
        if (n == null) return MPI.EMPTY_STATUS;
        io.jmpi.Status s;
        try {
            s = n.await(Status.scratch());
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        return complete(s);
    }

    /** The status if complete, else null ({@code MPI_Test}); a null request returns an empty status. */
    public Status Test() throws MPIException {
        io.jmpi.Request n = nat;
        if (n == null) return MPI.EMPTY_STATUS;
        io.jmpi.Status s;
        try {
            s = n.test();
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        return s == null ? null : complete(s);
    }

    /**
     * Cancels the operation if it has not matched yet ({@code MPI_Cancel}): a pending receive is removed from
     * matching and completes with {@link Status#Test_cancelled()} true. Sends cannot be cancelled.
     */
    public void Cancel() throws MPIException {
        io.jmpi.Request n = nat;
        if (n != null) MPI.call(n::cancel);
    }

    /** MPJ Express has a public finalize here; it does nothing. */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void finalize() throws MPIException {
    }

    // ------------------------------------------------------------------ arrays of requests

    /** The native requests of {@code array}, position for position: null where a request is null or inactive. */
    private static io.jmpi.Request[] natives(String call, Request[] array) throws MPIException {
        if (array == null) throw new MPIException(call + ": array_of_requests is null");
        io.jmpi.Request[] n = new io.jmpi.Request[array.length];
        for (int i = 0; i < n.length; i++) n[i] = array[i] == null ? null : array[i].nat;
        return n;
    }

    /** Waits for all ({@code MPI_Waitall}); statuses in the order of the array (empty for null requests). */
    public static Status[] Waitall(Request[] array_of_requests) throws MPIException {
        if (array_of_requests == null) throw new MPIException("Waitall: array_of_requests is null");
        Status[] out = new Status[array_of_requests.length];
        for (int i = 0; i < out.length; i++) out[i] = array_of_requests[i] == null ? MPI.EMPTY_STATUS : array_of_requests[i].Wait();
        return out;
    }

    /**
     * Waits for one ({@code MPI_Waitany}); its index is in {@link Status#index}. With no active request, returns an
     * empty status whose index is {@link MPI#UNDEFINED}.
     */
    public static Status Waitany(Request[] array_of_requests) throws MPIException {
        io.jmpi.Request[] n = natives("Waitany", array_of_requests);
        int k;
        try {
            k = Requests.awaitAny(n);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        if (k < 0) return undefinedIndex();
        return indexed(array_of_requests[k].Wait(), k);
    }

    /** {@link #Waitany} without blocking ({@code MPI_Testany}): null when none has completed. */
    public static Status Testany(Request[] array_of_requests) throws MPIException {
        if (array_of_requests == null) throw new MPIException("Testany: array_of_requests is null");
        boolean any = false;
        for (int i = 0; i < array_of_requests.length; i++) {
            Request r = array_of_requests[i];
            if (r == null || r.nat == null) continue;
            any = true;
            Status s = r.Test();
            if (s != null) return indexed(s, i);
        }
        return any ? null : undefinedIndex();
    }

    /** All statuses if every request has completed, else null ({@code MPI_Testall}); nothing completes unless all have. */
    public static Status[] Testall(Request[] array_of_requests) throws MPIException {
        if (array_of_requests == null) throw new MPIException("Testall: array_of_requests is null");
        boolean all = true;
        try {
            for (Request r : array_of_requests) {
                io.jmpi.Request n = r == null ? null : r.nat;
                if (n != null && !n.isDone() && n.test() == null) all = false; // drives progress on every one
            }
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        return all ? Waitall(array_of_requests) : null;
    }

    /** Waits until at least one completes and returns the statuses of all that have ({@code MPI_Waitsome}). */
    public static Status[] Waitsome(Request[] array_of_requests) throws MPIException {
        io.jmpi.Request[] n = natives("Waitsome", array_of_requests);
        int[] done;
        try {
            done = Requests.awaitSome(n);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        if (done.length == 0) return null; // no active request
        Status[] out = new Status[done.length];
        for (int i = 0; i < done.length; i++) out[i] = indexed(array_of_requests[done[i]].Wait(), done[i]);
        return out;
    }

    /** The statuses of the requests that have completed, possibly none ({@code MPI_Testsome}). */
    public static Status[] Testsome(Request[] array_of_requests) throws MPIException {
        io.jmpi.Request[] n = natives("Testsome", array_of_requests);
        int[] done;
        try {
            done = Requests.testSome(n);
        } catch (MpiException e) {
            throw MPIException.of(e);
        }
        Status[] out = new Status[done.length];
        for (int i = 0; i < done.length; i++) out[i] = indexed(array_of_requests[done[i]].Wait(), done[i]);
        return out;
    }

    private static Status indexed(Status s, int index) {
        Status c = s == MPI.EMPTY_STATUS ? new Status() : s;
        c.index = index;
        return c;
    }

    private static Status undefinedIndex() {
        Status s = new Status();
        s.index = MPI.UNDEFINED;
        return s;
    }
}
