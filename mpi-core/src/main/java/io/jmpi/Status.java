package io.jmpi;

/**
 * What a completed receive or a probe learned about a message ({@code MPI_Status}): its source (rank in the
 * communicator), tag, size, and whether the receive was cancelled.
 */
public final class Status {
    private final int source;
    private final int tag;
    private final long bytes;
    private final int elementSize;
    private final boolean cancelled;

    public Status(int source, int tag, long bytes, int elementSize, boolean cancelled) {
        this.source = source;
        this.tag = tag;
        this.bytes = bytes;
        this.elementSize = Math.max(1, elementSize);
        this.cancelled = cancelled;
    }

    /** Rank of the sender in the communicator ({@code MPI_SOURCE}); {@link Mpi#PROC_NULL} for a null peer. */
    public int source() { return source; }

    /** The message's tag ({@code MPI_TAG}). */
    public int tag() { return tag; }

    /** Number of elements of the message's type ({@code MPI_Get_count}). */
    public int count() { return (int) (bytes / elementSize); }

    /**
     * Whole elements of {@code type} in the message ({@code MPI_Get_count} with a datatype), or
     * {@link Datatype#UNDEFINED} when the message is not a whole number of them.
     */
    public int count(Datatype type) {
        int s = DatatypeStatus.size("Status.count", type);
        if (s == 0) return 0;
        return bytes % s == 0 && bytes / s <= Integer.MAX_VALUE ? (int) (bytes / s) : Datatype.UNDEFINED;
    }

    /** Primitive elements received, counting the fields of a partial last element ({@code MPI_Get_elements}). */
    public long elements(Datatype type) {
        return DatatypeStatus.elements(type, bytes);
    }

    /** Size of the message in bytes. */
    public long bytes() { return bytes; }

    /** Whether the receive was cancelled ({@code MPI_Test_cancelled}). */
    public boolean cancelled() { return cancelled; }

    /** The status of a send, a collective or a null peer: no source, no tag, no data. */
    static final Status EMPTY = new Status(Mpi.PROC_NULL, Mpi.ANY_TAG, 0, 1, false);

    /** The status an engine operation or probe reports; one shared object where there is nothing to report. */
    static Status of(io.jmpi.engine.MessageInfo m) {
        int source = m.source();
        long bytes = m.bytes();
        boolean cancelled = m.cancelled();
        if (source == Mpi.PROC_NULL && bytes == 0 && !cancelled && m.tag() == Mpi.ANY_TAG) return EMPTY;
        return new Status(source, m.tag(), bytes, m.elementSize(), cancelled);
    }

    @Override
    public String toString() {
        return "Status{source=" + source + ", tag=" + tag + ", count=" + count() + ", bytes=" + bytes
                + (cancelled ? ", cancelled" : "") + "}";
    }
}
