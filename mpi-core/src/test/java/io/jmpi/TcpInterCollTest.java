package io.jmpi;

/** The intercommunicator collective conformance suite over the tcp transport. */
class TcpInterCollTest extends InterCollConformance {
    @Override
    String transport() {
        return "tcp";
    }
}
