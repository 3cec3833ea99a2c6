package mpi;

/**
 * An error handler ({@code MPI_Errhandler}). Under {@link MPI#ERRORS_RETURN} failures reach the caller as
 * {@link MPIException}; under {@link MPI#ERRORS_ARE_FATAL} (the default) jmpi ends the job.
 */
public final class Errhandler implements Freeable {
    final io.jmpi.Errhandler h;

    Errhandler(io.jmpi.Errhandler h) {
        this.h = h;
    }

    /** {@code MPI_Errhandler_free}: the predefined handlers stay valid. */
    @Override
    public void free() throws MPIException {
    }

    public boolean isNull() {
        return h == null;
    }
}
