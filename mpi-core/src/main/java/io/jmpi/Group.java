package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * An ordered set of processes ({@code MPI_Group}), identified by their world ranks. Groups are local values: making
 * one communicates nothing; {@link Comm#create(Group)} turns one into a communicator. Ranks in a group are positions
 * in its order.
 */
public final class Group {
    private final int[] world;
    private final int me;

    Group(int[] worldRanks, int myWorldRank) {
        this.world = worldRanks;
        this.me = myWorldRank;
    }

    /** Number of processes ({@code MPI_Group_size}). */
    public int size() {
        return world.length;
    }

    /** This process's rank in the group, or {@link Comm#UNDEFINED} if it is not a member ({@code MPI_Group_rank}). */
    public int rank() {
        return indexOf(me);
    }

    /** World rank of group rank {@code r}. */
    public int worldRank(int r) {
        check("worldRank", "rank", r);
        return world[r];
    }

    /** The world ranks of the members, in group order. */
    public int[] worldRanks() {
        return world.clone();
    }

    /** The members at the given ranks, in that order ({@code MPI_Group_incl}). */
    public Group incl(int... ranks) {
        int[] w = new int[checkDistinct("incl", ranks).length];
        for (int i = 0; i < w.length; i++) w[i] = world[ranks[i]];
        return new Group(w, me);
    }

    /** The members except the given ranks, in group order ({@code MPI_Group_excl}). */
    public Group excl(int... ranks) {
        boolean[] drop = new boolean[world.length];
        for (int r : checkDistinct("excl", ranks)) drop[r] = true;
        return new Group(Arrays.stream(indices()).filter(i -> !drop[i]).map(i -> world[i]).toArray(), me);
    }

    /** This group's members, then the other's that are not in this one ({@code MPI_Group_union}). */
    public Group union(Group other) {
        Set<Integer> s = new LinkedHashSet<>();
        for (int w : world) s.add(w);
        for (int w : nonNull("union", other).world) s.add(w);
        return new Group(s.stream().mapToInt(Integer::intValue).toArray(), me);
    }

    /** This group's members that are also in {@code other}, in this group's order ({@code MPI_Group_intersection}). */
    public Group intersection(Group other) {
        Group o = nonNull("intersection", other);
        return new Group(Arrays.stream(world).filter(w -> o.indexOf(w) >= 0).toArray(), me);
    }

    /** This group's members that are not in {@code other}, in this group's order ({@code MPI_Group_difference}). */
    public Group difference(Group other) {
        Group o = nonNull("difference", other);
        return new Group(Arrays.stream(world).filter(w -> o.indexOf(w) < 0).toArray(), me);
    }

    /**
     * The ranks in {@code other} of the processes at {@code ranks} of this group ({@code MPI_Group_translate_ranks});
     * {@link Comm#UNDEFINED} for those not in {@code other}.
     */
    public int[] translateRanks(int[] ranks, Group other) {
        Group o = nonNull("translateRanks", other);
        if (ranks == null) throw new MpiException(ErrorClass.ARG, "translateRanks: ranks is null");
        int[] out = new int[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            check("translateRanks", "ranks[" + i + "]", ranks[i]);
            out[i] = o.indexOf(world[ranks[i]]);
        }
        return out;
    }

    private int indexOf(int worldRank) {
        for (int i = 0; i < world.length; i++) if (world[i] == worldRank) return i;
        return Comm.UNDEFINED;
    }

    private int[] indices() {
        int[] a = new int[world.length];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }

    private void check(String call, String arg, int r) {
        if (r < 0 || r >= world.length) {
            throw new MpiException(ErrorClass.ARG, call + ": " + arg + "=" + r + " out of range [0, " + world.length + ")");
        }
    }

    private int[] checkDistinct(String call, int[] ranks) {
        if (ranks == null) throw new MpiException(ErrorClass.ARG, call + ": ranks is null");
        boolean[] seen = new boolean[world.length];
        for (int i = 0; i < ranks.length; i++) {
            check(call, "ranks[" + i + "]", ranks[i]);
            if (seen[ranks[i]]) throw new MpiException(ErrorClass.ARG, call + ": ranks[" + i + "]=" + ranks[i] + " is listed twice");
            seen[ranks[i]] = true;
        }
        return ranks;
    }

    private static Group nonNull(String call, Group g) {
        if (g == null) throw new MpiException(ErrorClass.ARG, call + ": other is null");
        return g;
    }

    /** Groups are equal when they have the same members in the same order ({@code MPI_IDENT}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Group && Arrays.equals(world, ((Group) o).world);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(world);
    }

    @Override
    public String toString() {
        return "Group" + Arrays.toString(world);
    }
}
