package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Derived datatypes, with mpiJava's units: displacements, strides, extents and sizes in elements of the base type
 * (Hvector/Hindexed/Struct too, as the mpiJava 1.2 specification says).
 */
@Timeout(60)
class DatatypeTest {
    @Test
    void boundsAndSizesInBaseElements() throws MPIException {
        Datatype v = Datatype.Vector(3, 2, 5, MPI.DOUBLE);
        assertEquals(6, v.Size());
        assertEquals(12, v.Extent());
        assertEquals(0, v.Lb());
        assertEquals(12, v.Ub());
        Datatype h = Datatype.Hvector(3, 2, 5, MPI.DOUBLE); // stride in base elements: the same as Vector here
        assertEquals(12, h.Extent());
        Datatype hv = Datatype.Hvector(2, 1, 3, Datatype.Contiguous(2, MPI.INT)); // stride 3 ints, not 3 pairs
        assertEquals(5, hv.Extent());
        Datatype vv = Datatype.Vector(2, 1, 3, Datatype.Contiguous(2, MPI.INT));
        assertEquals(8, vv.Extent());
        assertEquals(2, MPI.INT2.Size());
        assertEquals(2, MPI.INT2.Extent());
        assertEquals(1, MPI.INT.Extent());
        Datatype s = Datatype.Struct(new int[]{1, 2, 1}, new int[]{-1, 2, 9}, new Datatype[]{MPI.LB, MPI.INT, MPI.UB});
        assertEquals(-1, s.Lb());
        assertEquals(9, s.Ub());
        assertEquals(10, s.Extent());
        assertEquals(2, s.Size());
        MPIException e = assertThrows(MPIException.class,
                () -> Datatype.Struct(new int[]{1, 1}, new int[]{0, 1}, new Datatype[]{MPI.INT, MPI.DOUBLE}));
        assertEquals("Struct: array_of_types[1]=DOUBLE has another base type than INT: mpiJava structs combine types of one base type",
                e.getMessage());
        e = assertThrows(MPIException.class, () -> Datatype.Vector(-1, 1, 1, MPI.INT));
        assertEquals("Vector: count=-1 out of range [0, 2147483647]", e.getMessage());
        assertEquals(4, MPI.INT.getByteSize());
        assertEquals(8, MPI.DOUBLE2.getByteSize());
    }

