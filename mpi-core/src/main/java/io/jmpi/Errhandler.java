package io.jmpi;

/**
 * What a failing call on a communicator does besides throwing ({@code MPI_Errhandler}); set with
 * {@link Comm#setErrhandler}, inherited by the communicators made from it (dup, split, create, createGroup,
 * createIntercomm, merge). In jmpi every failing call throws an {@link io.jmpi.base.MpiException}; the handler
 * decides whether the job survives it:
 * <ul>
 *   <li>{@link #ERRORS_ARE_FATAL} (MPI's default; jmpi's with {@code jmpi.errors=fatal}): before the exception
 *   leaves the call, the job is aborted as by {@link Mpi#abort}: in a thread job ({@link Mpi#runThreads}) every
 *   rank's pending and later operations fail with this exception as the cause and the job reports it; a process rank
 *   tells its launcher and halts, and the launcher stops the other ranks. Catching the exception does not save the
 *   job.</li>
 *   <li>{@link #ERRORS_RETURN} (jmpi's default for WORLD and SELF, as in mpi4py): the exception only reaches the
 *   caller; the other ranks go on, and so may this one. The communicator stays usable unless the error says
 *   otherwise. An exception nobody catches still ends the job (the launcher, or {@link Mpi#runThreads}, stops the
 *   other ranks), which is what C programs get from the fatal default.</li>
 * </ul>
 * Every call on a communicator consults it: argument and usage errors of point-to-point, collective, datatype,
 * neighbourhood and management calls, and errors found later, when a request of the communicator completes
 * ({@link Request#await}, {@link Request#test}: a truncated or failed receive, a lost peer) go through the handler of
 * the communicator that started the operation. Errors of calls that belong to no communicator ({@link Datatype},
 * {@link Group}, {@link Op} constructors, {@code Datatype.pack}) only throw.
 */
public enum Errhandler {
    /** A failing call aborts the job, then throws ({@code MPI_ERRORS_ARE_FATAL}). */
    ERRORS_ARE_FATAL,
    /** A failing call only throws ({@code MPI_ERRORS_RETURN}). */
    ERRORS_RETURN
}
