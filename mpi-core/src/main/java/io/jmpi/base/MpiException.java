package io.jmpi.base;

/**
 * The one unchecked exception of jmpi. Messages name the call, the argument, the value and the allowed
 * range, e.g. {@code send: dest=7 out of range [0, 4)}.
 */
public class MpiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorClass errorClass;

    public MpiException(ErrorClass errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    public MpiException(ErrorClass errorClass, String message, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
    }

    /** The MPI error class ({@code MPI_Error_class}). */
    public ErrorClass errorClass() {
        return errorClass;
    }
}
