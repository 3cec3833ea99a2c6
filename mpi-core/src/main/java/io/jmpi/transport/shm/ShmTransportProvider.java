package io.jmpi.transport.shm;

import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportProvider;

/** Provides {@link ShmTransport}: shared memory between ranks of one host. */
public final class ShmTransportProvider implements TransportProvider {
    @Override public String name() { return "shm"; }
    @Override public boolean network() { return false; }
    @Override public int preference() { return 10; }
    @Override public Transport create() { return new ShmTransport(); }
}
