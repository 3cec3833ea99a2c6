package mpi;

/** Hints ({@code MPI_Info}): string keys and values, over jmpi's {@link io.jmpi.Info}. */
public final class Info implements Freeable, Cloneable {
    final io.jmpi.Info i;
    private boolean freed;

    /** {@code MPI_Info_create}. */
    public Info() throws MPIException {
        this(new io.jmpi.Info());
    }

    Info(io.jmpi.Info i) {
        this.i = i;
    }

    /** {@code MPI_Info_set}. */
    public void set(String key, String value) throws MPIException {
        Errors.run(() -> i.set(key, value));
    }

    /** {@code MPI_Info_get}: the value, or null. */
    public String get(String key) throws MPIException {
        return Errors.run(() -> i.get(key));
    }

    /** {@code MPI_Info_delete}. */
    public void delete(String key) throws MPIException {
        Errors.run(() -> { i.delete(key); return null; });
    }

    /** {@code MPI_Info_get_nkeys}. */
    public int size() throws MPIException {
        return i.size();
    }

    /** {@code MPI_Info_get_nthkey}. */
    public String getKey(int i) throws MPIException {
        java.util.List<String> k = this.i.keys();
        if (i < 0 || i >= k.size()) throw Errors.arg("getKey: i=" + i + " out of range [0, " + k.size() + ")");
        return k.get(i);
    }

    /** {@code MPI_Info_dup}. */
    @Override
    public Info clone() {
        return new Info(i.dup());
    }

    /** {@code MPI_Info_dup}. */
    public Info dup() throws MPIException {
        return clone();
    }

    /** {@code MPI_Info_free}. */
    @Override
    public void free() throws MPIException {
        freed = true;
    }

    public boolean isNull() {
        return freed || this == MPI.INFO_NULL;
    }
}
