package io.jmpi;

/** The derived-datatype conformance suite over the tcp transport (ranks as threads). */
class TcpDatatypeTest extends DatatypeConformance {
    @Override
    String transport() {
        return "tcp";
    }
}
