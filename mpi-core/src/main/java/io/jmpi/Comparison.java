package io.jmpi;

/**
 * The result of comparing two communicators ({@link Comm#compare}, {@code MPI_Comm_compare}) or two groups
 * ({@link Group#compare}, {@code MPI_Group_compare}; groups are never {@link #CONGRUENT}).
 */
public enum Comparison {
    /** The same communicator, or groups with the same members in the same order ({@code MPI_IDENT}). */
    IDENT,
    /** Different communicators whose groups have the same members in the same order ({@code MPI_CONGRUENT}). */
    CONGRUENT,
    /** The same members in a different order ({@code MPI_SIMILAR}). */
    SIMILAR,
    /** Anything else ({@code MPI_UNEQUAL}). */
    UNEQUAL
}
