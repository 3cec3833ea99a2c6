package mpi;

/**
 * An inter-communicator: point-to-point between two groups (ranks name the remote group), {@link #merge}, and
 * {@link Comm}'s collectives as MPI defines them on inter-communicators (data flows between the groups; rooted ones
 * take {@link MPI#ROOT} at the root, {@link MPI#PROC_NULL} in the rest of its group and the root's rank in the other
 * group), routed to jmpi's {@link io.jmpi.Intercomm} ({@code InterColl}). Their in-place forms fail, as in Open MPI.
 */
public final class Intercomm extends Comm {
    Intercomm(io.jmpi.Intercomm c) {
        super(FIXED, c);
    }

    private io.jmpi.Intercomm ic(String call) throws MPIException {
        return (io.jmpi.Intercomm) n(call);
    }

    /** {@code MPI_Comm_dup} is not available on jmpi's inter-communicators. */
    @Override
    public Intercomm dup() throws MPIException {
        throw new MPIException("dup: jmpi cannot duplicate inter-communicators yet", MPI.ERR_COMM, null);
    }

    /** {@code MPI_Comm_dup_with_info} is not available on jmpi's inter-communicators. */
    @Override
    public Intercomm dupWithInfo(Info info) throws MPIException {
        throw new MPIException("dupWithInfo: jmpi cannot duplicate inter-communicators yet", MPI.ERR_COMM, null);
    }

    /** {@code MPI_Comm_idup} is not available on jmpi's inter-communicators. */
    @Override
    public Intercomm iDup() throws MPIException {
        throw new MPIException("iDup: jmpi cannot duplicate inter-communicators yet", MPI.ERR_COMM, null);
    }

    /**
     * {@code MPI_Comm_get_parent}: a null inter-communicator ({@link #isNull()}), since jmpi does not spawn processes
     * ({@link Intracomm#spawn} is not available): every rank was started by the launcher.
     */
    public static Intercomm getParent() throws MPIException {
        MPI.env("getParent");
        return new Intercomm(null);
    }

    @Override
    public Intercomm clone() {
        throw new UnsupportedOperationException("clone: jmpi cannot duplicate inter-communicators yet");
    }

    /** {@code MPI_Comm_remote_size}. */
    public int getRemoteSize() throws MPIException {
        return ic("getRemoteSize").remoteSize();
    }

    /** {@code MPI_Comm_remote_group}. */
    public Group getRemoteGroup() throws MPIException {
        return new Group(ic("getRemoteGroup").remoteGroup());
    }

    /** {@code MPI_Intercomm_merge}: the group with {@code high} false comes first. */
    public Intracomm merge(boolean high) throws MPIException {
        io.jmpi.Intercomm c = ic("merge");
        return new Intracomm(Errors.run(() -> c.merge(high)));
    }
}
