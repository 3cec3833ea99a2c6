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

    /**
     * The members at the ranks of the triplets {@code {first, last, stride}}, in that order ({@code MPI_Group_range_incl}):
     * each triplet stands for {@code first, first + stride, ...} up to and including {@code last} if it is reached
     * (a negative stride counts down). Every rank must be valid and listed once.
     */
    public Group rangeIncl(int[][] ranges) {
        return incl(expand("rangeIncl", ranges));
    }

    /** The members except those at the ranks of the triplets, in group order ({@code MPI_Group_range_excl}). */
    public Group rangeExcl(int[][] ranges) {
        return excl(expand("rangeExcl", ranges));
    }

    /**
     * {@link Comparison#IDENT} if both groups have the same members in the same order, {@link Comparison#SIMILAR}
     * if in another order, else {@link Comparison#UNEQUAL} ({@code MPI_Group_compare}).
     */
    public Comparison compare(Group other) {
        Group o = nonNull("compare", other);
        if (Arrays.equals(world, o.world)) return Comparison.IDENT;
        int[] a = world.clone(), b = o.world.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        return Arrays.equals(a, b) ? Comparison.SIMILAR : Comparison.UNEQUAL;
    }

    private int[] expand(String call, int[][] ranges) {
        if (ranges == null) throw new MpiException(ErrorClass.ARG, call + ": ranges is null");
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < ranges.length; i++) {
            int[] t = ranges[i];
            String arg = "ranges[" + i + "]";
            if (t == null || t.length != 3) {
                throw new MpiException(ErrorClass.ARG, call + ": " + arg + " has " + (t == null ? "no" : t.length)
                        + " entries, needs 3 (first, last, stride)");
            }
            check(call, arg + " first", t[0]);
            check(call, arg + " last", t[1]);
            if (t[2] == 0) throw new MpiException(ErrorClass.ARG, call + ": " + arg + " stride=0 out of range (nonzero)");
            for (long r = t[0]; t[2] > 0 ? r <= t[1] : r >= t[1]; r += t[2]) {
                out.add((int) r);
                if (out.size() > world.length) {
                    throw new MpiException(ErrorClass.ARG, call + ": ranges name more than the group's " + world.length + " ranks");
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
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
