package io.jmpi;

/** The intercommunicator collective conformance suite over the shm transport. */
class ShmInterCollTest extends InterCollConformance {
    @Override
    String transport() {
        return "shm";
    }
}
