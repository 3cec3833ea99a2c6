package mpi;

/**
 * An intercommunicator ({@code MPI_Intercomm_create}): two disjoint groups. This adapter offers its management
 * (sizes, groups, {@link #Merge}); the point-to-point calls inherited from {@link Comm} are not offered on it and
 * fail with an MPIException naming the call (merge first, or use jmpi's native {@code io.jmpi.Intercomm}).
 */
public class Intercomm extends Comm {
    final io.jmpi.Intercomm inter;

    Intercomm(io.jmpi.Intercomm inter) {
        super((io.jmpi.Comm) null);
        this.inter = inter;
    }

    @Override
    io.jmpi.Comm nat() throws MPIException {
        throw new MPIException("this operation is not offered on an intercommunicator by the mpiJava adapter: Merge it first");
    }

    /** Ranks of the local group ({@code MPI_Comm_size}). */
    @Override
    public int Size() throws MPIException {
        return inter.size();
    }

    /** This rank in the local group ({@code MPI_Comm_rank}). */
    @Override
    public int Rank() throws MPIException {
        return inter.rank();
    }

    /** The local group ({@code MPI_Comm_group}). */
    @Override
    public Group Group() throws MPIException {
        return new Group(inter.group());
    }

    /** True ({@code MPI_Comm_test_inter}). */
    @Override
    public boolean Test_inter() throws MPIException {
        return true;
    }

    /** Ranks of the remote group ({@code MPI_Comm_remote_size}). */
    public int Remote_size() throws MPIException {
        return inter.remoteSize();
    }

    /** The remote group ({@code MPI_Comm_remote_group}). */
    public Group Remote_group() throws MPIException {
        return new Group(inter.remoteGroup());
    }

    /** One intracommunicator of both groups, the {@code high=false} group first ({@code MPI_Intercomm_merge}). */
    public Intracomm Merge(boolean high) throws MPIException {
        return new Intracomm(MPI.call(() -> inter.merge(high)));
    }

    /** Frees the intercommunicator ({@code MPI_Comm_free}). */
    @Override
    public void Free() throws MPIException {
        MPI.call(() -> {
            inter.free();
            return null;
        });
    }

    /** Not offered: intercommunicators are not duplicated by this adapter. */
    @Override
    public Object clone() throws MPIException {
        throw new MPIException("clone: duplicating an intercommunicator is not offered by the mpiJava adapter");
    }

    @Override
    public String toString() {
        return inter.toString();
    }
}
