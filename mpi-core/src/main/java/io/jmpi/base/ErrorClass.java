package io.jmpi.base;

/** Error classes, after MPI's {@code MPI_ERR_*}; carried by every {@link MpiException}. */
public enum ErrorClass {
    /** An argument is out of its allowed range ({@code MPI_ERR_ARG}, {@code MPI_ERR_COUNT}, {@code MPI_ERR_RANK}, ...). */
    ARG,
    /** A buffer is null or too small for offset and count ({@code MPI_ERR_BUFFER}). */
    BUFFER,
    /** A message is longer than the receive buffer ({@code MPI_ERR_TRUNCATE}). */
    TRUNCATE,
    /** The element type of a message differs from the receiver's ({@code MPI_ERR_TYPE}). */
    TYPE,
    /** The operation is invalid in the current state, e.g. after close ({@code MPI_ERR_OTHER}). */
    STATE,
    /** A peer rank died or its connection was lost ({@code MPI_ERR_PROC_FAILED}). */
    PROC_FAILED,
    /** A transport or bootstrap I/O failure ({@code MPI_ERR_INTERN}). */
    IO,
    /** A peer violated the wire protocol or failed authentication. */
    PROTOCOL,
    /** A collective was called inconsistently across ranks (e.g. different roots or counts). */
    COLLECTIVE,
    /** The job was aborted ({@code MPI_Abort}). */
    ABORTED,
    /** Timed out waiting. */
    TIMEOUT,
    /** Anything else ({@code MPI_ERR_OTHER}). */
    OTHER
}
