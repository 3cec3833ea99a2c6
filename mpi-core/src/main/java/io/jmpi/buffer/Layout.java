package io.jmpi.buffer;

/**
 * The compiled form of a derived datatype: where the bytes of one element of the type lie, as a flat list of runs
 * {@code (offset, length)} relative to the type's origin (displacement 0), in the order of the type map. Runs are
 * counted in <em>units</em>: elements of the base primitive type for a type built over one primitive type, bytes for
 * a struct. The runs of element {@code k} of a message sit {@code k * extent} units after those of element 0.
 *
 * <p>Runs are kept in parallel int arrays, not objects: a 1000-row column is 3 arrays of 1000 ints, and walking them
 * allocates nothing. A struct also keeps the primitive type of every run, so that each field is encoded on the
 * little-endian wire in its own byte order (see {@link LayoutBuf}).
 */
public final class Layout {
    /** Element type on the wire: the base primitive type, or BYTE for a struct. */
    private final DataType wire;
    private final boolean struct;
    private final int[] offset;
    private final int[] length;
    /** Packed position (units) of each run within one element; {@code packed[runs] == size}. */
    private final int[] packed;
    /** Primitive type of each run of a struct (one code per run); null for a single-type layout. */
    private final byte[] runType;
    private final int size;
    private final long lb;
    private final long extent;
    private final long trueLb;
    private final long trueUb;

    /**
     * @param struct  whether units are bytes and {@code runType} gives each run's primitive type
     * @param offset  run offsets in units; {@code length} run lengths (units, > 0), the first {@code runs} entries used
     */
    public Layout(DataType wire, boolean struct, int[] offset, int[] length, byte[] runType, int runs, long lb,
                  long extent, long trueLb, long trueUb) {
        this.wire = wire;
        this.struct = struct;
        this.offset = java.util.Arrays.copyOf(offset, runs);
        this.length = java.util.Arrays.copyOf(length, runs);
        this.runType = struct ? java.util.Arrays.copyOf(runType, runs) : null;
        this.packed = new int[runs + 1];
        long p = 0;
        for (int i = 0; i < runs; i++) {
            packed[i] = (int) p;
            p += length[i];
            if (p > Integer.MAX_VALUE) throw new IllegalArgumentException("type size exceeds 2^31 units");
        }
        packed[runs] = (int) p;
        this.size = (int) p;
        this.lb = lb;
        this.extent = extent;
        this.trueLb = trueLb;
        this.trueUb = trueUb;
    }

    public DataType wire() { return wire; }

    /** Whether units are bytes of mixed primitive fields (a struct) rather than elements of {@link #wire()}. */
    public boolean isStruct() { return struct; }

    /** Bytes per unit: the base type's size, 1 for a struct. */
    public int unit() { return struct ? 1 : wire.size; }

    /** Units of data in one element of the type (MPI_Type_size divided by the unit). */
    public int size() { return size; }

    public long lb() { return lb; }
    public long extent() { return extent; }
    public long trueLb() { return trueLb; }
    public long trueUb() { return trueUb; }
    public int runs() { return offset.length; }
    public int offset(int run) { return offset[run]; }
    public int length(int run) { return length[run]; }
    /** Packed position (units) of a run within one element. */
    public int packed(int run) { return packed[run]; }

    /** Primitive type of a run's fields. */
    public DataType runType(int run) {
        return runType == null ? wire : DataType.of(runType[run]);
    }

    /** Lowest unit (relative to the origin) that {@code count > 0} elements touch. */
    public long lowest(int count) {
        return trueLb + Math.min(0, (count - 1) * extent);
    }

    /** One past the highest unit (relative to the origin) that {@code count > 0} elements touch. */
    public long highest(int count) {
        return trueUb + Math.max(0, (count - 1) * extent);
    }

    /** The run holding packed position {@code pos} (units, {@code 0 <= pos < size}) of an element. */
    int runAt(int pos) {
        int lo = 0, hi = offset.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (packed[mid] <= pos) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /**
     * Basic (primitive) elements in the first {@code bytes} bytes of a packed message ({@code MPI_Get_elements}):
     * whole elements of the type count all their fields, a partial one only its complete fields.
     */
    public long elements(long bytes) {
        if (!struct) return bytes / wire.size;
        long perElement = 0;
        for (int i = 0; i < offset.length; i++) perElement += length[i] / runType(i).size;
        if (size == 0) return 0;
        long whole = bytes / size;
        long rest = bytes % size;
        long n = whole * perElement;
        for (int i = 0; i < offset.length && rest > 0; i++) {
            long take = Math.min(rest, length[i]);
            n += take / runType(i).size;
            rest -= take;
        }
        return n;
    }
}
