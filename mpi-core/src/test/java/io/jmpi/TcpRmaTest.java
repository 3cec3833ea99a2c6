package io.jmpi;

/** The one-sided (RMA) conformance suite over the tcp transport. */
class TcpRmaTest extends RmaConformance {
    @Override
    String transport() {
        return "tcp";
    }
}
