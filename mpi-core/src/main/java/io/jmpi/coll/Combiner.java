package io.jmpi.coll;

/**
 * The reduction an algorithm applies, element-wise: {@code out = lo op hi}, where {@code lo} holds the partial
 * result of lower ranks and {@code hi} that of higher ranks. Algorithms only ever combine adjacent runs of ranks
 * in this orientation, so non-commutative operations are respected and every rank computes the same tree of
 * operations: results are bitwise identical on all ranks and from run to run.
 */
public interface Combiner {
    /**
     * {@code out[outFrom + i] = lo[loFrom + i] op hi[hiFrom + i]} for {@code i < n} (indices relative to each block);
     * {@code out} may be the very same range as {@code lo} or {@code hi}.
     */
    void combine(Block lo, int loFrom, Block hi, int hiFrom, Block out, int outFrom, int n);

    /** Whether the operation is commutative (lets a reduce use a tree rooted at the root itself). */
    boolean commutative();

    /** Elements that form one indivisible operand (2 for MINLOC/MAXLOC pairs, else 1); chunking respects it. */
    int grain();

    /**
     * Whether this is a predefined operation (MPI_SUM ...): cheap, allocation-free and never failing, so it may run
     * inside the engine's receive path ({@link CombiningBuf}); user functions never do.
     */
    default boolean builtin() {
        return false;
    }
}
