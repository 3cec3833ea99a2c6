package mpi;

import java.util.concurrent.CompletableFuture;

/** jmpi's request interface over a future (the request of {@code MPI_Comm_idup}); its status is empty. */
final class FutureRequest implements io.jmpi.Request {
    private static final io.jmpi.Status EMPTY = new io.jmpi.Status(MPI.PROC_NULL, MPI.ANY_TAG, 0, 1, false);
    private final CompletableFuture<?> future;

    FutureRequest(CompletableFuture<?> future) {
        this.future = future;
    }

    @Override
    public io.jmpi.Status await() {
        future.join();
        return EMPTY;
    }

    @Override
    public io.jmpi.Status test() {
        if (!future.isDone()) return null;
        future.join(); // rethrows a failure
        return EMPTY;
    }

    @Override
    public boolean isDone() {
        return future.isDone();
    }

    @Override
    public boolean cancel() {
        return false;
    }
}
