package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.DataType;
import io.jmpi.buffer.Layout;
import io.jmpi.buffer.LayoutBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A datatype ({@code MPI_Datatype}): a description of where the data of one element lies, relative to a buffer
 * offset. Predefined types are the eight primitive types; derived types are built with the constructors here
 * (contiguous, vector, hvector, indexed, indexedBlock, hindexed, subarray, resized, struct), must be
 * {@link #commit() committed} before use, and never change afterwards.
 *
 * <p>Units. A type built over one primitive type is used on arrays of that type (or on ByteBuffers, read in the
 * buffer's byte order); buffer offsets, {@code stride} and displacements of vector/indexed count elements of the old
 * type's extent as in MPI, and byte arguments ({@code hvector}, {@code hindexed}, {@code resized}) must be multiples
 * of the primitive size. A {@link #struct} mixes primitive fields at byte displacements and is used on ByteBuffers
 * or byte arrays (a byte[] in big-endian order, as {@code ByteBuffer.wrap}); its extent is padded to the alignment
 * of its largest field. On the wire a type over one primitive type travels as that primitive type, so a vector of
 * doubles matches a receive of contiguous doubles (matching type signatures); a struct travels as bytes.
 *
 * <p>Queries ({@link #size()}, {@link #extent()}, {@link #lb()}, {@link #trueLb()}, {@link #trueExtent()}) are in
 * bytes, as in MPI.
 */
public final class Datatype {
    /** Storage order of a {@link #subarray}: row-major (last index fastest) or column-major (first index fastest). */
    public enum Order { C, FORTRAN }

    /** What {@link Status#count(Datatype)} returns when the message is not a whole number of elements. */
    public static final int UNDEFINED = -32766;

    public static final Datatype BYTE = primitive(DataType.BYTE);
    public static final Datatype SHORT = primitive(DataType.SHORT);
    public static final Datatype CHAR = primitive(DataType.CHAR);
    public static final Datatype INT = primitive(DataType.INT);
    public static final Datatype LONG = primitive(DataType.LONG);
    public static final Datatype FLOAT = primitive(DataType.FLOAT);
    public static final Datatype DOUBLE = primitive(DataType.DOUBLE);
    public static final Datatype BOOLEAN = primitive(DataType.BOOLEAN);

    private final String name;
    private final DataType base;
    private final boolean struct;
    private final int[] off;
    private final int[] len;
    private final byte[] types;
    private final int runs;
    /** Bounds in units (elements of the base type, bytes for a struct). */
    private final long lb;
    private final long extent;
    private final long trueLb;
    private final long trueUb;
    /** Alignment of the largest primitive field, bytes: pads the extent of a struct. */
    private final int align;
    private volatile Layout layout;

    private Datatype(String name, Runs r, long lb, long extent) {
        this.name = name;
        this.base = r.struct ? DataType.BYTE : r.base;
        this.struct = r.struct;
        this.off = Arrays.copyOf(r.off, r.n);
        this.len = Arrays.copyOf(r.len, r.n);
        this.types = Arrays.copyOf(r.types, r.n);
        this.runs = r.n;
        this.lb = lb;
        this.extent = extent;
        this.trueLb = r.any ? r.tlb : 0;
        this.trueUb = r.any ? r.tub : 0;
        this.align = r.align;
    }

    private static Datatype primitive(DataType t) {
        Runs r = new Runs(t, false, "");
        r.align = t.size;
        r.append(0, 1, t);
        r.bounds(0, 1, 0, 1);
        Datatype d = new Datatype(t.name(), r, 0, 1);
        d.commit();
        return d;
    }

    // ------------------------------------------------------------------ constructors

    /** {@code count} consecutive copies of {@code old} ({@code MPI_Type_contiguous}). */
    public static Datatype contiguous(int count, Datatype old) {
        String call = "Datatype.contiguous";
        nonNegative(call, "count", count);
        Runs r = Runs.over(call, old);
        r.add(old, 0, count);
        return r.finish("CONTIGUOUS(" + count + ", " + old.name + ")");
    }

    /** {@code count} blocks of {@code blocklength} copies of {@code old}, {@code stride} old extents apart ({@code MPI_Type_vector}). */
    public static Datatype vector(int count, int blocklength, int stride, Datatype old) {
        String call = "Datatype.vector";
        nonNegative(call, "count", count);
        nonNegative(call, "blocklength", blocklength);
        Runs r = Runs.over(call, old);
        for (int i = 0; i < count; i++) r.add(old, (long) i * stride * r.scale(old) * old.extent, blocklength);
        return r.finish("VECTOR(" + count + ", " + blocklength + ", " + stride + ", " + old.name + ")");
    }

    /** As {@link #vector} with the stride in bytes ({@code MPI_Type_create_hvector}). */
    public static Datatype hvector(int count, int blocklength, long strideBytes, Datatype old) {
        String call = "Datatype.hvector";
        nonNegative(call, "count", count);
        nonNegative(call, "blocklength", blocklength);
        Runs r = Runs.over(call, old);
        long stride = r.units(call, "stride", strideBytes);
        for (int i = 0; i < count; i++) r.add(old, i * stride, blocklength);
        return r.finish("HVECTOR(" + count + ", " + blocklength + ", " + strideBytes + " bytes, " + old.name + ")");
    }

    /** Blocks of {@code blocklengths[i]} copies of {@code old} at {@code displacements[i]} old extents ({@code MPI_Type_indexed}). */
    public static Datatype indexed(int[] blocklengths, int[] displacements, Datatype old) {
        String call = "Datatype.indexed";
        sameLength(call, "blocklengths", blocklengths, "displacements", displacements == null ? -1 : displacements.length);
        Runs r = Runs.over(call, old);
        for (int i = 0; i < blocklengths.length; i++) {
            nonNegative(call, "blocklengths[" + i + "]", blocklengths[i]);
            r.add(old, (long) displacements[i] * r.scale(old) * old.extent, blocklengths[i]);
        }
        return r.finish("INDEXED(" + list(blocklengths) + ", " + list(displacements) + ", " + old.name + ")");
    }

    /** Blocks of {@code blocklength} copies of {@code old} at {@code displacements[i]} old extents ({@code MPI_Type_create_indexed_block}). */
    public static Datatype indexedBlock(int blocklength, int[] displacements, Datatype old) {
        String call = "Datatype.indexedBlock";
        nonNegative(call, "blocklength", blocklength);
        if (displacements == null) throw new MpiException(ErrorClass.ARG, call + ": displacements is null");
        Runs r = Runs.over(call, old);
        for (int d : displacements) r.add(old, (long) d * r.scale(old) * old.extent, blocklength);
        return r.finish("INDEXED_BLOCK(" + blocklength + ", " + list(displacements) + ", " + old.name + ")");
    }

    /** As {@link #indexed} with displacements in bytes ({@code MPI_Type_create_hindexed}). */
    public static Datatype hindexed(int[] blocklengths, long[] displacementBytes, Datatype old) {
        String call = "Datatype.hindexed";
        sameLength(call, "blocklengths", blocklengths, "displacements", displacementBytes == null ? -1 : displacementBytes.length);
        Runs r = Runs.over(call, old);
        for (int i = 0; i < blocklengths.length; i++) {
            nonNegative(call, "blocklengths[" + i + "]", blocklengths[i]);
            r.add(old, r.units(call, "displacements[" + i + "]", displacementBytes[i]), blocklengths[i]);
        }
        return r.finish("HINDEXED(" + list(blocklengths) + ", " + list(displacementBytes) + " bytes, " + old.name + ")");
    }

    /**
     * The part {@code [starts, starts + subsizes)} of an n-dimensional array of {@code sizes} copies of {@code old}
     * stored in {@code order} ({@code MPI_Type_create_subarray}); lower bound 0 and extent the whole array, so
     * consecutive elements are consecutive whole arrays.
     */
    public static Datatype subarray(int[] sizes, int[] subsizes, int[] starts, Order order, Datatype old) {
        String call = "Datatype.subarray";
        if (sizes == null || sizes.length == 0) throw new MpiException(ErrorClass.ARG, call + ": sizes is null or empty");
        int nd = sizes.length;
        sameLength(call, "sizes", sizes, "subsizes", subsizes == null ? -1 : subsizes.length);
        sameLength(call, "sizes", sizes, "starts", starts == null ? -1 : starts.length);
        if (order == null) throw new MpiException(ErrorClass.ARG, call + ": order is null");
        long[] stride = new long[nd];
        long total = 1;
        for (int k = 0; k < nd; k++) {
            int i = order == Order.C ? nd - 1 - k : k;
            if (sizes[i] < 1) throw new MpiException(ErrorClass.ARG, call + ": sizes[" + i + "]=" + sizes[i] + " out of range [1, " + Integer.MAX_VALUE + "]");
            if (subsizes[i] < 0 || subsizes[i] > sizes[i]) {
                throw new MpiException(ErrorClass.ARG, call + ": subsizes[" + i + "]=" + subsizes[i] + " out of range [0, " + sizes[i] + "]");
            }
            if (starts[i] < 0 || starts[i] > sizes[i] - subsizes[i]) {
                throw new MpiException(ErrorClass.ARG, call + ": starts[" + i + "]=" + starts[i] + " out of range [0, "
                        + (sizes[i] - subsizes[i]) + "] (sizes[" + i + "]=" + sizes[i] + ", subsizes[" + i + "]=" + subsizes[i] + ")");
            }
            stride[i] = total;
            total *= sizes[i];
            if (total > Integer.MAX_VALUE) {
                throw new MpiException(ErrorClass.ARG, call + ": array of " + list(sizes) + " elements exceeds " + Integer.MAX_VALUE);
            }
        }
        Runs r = Runs.over(call, old);
        long ext = r.scale(old) * old.extent;
        int fast = order == Order.C ? nd - 1 : 0;
        int[] idx = new int[nd];
        boolean empty = false;
        for (int s : subsizes) empty |= s == 0;
        while (!empty) {
            long d = 0;
            for (int i = 0; i < nd; i++) d += (starts[i] + (i == fast ? 0 : idx[i])) * stride[i];
            r.add(old, d * ext, subsizes[fast]);
            // next index tuple over the slow dimensions, in storage order (the fastest of them first)
            int k = order == Order.C ? nd - 2 : 1;
            for (; order == Order.C ? k >= 0 : k < nd; k += order == Order.C ? -1 : 1) {
                if (++idx[k] < subsizes[k]) break;
                idx[k] = 0;
            }
            if (order == Order.C ? k < 0 : k >= nd) break;
        }
        return r.finish("SUBARRAY(" + list(sizes) + ", " + list(subsizes) + ", " + list(starts) + ", " + order + ", "
                + old.name + ")", 0, total * ext);
    }

    /** {@code old} with lower bound {@code lbBytes} and extent {@code extentBytes} ({@code MPI_Type_create_resized}). */
    public static Datatype resized(Datatype old, long lbBytes, long extentBytes) {
        String call = "Datatype.resized";
        Runs r = Runs.over(call, old);
        r.add(old, 0, 1);
        return r.finish("RESIZED(" + old.name + ", lb=" + lbBytes + ", extent=" + extentBytes + " bytes)",
                r.units(call, "lb", lbBytes), r.units(call, "extent", extentBytes));
    }

    /**
     * Records of primitive (or derived) fields: {@code blocklengths[i]} copies of {@code types[i]} at byte
     * {@code displacements[i]} ({@code MPI_Type_create_struct}). The extent is padded to a multiple of the largest
     * primitive field's size, so that consecutive records stay aligned as in C. Used on ByteBuffers and byte[].
     */
    public static Datatype struct(int[] blocklengths, long[] displacementBytes, Datatype[] types) {
        String call = "Datatype.struct";
        sameLength(call, "blocklengths", blocklengths, "displacements", displacementBytes == null ? -1 : displacementBytes.length);
        sameLength(call, "blocklengths", blocklengths, "types", types == null ? -1 : types.length);
        Runs r = new Runs(DataType.BYTE, true, call);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < blocklengths.length; i++) {
            nonNegative(call, "blocklengths[" + i + "]", blocklengths[i]);
            if (types[i] == null) throw new MpiException(ErrorClass.ARG, call + ": types[" + i + "] is null");
            r.align = Math.max(r.align, types[i].align);
            r.add(types[i], displacementBytes[i], blocklengths[i]);
            names.append(i == 0 ? "" : ", ").append(types[i].name);
        }
        String name = "STRUCT(" + list(blocklengths) + ", " + list(displacementBytes) + " bytes, [" + names + "])";
        long lb = r.any ? r.lb : 0, ub = r.any ? r.ub : 0;
        long ext = ub - lb;
        if (ext % r.align != 0) ext += r.align - ext % r.align;
        return r.finish(name, lb, ext);
    }

    // ------------------------------------------------------------------ commit and queries

    /** Compiles the type for use in communication ({@code MPI_Type_commit}); returns this. Idempotent. */
    public Datatype commit() {
        if (layout == null) {
            synchronized (this) {
                if (layout == null) layout = new Layout(base, struct, off, len, types, runs, lb, extent, trueLb, trueUb);
            }
        }
        return this;
    }

    /** Whether {@link #commit()} has been called. */
    public boolean committed() {
        return layout != null;
    }

    /** Bytes of data in one element ({@code MPI_Type_size}). */
    public int size() {
        long n = 0;
        for (int i = 0; i < runs; i++) n += len[i];
        return (int) (n * unit());
    }

    /** Bytes from one element's start to the next's ({@code MPI_Type_get_extent}). */
    public long extent() { return extent * unit(); }

    /** Lower bound in bytes ({@code MPI_Type_get_extent}). */
    public long lb() { return lb * unit(); }

    /** Lowest byte of data, ignoring a resized bound ({@code MPI_Type_get_true_extent}). */
    public long trueLb() { return trueLb * unit(); }

    /** Bytes from the lowest to one past the highest byte of data ({@code MPI_Type_get_true_extent}). */
    public long trueExtent() { return (trueUb - trueLb) * unit(); }

    /** The primitive type of the elements, BYTE for a struct (element type on the wire). */
    public Datatype base() { return predefined(base); }

    /** Whether this is a struct of mixed fields (used on ByteBuffer or byte[] buffers only). */
    public boolean isStruct() { return struct; }

    DataType wire() { return base; }

    int unit() { return struct ? 1 : base.size; }

    /** The compiled layout; an error naming {@code call} if the type is not committed. */
    Layout layout(String call) {
        Layout l = layout;
        if (l == null) {
            throw new MpiException(ErrorClass.TYPE, call + ": type " + name + " is not committed (call commit() first)");
        }
        return l;
    }

    private static Datatype predefined(DataType t) {
        switch (t) {
            case BYTE: return BYTE;
            case SHORT: return SHORT;
            case CHAR: return CHAR;
            case INT: return INT;
            case LONG: return LONG;
            case FLOAT: return FLOAT;
            case DOUBLE: return DOUBLE;
            default: return BOOLEAN;
        }
    }

    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------ pack

    /** Bytes that {@link #pack} of {@code count} elements writes ({@code MPI_Pack_size}). */
    public int packSize(int count) {
        nonNegative("packSize", "count", count);
        long n = (long) count * size();
        if (n > Integer.MAX_VALUE) {
            throw new MpiException(ErrorClass.ARG, "packSize: count=" + count + " x size " + size() + " bytes exceeds "
                    + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /**
     * Packs {@code count} elements of this type at {@code offset} of {@code in} into {@code out} from byte
     * {@code position} ({@code MPI_Pack}); returns the position after them. Packed data is jmpi's wire format
     * (little-endian), so it can be sent as bytes and unpacked by any rank.
     */
    public int pack(Object in, int offset, int count, byte[] out, int position) {
        String call = "pack";
        LayoutBuf b = DatatypeArgs.layoutBuf(null, call, "inbuf", in, offset, count, this, false);
        int n = packed(call, "outbuf", out, position, b.byteLength());
        b.copyOut(0, ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).position(position), n);
        return position + n;
    }

    /** Unpacks {@code count} elements from {@code in} at byte {@code position} into {@code out} ({@code MPI_Unpack}); returns the new position. */
    public int unpack(byte[] in, int position, Object out, int offset, int count) {
        String call = "unpack";
        LayoutBuf b = DatatypeArgs.layoutBuf(null, call, "outbuf", out, offset, count, this, true);
        int n = packed(call, "inbuf", in, position, b.byteLength());
        b.copyIn(0, ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).position(position), n);
        return position + n;
    }

    private static int packed(String call, String arg, byte[] bytes, int position, long n) {
        if (bytes == null) throw new MpiException(ErrorClass.BUFFER, call + ": " + arg + " is null");
        if (position < 0 || position > bytes.length) {
            throw new MpiException(ErrorClass.ARG, call + ": position=" + position + " out of range [0, " + bytes.length + "]");
        }
        if (position + n > bytes.length) {
            throw new MpiException(ErrorClass.TRUNCATE, call + ": position=" + position + " + " + n + " packed bytes exceeds "
                    + arg + " length " + bytes.length);
        }
        return (int) n;
    }

    // ------------------------------------------------------------------ helpers

    static void nonNegative(String call, String arg, int v) {
        if (v < 0) throw new MpiException(ErrorClass.ARG, call + ": " + arg + "=" + v + " out of range [0, " + Integer.MAX_VALUE + "]");
    }

    private static void sameLength(String call, String arg, int[] a, String other, int otherLength) {
        if (a == null) throw new MpiException(ErrorClass.ARG, call + ": " + arg + " is null");
        if (otherLength < 0) throw new MpiException(ErrorClass.ARG, call + ": " + other + " is null");
        if (otherLength != a.length) {
            throw new MpiException(ErrorClass.ARG, call + ": " + other + ".length=" + otherLength + " differs from "
                    + arg + ".length=" + a.length);
        }
    }

    private static String list(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return list(l);
    }

    private static String list(long[] a) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < a.length && i < 8; i++) b.append(i == 0 ? "" : ", ").append(a[i]);
        return b.append(a.length > 8 ? ", ... (" + a.length + ")]" : "]").toString();
    }

    /** The type map under construction: runs in units, merged when adjacent, and the bounds of what was added. */
    private static final class Runs {
        final DataType base;
        final boolean struct;
        final String call;
        int[] off = new int[8];
        int[] len = new int[8];
        byte[] types = new byte[8];
        int n;
        boolean any;
        long lb = Long.MAX_VALUE, ub = Long.MIN_VALUE, tlb = Long.MAX_VALUE, tub = Long.MIN_VALUE;
        int align = 1;

        Runs(DataType base, boolean struct, String call) {
            this.base = base;
            this.struct = struct;
            this.call = call;
        }

        /** A type map over the same units as {@code old}. */
        static Runs over(String call, Datatype old) {
            if (old == null) throw new MpiException(ErrorClass.ARG, call + ": oldType is null");
            Runs r = new Runs(old.base, old.struct, call);
            r.align = old.align;
            return r;
        }

        /** Units of this map per unit of {@code old}: a struct counts bytes, a primitive type elements. */
        long scale(Datatype old) {
            return struct && !old.struct ? old.unit() : 1;
        }

        /** Bytes as units: a multiple of the primitive size, unless this is a struct. */
        long units(String call, String arg, long bytes) {
            int u = struct ? 1 : base.size;
            if (bytes % u != 0) {
                throw new MpiException(ErrorClass.ARG, call + ": " + arg + "=" + bytes + " bytes is not a multiple of the "
                        + base.javaName() + " element size " + u);
            }
            return bytes / u;
        }

        /** {@code copies} consecutive copies of {@code old} from displacement {@code disp} (units of this map). */
        void add(Datatype old, long disp, int copies) {
            long s = scale(old), ext = old.extent * s;
            for (int j = 0; j < copies; j++) {
                long at = disp + j * ext;
                for (int i = 0; i < old.runs; i++) {
                    append(at + old.off[i] * s, old.len[i] * s, struct ? runType(old, i) : base);
                }
            }
            if (copies > 0) {
                long last = disp + (copies - 1) * ext;
                bounds(Math.min(disp, last) + old.lb * s, Math.max(disp, last) + (old.lb + old.extent) * s,
                        Math.min(disp, last) + old.trueLb * s, Math.max(disp, last) + old.trueUb * s);
            }
        }

        private static DataType runType(Datatype old, int i) {
            return old.struct ? DataType.of(old.types[i]) : old.base;
        }

        void bounds(long lo, long hi, long tlo, long thi) {
            any = true;
            lb = Math.min(lb, lo);
            ub = Math.max(ub, hi);
            tlb = Math.min(tlb, tlo);
            tub = Math.max(tub, thi);
        }

        void append(long at, long length, DataType t) {
            if (length == 0) return;
            if (at < Integer.MIN_VALUE || at + length > Integer.MAX_VALUE) {
                throw new MpiException(ErrorClass.ARG, call + ": displacement " + at + " units out of range ["
                        + Integer.MIN_VALUE + ", " + Integer.MAX_VALUE + "]");
            }
            if (n > 0 && off[n - 1] + (long) len[n - 1] == at && types[n - 1] == t.code && len[n - 1] + length <= Integer.MAX_VALUE) {
                len[n - 1] += (int) length;
                return;
            }
            if (n == off.length) {
                if (n >= 1 << 26) throw new MpiException(ErrorClass.ARG, call + ": type map exceeds " + (1 << 26) + " runs");
                off = Arrays.copyOf(off, n * 2);
                len = Arrays.copyOf(len, n * 2);
                types = Arrays.copyOf(types, n * 2);
            }
            off[n] = (int) at;
            len[n] = (int) length;
            types[n] = t.code;
            n++;
        }

        /** A type with the bounds of what was added (lb 0, extent 0 when nothing was). */
        Datatype finish(String name) {
            return any ? finish(name, lb, ub - lb) : finish(name, 0, 0);
        }

        Datatype finish(String name, long lb, long extent) {
            return new Datatype(name, this, lb, extent);
        }
    }
}
