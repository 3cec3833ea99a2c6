package io.jmpi;

/**
 * What a failing call on a communicator does besides throwing ({@code MPI_Errhandler}); set with
 * {@link Comm#setErrhandler}, inherited by the communicators made from it (dup, split, create, createGroup,
 * createIntercomm, merge). In jmpi every failing call throws an {@link io.jmpi.base.MpiException}; the handler
 * decides whether the job survives it:
 * <ul>
 *   <li>{@link #ERRORS_ARE_FATAL} (the default, as in MPI): before the exception leaves the call, the job is aborted
 *   as by {@link Mpi#abort}: in a thread job ({@link Mpi#runThreads}) every rank's pending and later operations fail
 *   with this exception as the cause and the job reports it; a process rank tells its launcher and halts, and the
 *   launcher stops the other ranks. Catching the exception does not save the job.</li>
 *   <li>{@link #ERRORS_RETURN}: the exception only reaches the caller; the other ranks go on, and so may this one.
 *   The communicator stays usable unless the error says otherwise.</li>
 * </ul>
 * Scope, in this version: the handler is consulted by the calls added with it, which are the communicator
 * management calls {@link Comm#compare}, {@link Comm#idup}, {@link Comm#createGroup}, {@link Comm#setName},
 * {@link Comm#setInfo}, the attribute calls, {@link Comm#createIntercomm}, and every operation of
 * {@link Intercomm} except the point-to-point ones. Point-to-point and collective calls of earlier rounds
 * still throw without consulting it (so an uncaught one ends the job, a caught one does not), because many programs
 * and tests rely on catching their argument errors; routing them through the handler is a follow-up.
 */
public enum Errhandler {
    /** A failing call aborts the job, then throws ({@code MPI_ERRORS_ARE_FATAL}). */
    ERRORS_ARE_FATAL,
    /** A failing call only throws ({@code MPI_ERRORS_RETURN}). */
    ERRORS_RETURN
}
