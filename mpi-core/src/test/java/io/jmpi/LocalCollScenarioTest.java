package io.jmpi;

/** Collective scenarios over the in-JVM transport. */
class LocalCollScenarioTest extends CollScenarios {
    @Override
    String transport() {
        return "local";
    }

    @Override
    int[] sizes() {
        return new int[]{1, 2, 3, 4, 5, 7, 8, 16};
    }

    @Override
    int[] forcedSizes() {
        return new int[]{2, 3, 5, 7, 8};
    }
}
