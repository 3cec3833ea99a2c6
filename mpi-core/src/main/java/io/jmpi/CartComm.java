package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import io.jmpi.coll.Neighborhood;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A communicator with a Cartesian topology ({@code MPI_Cart_create}), for stencil codes: rank r sits at the
 * row-major coordinates of r in a grid of {@link #dims()} (the last dimension varies fastest), and each dimension
 * is periodic (a torus) or not.
 *
 * <pre>{@code
 * CartComm grid = world.cartCreate(Mpi.dimsCreate(world.size(), 2), new boolean[]{true, false}, false);
 * CartComm.Shift ns = grid.shift(0, 1);            // neighbours along dimension 0
 * grid.sendrecv(top, ns.dest(), 0, halo, ns.source(), 0);
 * }</pre>
 */
public final class CartComm extends Comm {
    /** The two neighbours of a shift ({@code MPI_Cart_shift}): receive from {@code source}, send to {@code dest}. */
    public record Shift(int source, int dest) {
    }

    private final int[] dims;
    private final boolean[] periods;
    private final Neighborhood neighborhood;

    CartComm(Comm parent, int context, int[] worldRanks, String name, int[] dims, boolean[] periods) {
        super(parent, context, worldRanks, name);
        this.dims = dims;
        this.periods = periods;
        int[] shifts = new int[2 * dims.length];
        for (int d = 0; d < dims.length; d++) {
            shifts[2 * d] = neighbour(d, -1);
            shifts[2 * d + 1] = neighbour(d, 1);
        }
        this.neighborhood = Neighborhood.cartesian(rank, shifts);
    }

    @Override
    public TopoType topoTest() {
        return TopoType.CART;
    }

    /**
     * Per dimension the source then the destination of {@code shift(d, 1)} (MPI 4.1 order); a block sent towards
     * the negative neighbour lands in that neighbour's block of the positive direction, even when both neighbours
     * are the same rank (a periodic dimension of 1 or 2 ranks).
     */
    @Override
    Neighborhood neighborhood(String call) {
        return neighborhood;
    }

    /** The rank this rank would have in such a grid ({@code MPI_Cart_map}): its own, or UNDEFINED beyond the grid. */
    static int map(Comm parent, int[] dims, boolean[] periods) {
        String call = "cartMap";
        parent.checkUsable(call);
        long n = checkGrid(call, dims, periods);
        if (n > parent.size()) {
            throw new MpiException(ErrorClass.ARG, call + ": dims " + Arrays.toString(dims) + " need " + n
                    + " ranks, the communicator has " + parent.size());
        }
        return parent.rank() < n ? parent.rank() : UNDEFINED;
    }

    /** Number of dimensions ({@code MPI_Cartdim_get}). */
    public int ndims() {
        return dims.length;
    }

    /** Extent of each dimension. */
    public int[] dims() {
        return dims.clone();
    }

    /** Whether each dimension wraps around. */
    public boolean[] periods() {
        return periods.clone();
    }

    /** This rank's coordinates. */
    public int[] coords() {
        return coords(rank);
    }

    /** Coordinates of {@code rank} ({@code MPI_Cart_coords}). */
    public int[] coords(int rank) {
        if (rank < 0 || rank >= size) {
            throw new MpiException(ErrorClass.ARG, "coords: rank=" + rank + " out of range [0, " + size + ")");
        }
        int[] c = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            c[d] = rank % dims[d];
            rank /= dims[d];
        }
        return c;
    }

    /**
     * Rank at {@code coords} ({@code MPI_Cart_rank}); coordinates of periodic dimensions wrap around, those of other
     * dimensions must be in range.
     */
    public int rank(int[] coords) {
        if (coords == null) throw new MpiException(ErrorClass.ARG, "rank: coords is null");
        if (coords.length != dims.length) {
            throw new MpiException(ErrorClass.ARG, "rank: coords.length=" + coords.length + " differs from ndims " + dims.length);
        }
        int r = 0;
        for (int d = 0; d < dims.length; d++) {
            int c = coords[d];
            if (periods[d]) {
                c = Math.floorMod(c, dims[d]);
            } else if (c < 0 || c >= dims[d]) {
                throw new MpiException(ErrorClass.ARG, "rank: coords[" + d + "]=" + c + " out of range [0, " + dims[d]
                        + ") (dimension " + d + " is not periodic)");
            }
            r = r * dims[d] + c;
        }
        return r;
    }

    /**
     * The neighbours {@code disp} steps away along {@code direction} ({@code MPI_Cart_shift}): {@code dest} at
     * {@code coords + disp}, {@code source} at {@code coords - disp}; {@link Mpi#PROC_NULL} beyond the edge of a
     * non-periodic dimension, so a halo exchange with {@code sendrecv} needs no special case at the edges.
     */
    public Shift shift(int direction, int disp) {
        if (direction < 0 || direction >= dims.length) {
            throw new MpiException(ErrorClass.ARG, "shift: direction=" + direction + " out of range [0, " + dims.length + ")");
        }
        return new Shift(neighbour(direction, -disp), neighbour(direction, disp));
    }

    private int neighbour(int direction, int disp) {
        int[] c = coords();
        long to = (long) c[direction] + disp;
        if (!periods[direction] && (to < 0 || to >= dims[direction])) return Mpi.PROC_NULL;
        c[direction] = (int) Math.floorMod(to, (long) dims[direction]);
        return rank(c);
    }

    /**
     * The sub-grids that keep the dimensions with {@code remainDims[d]} true ({@code MPI_Cart_sub}); collective.
     * Each rank gets the sub-grid through its own position (e.g. its row); with no dimension kept, a grid of one rank.
     */
    public CartComm cartSub(boolean[] remainDims) {
        String call = "cartSub";
        checkUsable(call);
        if (remainDims == null) throw new MpiException(ErrorClass.ARG, call + ": remainDims is null");
        if (remainDims.length != dims.length) {
            throw new MpiException(ErrorClass.ARG, call + ": remainDims.length=" + remainDims.length + " differs from ndims " + dims.length);
        }
        int[] c = coords();
        int color = 0, key = 0;
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < dims.length; d++) {
            if (remainDims[d]) {
                key = key * dims[d] + c[d];
                kept.add(d);
            } else {
                color = color * dims[d] + c[d];
            }
        }
        int[] subDims = new int[kept.size()];
        boolean[] subPeriods = new boolean[kept.size()];
        for (int i = 0; i < subDims.length; i++) {
            subDims[i] = dims[kept.get(i)];
            subPeriods[i] = periods[kept.get(i)];
        }
        Derived d = derive(call, color, key);
        return new CartComm(this, d.context(), d.worldRanks(), name + ".sub", subDims, subPeriods);
    }

    /** A duplicate with the same topology ({@code MPI_Comm_dup}); collective. */
    @Override
    public CartComm dup() {
        Derived d = derive("dup", 0, rank);
        return new CartComm(this, d.context(), d.worldRanks(), name + ".dup", dims.clone(), periods.clone());
    }

    @Override
    public String toString() {
        return "CartComm{" + name + ", rank " + rank + " of " + size + ", dims " + Arrays.toString(dims) + "}";
    }

    /** Validates a grid; returns the number of ranks it needs. */
    static long checkGrid(String call, int[] dims, boolean[] periods) {
        if (dims == null) throw new MpiException(ErrorClass.ARG, call + ": dims is null");
        if (periods == null) throw new MpiException(ErrorClass.ARG, call + ": periods is null");
        if (periods.length != dims.length) {
            throw new MpiException(ErrorClass.ARG, call + ": periods.length=" + periods.length + " differs from dims.length=" + dims.length);
        }
        long n = 1;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] < 1) throw new MpiException(ErrorClass.ARG, call + ": dims[" + d + "]=" + dims[d] + " out of range [1, " + Integer.MAX_VALUE + "]");
            n = Math.min(n * dims[d], 1L << 40);
        }
        return n;
    }

    /**
     * Balanced grid dimensions ({@code MPI_Dims_create}): entries of {@code dims} that are positive stay fixed, zeros
     * are filled so that the product is {@code nnodes} and the filled extents are as close to each other as possible,
     * in non-increasing order.
     */
    static int[] dimsCreate(int nnodes, int[] dims) {
        String call = "dimsCreate";
        if (nnodes < 1) throw new MpiException(ErrorClass.ARG, call + ": nnodes=" + nnodes + " out of range [1, " + Integer.MAX_VALUE + "]");
        if (dims == null) throw new MpiException(ErrorClass.ARG, call + ": dims is null");
        int[] out = dims.clone();
        long fixed = 1;
        int free = 0;
        for (int d = 0; d < out.length; d++) {
            if (out[d] < 0) throw new MpiException(ErrorClass.ARG, call + ": dims[" + d + "]=" + out[d] + " out of range [0, " + nnodes + "]");
            if (out[d] == 0) free++;
            else fixed *= out[d];
        }
        if (fixed == 0 || nnodes % fixed != 0) {
            throw new MpiException(ErrorClass.ARG, call + ": the fixed dims " + Arrays.toString(dims) + " (product " + fixed
                    + ") do not divide nnodes=" + nnodes);
        }
        int rest = (int) (nnodes / fixed);
        if (free == 0) {
            if (rest != 1) throw new MpiException(ErrorClass.ARG, call + ": dims " + Arrays.toString(dims) + " has product " + fixed + ", not nnodes=" + nnodes);
            return out;
        }
        int[] best = balanced(rest, free);
        for (int d = 0, i = 0; d < out.length; d++) if (out[d] == 0) out[d] = best[i++];
        return out;
    }

    /** The non-increasing factorization of {@code n} into {@code k} factors with the smallest spread (largest - smallest). */
    private static int[] balanced(int n, int k) {
        List<Integer> divisors = new ArrayList<>();
        for (int d = 1; (long) d * d <= n; d++) {
            if (n % d == 0) {
                divisors.add(d);
                if (d != n / d) divisors.add(n / d);
            }
        }
        divisors.sort(null);
        int[] best = new int[k], cur = new int[k];
        long[] bestSpread = {Long.MAX_VALUE};
        search(n, k, 0, Integer.MAX_VALUE, divisors, cur, best, bestSpread);
        return best;
    }

    private static void search(int n, int k, int at, int max, List<Integer> divisors, int[] cur, int[] best, long[] bestSpread) {
        if (at == k - 1) {
            if (n > max) return;
            cur[at] = n;
            long spread = (long) cur[0] - n;
            if (spread < bestSpread[0]) {
                bestSpread[0] = spread;
                System.arraycopy(cur, 0, best, 0, k);
            }
            return;
        }
        int left = k - at;
        for (int i = divisors.size() - 1; i >= 0; i--) {
            int d = divisors.get(i);
            if (d > max || n % d != 0) continue;
            if (Math.pow(d, left) < n - 0.5) break; // the largest of the remaining factors is at least n^(1/left)
            cur[at] = d;
            search(n / d, k, at + 1, d, divisors, cur, best, bestSpread);
        }
    }
}
