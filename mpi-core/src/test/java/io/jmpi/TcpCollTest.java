package io.jmpi;

/** The collective conformance suite over real TCP loopback sockets, on 2 to 4 ranks. */
class TcpCollTest extends CollConformance {
    @Override
    String transport() {
        return "tcp";
    }

    @Override
    int[] sizes() {
        return new int[]{2, 3, 4};
    }
}
