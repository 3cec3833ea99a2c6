package mpi;

import io.jmpi.Requests;

/**
 * A non-blocking operation ({@code MPI_Request}). A completed request becomes null ({@link #isNull()}), as in MPI;
 * the completion forms on arrays skip null requests. A receive into a buffer that needed a staging copy stores the data
 * there when the request completes.
 */
public class Request implements Freeable {
    io.jmpi.Request r;
    Runnable done;

    Request(io.jmpi.Request r, Runnable done) {
        this.r = r;
        this.done = done;
    }

    /** Completes bookkeeping after {@code r} completed with {@code s}; the request becomes inactive. */
    Status complete(io.jmpi.Status s, int index) {
        Runnable d = done;
        deactivate();
        if (d != null) d.run();
        return s == null ? Status.empty() : new Status(s, index);
    }

    void deactivate() {
        r = null;
        done = null;
    }

    /** {@code MPI_Request_free}: the operation goes on; this handle becomes null. */
    @Override
    public void free() throws MPIException {
        deactivate();
    }

    /** {@code MPI_Cancel}: a receive not yet matched is cancelled; its status then says so. */
    public final void cancel() throws MPIException {
        io.jmpi.Request x = r;
        if (x != null) Errors.run(x::cancel);
    }

    /** Whether the request is null (completed, freed, or {@link MPI#REQUEST_NULL}). */
    public final boolean isNull() {
        return r == null && !(this instanceof Prequest);
    }

    /** {@code MPI_Wait} returning the status. */
    public final Status waitStatus() throws MPIException {
        io.jmpi.Request x = r;
        if (x == null) return Status.empty();
        io.jmpi.Status s = Errors.run(x::await);
        return complete(s, MPI.UNDEFINED);
    }

    /** {@code MPI_Wait}. */
    public final void waitFor() throws MPIException {
        waitStatus();
    }

    /** {@code MPI_Test} returning the status, or null if not complete. */
    public final Status testStatus() throws MPIException {
        io.jmpi.Request x = r;
        if (x == null) return Status.empty();
        io.jmpi.Status s = Errors.run(x::test);
        return s == null ? null : complete(s, MPI.UNDEFINED);
    }

    /**
     * {@code MPI_Request_get_status}: the status if the operation is complete, else null; unlike {@link #test()} the
     * request stays as it is (a receive's staged data is stored when it is waited for or tested).
     */
    public final Status getStatus() throws MPIException {
        io.jmpi.Request x = r;
        if (x == null) return Status.empty();
        io.jmpi.Status s = Errors.run(x::test);
        return s == null ? null : new Status(s, MPI.UNDEFINED);
    }

    /** {@code MPI_Test}. */
    public final boolean test() throws MPIException {
        return testStatus() != null;
    }

    private static io.jmpi.Request[] active(Request[] rs, int[] map) {
        int n = 0;
        io.jmpi.Request[] a = new io.jmpi.Request[rs.length];
        for (int i = 0; i < rs.length; i++) {
            if (rs[i] != null && rs[i].r != null) {
                map[n] = i;
                a[n++] = rs[i].r;
            }
        }
        return java.util.Arrays.copyOf(a, n);
    }

    /** {@code MPI_Waitany}: the status of the completed request, its index in {@link Status#getIndex()}. */
    public static Status waitAnyStatus(Request[] requests) throws MPIException {
        int[] map = new int[requests.length];
        io.jmpi.Request[] a = active(requests, map);
        if (a.length == 0) return Status.empty();
        int k = Errors.run(() -> Requests.awaitAny(a));
        int i = map[k];
        io.jmpi.Status s = Errors.run(a[k]::await);
        return requests[i].complete(s, i);
    }

    /** {@code MPI_Waitany}: index of the completed request, {@link MPI#UNDEFINED} if none was active. */
    public static int waitAny(Request[] requests) throws MPIException {
        return waitAnyStatus(requests).getIndex();
    }

    /** {@code MPI_Testany}: status of a completed request, or null. */
    public static Status testAnyStatus(Request[] requests) throws MPIException {
        for (int i = 0; i < requests.length; i++) {
            Request q = requests[i];
            if (q == null || q.r == null) continue;
            io.jmpi.Request x = q.r;
            io.jmpi.Status s = Errors.run(x::test);
            if (s != null) return q.complete(s, i);
        }
        return null;
    }

    /** {@code MPI_Testany}: index of a completed request, or {@link MPI#UNDEFINED}. */
    public static int testAny(Request[] requests) throws MPIException {
        Status s = testAnyStatus(requests);
        return s == null ? MPI.UNDEFINED : s.getIndex();
    }

    /** {@code MPI_Waitall}: statuses in request order (null requests give an empty status). */
    public static Status[] waitAllStatus(Request[] requests) throws MPIException {
        int[] map = new int[requests.length];
        io.jmpi.Request[] a = active(requests, map);
        if (a.length > 1) Errors.run(() -> { Requests.awaitAll(a); return null; }); // one wait for all, as jmpi's own
        Status[] out = new Status[requests.length];
        for (int i = 0; i < requests.length; i++) {
            Request q = requests[i];
            if (q == null || q.r == null) {
                out[i] = Status.empty();
                continue;
            }
            io.jmpi.Request x = q.r;
            out[i] = q.complete(Errors.run(x::await), i);
        }
        return out;
    }

    /** {@code MPI_Waitall}. */
    public static void waitAll(Request[] requests) throws MPIException {
        waitAllStatus(requests);
    }

    /** {@code MPI_Testall}: statuses if all completed, else null (and nothing completes). */
    public static Status[] testAllStatus(Request[] requests) throws MPIException {
        for (Request q : requests) {
            if (q != null && q.r != null) {
                io.jmpi.Request x = q.r;
                if (!Errors.run(() -> x.test() != null)) return null;
            }
        }
        return waitAllStatus(requests);
    }

    /** {@code MPI_Testall}. */
    public static boolean testAll(Request[] requests) throws MPIException {
        return testAllStatus(requests) != null;
    }

    /** {@code MPI_Waitsome}: statuses of the completed requests, or null if none was active. */
    public static Status[] waitSomeStatus(Request[] requests) throws MPIException {
        int[] map = new int[requests.length];
        io.jmpi.Request[] a = active(requests, map);
        if (a.length == 0) return null;
        Errors.run(() -> Requests.awaitAny(a));
        return testSomeStatus(requests);
    }

    /** {@code MPI_Waitsome}: indexes of the completed requests, or null if none was active. */
    public static int[] waitSome(Request[] requests) throws MPIException {
        return indexes(waitSomeStatus(requests));
    }

    /** {@code MPI_Testsome}: statuses of the requests completed now (possibly none). */
    public static Status[] testSomeStatus(Request[] requests) throws MPIException {
        java.util.List<Status> done = new java.util.ArrayList<>();
        for (int i = 0; i < requests.length; i++) {
            Request q = requests[i];
            if (q == null || q.r == null) continue;
            io.jmpi.Request x = q.r;
            io.jmpi.Status s = Errors.run(x::test);
            if (s != null) done.add(q.complete(s, i));
        }
        return done.toArray(new Status[0]);
    }

    /** {@code MPI_Testsome}: indexes of the requests completed now. */
    public static int[] testSome(Request[] requests) throws MPIException {
        return indexes(testSomeStatus(requests));
    }

    private static int[] indexes(Status[] s) {
        if (s == null) return null;
        int[] i = new int[s.length];
        for (int k = 0; k < s.length; k++) i[k] = s[k].getIndex();
        return i;
    }
}
