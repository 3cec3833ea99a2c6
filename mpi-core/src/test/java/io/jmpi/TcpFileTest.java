package io.jmpi;

/** The MPI-IO conformance suite over the tcp transport. */
class TcpFileTest extends FileConformance {
    @Override
    String transport() {
        return "tcp";
    }
}
