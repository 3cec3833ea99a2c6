package io.jmpi.transport;

/**
 * A kind of transport between rank processes, found with {@link java.util.ServiceLoader} (tcp and shm in the core;
 * the in-JVM transport is made per job, not per process). The runtime builds a rank's transports from the providers
 * that the {@code transport} setting allows: the network transport to every peer, and every other allowed
 * transport to the peers it {@linkplain Transport#reaches reaches}, the network transport then only watching those.
 */
public interface TransportProvider {
    /** Short name, as the {@code transport} setting spells it: tcp, shm. */
    String name();

    /** Whether this is the network transport: reaches every rank and watches the liveness of every peer. */
    boolean network();

    /** Preference among transports that reach a peer: the highest wins (shared memory above the network). */
    int preference();

    /** A new, unconnected transport for this rank. */
    Transport create();
}
