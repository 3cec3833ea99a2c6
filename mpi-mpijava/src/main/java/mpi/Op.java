package mpi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A reduction operation ({@code MPI_Op}): the predefined ones of {@link MPI} or a {@link User_function}.
 *
 * <p>A user function becomes a native vector-form operation ({@link io.jmpi.Op#ofArrays}) per datatype it is used
 * with, whose grain is the datatype's size, so the function always sees whole elements of its datatype. On
 * MPI.OBJECT buffers the function is called here, on {@code Object[]} slices.
 */
public class Op {
    /** MPJ Express's operation code; -1 for a user operation. */
    public int opCode;
    final io.jmpi.Op predefined;
    final User_function function;
    final boolean commute;
    private final Map<Datatype, io.jmpi.Op> perType = new ConcurrentHashMap<>();

    Op(io.jmpi.Op predefined) {
        this.predefined = predefined;
        this.function = null;
        this.commute = true;
        this.opCode = predefined.name().hashCode() & 0xff;
    }

    /** A user operation ({@code MPI_Op_create}). */
    public Op(User_function function, boolean commute) throws MPIException {
        if (function == null) throw new MPIException("Op: function is null");
        this.predefined = null;
        this.function = function;
        this.commute = commute;
        this.opCode = -1;
    }

    /** MPJ Express's form with an explicit code (ignored). */
    public Op(User_function function, boolean commute, int opCode) throws MPIException {
        this(function, commute);
    }

    /** The native operation for reductions of {@code type}. */
    io.jmpi.Op nat(Datatype type) {
        if (predefined != null) return predefined;
        io.jmpi.Op known = perType.get(type); // no capturing lambda per call once the type is known
        if (known != null) return known;
        return perType.computeIfAbsent(type, t -> io.jmpi.Op.ofArrays((in, inOffset, inout, inoutOffset, n) -> {
            try {
                function.Call(in, inOffset, inout, inoutOffset, n / Math.max(1, t.size()), t);
            } catch (MPIException e) {
                throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.OTHER, "User_function.Call: " + e.getMessage(), e);
            }
        }, commute, Math.max(1, t.size())));
    }

    /** Nothing to release ({@code MPI_Op_free}). */
    public void free() throws MPIException {
    }

    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void finalize() throws MPIException {
    }
}
