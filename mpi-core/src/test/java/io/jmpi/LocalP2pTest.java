package io.jmpi;

/** The point-to-point conformance suite over the in-JVM transport. */
class LocalP2pTest extends P2pConformance {
    @Override
    String transport() {
        return "local";
    }
}
