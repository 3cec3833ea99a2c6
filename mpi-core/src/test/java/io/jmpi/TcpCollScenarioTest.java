package io.jmpi;

/** Collective scenarios over real TCP loopback sockets. */
class TcpCollScenarioTest extends CollScenarios {
    @Override
    String transport() {
        return "tcp";
    }

    @Override
    int[] sizes() {
        return new int[]{2, 3, 4};
    }

    @Override
    int[] forcedSizes() {
        return new int[]{3};
    }
}
