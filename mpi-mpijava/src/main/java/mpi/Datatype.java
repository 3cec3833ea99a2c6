package mpi;

import io.jmpi.base.MpiException;

import java.util.Arrays;

/**
 * A datatype ({@code MPI_Datatype}) of the mpiJava 1.2 binding: every type has one base type, a Java primitive or
 * {@code Object}, and describes elements of one array of it.
 *
 * <p><b>Units.</b> As the mpiJava 1.2 specification says, all displacements and strides are in elements of the base
 * type, never bytes, including those of {@link #Hvector}, {@link #Hindexed} and {@link #Struct} (so {@code Hvector}
 * differs from {@code Vector} only in that its stride is not multiplied by the old type's extent). {@link #Extent},
 * {@link #Lb}, {@link #Ub} and {@link #Size} count base elements too. {@link #Struct} combines types of one base type
 * (and the MPI.LB / MPI.UB markers); mixed base types fail, as the specification restricts.
 *
 * <p>Each type keeps its type map (runs of base elements, lower and upper bound) and builds the native
 * {@link io.jmpi.Datatype} from it (an indexed type over the primitive, resized to the bounds), which moves the runs
 * straight from and to the user's array. OBJECT types apply the map to {@code Object[]} here.
 */
public abstract class Datatype implements Freeable {
    // the codes of getType() and baseType
    static final int UNDEFINED = -1, NULL = 0, BYTE = 1, CHAR = 2, SHORT = 3, BOOLEAN = 4, INT = 5, LONG = 6, FLOAT = 7,
            DOUBLE = 8, PACKED = 9, LB = 10, UB = 11, OBJECT = 12;
    private static final int[] BYTES = {0, 0, 1, 2, 2, 1, 4, 8, 4, 8, 1, 0, 0, 0};

    /** The base type's code (BYTE ... OBJECT), as MPJ Express's field of the same name. */
    public int baseType;
    String name = "UNDEFINED";
    /** Runs of base elements of one element: offsets and lengths, merged when adjacent. */
    int[] off = new int[0];
    int[] len = new int[0];
    long lb;
    long ub;
    /** Whether lb/ub were set by an LB/UB marker (markers win over data bounds in a Struct, as in MPI-1). */
    boolean lbMarked;
    boolean ubMarked;
    /** One of the predefined primitive types (MPI.BYTE ... MPI.DOUBLE): calls take {@link Typed}'s fast path. */
    boolean basic;
    private volatile io.jmpi.Datatype nat;

    /** An undefined type (MPJ Express's public constructor); usable only as an argument to nothing. */
    public Datatype() {
        this.baseType = UNDEFINED;
    }

    private static final class Impl extends Datatype {
        Impl(int base, String name) {
            this.baseType = base;
            this.name = name;
        }
    }

    static Datatype primitive(int base, String name) {
        Datatype t = new Impl(base, name);
        if (base != NULL && base != LB && base != UB) {
            t.off = new int[]{0};
            t.len = new int[]{1};
            t.ub = 1;
            t.basic = base >= BYTE && base <= DOUBLE;
        }
        return t;
    }

    /** The base type's code. */
    public int getType() {
        return baseType;
    }

    /** Bytes of one base element (0 for OBJECT and the markers). */
    public int getByteSize() {
        return baseType >= 0 && baseType < BYTES.length - 1 ? BYTES[baseType + 1] : 0;
    }

    /** Base elements from the lower to the upper bound ({@code MPI_Type_extent}). */
    public int Extent() throws MPIException {
        return (int) (ub - lb);
    }

    /** Base elements of data in one element ({@code MPI_Type_size}). */
    public int Size() throws MPIException {
        return size();
    }

    int size() {
        int n = 0;
        for (int l : len) n += l;
        return n;
    }

    /** The lower bound in base elements ({@code MPI_Type_lb}). */
    public int Lb() throws MPIException {
        return (int) lb;
    }

    /** The upper bound in base elements ({@code MPI_Type_ub}). */
    public int Ub() throws MPIException {
        return (int) ub;
    }

    /** Compiles the type for communication ({@code MPI_Type_commit}). Uncommitted types are compiled on first use too. */
    public void Commit() throws MPIException {
        if (isPrimitiveBase()) MPI.call(this::nat);
    }

    /** Nothing to release ({@code MPI_Type_free}); kept for MPJ Express programs. */
    @Override
    public void free() {
    }

    /** MPJ Express has a public finalize here; it does nothing. */
    @Override
    @SuppressWarnings({"deprecation", "removal"})
    public void finalize() throws MPIException {
    }

    boolean isObject() {
        return baseType == OBJECT;
    }

    boolean isPrimitiveBase() {
        return baseType >= BYTE && baseType <= DOUBLE;
    }

    boolean contiguous() {
        return off.length == 1 && off[0] == 0 && lb == 0 && ub == len[0];
    }

    /** The native type over the base primitive (built once). */
    io.jmpi.Datatype nat() {
        io.jmpi.Datatype n = nat;
        if (n != null) return n;
        synchronized (this) {
            if (nat == null) nat = build();
            return nat;
        }
    }

