package mpi;

/**
 * Records of {@link MPI#FLOAT_INT}: a float value and an int index, for MINLOC and MAXLOC. Obtain views with
 * {@code MPI.floatInt.getData(buffer, i)}; size buffers with {@link #getExtent()}.
 */
public final class FloatInt extends Struct {
    private final int valueField;
    private final int indexField;

    FloatInt() {
        valueField = addFloat();
        indexField = addInt();
    }

    @Override
    protected Data newData() {
        return new Data();
    }

    /** One (float value, int index) record in a buffer. */
    public final class Data extends Struct.Data {
        public float getValue() {
            return getFloat(valueField);
        }

        public int getIndex() {
            return getInt(indexField);
        }

        public void putValue(float v) {
            putFloat(valueField, v);
        }

        public void putIndex(int v) {
            putInt(indexField, v);
        }
    }
}
