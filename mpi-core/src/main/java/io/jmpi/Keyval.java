package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An attribute key ({@code MPI_Comm_create_keyval}): caches values on communicators with
 * {@link Comm#setAttr}. Its copy function decides what {@link Comm#dup()} and {@link Comm#idup()} attach to the new
 * communicator; its delete function runs when a value is removed: by {@link Comm#deleteAttr}, by
 * {@link Comm#setAttr} replacing it, by {@link Comm#free()}, and for {@link Mpi#self()} by {@link Mpi#close()}.
 * After {@link #free()} the key can no longer be used in calls, but values already cached keep it until they are
 * deleted, as in MPI.
 */
public final class Keyval {
    /** Decides the value attached to a duplicate ({@code MPI_Comm_copy_attr_function}); null attaches nothing. */
    @FunctionalInterface
    public interface CopyFunction {
        Object copy(Comm oldComm, Keyval key, Object value);
    }

    /** Runs when a cached value is removed ({@code MPI_Comm_delete_attr_function}). */
    @FunctionalInterface
    public interface DeleteFunction {
        void delete(Comm comm, Keyval key, Object value);
    }

    /** Never copies ({@code MPI_COMM_NULL_COPY_FN}). */
    public static final CopyFunction NULL_COPY = (c, k, v) -> null;
    /** Attaches the same object to the duplicate ({@code MPI_COMM_DUP_FN}). */
    public static final CopyFunction DUP_COPY = (c, k, v) -> v;
    /** Does nothing ({@code MPI_COMM_NULL_DELETE_FN}). */
    public static final DeleteFunction NULL_DELETE = (c, k, v) -> { };

    private static final AtomicInteger IDS = new AtomicInteger();

    private final int id = IDS.incrementAndGet();
    final CopyFunction copyFn;
    final DeleteFunction deleteFn;
    private volatile boolean freed;

    Keyval(CopyFunction copyFn, DeleteFunction deleteFn) {
        this.copyFn = copyFn;
        this.deleteFn = deleteFn;
    }

    /** Frees the key ({@code MPI_Comm_free_keyval}); values cached with it stay until deleted. */
    public void free() {
        freed = true;
    }

    /** True once {@link #free()} was called. */
    public boolean isFreed() {
        return freed;
    }

    void checkUsable(String call) {
        if (freed) throw new MpiException(ErrorClass.ARG, call + ": keyval " + this + " has been freed (Keyval.free)");
    }

    @Override
    public String toString() {
        return "Keyval#" + id;
    }
}
