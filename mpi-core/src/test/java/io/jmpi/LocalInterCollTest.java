package io.jmpi;

/** The intercommunicator collective conformance suite over the local transport. */
class LocalInterCollTest extends InterCollConformance {
    @Override
    String transport() {
        return "local";
    }
}
