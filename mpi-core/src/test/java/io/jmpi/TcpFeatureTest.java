package io.jmpi;

/** The feature conformance suite over real TCP loopback sockets (ranks as threads). */
class TcpFeatureTest extends FeatureConformance {
    @Override
    String transport() {
        return "tcp";
    }
}
