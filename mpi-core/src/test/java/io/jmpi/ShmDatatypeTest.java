package io.jmpi;

/** The derived-datatype conformance suite over the shm transport (ranks as threads). */
class ShmDatatypeTest extends DatatypeConformance {
    @Override
    String transport() {
        return "shm";
    }
}
