package mpi;

import io.jmpi.Requests;
import io.jmpi.base.MpiException;

import java.util.ArrayList;
import java.util.List;

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

    /** Active native requests of {@code array} and their indices. */
    private static List<Integer> active(Request[] array) throws MPIException {
        if (array == null) throw new MPIException("array_of_requests is null");
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < array.length; i++) if (array[i] != null && array[i].nat != null) idx.add(i);
        return idx;
    }

    private static io.jmpi.Request[] natives(Request[] array, List<Integer> idx) {
        io.jmpi.Request[] n = new io.jmpi.Request[idx.size()];
        for (int i = 0; i < n.length; i++) n[i] = array[idx.get(i)].nat;
        return n;
    }

    /** Waits for all ({@code MPI_Waitall}); statuses in the order of the array (empty for null requests). */
    public static Status[] Waitall(Request[] array_of_requests) throws MPIException {
        Status[] out = new Status[array_of_requests == null ? 0 : array_of_requests.length];
        active(array_of_requests);
        for (int i = 0; i < out.length; i++) out[i] = array_of_requests[i] == null ? MPI.EMPTY_STATUS : array_of_requests[i].Wait();
        return out;
    }

    /**
     * Waits for one ({@code MPI_Waitany}); its index is in {@link Status#index}. With no active request, returns an
     * empty status whose index is {@link MPI#UNDEFINED}.
     */
    public static Status Waitany(Request[] array_of_requests) throws MPIException {
        List<Integer> idx = active(array_of_requests);
        if (idx.isEmpty()) return undefinedIndex();
        io.jmpi.Request[] n = natives(array_of_requests, idx);
        int k = MPI.call(() -> Requests.awaitAny(n));
        Status s = array_of_requests[idx.get(k)].Wait();
        return indexed(s, idx.get(k));
    }

    /** {@link #Waitany} without blocking ({@code MPI_Testany}): null when none has completed. */
    public static Status Testany(Request[] array_of_requests) throws MPIException {
        List<Integer> idx = active(array_of_requests);
        if (idx.isEmpty()) return undefinedIndex();
        for (int i : idx) {
            Status s = array_of_requests[i].Test();
            if (s != null) return indexed(s, i);
        }
        return null;
    }

    /** All statuses if every request has completed, else null ({@code MPI_Testall}); nothing completes unless all have. */
    public static Status[] Testall(Request[] array_of_requests) throws MPIException {
        List<Integer> idx = active(array_of_requests);
        io.jmpi.Request[] n = natives(array_of_requests, idx);
        if (!MPI.call(() -> Requests.testAll(n))) return null;
        return Waitall(array_of_requests);
    }

    /** Waits until at least one completes and returns the statuses of all that have ({@code MPI_Waitsome}). */
    public static Status[] Waitsome(Request[] array_of_requests) throws MPIException {
        List<Integer> idx = active(array_of_requests);
        if (idx.isEmpty()) return null;
        io.jmpi.Request[] n = natives(array_of_requests, idx);
        int[] done = MPI.call(() -> Requests.awaitSome(n));
        Status[] out = new Status[done.length];
        for (int i = 0; i < done.length; i++) out[i] = indexed(array_of_requests[idx.get(done[i])].Wait(), idx.get(done[i]));
        return out;
    }

    /** The statuses of the requests that have completed, possibly none ({@code MPI_Testsome}). */
    public static Status[] Testsome(Request[] array_of_requests) throws MPIException {
        List<Integer> idx = active(array_of_requests);
        List<Status> out = new ArrayList<>();
        for (int i : idx) {
            Status s = array_of_requests[i].Test();
            if (s != null) out.add(indexed(s, i));
        }
        return out.toArray(new Status[0]);
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
