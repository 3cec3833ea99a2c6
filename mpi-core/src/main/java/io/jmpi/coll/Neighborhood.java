package io.jmpi.coll;

import java.util.Arrays;

/**
 * The neighbours of one rank in a virtual topology, as the neighbourhood collectives see them: {@code sources}
 * (block i of a receive buffer comes from {@code sources[i]}) and {@code destinations} (block j of a send buffer goes
 * to {@code destinations[j]}); {@code PROC_NULL} entries keep their block but exchange nothing.
 *
 * <p>Matching. Two edges may join the same pair of ranks (a periodic Cartesian dimension of size 1 or 2, a
 * multigraph), so each edge carries a tag that tells its messages apart, and a send on an out-edge is received by
 * the in-edge of the same tag at the peer; same-tag edges between a pair match in list order (the engine's
 * per-pair FIFO). The two rules of MPI 4.1 (section 8.6, example 8.10):
 * <ul>
 *   <li>graphs and distributed graphs: the k-th edge to a rank matches the k-th edge from it, so the tag is k;</li>
 *   <li>Cartesian: a block sent in the negative direction of dimension d lands in the receiver's block for the
 *       positive direction and vice versa (block s lands in block {@code s ^ 1}), so the tag is the direction of
 *       travel: out-edge s has tag s, in-edge s has tag {@code s ^ 1}. With 3 or more ranks in the dimension the two
 *       rules agree; with 1 or 2 only this one gives a halo exchange the right blocks.</li>
 * </ul>
 * Edges to this rank itself are local copies, paired by the same rule ({@link #selfOut}, {@link #selfIn}).
 */
public final class Neighborhood {
    private static final int PROC_NULL = io.jmpi.engine.Engine.PROC_NULL;

    final int[] sources;
    final int[] sourceTags;
    final int[] destinations;
    final int[] destTags;
    /** Edge j of {@code destinations} to this rank is copied into edge {@code selfIn[k]} of sources, j = selfOut[k]. */
    final int[] selfOut;
    final int[] selfIn;

    private Neighborhood(int rank, int[] sources, int[] sourceTags, int[] destinations, int[] destTags) {
        this.sources = sources;
        this.sourceTags = sourceTags;
        this.destinations = destinations;
        this.destTags = destTags;
        int n = 0;
        for (int d : destinations) if (d == rank) n++;
        int[] out = new int[n], in = new int[n];
        boolean[] used = new boolean[sources.length];
        int k = 0;
        for (int j = 0; j < destinations.length; j++) {
            if (destinations[j] != rank) continue;
            int i = 0;
            while (i < sources.length && (used[i] || sources[i] != rank || sourceTags[i] != destTags[j])) i++;
            if (i == sources.length) {
                throw new IllegalArgumentException("edge " + j + " from rank " + rank + " to itself has no matching in-edge");
            }
            used[i] = true;
            out[k] = j;
            in[k++] = i;
        }
        this.selfOut = out;
        this.selfIn = in;
    }

    /**
     * A graph neighbourhood: the k-th occurrence of a rank among the destinations matches the k-th occurrence of
     * this rank among that rank's sources.
     */
    public static Neighborhood graph(int rank, int[] sources, int[] destinations) {
        return new Neighborhood(rank, sources.clone(), occurrences(sources), destinations.clone(), occurrences(destinations));
    }

    /**
     * A Cartesian neighbourhood from the {@code MPI_Cart_shift(d, 1)} pairs: {@code shifts[2d]} the source (negative
     * direction), {@code shifts[2d + 1]} the destination (positive); the lists of sources and destinations are both
     * {@code shifts}.
     */
    public static Neighborhood cartesian(int rank, int[] shifts) {
        int[] outTags = new int[shifts.length], inTags = new int[shifts.length];
        for (int s = 0; s < shifts.length; s++) {
            outTags[s] = s;
            inTags[s] = s ^ 1;
        }
        return new Neighborhood(rank, shifts.clone(), inTags, shifts.clone(), outTags);
    }

    /** Number of in-edges (receive blocks), PROC_NULL ones included. */
    public int inDegree() {
        return sources.length;
    }

    /** Number of out-edges (send blocks), PROC_NULL ones included. */
    public int outDegree() {
        return destinations.length;
    }

    /** Number of edges from this rank to itself (local copies). */
    public int selfEdges() {
        return selfOut.length;
    }

    /** The out-edge (send block) of self-edge {@code k}. */
    public int selfOut(int k) {
        return selfOut[k];
    }

    /** The in-edge (receive block) that self-edge {@code k} copies into. */
    public int selfIn(int k) {
        return selfIn[k];
    }

    /** Tag of each edge: its index among the edges (of the same list) to the same peer. */
    private static int[] occurrences(int[] peers) {
        int[] tags = new int[peers.length];
        java.util.HashMap<Integer, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] != PROC_NULL) tags[i] = seen.merge(peers[i], 1, Integer::sum) - 1;
        }
        return tags;
    }

    @Override
    public String toString() {
        return "Neighborhood{in " + Arrays.toString(sources) + ", out " + Arrays.toString(destinations) + "}";
    }
}
