package io.jmpi;

/** The MPI-IO conformance suite over the shm transport. */
class ShmFileTest extends FileConformance {
    @Override
    String transport() {
        return "shm";
    }
}