    private io.jmpi.Datatype build() {
        io.jmpi.Datatype p = primitiveNative(baseType, name);
        if (off.length == 1 && off[0] == 0 && len[0] == 1 && lb == 0 && ub == 1) return p;
        int unit = getByteSize();
        io.jmpi.Datatype t = contiguous() ? io.jmpi.Datatype.contiguous(len[0], p) : io.jmpi.Datatype.indexed(len, off, p);
        if (!contiguous()) t = io.jmpi.Datatype.resized(t, lb * unit, (ub - lb) * unit);
        return t.commit();
    }

    private static io.jmpi.Datatype primitiveNative(int base, String name) {
        switch (base) {
            case BYTE: return io.jmpi.Datatype.BYTE;
            case CHAR: return io.jmpi.Datatype.CHAR;
            case SHORT: return io.jmpi.Datatype.SHORT;
            case BOOLEAN: return io.jmpi.Datatype.BOOLEAN;
            case INT: return io.jmpi.Datatype.INT;
            case LONG: return io.jmpi.Datatype.LONG;
            case FLOAT: return io.jmpi.Datatype.FLOAT;
            case DOUBLE: return io.jmpi.Datatype.DOUBLE;
            default:
                throw new MpiException(io.jmpi.base.ErrorClass.TYPE, "datatype " + name + " has no primitive base type");
        }
    }

    // ------------------------------------------------------------------ constructors

    /** {@code count} copies of {@code oldtype}, one extent apart ({@code MPI_Type_contiguous}). */
    public static Datatype Contiguous(int count, Datatype oldtype) throws MPIException {
        Builder b = new Builder("Contiguous", oldtype);
        nonNegative("Contiguous", "count", count);
        for (int i = 0; i < count; i++) b.add(oldtype, (long) i * oldtype.extent());
        return b.finish("CONTIGUOUS(" + count + ", " + oldtype.name + ")");
    }

    /** {@code count} blocks of {@code blocklength} old types, {@code stride} old extents apart ({@code MPI_Type_vector}). */
    public static Datatype Vector(int count, int blocklength, int stride, Datatype oldtype) throws MPIException {
        return vector("Vector", count, blocklength, (long) stride * (oldtype == null ? 0 : oldtype.extent()), oldtype);
    }

    /** {@link #Vector} with {@code stride} in base elements ({@code MPI_Type_hvector}; mpiJava counts no bytes). */
    public static Datatype Hvector(int count, int blocklength, int stride, Datatype oldtype) throws MPIException {
        return vector("Hvector", count, blocklength, stride, oldtype);
    }

