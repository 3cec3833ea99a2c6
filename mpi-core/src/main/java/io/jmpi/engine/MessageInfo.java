package io.jmpi.engine;

/**
 * What a receive or probe learned about a message (the fields of {@code MPI_Status}), as the engine reports it; the
 * API turns it into a {@code Status}. Ranks are ranks of the communicator the operation was posted on.
 */
public interface MessageInfo {
    /** Rank of the sender in the communicator, or {@link Engine#PROC_NULL} (sends, null peers, collectives). */
    int source();

    /** The message's tag, or {@link Engine#ANY_TAG} where there is none. */
    int tag();

    /** Size of the message in bytes. */
    long bytes();

    /** Bytes per element of the message's type (1 for raw bytes). */
    int elementSize();

    /** Whether the receive was cancelled. */
    boolean cancelled();

    /** A received message's number among those from its sender to this rank (the trace's link), or -1. */
    default long sequence() {
        return -1;
    }

    /** A received message's sender as a world rank, or -1 (the trace's peer). */
    default int worldSource() {
        return -1;
    }

    /** A message envelope, as a probe returns it. */
    record Envelope(int source, int tag, long bytes, int elementSize, boolean cancelled) implements MessageInfo {
    }
}
