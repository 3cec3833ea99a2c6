package mpi;

import io.jmpi.base.MpiException;

/**
 * The exception of every mpiJava call. Unchecked, exactly as in MPJ Express 0.44, where it extends
 * RuntimeException (through mpjdev.MPJDevException and xdev.XDevException): programs written for MPJ Express may
 * call MPI without declaring it, and {@code clone() throws MPIException} overrides {@link Object#clone()}. Methods
 * still declare it, so programs that catch it compile too. A failure of jmpi's native API ({@link MpiException})
 * arrives as the cause, with its message.
 */
public class MPIException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MPIException() {
        super();
    }

    public MPIException(String message) {
        super(message);
    }

    public MPIException(Throwable cause) {
        super(cause == null ? null : cause.getMessage(), cause);
    }

    /** The checked form of a native failure. */
    static MPIException of(MpiException e) {
        return new MPIException(e);
    }
}
