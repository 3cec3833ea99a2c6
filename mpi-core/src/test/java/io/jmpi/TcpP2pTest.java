package io.jmpi;

/** The point-to-point conformance suite over real TCP loopback sockets (ranks as threads, one engine each). */
class TcpP2pTest extends P2pConformance {
    @Override
    String transport() {
        return "tcp";
    }
}
