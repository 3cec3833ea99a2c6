package io.jmpi;

/** The MPI-IO conformance suite over the local transport. */
class LocalFileTest extends FileConformance {
    @Override
    String transport() {
        return "local";
    }
}
