package io.jmpi;

/** The derived-datatype conformance suite over the local transport (ranks as threads). */
class LocalDatatypeTest extends DatatypeConformance {
    @Override
    String transport() {
        return "local";
    }
}
