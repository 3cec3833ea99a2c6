package mpi;

import io.jmpi.base.MpiException;

/**
 * A failed MPI call. Checked, as in Open MPI's Java bindings; jmpi's own (unchecked) {@link MpiException} is kept as
 * the cause, and its error class becomes this exception's error class and code.
 */
public final class MPIException extends Exception {
    private final int errorClass;

    public MPIException(String message) {
        this(message, MPI.ERR_OTHER, null);
    }

    public MPIException(Throwable cause) {
        this(cause.getMessage(), cause instanceof MpiException ? Errors.classOf((MpiException) cause) : MPI.ERR_OTHER, cause);
    }

    MPIException(String message, int errorClass, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
    }

    /** The error code ({@code MPI_ERROR}); jmpi has one code per class. */
    public int getErrorCode() {
        return errorClass;
    }

    /** The error class ({@code MPI_Error_class}): one of {@code MPI.ERR_*}. */
    public int getErrorClass() {
        return errorClass;
    }
}
