package io.jmpi.engine;

import java.nio.ByteBuffer;

/**
 * Takes every message on one communicator context instead of the matching queues ({@link Engine#setContextHandler}):
 * the engine knows nothing of what the messages mean (one-sided communication registers one per window). Called under
 * the engine's lock by whichever thread makes progress (a waiter, the background agent), so a handler must be short,
 * must not block, and may only call the engine's non-blocking entry points (a send it starts is never awaited). It
 * must not throw for bad content: a message it cannot use is answered, not failed.
 */
public interface ContextHandler {
    /**
     * One message from world rank {@code source} with {@code tag}: {@code length} bytes from {@code payload}'s position
     * (little-endian). The buffer is the transport's and only valid during the call.
     */
    void onMessage(int source, int tag, ByteBuffer payload, int length);
}
