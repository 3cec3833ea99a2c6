package io.jmpi.transport.tcp;

import io.jmpi.transport.Transport;
import io.jmpi.transport.TransportProvider;

/** Provides {@link TcpTransport}: the network transport. */
public final class TcpTransportProvider implements TransportProvider {
    @Override public String name() { return "tcp"; }
    @Override public boolean network() { return true; }
    @Override public int preference() { return 0; }
    @Override public Transport create() { return new TcpTransport(); }
}
