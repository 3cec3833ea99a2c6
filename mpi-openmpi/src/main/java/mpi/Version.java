package mpi;

/** The MPI standard version implemented ({@code MPI_Get_version}): jmpi follows MPI 3.1, as Open MPI 5.0's Java API. */
public final class Version {
    private final int version;
    private final int subVersion;

    public Version(int version, int subVersion) {
        this.version = version;
        this.subVersion = subVersion;
    }

    public int getVersion() {
        return version;
    }

    public int getSubVersion() {
        return subVersion;
    }
}
