package io.jmpi.engine;

import io.jmpi.buffer.DataType;

/** A message (eager data or a rendezvous RTS) that arrived before a matching receive was posted. */
final class Unexpected {
    Unexpected next, prev;
    int context;
    int source;      // world rank
    int tag;
    DataType type;
    long bytes;
    byte[] data;     // eager payload (its first {@code bytes} bytes), or null for a rendezvous RTS
    java.nio.ByteBuffer buffer; // a pooled little-endian view of data, or null (see FrameDispatch#recycle)
    long senderHandle;
    int creditCost;  // credit to return to the sender when consumed
    Send selfSync; // a synchronous send to self, completed when this is matched
    long seq;        // the message's number from its sender (Peer#recvSeq), for the trace
    boolean ready;   // sent by a ready send (MPI_Rsend) and arrived before any matching receive: an error

    boolean matches(int ctx, int src, int t) {
        return context == ctx && (src == Engine.ANY_SOURCE || src == source) && (t == Engine.ANY_TAG || t == tag);
    }
}
