package io.jmpi;

/** The point-to-point conformance suite over shared-memory rings (ranks as threads, one engine and segment each). */
class ShmP2pTest extends P2pConformance {
    @Override
    String transport() {
        return "shm";
    }
}
