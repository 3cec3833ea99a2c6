package mpi;

/**
 * A user reduction function ({@code MPI_User_function}) for {@link Op#Op(User_function, boolean)}: combine
 * {@code count} elements of {@code datatype}, {@code inoutvec[i] = invec[i] op inoutvec[i]}. {@code invec} and
 * {@code inoutvec} are arrays of the reduction buffer's kind ({@code int[]} for MPI.INT and MPI.INT2,
 * {@code Object[]} for MPI.OBJECT); offsets are array indices, {@code count} is in elements of {@code datatype} (an
 * INT2 element is two ints). {@code invec} holds the lower ranks' partial result.
 */
public abstract class User_function {
    public User_function() {
    }

    /** {@code MPI_User_function}. */
    public abstract void Call(Object invec, int inoffset, Object inoutvec, int inoutoffset, int count, Datatype datatype)
            throws MPIException;
}
