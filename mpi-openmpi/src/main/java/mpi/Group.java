package mpi;

/** A group of processes ({@code MPI_Group}) over jmpi's {@link io.jmpi.Group}. */
public final class Group implements Freeable {
    io.jmpi.Group g;

    Group(io.jmpi.Group g) {
        this.g = g;
    }

    private io.jmpi.Group live(String call) throws MPIException {
        if (g == null) throw new MPIException(call + ": group is null (freed)", MPI.ERR_GROUP, null);
        return g;
    }

    /** {@code MPI_Group_size}. */
    public int getSize() throws MPIException {
        return live("getSize").size();
    }

    /** {@code MPI_Group_rank}: this process's rank, or {@link MPI#UNDEFINED}. */
    public int getRank() throws MPIException {
        int r = live("getRank").rank();
        return r < 0 ? MPI.UNDEFINED : r;
    }

    /** {@code MPI_Group_free}. */
    @Override
    public void free() throws MPIException {
        g = null;
    }

    public boolean isNull() {
        return g == null;
    }

    /** {@code MPI_Group_translate_ranks}. */
    public static int[] translateRanks(Group group1, int[] ranks1, Group group2) throws MPIException {
        io.jmpi.Group a = group1.live("translateRanks"), b = group2.live("translateRanks");
        int[] r = Errors.run(() -> a.translateRanks(ranks1, b));
        for (int i = 0; i < r.length; i++) if (r[i] == io.jmpi.Comm.UNDEFINED) r[i] = MPI.UNDEFINED;
        return r;
    }

    /** {@code MPI_Group_compare}: {@link MPI#IDENT}, {@link MPI#SIMILAR} or {@link MPI#UNEQUAL}. */
    public static int compare(Group group1, Group group2) throws MPIException {
        io.jmpi.Group a = group1.live("compare"), b = group2.live("compare");
        return MPI.comparison(Errors.run(() -> a.compare(b)));
    }

    /** {@code MPI_Group_union}. */
    public static Group union(Group group1, Group group2) throws MPIException {
        io.jmpi.Group a = group1.live("union"), b = group2.live("union");
        return new Group(Errors.run(() -> a.union(b)));
    }

    /** {@code MPI_Group_intersection}. */
    public static Group intersection(Group group1, Group group2) throws MPIException {
        io.jmpi.Group a = group1.live("intersection"), b = group2.live("intersection");
        return new Group(Errors.run(() -> a.intersection(b)));
    }

    /** {@code MPI_Group_difference}. */
    public static Group difference(Group group1, Group group2) throws MPIException {
        io.jmpi.Group a = group1.live("difference"), b = group2.live("difference");
        return new Group(Errors.run(() -> a.difference(b)));
    }

    /** {@code MPI_Group_incl}. */
    public Group incl(int[] ranks) throws MPIException {
        io.jmpi.Group a = live("incl");
        return new Group(Errors.run(() -> a.incl(ranks)));
    }

    /** {@code MPI_Group_excl}. */
    public Group excl(int[] ranks) throws MPIException {
        io.jmpi.Group a = live("excl");
        return new Group(Errors.run(() -> a.excl(ranks)));
    }

    /** {@code MPI_Group_range_incl}: triplets (first, last, stride). */
    public Group rangeIncl(int[][] ranges) throws MPIException {
        io.jmpi.Group a = live("rangeIncl");
        return new Group(Errors.run(() -> a.rangeIncl(ranges)));
    }

    /** {@code MPI_Group_range_excl}. */
    public Group rangeExcl(int[][] ranges) throws MPIException {
        io.jmpi.Group a = live("rangeExcl");
        return new Group(Errors.run(() -> a.rangeExcl(ranges)));
    }
}
