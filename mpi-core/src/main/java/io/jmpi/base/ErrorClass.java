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
    /** An I/O failure: of a transport or bootstrap ({@code MPI_ERR_INTERN}), or of a file ({@code MPI_ERR_IO}). */
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
    OTHER,
    /** A file handle is invalid, e.g. used after close ({@code MPI_ERR_FILE}). */
    FILE,
    /** Ranks passed different values where a collective call requires the same, e.g. to a file open ({@code MPI_ERR_NOT_SAME}). */
    NOT_SAME,
    /** An invalid access mode for a file open ({@code MPI_ERR_AMODE}). */
    AMODE,
    /** An unsupported data representation in a file view ({@code MPI_ERR_UNSUPPORTED_DATAREP}). */
    UNSUPPORTED_DATAREP,
    /** An operation the file does not support, e.g. a seek on a file opened sequential ({@code MPI_ERR_UNSUPPORTED_OPERATION}). */
    UNSUPPORTED_OPERATION,
    /** A file does not exist ({@code MPI_ERR_NO_SUCH_FILE}). */
    NO_SUCH_FILE,
    /** A file exists when it must not (open with {@code MODE_EXCL}) ({@code MPI_ERR_FILE_EXISTS}). */
    FILE_EXISTS,
    /** An invalid file name ({@code MPI_ERR_BAD_FILE}). */
    BAD_FILE,
    /** Permission denied, or a read from a file opened write-only ({@code MPI_ERR_ACCESS}). */
    ACCESS,
    /** Not enough space on the file system ({@code MPI_ERR_NO_SPACE}). */
    NO_SPACE,
    /** A write to a file opened read-only or on a read-only file system ({@code MPI_ERR_READ_ONLY}). */
    READ_ONLY,
    /** The file is in use by another process ({@code MPI_ERR_FILE_IN_USE}). */
    FILE_IN_USE
}
