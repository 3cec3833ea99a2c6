package io.jmpi;

/** Collective scenarios over shared-memory rings. */
class ShmCollScenarioTest extends CollScenarios {
    @Override
    String transport() {
        return "shm";
    }

    @Override
    int[] sizes() {
        return new int[]{2, 4, 5};
    }

    @Override
    int[] forcedSizes() {
        return new int[]{3};
    }
}
