package io.jmpi;

import io.jmpi.base.MpiException;
import java.util.ArrayList;
import java.util.List;

/**
 * Operations on several requests ({@code MPI_Waitall}, {@code MPI_Waitany}, {@code MPI_Waitsome}, {@code MPI_Testall},
 * {@code MPI_Testany}, {@code MPI_Testsome}, {@code MPI_Startall}). Null entries are skipped, as MPI skips
 * {@code MPI_REQUEST_NULL}.
 */
public final class Requests {
    private Requests() {
    }

    /** Waits for all; returns their statuses in order ({@code MPI_Waitall}). Throws the first failure after all are done. */
    public static Status[] awaitAll(Request... requests) {
        Status[] out = new Status[requests.length];
        MpiException first = null;
        for (int i = 0; i < requests.length; i++) {
            if (requests[i] == null) continue;
            try {
                out[i] = requests[i].await();
            } catch (MpiException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
        return out;
    }

    /** {@link #awaitAll(Request...)} for a list. */
    public static Status[] awaitAll(List<? extends Request> requests) {
        return awaitAll(requests.toArray(new Request[0]));
    }

    /** Waits until one completes; returns its index ({@code MPI_Waitany}), or -1 if all are null. */
    public static int awaitAny(Request... requests) {
        int step = 0;
        while (true) {
            boolean any = false;
            for (int i = 0; i < requests.length; i++) {
                Request r = requests[i];
                if (r == null) continue;
                any = true;
                if (r.isDone() || r.test() != null) return i;
            }
            if (!any) return -1;
            step = idle(requests, step);
        }
    }

    /** Waits until at least one completes; returns the indices of all completed ones ({@code MPI_Waitsome}). */
    public static int[] awaitSome(Request... requests) {
        int step = 0;
        while (true) {
            List<Integer> done = new ArrayList<>();
            boolean any = false;
            for (int i = 0; i < requests.length; i++) {
                Request r = requests[i];
                if (r == null) continue;
                any = true;
                if (r.isDone() || r.test() != null) done.add(i);
            }
            if (!done.isEmpty() || !any) return done.stream().mapToInt(Integer::intValue).toArray();
            step = idle(requests, step);
        }
    }

    /** Whether all are complete, driving progress once ({@code MPI_Testall}). */
    public static boolean testAll(Request... requests) {
        boolean all = true;
        for (Request r : requests) {
            if (r != null && !r.isDone() && r.test() == null) all = false;
        }
        return all;
    }

    /**
     * {@code MPI_Waitall} into the caller's array: waits for all, stores request i's status in {@code statuses[i]}
     * (null for a null request), and throws the first failure after all are done. An entry that already holds a
     * caller's reusable {@link Status#Status()} is filled in place instead of replaced, so a loop that passes the same
     * array every time allocates no status (as {@code MPI_Waitall} into a caller's array of statuses).
     */
    public static void awaitAll(Request[] requests, Status[] statuses) {
        checkStatuses("awaitAll", requests, statuses);
        MpiException first = null;
        for (int i = 0; i < requests.length; i++) {
            Status mine = statuses[i];
            statuses[i] = null;
            if (requests[i] == null) continue;
            try {
                statuses[i] = mine != null && mine.isReusable() ? requests[i].await(mine) : requests[i].await();
            } catch (MpiException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /**
     * {@code MPI_Testall} into the caller's array: drives progress once; if every request is complete stores their
     * statuses in {@code statuses} and returns true, else returns false and leaves {@code statuses} unchanged.
     */
    public static boolean testAll(Request[] requests, Status[] statuses) {
        checkStatuses("testAll", requests, statuses);
        if (!testAll(requests)) return false;
        for (int i = 0; i < requests.length; i++) statuses[i] = requests[i] == null ? null : requests[i].test();
        return true;
    }

    /**
     * {@code MPI_Testany}: drives progress once and returns the index of a completed request (the first in order), or
     * -1 if none has completed (also when all are null). Await that request for its status (or its failure).
     */
    public static int testAny(Request... requests) {
        for (int i = 0; i < requests.length; i++) {
            Request r = requests[i];
            if (r != null && (r.isDone() || r.test() != null)) return i;
        }
        return -1;
    }

    /** {@code MPI_Testsome}: drives progress once and returns the indices of all completed requests (maybe none). */
    public static int[] testSome(Request... requests) {
        int n = 0;
        int[] done = new int[requests.length];
        for (int i = 0; i < requests.length; i++) {
            Request r = requests[i];
            if (r != null && (r.isDone() || r.test() != null)) done[n++] = i;
        }
        return java.util.Arrays.copyOf(done, n);
    }

    /** {@code MPI_Startall}: starts every persistent request, in order (nulls skipped); allocates nothing. */
    public static void startAll(Prequest... requests) {
        for (Prequest r : requests) if (r != null) r.start();
    }

    /** A future of the request's status: {@link Request#toFuture()}. */
    public static java.util.concurrent.CompletableFuture<Status> future(Request r) {
        if (r == null) throw new MpiException(io.jmpi.base.ErrorClass.ARG, "future: request is null");
        return r.toFuture();
    }

    private static void checkStatuses(String call, Request[] requests, Status[] statuses) {
        if (statuses == null || statuses.length < requests.length) {
            throw new MpiException(io.jmpi.base.ErrorClass.ARG, call + ": statuses.length=" + (statuses == null ? "null"
                    : statuses.length) + " is less than the " + requests.length + " requests");
        }
    }

    /** Fallback for requests of no engine (all generalized or completed ones): the default strategy, parking. */
    private static final io.jmpi.engine.IdleStrategy NO_ENGINE = io.jmpi.engine.IdleStrategy.from(io.jmpi.base.Config.of(java.util.Map.of()));

    /**
     * One idle step: the idle strategy of the rank the requests belong to (its doorbell included), found through the
     * first engine-backed request; the engine's waiters count for nothing here, each try above already drove progress.
     */
    private static int idle(Request[] requests, int step) {
        for (Request r : requests) {
            io.jmpi.engine.Engine e = engineOf(r);
            if (e != null) return e.idle(step);
        }
        return NO_ENGINE.idle(step);
    }

    private static io.jmpi.engine.Engine engineOf(Request r) {
        if (r instanceof EngineRequest) return ((EngineRequest) r).engine();
        if (r instanceof Prequest) return ((Prequest) r).engine();
        return null;
    }
}
