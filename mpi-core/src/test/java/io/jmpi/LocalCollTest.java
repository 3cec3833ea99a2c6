package io.jmpi;

/** The collective conformance suite over the in-JVM transport, on 1 to 16 ranks. */
class LocalCollTest extends CollConformance {
    @Override
    String transport() {
        return "local";
    }

    @Override
    int[] sizes() {
        return new int[]{1, 2, 3, 4, 5, 7, 8, 16};
    }
}
