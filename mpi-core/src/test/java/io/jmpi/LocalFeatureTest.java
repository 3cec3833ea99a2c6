package io.jmpi;

/** The feature conformance suite over the in-JVM transport. */
class LocalFeatureTest extends FeatureConformance {
    @Override
    String transport() {
        return "local";
    }
}
