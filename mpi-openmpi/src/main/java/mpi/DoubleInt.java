package mpi;

/**
 * Records of {@link MPI#DOUBLE_INT}: a double value and an int index, for MINLOC and MAXLOC. Obtain views with
 * {@code MPI.doubleInt.getData(buffer, i)}; size buffers with {@link #getExtent()}.
 */
public final class DoubleInt extends Struct {
    private final int valueField;
    private final int indexField;

    DoubleInt() {
        valueField = addDouble();
        indexField = addInt();
    }

    @Override
    protected Data newData() {
        return new Data();
    }

    /** One (double value, int index) record in a buffer. */
    public final class Data extends Struct.Data {
        public double getValue() {
            return getDouble(valueField);
        }

        public int getIndex() {
            return getInt(indexField);
        }

        public void putValue(double v) {
            putDouble(valueField, v);
        }

        public void putIndex(int v) {
            putInt(indexField, v);
        }
    }
}
