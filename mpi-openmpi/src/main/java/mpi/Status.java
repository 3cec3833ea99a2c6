package mpi;

/** What a receive or probe learned about a message ({@code MPI_Status}), over jmpi's {@link io.jmpi.Status}. */
public final class Status {
    io.jmpi.Status s;
    private final int index;

    Status(io.jmpi.Status s, int index) {
        this.s = s;
        this.index = index;
    }

    private static final io.jmpi.Status EMPTY = new io.jmpi.Status(MPI.PROC_NULL, MPI.ANY_TAG, 0, 1, false);

    /** The empty status (of a null request or a {@link MPI#PROC_NULL} peer): a new object, since the setters change it. */
    static Status empty() {
        return new Status(EMPTY, MPI.UNDEFINED);
    }

    /** Whole elements of {@code datatype} received ({@code MPI_Get_count}), or {@link MPI#UNDEFINED}. */
    public int getCount(Datatype datatype) throws MPIException {
        if (datatype == null || datatype.isNull()) throw Errors.arg("getCount: datatype is null");
        int c = s.count(datatype.t);
        return c == io.jmpi.Datatype.UNDEFINED ? MPI.UNDEFINED : c;
    }

    /** Basic elements received ({@code MPI_Get_elements}). */
    public int getElements(Datatype datatype) throws MPIException {
        if (datatype == null || datatype.isNull()) throw Errors.arg("getElements: datatype is null");
        return (int) s.elements(datatype.t);
    }

    /** {@code MPI_Get_elements_x}. */
    public Count getElementsX(Datatype datatype) throws MPIException {
        return new Count(getElements(datatype));
    }

    /** {@code MPI_Test_cancelled}. */
    public boolean isCancelled() throws MPIException {
        return s.cancelled();
    }

    /**
     * {@code MPI_Status_set_elements}: afterwards {@link #getElements} of {@code datatype} gives {@code count} (for
     * user-written requests and file operations).
     */
    public void setElements(Datatype datatype, int count) throws MPIException {
        if (datatype == null || datatype.isNull()) throw Errors.arg("setElements: datatype is null");
        if (count < 0) throw Errors.arg("setElements: count=" + count + " is negative");
        int unit = datatype.t.isStruct() ? 1 : datatype.t.base().size();
        s = new io.jmpi.Status(s.source(), s.tag(), (long) count * unit, unit, s.cancelled());
    }

    /** {@code MPI_Status_set_elements_x}. */
    public void setElementsX(Datatype datatype, Count count) throws MPIException {
        if (count == null) throw Errors.arg("setElementsX: count is null");
        if (count.getCount() > Integer.MAX_VALUE) throw Errors.arg("setElementsX: count=" + count.getCount() + " exceeds " + Integer.MAX_VALUE);
        setElements(datatype, (int) count.getCount());
    }

    /** {@code MPI_Status_set_cancelled}. */
    public void setCancelled(boolean flag) throws MPIException {
        s = new io.jmpi.Status(s.source(), s.tag(), s.bytes(), 1, flag);
    }

    /** {@code MPI_SOURCE}. */
    public int getSource() {
        return s.source();
    }

    /** {@code MPI_TAG}. */
    public int getTag() {
        return s.tag();
    }

    /** {@code MPI_ERROR}: jmpi reports failures as exceptions, so always {@link MPI#SUCCESS}. */
    public int getError() {
        return MPI.SUCCESS;
    }

    /** Index of the request in the array given to a waitAny/testAny/waitSome/testSome form. */
    public int getIndex() {
        return index;
    }

    @Override
    public String toString() {
        return s + (index == MPI.UNDEFINED ? "" : " index " + index);
    }
}
