package io.jmpi.transport;

import io.jmpi.bootstrap.Endpoint;

/**
 * Moves framed bytes between ranks. Narrow on purpose: matching, protocols, communicators and collectives live
 * above it, so every transport runs the same conformance suite. Life cycle: {@link #listen} (before the endpoint
 * exchange), {@link #connect} (after it), optionally {@link #registerWakeups}, then {@link #poll} from the progress
 * lock holder, {@link #close}. Only {@link #wakeup()} and {@link #announceSleep} may be called from any thread.
 */
public interface Transport extends AutoCloseable {
    /** Short name: tcp, shm, local. */
    String name();

    /** Phase 1: prepare to be reached; returns the TCP port to advertise, or 0. */
    int listen(TransportContext ctx);

    /**
     * Phase 2: connect to {@code peers} (world ranks this transport is chosen for), blocking until all are up; a
     * transport that connects on first use (TCP with {@code connections=lazy}) only records the table here, and its
     * links connect when the engine first offers them a frame (or the peer connects first).
     */
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

    /** Connections this transport holds to peers (for start-up timings and diagnostics); 0 when it has none. */
    default int connections() {
        return 0;
    }

    /** The link to a peer chosen for this transport. */
    Link link(int peer);

    /** Reads what has arrived and pushes what is pending. Returns a count of work done (0 when idle). */
    int poll(FrameHandler handler);

    /**
     * Whether this transport can wake a sleeping poller ({@link #registerWakeups}): every frame that arrives through
     * it, once {@link #announceSleep} said so, makes the wait set ready. When one transport of a rank cannot, the
     * engine keeps parking with a bounded period instead of blocking. Asked once, after {@link #connect}.
     */
    default boolean supportsWakeups() {
        return false;
    }

    /**
     * Registers in {@code waitSet} (the rank's selector, where one idle poller blocks) channels that become ready
     * when something arrives here: data sockets, or a doorbell that peers ring. A key whose attachment is a
     * {@link Runnable} is run by the woken poller (e.g. to drain the doorbell). Called once, after {@link #connect},
     * before any poll; only when {@link #supportsWakeups}.
     */
    default void registerWakeups(java.nio.channels.Selector waitSet) {
    }

    /**
     * The rank's poller is about to block ({@code true}; the engine then polls once more before it blocks, so a frame
     * published before this call is seen by that poll and one published after it rings) or is awake again
     * ({@code false}). A transport whose peers ring only when asked publishes the announcement here (shared memory:
     * the segment's waiters word). Called by the sleeper, with or without the progress lock.
     */
    default void announceSleep(boolean sleeping) {
    }

    /**
     * Makes a poller blocked on this transport's wake-ups return (a selector wake-up); safe from any thread. A no-op
     * when nothing was registered.
     */
    void wakeup();

    /** Closes every connection and listener; idempotent. */
    @Override
    void close();
}
