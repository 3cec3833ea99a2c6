package mpi;

/**
 * An error handler ({@code MPI_Errhandler}): {@link MPI#ERRORS_ARE_FATAL} or {@link MPI#ERRORS_RETURN}, set with
 * {@link MPI#Errorhandler_set}. No public constructor, as in MPJ Express.
 */
public class Errhandler {
    final io.jmpi.Errhandler handler;

    Errhandler(io.jmpi.Errhandler handler) {
        this.handler = handler;
    }

    @Override
    public String toString() {
        return handler.name();
    }
}
