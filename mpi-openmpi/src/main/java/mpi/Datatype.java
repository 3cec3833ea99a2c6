package mpi;

/**
 * A datatype ({@code MPI_Datatype}) over jmpi's {@link io.jmpi.Datatype}. As in Open MPI, {@link #getExtent()},
 * {@link #getLb()}, {@link #getSize()} and their true forms count elements of the base type (bytes for a struct),
 * while {@link #createHVector}, {@link #createHIndexed}, {@link #createStruct} and {@link #createResized} take bytes.
 */
public final class Datatype implements Freeable, Cloneable {
    static final int NULL = 0, BYTE = 1, CHAR = 2, SHORT = 3, BOOLEAN = 4, INT = 5, LONG = 6, FLOAT = 7, DOUBLE = 8,
            PACKED = 9, INT2 = 10, SHORT_INT = 11, LONG_INT = 12, FLOAT_INT = 13, DOUBLE_INT = 14;

    final io.jmpi.Datatype t;
    /** One of the codes above: the predefined type this one is built from. */
    final int baseType;
    /** Bytes of one base element (1 for structs). */
    final int baseSize;
    /** The value type of a (value, index) pair type, or null. */
    final io.jmpi.Datatype pairValue;
    private String name;
    private boolean freed;

    Datatype(io.jmpi.Datatype t, int baseType, String name, io.jmpi.Datatype pairValue) {
        this.t = t;
        this.baseType = baseType;
        this.baseSize = t == null || t.isStruct() ? 1 : t.base().size();
        this.name = name;
        this.pairValue = pairValue;
    }

    private static Datatype derived(io.jmpi.Datatype t, Datatype old) {
        return new Datatype(t, t.isStruct() ? BYTE : old.baseType, "", null);
    }

    static Datatype pair(io.jmpi.Datatype value, int valueBytes, int code, String name) {
        io.jmpi.Datatype s = io.jmpi.Datatype.struct(new int[]{1, 1}, new long[]{0, Math.max(4, valueBytes)},
                new io.jmpi.Datatype[]{value, io.jmpi.Datatype.INT}).commit();
        return new Datatype(s, code, name, value);
    }

    void check(String call) throws MPIException {
        if (freed || t == null) throw new MPIException(call + ": datatype " + name + " is null or freed", MPI.ERR_TYPE, null);
        if (!t.committed()) {
            throw new MPIException(call + ": datatype " + (name.isEmpty() ? t.toString() : name) + " is not committed (call commit() first)",
                    MPI.ERR_TYPE, null);
        }
    }

    private static io.jmpi.Datatype old(String call, Datatype d) throws MPIException {
        if (d == null || d.t == null || d.freed) throw Errors.arg(call + ": oldType is null or freed");
        return d.t;
    }

    /** {@code MPI_Type_contiguous}. */
    public static Datatype createContiguous(int count, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createContiguous", oldType);
        return derived(Errors.run(() -> io.jmpi.Datatype.contiguous(count, o)), oldType);
    }

    /** {@code MPI_Type_vector}: stride in elements of {@code oldType}. */
    public static Datatype createVector(int count, int blockLength, int stride, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createVector", oldType);
        return derived(Errors.run(() -> io.jmpi.Datatype.vector(count, blockLength, stride, o)), oldType);
    }

    /** {@code MPI_Type_create_hvector}: stride in bytes. */
    public static Datatype createHVector(int count, int blockLength, int stride, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createHVector", oldType);
        return derived(Errors.run(() -> io.jmpi.Datatype.hvector(count, blockLength, stride, o)), oldType);
    }

    /** {@code MPI_Type_indexed}: displacements in elements of {@code oldType}. */
    public static Datatype createIndexed(int[] blockLengths, int[] displacements, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createIndexed", oldType);
        return derived(Errors.run(() -> io.jmpi.Datatype.indexed(blockLengths, displacements, o)), oldType);
    }

    /** {@code MPI_Type_create_hindexed}: displacements in bytes. */
    public static Datatype createHIndexed(int[] blockLengths, int[] displacements, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createHIndexed", oldType);
        long[] d = longs("createHIndexed", displacements);
        return derived(Errors.run(() -> io.jmpi.Datatype.hindexed(blockLengths, d, o)), oldType);
    }

    /** {@code MPI_Type_create_indexed_block}. */
    public static Datatype createIndexedBlock(int blockLength, int[] displacements, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createIndexedBlock", oldType);
        return derived(Errors.run(() -> io.jmpi.Datatype.indexedBlock(blockLength, displacements, o)), oldType);
    }

    /** {@code MPI_Type_create_struct}: displacements in bytes; used on ByteBuffers and byte arrays. */
    public static Datatype createStruct(int[] blockLengths, int[] displacements, Datatype[] types) throws MPIException {
        if (types == null) throw Errors.arg("createStruct: types is null");
        io.jmpi.Datatype[] ts = new io.jmpi.Datatype[types.length];
        for (int i = 0; i < types.length; i++) ts[i] = old("createStruct", types[i]);
        long[] d = longs("createStruct", displacements);
        io.jmpi.Datatype s = Errors.run(() -> io.jmpi.Datatype.struct(blockLengths, d, ts));
        return new Datatype(s, BYTE, "", null);
    }

    /** {@code MPI_Type_create_subarray}; {@code order} is {@link MPI#ORDER_C} or {@link MPI#ORDER_FORTRAN}. */
    public static Datatype createSubarray(int[] sizes, int[] subSizes, int[] starts, int order, Datatype oldType) throws MPIException {
        io.jmpi.Datatype o = old("createSubarray", oldType);
        if (order != MPI.ORDER_C && order != MPI.ORDER_FORTRAN) {
            throw Errors.arg("createSubarray: order=" + order + " is neither MPI.ORDER_C nor MPI.ORDER_FORTRAN");
        }
        io.jmpi.Datatype.Order ord = order == MPI.ORDER_C ? io.jmpi.Datatype.Order.C : io.jmpi.Datatype.Order.FORTRAN;
        return derived(Errors.run(() -> io.jmpi.Datatype.subarray(sizes, subSizes, starts, ord, o)), oldType);
    }

