package mpi;

/**
 * Records of {@link MPI#INT2}: a int value and an int index, for MINLOC and MAXLOC. Obtain views with
 * {@code MPI.int2.getData(buffer, i)}; size buffers with {@link #getExtent()}.
 */
public final class Int2 extends Struct {
    private final int valueField;
    private final int indexField;

    Int2() {
        valueField = addInt();
        indexField = addInt();
    }

    @Override
    protected Data newData() {
        return new Data();
    }

    /** One (int value, int index) record in a buffer. */
    public final class Data extends Struct.Data {
        public int getValue() {
            return getInt(valueField);
        }

        public int getIndex() {
            return getInt(indexField);
        }

        public void putValue(int v) {
            putInt(valueField, v);
        }

        public void putIndex(int v) {
            putInt(indexField, v);
        }
    }
}
