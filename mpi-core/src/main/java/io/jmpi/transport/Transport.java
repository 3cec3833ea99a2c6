package io.jmpi.transport;

import io.jmpi.bootstrap.Endpoint;

/**
 * Moves framed bytes between ranks. Narrow on purpose: matching, protocols, communicators and collectives live
 * above it, so every transport runs the same conformance suite. Life cycle: {@link #listen} (before the endpoint
 * exchange), {@link #connect} (after it), then {@link #poll} from the progress lock holder, {@link #close}.
 * Only {@link #wakeup()} may be called from any thread.
 */
public interface Transport extends AutoCloseable {
    /** Short name: tcp, shm, local. */
    String name();

    /** Phase 1: prepare to be reached; returns the TCP port to advertise, or 0. */
    int listen(TransportContext ctx);

    /** Phase 2: connect to {@code peers} (world ranks this transport is chosen for), blocking until all are up. */
    void connect(Endpoint[] table, int[] peers);

    /**
     * Whether this transport can carry data between this rank and {@code peer} (e.g. shared memory: the same host).
     * A network transport reaches every rank.
     */
    default boolean reaches(Endpoint mine, Endpoint peer) {
        return true;
    }

    /**
     * The data to {@code peers} travels through another transport: keep the connections to them only to notice when
     * they end (a liveness watch), and poll them rarely. Transports without such a role ignore it.
     */
    default void watchOnly(int[] peers) {
    }

    /** The link to a peer chosen for this transport. */
    Link link(int peer);

    /** Reads what has arrived and pushes what is pending. Returns a count of work done (0 when idle). */
    int poll(FrameHandler handler);

    /** Makes a poller blocked in this transport return; safe from any thread. */
    void wakeup();

    /** Closes every connection and listener; idempotent. */
    @Override
    void close();
}
