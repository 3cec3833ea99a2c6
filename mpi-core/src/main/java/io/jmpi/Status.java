package io.jmpi;

/**
 * What a completed receive or a probe learned about a message ({@code MPI_Status}): its source (rank in the
 * communicator), tag, size, and whether the receive was cancelled.
 */
public final class Status {
    private int source;
    private int tag;
    private long bytes;
    private int elementSize;
    private boolean cancelled;
    /** Made by the caller to be filled ({@link #Status()}); every status jmpi returns on its own is immutable. */
    private final boolean reusable;

    public Status(int source, int tag, long bytes, int elementSize, boolean cancelled) {
        this.source = source;
        this.tag = tag;
        this.bytes = bytes;
        this.elementSize = Math.max(1, elementSize);
        this.cancelled = cancelled;
        this.reusable = false;
    }

    /**
     * A status owned by the caller, for the calls that fill one instead of returning a new one ({@code recv(...,
     * Status into)}, {@link Request#await(Status)}): reusing it makes a receive allocate nothing. It holds the empty
     * status until filled, and changes only when the caller passes it to such a call (never behind its back); like any
     * mutable object it must not be shared between threads that fill it concurrently.
     */
    public Status() {
        this.source = Mpi.PROC_NULL;
        this.tag = Mpi.ANY_TAG;
        this.elementSize = 1;
        this.reusable = true;
    }

    /** Whether this is a caller's status that calls may fill ({@link #Status()}). */
    boolean isReusable() {
        return reusable;
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

    /** Throws unless {@code into} is null or a caller's {@link #Status()}: checked before a receive takes a message. */
    static void checkFillable(String call, Status into) {
        if (into != null && !into.reusable) {
            throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, call + ": the status to fill is one jmpi "
                    + "returned (immutable); pass a Status made with new Status()");
        }
    }

    /** Fills {@code into} (a caller's {@link #Status()}) from what the engine reports; returns it. */
    static Status fill(String call, Status into, io.jmpi.engine.MessageInfo m) {
        if (into == null) return of(m);
        if (!into.reusable) {
            throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, call + ": the status to fill is one jmpi "
                    + "returned (immutable); pass a Status made with new Status()");
        }
        boolean cancelled = m.cancelled();
        into.source = m.source();
        into.tag = m.tag();
        into.bytes = m.bytes();
        into.elementSize = Math.max(1, m.elementSize());
        into.cancelled = cancelled;
        return into;
    }

    /** Copies {@code s} into {@code into} (a caller's {@link #Status()}), or returns {@code s} if {@code into} is null. */
    static Status fill(String call, Status into, Status s) {
        if (into == null) return s;
        if (!into.reusable) {
            throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.ARG, call + ": the status to fill is one jmpi "
                    + "returned (immutable); pass a Status made with new Status()");
        }
        into.source = s.source;
        into.tag = s.tag;
        into.bytes = s.bytes;
        into.elementSize = s.elementSize;
        into.cancelled = s.cancelled;
        return into;
    }

    @Override
    public String toString() {
        return "Status{source=" + source + ", tag=" + tag + ", count=" + count() + ", bytes=" + bytes
                + (cancelled ? ", cancelled" : "") + "}";
    }
}
