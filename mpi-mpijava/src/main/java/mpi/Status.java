package mpi;

/**
 * What a receive, probe or wait learned ({@code MPI_Status}). The public fields are those MPJ Express's Status
 * inherits from mpjdev.Status: {@code source}, {@code tag}, {@code index} (set by Waitany/Testany and the *some
 * calls), {@code count} (elements of the message's primitive type, or objects), {@code countInBytes} and
 * {@code numEls} (as count).
 */
public class Status implements Freeable {
    public int source = MPI.ANY_SOURCE;
    public int tag = MPI.ANY_TAG;
    public int index = MPI.UNDEFINED;
    public int count;
    public int countInBytes;
    public int numEls;
    /** Objects received by an MPI.OBJECT receive, else -1. */
    int objects = -1;
    private boolean cancelled;

    /**
     * Per thread: the native status the fast paths have filled ({@code recv(..., into)}, {@code await(into)}); it is
     * copied into a new Status at once and never escapes, so a native receive allocates nothing.
     */
    private static final ThreadLocal<io.jmpi.Status> SCRATCH = ThreadLocal.withInitial(io.jmpi.Status::new);

    static io.jmpi.Status scratch() {
        return SCRATCH.get();
    }

    /** An empty status ({@code MPI.EMPTY_STATUS}). */
    public Status() {
    }

    static Status of(io.jmpi.Status s) {
        Status st = new Status();
        st.source = s.source();
        st.tag = s.tag();
        st.count = s.count();
        st.numEls = s.count();
        st.countInBytes = (int) Math.min(Integer.MAX_VALUE, s.bytes());
        st.cancelled = s.cancelled();
        return st;
    }

    static Status ofObjects(io.jmpi.Status s, int objects) {
        Status st = of(s);
        st.objects = objects;
        st.count = objects;
        st.numEls = objects;
        return st;
    }

    /**
     * Elements of {@code datatype} received ({@code MPI_Get_count}): objects for MPI.OBJECT, otherwise the bytes
     * divided by the type's size, or {@link MPI#UNDEFINED} when that is not a whole number.
     */
    public int Get_count(Datatype datatype) throws MPIException {
        if (datatype == null) throw new MPIException("Get_count: datatype is null");
        if (datatype.isObject()) return objects >= 0 ? objects / Math.max(1, datatype.size()) : count;
        if (datatype.baseType == Datatype.PACKED) return countInBytes;
        long bytes = (long) datatype.size() * datatype.getByteSize();
        if (bytes == 0) return 0;
        return countInBytes % bytes == 0 ? (int) (countInBytes / bytes) : MPI.UNDEFINED;
    }

    /** Base elements received, counting a partial last element's ({@code MPI_Get_elements}). */
    public int Get_elements(Datatype datatype) throws MPIException {
        if (datatype == null) throw new MPIException("Get_elements: datatype is null");
        if (datatype.isObject()) return objects >= 0 ? objects : count;
        int b = datatype.getByteSize();
        return b == 0 ? 0 : countInBytes / b;
    }

    /** Whether the receive was cancelled ({@code MPI_Test_cancelled}). */
    public boolean Test_cancelled() throws MPIException {
        return cancelled;
    }

    @Override
    public void free() {
    }

    @Override
    public String toString() {
        return "Status{source=" + source + ", tag=" + tag + ", count=" + count + ", bytes=" + countInBytes
                + (cancelled ? ", cancelled" : "") + "}";
    }
}
