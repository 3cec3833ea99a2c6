package mpi;

/**
 * Records of {@link MPI#SHORT_INT}: a short value and an int index, for MINLOC and MAXLOC. Obtain views with
 * {@code MPI.shortInt.getData(buffer, i)}; size buffers with {@link #getExtent()}.
 */
public final class ShortInt extends Struct {
    private final int valueField;
    private final int indexField;

    ShortInt() {
        valueField = addShort();
        indexField = addInt();
    }

    @Override
    protected Data newData() {
        return new Data();
    }

    /** One (short value, int index) record in a buffer. */
    public final class Data extends Struct.Data {
        public short getValue() {
            return getShort(valueField);
        }

        public int getIndex() {
            return getInt(indexField);
        }

        public void putValue(short v) {
            putShort(valueField, v);
        }

        public void putIndex(int v) {
            putInt(indexField, v);
        }
    }
}
