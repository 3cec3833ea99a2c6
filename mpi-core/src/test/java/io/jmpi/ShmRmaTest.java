package io.jmpi;

/** The one-sided (RMA) conformance suite over the shm transport. */
class ShmRmaTest extends RmaConformance {
    @Override
    String transport() {
        return "shm";
    }
}
