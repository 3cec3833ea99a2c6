package mpi;

/** An ordered set of ranks ({@code MPI_Group}) over a native {@link io.jmpi.Group}; null stands for the empty group. */
public class Group implements Freeable {
    /** MPJ Express's code of the empty group. */
    public static final int EMPTY = 3;
    /** MPJ Express's group code field; 0 for a group with members, {@link #EMPTY} for an empty one. */
    public int code;
    final io.jmpi.Group nat;

    Group(io.jmpi.Group nat) {
        this.nat = nat != null && nat.size() == 0 ? null : nat;
        this.code = this.nat == null ? EMPTY : 0;
    }

    /** Nothing to release ({@code MPI_Group_free}). */
    @Override
    public void free() {
    }

    /** Number of members ({@code MPI_Group_size}). */
    public int Size() throws MPIException {
        return nat == null ? 0 : nat.size();
    }

    /** This process's rank in the group, or {@link MPI#UNDEFINED} ({@code MPI_Group_rank}). */
    public int Rank() throws MPIException {
        return nat == null ? MPI.UNDEFINED : nat.rank();
    }

    /** The ranks in {@code group2} of {@code ranks1} of {@code group1} ({@code MPI_Group_translate_ranks}). */
    public static int[] Translate_ranks(Group group1, int[] ranks1, Group group2) throws MPIException {
        if (group1 == null || group2 == null) throw new MPIException("Translate_ranks: group is null");
        if (group1.nat == null) {
            if (ranks1 != null && ranks1.length > 0) throw new MPIException("Translate_ranks: group1 is empty");
            return new int[0];
        }
        if (group2.nat == null) {
            int[] u = new int[ranks1 == null ? 0 : ranks1.length];
            java.util.Arrays.fill(u, MPI.UNDEFINED);
            return u;
        }
        return MPI.call(() -> group1.nat.translateRanks(ranks1, group2.nat));
    }

    /** IDENT, SIMILAR or UNEQUAL ({@code MPI_Group_compare}). */
    public static int Compare(Group group1, Group group2) throws MPIException {
        if (group1 == null || group2 == null) throw new MPIException("Compare: group is null");
        if (group1.nat == null || group2.nat == null) return group1.nat == group2.nat ? MPI.IDENT : MPI.UNEQUAL;
        return Comm.code(group1.nat.compare(group2.nat));
    }

    /** Members of either, group1's first ({@code MPI_Group_union}). */
    public static Group Union(Group group1, Group group2) throws MPIException {
        if (group1.nat == null) return group2;
        if (group2.nat == null) return group1;
        return new Group(MPI.call(() -> group1.nat.union(group2.nat)));
    }

    /** Members of both, in group1's order ({@code MPI_Group_intersection}). */
    public static Group Intersection(Group group1, Group group2) throws MPIException {
        if (group1.nat == null || group2.nat == null) return MPI.GROUP_EMPTY;
        return new Group(MPI.call(() -> group1.nat.intersection(group2.nat)));
    }

    /** Members of group1 not in group2 ({@code MPI_Group_difference}). */
    public static Group Difference(Group group1, Group group2) throws MPIException {
        if (group1.nat == null || group2.nat == null) return group1;
        return new Group(MPI.call(() -> group1.nat.difference(group2.nat)));
    }

    /** The members at {@code ranks}, in that order ({@code MPI_Group_incl}). */
    public Group Incl(int[] ranks) throws MPIException {
        if (ranks != null && ranks.length == 0) return MPI.GROUP_EMPTY;
        return new Group(MPI.call(() -> nonEmpty("Incl").incl(ranks)));
    }

    /** The members except those at {@code ranks} ({@code MPI_Group_excl}). */
    public Group Excl(int[] ranks) throws MPIException {
        if (nat == null) return this;
        return new Group(MPI.call(() -> nat.excl(ranks)));
    }

    /** The members of the (first, last, stride) triplets ({@code MPI_Group_range_incl}). */
    public Group Range_incl(int[][] ranges) throws MPIException {
        if (ranges != null && ranges.length == 0) return MPI.GROUP_EMPTY;
        return new Group(MPI.call(() -> nonEmpty("Range_incl").rangeIncl(ranges)));
    }

    /** The members except those of the triplets ({@code MPI_Group_range_excl}). */
    public Group Range_excl(int[][] ranges) throws MPIException {
        if (nat == null) return this;
        return new Group(MPI.call(() -> nat.rangeExcl(ranges)));
    }

    private io.jmpi.Group nonEmpty(String call) throws MPIException {
        if (nat == null) throw new MPIException(call + ": the group is empty");
        return nat;
    }

    /** MPJ Express has a public finalize here; it does nothing. */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void finalize() throws MPIException {
    }
}
