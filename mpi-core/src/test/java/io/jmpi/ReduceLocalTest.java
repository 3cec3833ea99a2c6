package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code Op.reduceLocal} (MPI_Reduce_local): built-in and user operations, and bad arguments. */
class ReduceLocalTest {
    @Test
    void builtInAndUserOperationsCombineInIntoInout() {
        double[] d = {1, 2, 3};
        Op.SUM.reduceLocal(new double[]{10, 20, 30}, d);
        assertArrayEquals(new double[]{11, 22, 33}, d);
        long[] l = {5, -1};
        Op.MAX.reduceLocal(new long[]{3, 7}, l);
        assertArrayEquals(new long[]{5, 7}, l);
        int[] i = {6, 3};
        Op.BAND.reduceLocal(new int[]{3, 5}, i);
        assertArrayEquals(new int[]{2, 1}, i);
        double[] u = {2, 3};
        Op.of((java.util.function.DoubleBinaryOperator) (a, b) -> a * 10 + b, false).reduceLocal(new double[]{1, 4}, u);
        assertArrayEquals(new double[]{12, 43}, u, "in is the left operand, inout the right");
    }

    @Test
    void badArgumentsNameTheCallAndTheValues() {
        MpiException e = assertThrows(MpiException.class, () -> Op.SUM.reduceLocal(new double[3], new double[2]));
        assertEquals("reduceLocal: in.length=3 differs from inout.length=2", e.getMessage());
        e = assertThrows(MpiException.class, () -> Op.SUM.reduceLocal((double[]) null, new double[2]));
        assertEquals("reduceLocal: in is null", e.getMessage());
        e = assertThrows(MpiException.class, () -> Op.BAND.reduceLocal(new double[1], new double[1]));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertEquals("reduceLocal: op BAND does not apply to double elements", e.getMessage());
    }
}
