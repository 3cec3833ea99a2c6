package io.jmpi;

/** The one-sided (RMA) conformance suite over the local transport. */
class LocalRmaTest extends RmaConformance {
    @Override
    String transport() {
        return "local";
    }
}