    /** {@code MPI_Type_create_resized}: lower bound and extent in bytes. */
    public static Datatype createResized(Datatype oldType, int lb, int extent) throws MPIException {
        io.jmpi.Datatype o = old("createResized", oldType);
        return derived(Errors.run(() -> io.jmpi.Datatype.resized(o, lb, extent)), oldType);
    }

    private static long[] longs(String call, int[] a) throws MPIException {
        if (a == null) throw Errors.arg(call + ": displacements is null");
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

    /** {@code MPI_Type_commit}. */
    public void commit() throws MPIException {
        if (freed || t == null) throw new MPIException("commit: datatype is null or freed", MPI.ERR_TYPE, null);
        t.commit();
    }

    /** {@code MPI_Type_free}: predefined types cannot be freed. */
    @Override
    public void free() throws MPIException {
        if (baseType != NULL && isPredefined()) throw new MPIException("free: predefined datatype " + name + " cannot be freed", MPI.ERR_TYPE, null);
        freed = true;
    }

    /** Whether this is {@link MPI#DATATYPE_NULL} or freed. */
    public boolean isNull() {
        return t == null || freed;
    }

    /** {@code MPI_Type_dup}: an equal, committed-if-this-is, new type. */
    public Datatype dup() throws MPIException {
        if (isNull()) throw new MPIException("dup: datatype is null or freed", MPI.ERR_TYPE, null);
        return new Datatype(t, baseType, name, pairValue);
    }

    /** {@code MPI_Type_dup}; prefer {@link #dup()}, which can throw {@link MPIException}. */
    @Override
    public Datatype clone() {
        try {
            return dup();
        } catch (MPIException e) {
            throw new RuntimeException(e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ attributes (kept by this adapter)

    private static final java.util.concurrent.atomic.AtomicInteger NEXT_KEY = new java.util.concurrent.atomic.AtomicInteger(1);
    private static final java.util.Set<Integer> KEYS = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Map<Integer, Object> attrs = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code MPI_Type_create_keyval}: a key for {@link #setAttr} (attributes are not copied by {@link #dup()}). */
    public static int createKeyval() throws MPIException {
        int k = NEXT_KEY.getAndIncrement();
        KEYS.add(k);
        return k;
    }

    /** {@code MPI_Type_free_keyval}. */
    public static void freeKeyval(int keyval) throws MPIException {
        if (!KEYS.remove(keyval)) throw new MPIException("freeKeyval: keyval=" + keyval + " is not a key of Datatype.createKeyval", MPI.ERR_KEYVAL, null);
    }

    private static Integer key(String call, int keyval) throws MPIException {
        if (!KEYS.contains(keyval)) throw new MPIException(call + ": keyval=" + keyval + " is not a key of Datatype.createKeyval", MPI.ERR_KEYVAL, null);
        return keyval;
    }

    /** {@code MPI_Type_set_attr}. */
    public void setAttr(int keyval, Object value) throws MPIException {
        live("setAttr");
        if (value == null) throw Errors.arg("setAttr: value is null (use deleteAttr)");
        attrs.put(key("setAttr", keyval), value);
    }

    /** {@code MPI_Type_get_attr}: the value, or null if none is set. */
    public Object getAttr(int keyval) throws MPIException {
        live("getAttr");
        return attrs.get(key("getAttr", keyval));
    }

    /** {@code MPI_Type_delete_attr}. */
    public void deleteAttr(int keyval) throws MPIException {
        live("deleteAttr");
        attrs.remove(key("deleteAttr", keyval));
    }

    /** Extent in base elements ({@code MPI_Type_get_extent} divided by the base type's size). */
    public int getExtent() throws MPIException {
        return (int) (live("getExtent").extent() / baseSize);
    }

    /** Lower bound in base elements. */
    public int getLb() throws MPIException {
        return (int) (live("getLb").lb() / baseSize);
    }

    /** Size of the data in base elements ({@code MPI_Type_size} divided by the base type's size). */
    public int getSize() throws MPIException {
        return live("getSize").size() / baseSize;
    }

    /** True extent in base elements. */
    public int getTrueExtent() throws MPIException {
        return (int) (live("getTrueExtent").trueExtent() / baseSize);
    }

    /** True lower bound in base elements. */
    public int getTrueLb() throws MPIException {
        return (int) (live("getTrueLb").trueLb() / baseSize);
    }

    private io.jmpi.Datatype live(String call) throws MPIException {
        if (isNull()) throw new MPIException(call + ": datatype is null or freed", MPI.ERR_TYPE, null);
        return t;
    }

    private boolean isPredefined() {
        return this == MPI.BYTE || this == MPI.CHAR || this == MPI.SHORT || this == MPI.BOOLEAN || this == MPI.INT
                || this == MPI.LONG || this == MPI.FLOAT || this == MPI.DOUBLE || this == MPI.PACKED || this == MPI.INT2
                || this == MPI.SHORT_INT || this == MPI.LONG_INT || this == MPI.FLOAT_INT || this == MPI.DOUBLE_INT;
    }

    /** {@code MPI_Type_set_name}. */
    public void setName(String name) throws MPIException {
        this.name = name == null ? "" : name;
    }

    /** {@code MPI_Type_get_name}. */
    public String getName() throws MPIException {
        return name;
    }

    @Override
    public String toString() {
        return name.isEmpty() && t != null ? t.toString() : name;
    }
}
