package mpi;

/** Objects with an explicit {@code free} (MPJ Express's package-private interface of the same name). */
interface Freeable {
    void free() throws MPIException;
}