    @Test
    void vectorColumnIndexedHindexedAndStructTravel() {
        Ranks.run(2, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            // a 4x5 matrix of ints, row-major: column 2 is a Vector(4, 1, 5)
            Datatype column = Datatype.Vector(4, 1, 5, MPI.INT);
            column.Commit();
            Datatype idx = Datatype.Indexed(new int[]{2, 1}, new int[]{0, 4}, MPI.INT);
            idx.Commit();
            Datatype hidx = Datatype.Hindexed(new int[]{1, 1}, new int[]{3, 1}, MPI.LONG);
            hidx.Commit();
            Datatype st = Datatype.Struct(new int[]{1, 2}, new int[]{0, 3}, new Datatype[]{MPI.DOUBLE, Datatype.Contiguous(1, MPI.DOUBLE)});
            st.Commit();
            if (rank == 0) {
                int[] m = new int[20];
                for (int i = 0; i < 20; i++) m[i] = i;
                w.Send(m, 2, 1, column, 1, 0);                 // 2, 7, 12, 17
                w.Send(m, 0, 2, idx, 1, 1);                    // extent 5: 0,1,4 then 5,6,9
                w.Send(new long[]{10, 11, 12, 13}, 0, 1, hidx, 1, 2); // 13, 11
                w.Send(new double[]{1, 2, 3, 4, 5}, 0, 1, st, 1, 3);  // 1, 4, 5
            } else {
                int[] m = new int[20];
                w.Recv(m, 1, 1, column, 0, 0);
                for (int r = 0; r < 4; r++) assertEquals(2 + 5 * r, m[1 + 5 * r]);
                assertEquals(0, m[2]);
                int[] flat = new int[6];
                Status s = w.Recv(flat, 0, 6, MPI.INT, 0, 1);
                assertArrayEquals(new int[]{0, 1, 4, 5, 6, 9}, flat);
                assertEquals(2, s.Get_count(idx));
                assertEquals(6, s.Get_elements(idx));
                long[] l = new long[2];
                w.Recv(l, 0, 2, MPI.LONG, 0, 2);
                assertArrayEquals(new long[]{13, 11}, l);
                double[] d = new double[5];
                w.Recv(d, 0, 1, st, 0, 3);
                assertArrayEquals(new double[]{1, 0, 0, 4, 5}, d);
            }
            // a struct with markers: lb -1, ints at 2 and 3, ub 9 (extent 10); two elements from offset 1
            Datatype marked = Datatype.Struct(new int[]{1, 2, 1}, new int[]{-1, 2, 9}, new Datatype[]{MPI.LB, MPI.INT, MPI.UB});
            marked.Commit();
            int[] mk = new int[25];
            if (rank == 0) {
                for (int i = 0; i < 25; i++) mk[i] = i;
                w.Send(mk, 1, 2, marked, 1, 4);
            } else {
                int[] four = new int[4];
                w.Recv(four, 0, 4, MPI.INT, 0, 4);
                assertArrayEquals(new int[]{3, 4, 13, 14}, four);
            }
            // a contiguous type over OBJECT, and a vector over OBJECT in a collective
            Datatype opair = Datatype.Contiguous(2, MPI.OBJECT);
            Object[] ob = rank == 0 ? new Object[]{"a", "b", "c", "d"} : new Object[4];
            w.Bcast(ob, 0, 2, opair, 0);
            assertArrayEquals(new Object[]{"a", "b", "c", "d"}, ob);
            Datatype ostride = Datatype.Vector(2, 1, 2, MPI.OBJECT);
            Object[] os = rank == 0 ? new Object[]{"p", "x", "q", "y"} : new Object[4];
            w.Bcast(os, 0, 1, ostride, 0);
            assertEquals("p", os[0]);
            assertEquals("q", os[2]);
            if (rank == 1) assertNull(os[1]);
            // a vector column in collectives: allgather every rank's column r of a 2-column matrix
            Datatype col = Datatype.Vector(3, 1, 2, MPI.DOUBLE);
            col.Commit();
            Datatype resizedCol = Datatype.Struct(new int[]{1, 1}, new int[]{0, 1}, new Datatype[]{col, MPI.UB}); // extent 1: interleave
            double[] mine = {rank, rank, rank};
            double[] all = new double[6];
            w.Allgather(mine, 0, 3, MPI.DOUBLE, all, 0, 1, resizedCol);
            assertArrayEquals(new double[]{0, 1, 0, 1, 0, 1}, all);
        });
    }

    @Test
    void pairTypesAndUserOpSeeWholeElements() {
        Ranks.run(3, (rank, size) -> {
            // the user function gets count in elements of the datatype: LONG2 pairs
            User_function pairMax = new User_function() {
                @Override
                public void Call(Object in, int io, Object inout, int ioo, int count, Datatype type) {
                    assertSame(MPI.LONG2, type);
                    long[] a = (long[]) in, b = (long[]) inout;
                    for (int i = 0; i < count; i++) {
                        if (a[io + 2 * i] > b[ioo + 2 * i]) {
                            b[ioo + 2 * i] = a[io + 2 * i];
                            b[ioo + 2 * i + 1] = a[io + 2 * i + 1];
                        }
                    }
                }
            };
            long[] v = new long[20];
            for (int i = 0; i < 10; i++) {
                v[2 * i] = (rank * 7 + i) % 3;
                v[2 * i + 1] = rank;
            }
            long[] out = new long[20];
            MPI.COMM_WORLD.Allreduce(v, 0, out, 0, 10, MPI.LONG2, new Op(pairMax, true));
            for (int i = 0; i < 10; i++) {
                long best = -1;
                int who = -1;
                for (int r = 0; r < 3; r++) {
                    if ((r * 7 + i) % 3 > best) {
                        best = (r * 7 + i) % 3;
                        who = r;
                    }
                }
                assertEquals(best, out[2 * i]);
                assertEquals(who, out[2 * i + 1]);
            }
        });
    }
}
