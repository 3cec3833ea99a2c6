package io.jmpi;

import io.jmpi.base.MpiException;
import java.util.ArrayList;
import java.util.List;

/** Operations on several requests ({@code MPI_Waitall}, {@code MPI_Waitany}, {@code MPI_Waitsome}, {@code MPI_Testall}). */
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
            step = backoff(step);
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
            step = backoff(step);
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

    private static int backoff(int step) {
        if (step < 10_000) Thread.onSpinWait();
        else if (step < 10_200) Thread.yield();
        else java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        return step + 1;
    }
}
