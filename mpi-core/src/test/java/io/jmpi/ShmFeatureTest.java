package io.jmpi;

/** The feature conformance suite over shared-memory rings (ranks as threads). */
class ShmFeatureTest extends FeatureConformance {
    @Override
    String transport() {
        return "shm";
    }
}
