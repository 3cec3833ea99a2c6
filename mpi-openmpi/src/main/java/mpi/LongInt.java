package mpi;

/**
 * Records of {@link MPI#LONG_INT}: a long value and an int index, for MINLOC and MAXLOC. Obtain views with
 * {@code MPI.longInt.getData(buffer, i)}; size buffers with {@link #getExtent()}.
 */
public final class LongInt extends Struct {
    private final int valueField;
    private final int indexField;

    LongInt() {
        valueField = addLong();
        indexField = addInt();
    }

    @Override
    protected Data newData() {
        return new Data();
    }

    /** One (long value, int index) record in a buffer. */
    public final class Data extends Struct.Data {
        public long getValue() {
            return getLong(valueField);
        }

        public int getIndex() {
            return getInt(indexField);
        }

        public void putValue(long v) {
            putLong(valueField, v);
        }

        public void putIndex(int v) {
            putInt(indexField, v);
        }
    }
}
