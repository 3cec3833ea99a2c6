package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bad arguments fail before anything is sent, with messages naming the call, argument, value and range; ranks
 * that pass different counts get an error naming the collective (never a silently wrong result); with
 * {@code collCheck=on} different roots are an error on every rank.
 */
@Timeout(60)
class CollErrorsTest {
    static void fails(ErrorClass cls, String message, Executable call) {
        MpiException e = assertThrows(MpiException.class, call);
        assertEquals(message, e.getMessage());
        assertEquals(cls, e.errorClass());
    }

    @Test
    void badArgumentsNameCallArgumentValueAndRange() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            boolean root = w.rank() == 0;
            fails(ErrorClass.ARG, "bcast: root=5 out of range [0, 4)", () -> w.bcast(new int[1], 5));
            fails(ErrorClass.ARG, "ireduce: root=-1 out of range [0, 4)", () -> w.ireduce(new int[1], new int[1], Op.SUM, -1));
            fails(ErrorClass.BUFFER, "bcast: buf is null", () -> w.bcast((int[]) null, 0));
            fails(ErrorClass.BUFFER, "bcast: offset=2 + count=9 exceeds buf length 10", () -> w.bcast(new int[10], 2, 9, 0));
            fails(ErrorClass.ARG, "bcast: count=-1 out of range [0, 8]", () -> w.bcast(new int[10], 2, -1, 0));
            fails(ErrorClass.ARG, "allreduce: op BAND does not apply to double elements",
                    () -> w.allreduce(new double[2], new double[2], Op.BAND));
            fails(ErrorClass.ARG, "scan: op SUM does not apply to boolean elements", () -> w.scan(new boolean[2], Op.SUM));
            fails(ErrorClass.ARG, "allreduce: op USER(double) does not apply to int elements",
                    () -> w.allreduce(new int[2], Op.of((double a, double b) -> a + b, true)));
            fails(ErrorClass.ARG, "allreduce: op MINLOC needs (value, index) pairs: count=3 is odd",
                    () -> w.allreduce(new int[3], new int[3], Op.MINLOC));
            fails(ErrorClass.ARG, "reduceScatter: op MAXLOC needs (value, index) pairs: recvCounts[1]=1 is odd",
                    () -> w.reduceScatter(new long[6], new long[2], new int[]{2, 1, 2, 1}, Op.MAXLOC));
            fails(ErrorClass.ARG, "allreduce: op is null", () -> w.allreduce(new int[2], null));
            fails(ErrorClass.ARG, "Op.of: function is null", () -> Op.ofInt(null, true));
            fails(ErrorClass.BUFFER, "alltoall: send length 10 is not a multiple of the communicator size 4",
                    () -> w.alltoall(new int[10], new int[12]));
            fails(ErrorClass.BUFFER, "allgather: recvOffset=1 + 4 blocks of count=3 exceeds recv length 12",
                    () -> w.allgather(new int[3], 0, 3, new int[12], 1));
            if (root) {
                fails(ErrorClass.BUFFER, "gather: recvOffset=0 + 4 blocks of count=3 exceeds recv length 10",
                        () -> w.gather(new int[3], new int[10], 0));
                fails(ErrorClass.ARG, "gatherv: recvCounts.length=3 differs from the communicator size 4",
                        () -> w.gatherv(new int[1], new int[10], new int[]{1, 1, 1}, new int[]{0, 1, 2}, 0));
                fails(ErrorClass.BUFFER, "gatherv: displs[2]=8 + recvCounts[2]=5 exceeds recv length 10",
                        () -> w.gatherv(new int[1], new int[10], new int[]{1, 1, 5, 1}, new int[]{0, 1, 8, 2}, 0));
                fails(ErrorClass.ARG, "gatherv: recvCounts[3]=-2 out of range [0, 10]",
                        () -> w.gatherv(new int[1], new int[10], new int[]{1, 1, 5, -2}, new int[]{0, 1, 8, 2}, 0));
                fails(ErrorClass.ARG, "gatherv: sendCount=2 differs from recvCounts[0]=1 (this rank's own block)",
                        () -> w.gatherv(new int[2], new int[10], new int[]{1, 1, 1, 1}, new int[]{0, 1, 2, 3}, 0));
                fails(ErrorClass.ARG, "scatterObject: objs.size()=3 differs from the communicator size 4",
                        () -> w.scatterObject(List.of(1, 2, 3), 0));
            }
            fails(ErrorClass.ARG, "allgatherv: sendCount=3 differs from recvCounts[" + w.rank() + "]=2 (this rank's own block)",
                    () -> w.allgatherv(new int[3], new int[8], new int[]{2, 2, 2, 2}, new int[]{0, 2, 4, 6}));
            fails(ErrorClass.BUFFER, "bcast: buf is a read-only ByteBuffer",
                    () -> w.bcast(ByteBuffer.allocate(4).asReadOnlyBuffer(), root ? 1 : 0));
            Comm d = w.dup();
            d.free();
            fails(ErrorClass.STATE, "split: communicator WORLD.dup has been freed", () -> d.split(0, 0));
            fails(ErrorClass.STATE, "iallreduce: communicator WORLD.dup has been freed", () -> d.iallreduce(new int[1], Op.SUM));
            // after all these, the communicator still works
            int[] s = new int[1];
            w.allreduce(new int[]{1}, s, Op.SUM);
            assertEquals(4, s[0]);
        });
    }

    @Test
    void differentCountsAreAnErrorNamingTheCollective() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            // the receiver's buffer is too small: truncation at the receiver
            if (me == 0) {
                w.bcast(new int[4], 0);
            } else {
                MpiException e = assertThrows(MpiException.class, () -> w.bcast(new int[3], 0));
                assertEquals(ErrorClass.TRUNCATE, e.errorClass());
                assertTrue(e.getMessage().startsWith("bcast: message truncated: 4 elements (16 bytes) from rank 0 tag "), e.getMessage());
                assertTrue(e.getMessage().endsWith("(did the ranks pass different counts, types or roots to bcast?)"), e.getMessage());
            }
            // the receiver's buffer is too large: fewer elements than expected
            if (me == 0) {
                w.bcast(new int[4], 0);
            } else {
                fails(ErrorClass.COLLECTIVE, "bcast: rank 0 sent 4 elements where rank 1 expected 5 (did the ranks pass "
                        + "different counts or roots to bcast?)", () -> w.bcast(new int[5], 0));
            }
            // both sides of an exchange notice
            MpiException e = assertThrows(MpiException.class, () -> w.allreduce(new double[2 + me], Op.SUM));
            assertTrue(e.getMessage().startsWith("allreduce: "), e.getMessage());
            assertEquals(me == 0 ? ErrorClass.TRUNCATE : ErrorClass.COLLECTIVE, e.errorClass());
            // different element types
            if (me == 0) {
                w.bcast(new long[2], 0);
            } else {
                MpiException t = assertThrows(MpiException.class, () -> w.bcast(new double[2], 0));
                assertEquals(ErrorClass.TYPE, t.errorClass());
            }
            // and the communicator is still usable afterwards
            w.barrier();
            int[] x = {me == 1 ? 9 : 0};
            w.bcast(x, 1);
            assertEquals(9, x[0]);
        });
    }

    @Test
    void collCheckMakesDifferentRootsAnErrorOnEveryRank() {
        String old = System.setProperty("jmpi.collCheck", "on");
        try {
            Mpi.runThreads(3, mpi -> {
                Comm w = mpi.world();
                int me = w.rank();
                int root = me == 2 ? 1 : 0;
                fails(ErrorClass.COLLECTIVE, "bcast: collective check failed: root=" + root + " here, but the ranks passed roots from 0 to 1",
                        () -> w.bcast(new int[1], root));
                fails(ErrorClass.COLLECTIVE, "allreduce: collective check failed: count=" + (1 + me % 2)
                        + " here, but the ranks passed counts from 1 to 2", () -> w.allreduce(new int[1 + me % 2], Op.SUM));
                if (me == 0) {
                    fails(ErrorClass.COLLECTIVE, "barrier: collective check failed: the ranks called different collectives (barrier here)",
                            w::barrier);
                } else {
                    assertThrows(MpiException.class, () -> w.allreduce(new int[1], Op.SUM));
                }
                int[] s = new int[1];
                w.allreduce(new int[]{1}, s, Op.SUM);
                assertEquals(3, s[0]);
            });
        } finally {
            if (old == null) System.clearProperty("jmpi.collCheck");
            else System.setProperty("jmpi.collCheck", old);
        }
    }
}