    private static Datatype vector(String call, int count, int blocklength, long strideUnits, Datatype oldtype) throws MPIException {
        Builder b = new Builder(call, oldtype);
        nonNegative(call, "count", count);
        nonNegative(call, "blocklength", blocklength);
        long ext = oldtype.extent();
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < blocklength; j++) b.add(oldtype, i * strideUnits + j * ext);
        }
        return b.finish(call.toUpperCase() + "(" + count + ", " + blocklength + ", " + strideUnits + ", " + oldtype.name + ")");
    }

    /** Blocks of old types at displacements counted in old extents ({@code MPI_Type_indexed}). */
    public static Datatype Indexed(int[] array_of_blocklengths, int[] array_of_displacements, Datatype oldtype) throws MPIException {
        return indexed("Indexed", array_of_blocklengths, array_of_displacements, oldtype, true);
    }

    /** {@link #Indexed} with displacements in base elements ({@code MPI_Type_hindexed}). */
    public static Datatype Hindexed(int[] array_of_blocklengths, int[] array_of_displacements, Datatype oldtype) throws MPIException {
        return indexed("Hindexed", array_of_blocklengths, array_of_displacements, oldtype, false);
    }

    private static Datatype indexed(String call, int[] bl, int[] disp, Datatype oldtype, boolean scaled) throws MPIException {
        Builder b = new Builder(call, oldtype);
        sameLength(call, bl, "array_of_displacements", disp);
        long ext = oldtype.extent();
        for (int i = 0; i < bl.length; i++) {
            nonNegative(call, "array_of_blocklengths[" + i + "]", bl[i]);
            long at = scaled ? disp[i] * ext : disp[i];
            for (int j = 0; j < bl[i]; j++) b.add(oldtype, at + j * ext);
        }
        return b.finish(call.toUpperCase() + "(" + Arrays.toString(bl) + ", " + Arrays.toString(disp) + ", " + oldtype.name + ")");
    }

    /**
     * Blocks of types of one base type at displacements in base elements ({@code MPI_Type_struct}); MPI.LB and MPI.UB
     * entries set the bounds.
     */
    public static Datatype Struct(int[] array_of_blocklengths, int[] array_of_displacements, Datatype[] array_of_types)
            throws MPIException {
        String call = "Struct";
        sameLength(call, array_of_blocklengths, "array_of_displacements", array_of_displacements);
        if (array_of_types == null || array_of_types.length != array_of_blocklengths.length) {
            throw new MPIException(call + ": array_of_types.length=" + (array_of_types == null ? "null" : array_of_types.length)
                    + " differs from array_of_blocklengths.length=" + array_of_blocklengths.length);
        }
        Datatype base = null;
        for (int i = 0; i < array_of_types.length; i++) {
            Datatype t = array_of_types[i];
            if (t == null) throw new MPIException(call + ": array_of_types[" + i + "] is null");
            if (t.baseType == LB || t.baseType == UB) continue;
            if (base != null && base.baseType != t.baseType) {
                throw new MPIException(call + ": array_of_types[" + i + "]=" + t.name + " has another base type than "
                        + base.name + ": mpiJava structs combine types of one base type");
            }
            base = t;
        }
        if (base == null) base = MPI.BYTE;
        Builder b = new Builder(call, base);
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < array_of_types.length; i++) {
            Datatype t = array_of_types[i];
            nonNegative(call, "array_of_blocklengths[" + i + "]", array_of_blocklengths[i]);
            names.append(i == 0 ? "" : ", ").append(t.name);
            if (t.baseType == LB) {
                b.markLb(array_of_displacements[i]);
            } else if (t.baseType == UB) {
                b.markUb(array_of_displacements[i]);
            } else {
                for (int j = 0; j < array_of_blocklengths[i]; j++) b.add(t, array_of_displacements[i] + (long) j * t.extent());
            }
        }
        return b.finish("STRUCT(" + Arrays.toString(array_of_blocklengths) + ", " + Arrays.toString(array_of_displacements)
                + ", [" + names + "])");
    }

    long extent() {
        return ub - lb;
    }

    @Override
    public String toString() {
        return name;
    }

    private static void nonNegative(String call, String arg, int v) throws MPIException {
        if (v < 0) throw new MPIException(call + ": " + arg + "=" + v + " out of range [0, " + Integer.MAX_VALUE + "]");
    }

    private static void sameLength(String call, int[] bl, String other, int[] o) throws MPIException {
        if (bl == null) throw new MPIException(call + ": array_of_blocklengths is null");
        if (o == null || o.length != bl.length) {
            throw new MPIException(call + ": " + other + ".length=" + (o == null ? "null" : o.length)
                    + " differs from array_of_blocklengths.length=" + bl.length);
        }
    }

    /** A type map under construction: the runs of old types placed at base-element displacements, and the bounds. */
    private static final class Builder {
        final int base;
        int[] off = new int[8];
        int[] len = new int[8];
        int n;
        long lb = Long.MAX_VALUE, ub = Long.MIN_VALUE, mlb = Long.MAX_VALUE, mub = Long.MIN_VALUE;
        boolean any, lbMarked, ubMarked;

        Builder(String call, Datatype old) throws MPIException {
            if (old == null) throw new MPIException(call + ": oldtype is null");
            if (old.baseType == UNDEFINED || old.baseType == NULL || old.baseType == PACKED || old.baseType == LB || old.baseType == UB) {
                throw new MPIException(call + ": oldtype " + old.name + " cannot build a derived type");
            }
            this.base = old.baseType;
        }

        void add(Datatype t, long at) throws MPIException {
            for (int r = 0; r < t.off.length; r++) run(at + t.off[r], t.len[r]);
            any = true;
            if (t.lbMarked) {
                lbMarked = true;
                mlb = Math.min(mlb, at + t.lb);
            }
            if (t.ubMarked) {
                ubMarked = true;
                mub = Math.max(mub, at + t.ub);
            }
            lb = Math.min(lb, at + t.lb);
            ub = Math.max(ub, at + t.ub);
        }

        void markLb(long at) {
            lbMarked = true;
            mlb = Math.min(mlb, at);
        }

        void markUb(long at) {
            ubMarked = true;
            mub = Math.max(mub, at);
        }

        private void run(long at, int length) throws MPIException {
            if (length == 0) return;
            if (at < Integer.MIN_VALUE || at > Integer.MAX_VALUE) throw new MPIException("datatype displacement " + at + " out of int range");
            if (n > 0 && off[n - 1] + len[n - 1] == at) {
                len[n - 1] += length;
                return;
            }
            if (n == off.length) {
                off = Arrays.copyOf(off, 2 * n);
                len = Arrays.copyOf(len, 2 * n);
            }
            off[n] = (int) at;
            len[n++] = length;
        }

        Datatype finish(String name) {
            Datatype t = new Impl(base, name);
            t.off = Arrays.copyOf(off, n);
            t.len = Arrays.copyOf(len, n);
            long l = any ? lb : 0, u = any ? ub : 0;
            if (lbMarked) l = mlb;
            if (ubMarked) u = mub;
            if (!any && !lbMarked && ubMarked) l = Math.min(0, u);
            t.lb = l;
            t.ub = Math.max(l, u);
            t.lbMarked = lbMarked;
            t.ubMarked = ubMarked;
            return t;
        }
    }
}
