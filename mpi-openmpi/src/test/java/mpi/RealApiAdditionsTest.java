package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The members that the check against Open MPI's real mpi.jar ({@link ApiSignatureTest}) found missing, now added:
 * in-place and non-blocking vector forms, neighbourhood collectives, alltoallw, iDup, splitType, the dynamic-process
 * refusals, datatype attributes, status setters, Struct's nested fields, complex numbers, and the raw ByteBuffer path.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RealApiAdditionsTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5})
    void inPlaceAndNonBlockingVectorForms(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            int[] counts = new int[n], displs = new int[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                counts[i] = i + 1;
                displs[i] = total;
                total += i + 1;
            }
            // gatherv: root in place, the others send only
            int[] all = new int[total];
            if (me == 0) {
                all[0] = 100;
                w.gatherv(all, counts, displs, MPI.INT, 0);
                for (int i = 0; i < n; i++) for (int k = 0; k < counts[i]; k++) assertEquals(100 + i, all[displs[i] + k]);
            } else {
                int[] mine = new int[counts[me]];
                java.util.Arrays.fill(mine, 100 + me);
                w.gatherv(mine, counts[me], MPI.INT, 0);
            }
            // scatterv back: root in place, the others receive only
            int[] got = new int[counts[me]];
            if (me == 0) w.scatterv(all, counts, displs, MPI.INT, 0);
            else w.scatterv(got, counts[me], MPI.INT, 0);
            if (me != 0) for (int v : got) assertEquals(100 + me, v);
            // allGatherv in place
            int[] everyone = new int[total];
            for (int k = 0; k < counts[me]; k++) everyone[displs[me] + k] = me;
            w.allGatherv(everyone, counts, displs, MPI.INT);
            for (int i = 0; i < n; i++) assertEquals(i, everyone[displs[i] + counts[i] - 1]);
            // iGatherv and iAllToAllv on direct buffers
            IntBuffer send = MPI.newIntBuffer(counts[me]), recv = MPI.newIntBuffer(total);
            for (int k = 0; k < counts[me]; k++) send.put(k, me * 10);
            w.iGatherv(send, counts[me], MPI.INT, recv, counts, displs, MPI.INT, n - 1).waitFor();
            if (me == n - 1) for (int i = 0; i < n; i++) assertEquals(i * 10, recv.get(displs[i]));
            IntBuffer a2a = MPI.newIntBuffer(n), back = MPI.newIntBuffer(n);
            int[] ones = new int[n], idx = new int[n];
            for (int i = 0; i < n; i++) {
                ones[i] = 1;
                idx[i] = i;
                a2a.put(i, me * 100 + i);
            }
            w.iAllToAllv(a2a, ones, idx, MPI.INT, back, ones, idx, MPI.INT).waitFor();
            for (int i = 0; i < n; i++) assertEquals(i * 100 + me, back.get(i));
            // in-place non-blocking reductions and reduce-scatter
            DoubleBuffer d = MPI.newDoubleBuffer(n);
            for (int i = 0; i < n; i++) d.put(i, me + i);
            w.iAllReduce(d, n, MPI.DOUBLE, MPI.SUM).waitFor();
            assertEquals(n * (n - 1) / 2.0, d.get(0));
            int[] block = new int[n];
            java.util.Arrays.fill(block, 1);
            w.reduceScatterBlock(block, 1, MPI.INT, MPI.SUM);
            assertEquals(n, block[0]);
            IntBuffer sc = MPI.newIntBuffer(1);
            sc.put(0, me + 1);
            w.iScan(sc, 1, MPI.INT, MPI.SUM).waitFor();
            assertEquals((me + 1) * (me + 2) / 2, sc.get(0));
            MPI.Finalize();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void neighbourhoodAllToAllwIDupAndSplitType(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            CartComm ring = w.createCart(new int[]{n}, new boolean[]{true}, false);
            int[] fromNeighbours = new int[2];
            ring.neighborAllGather(new int[]{me}, 1, MPI.INT, fromNeighbours, 1, MPI.INT);
            assertArrayEquals(new int[]{(me + n - 1) % n, (me + 1) % n}, fromNeighbours);
            IntBuffer out = MPI.newIntBuffer(2), in = MPI.newIntBuffer(2);
            out.put(0, -me).put(1, me);
            ring.iNeighborAllToAll(out, 1, MPI.INT, in, 1, MPI.INT).waitFor();
            assertEquals((me + n - 1) % n, in.get(0)); // the left neighbour's "to the right" entry
            // alltoallw: one int to each rank at byte displacement 4 i
            IntBuffer s = MPI.newIntBuffer(n), r = MPI.newIntBuffer(n);
            int[] one = new int[n], bytes = new int[n];
            Datatype[] ints = new Datatype[n];
            for (int i = 0; i < n; i++) {
                s.put(i, me * n + i);
                one[i] = 1;
                bytes[i] = 4 * i;
                ints[i] = MPI.INT;
            }
            w.allToAllw(s, one, bytes, ints, r, one, bytes, ints);
            for (int i = 0; i < n; i++) assertEquals(i * n + me, r.get(i));
            // iDup: usable after its request completes
            Intracomm copy = w.iDup();
            assertNotNull(copy.getRequest());
            copy.getRequest().waitFor();
            assertEquals(MPI.CONGRUENT, Comm.compare(w, copy));
            assertNull(w.getRequest());
            // splitType: every thread rank is on this host
            Intracomm host = w.splitType(Comm.TYPE_SHARED, n - me, MPI.INFO_NULL);
            assertEquals(n, host.getSize());
            assertEquals(n - 1 - me, host.getRank());
            assertTrue(w.splitType(MPI.UNDEFINED, 0, MPI.INFO_NULL).isNull());
            // no spawned parent; spawn and ports are refused clearly
            assertTrue(Intercomm.getParent().isNull());
            MPIException e = assertThrows(MPIException.class, () -> w.spawn("java", new String[0], 1, MPI.INFO_NULL, 0, null));
            assertEquals(MPI.ERR_UNSUPPORTED_OPERATION, e.getErrorClass());
            assertThrows(MPIException.class, Intracomm::openPort);
            // REPLACE belongs to one-sided accumulate, not to reductions
            e = assertThrows(MPIException.class, () -> w.allReduce(new int[1], 1, MPI.INT, MPI.REPLACE));
            assertEquals(MPI.ERR_OP, e.getErrorClass());
            host.free();
            copy.free();
            ring.free();
            MPI.Finalize();
        });
    }

    /** A record holding two ints and a nested pair record. */
    static final class Outer extends Struct {
        static final Inner INNER = new Inner();
        final int a = addInt(), inner = addStructUnchecked(INNER), b = addInt();

        private int addStructUnchecked(Struct s) {
            try {
                return addStruct(s);
            } catch (MPIException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected Data newData() {
            return new Data();
        }

        final class Data extends Struct.Data {
            Inner.Data inner() {
                return getData(INNER, inner);
            }

            void set(int x, int y) {
                putInt(a, x);
                putInt(b, y);
            }

            int sum() {
                return getInt(a) + getInt(b);
            }
        }
    }

    static final class Inner extends Struct {
        final int v = addDouble();

        @Override
        protected Data newData() {
            return new Data();
        }

        final class Data extends Struct.Data {
            double v() {
                return getDouble(v);
            }

            void v(double x) {
                putDouble(v, x);
            }
        }
    }

    @Test
    void nestedStructsComplexNumbersAttributesAndStatusSetters() {
        Ranks.run(2, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            Outer o = new Outer();
            ByteBuffer buf = MPI.newByteBuffer(o.getExtent() * 2);
            if (w.getRank() == 0) {
                for (int i = 0; i < 2; i++) {
                    Outer.Data d = o.getData(buf, i);
                    d.set(i, 10 * i);
                    d.inner().v(i + 0.5);
                }
                w.send(buf, 2, o.getType(), 1, 3);
            } else {
                w.recv(buf, 2, o.getType(), 0, 3);
                Outer.Data d = o.getData(buf, 1);
                assertEquals(11, d.sum());
                assertEquals(1.5, d.inner().v());
            }
            // complex numbers over MPI.DOUBLE_COMPLEX: SUM is element-wise
            double[] z = {w.getRank(), 1};
            w.allReduce(z, 1, MPI.DOUBLE_COMPLEX, MPI.SUM);
            DoubleComplex c = DoubleComplex.get(z);
            assertEquals(1.0, c.getReal());
            assertEquals(2.0, c.getImag());
            assertEquals(2, MPI.DOUBLE_COMPLEX.getSize());
            // datatype attributes
            int key = Datatype.createKeyval();
            Datatype t = MPI.INT.clone();
            t.setAttr(key, "tag");
            assertEquals("tag", t.getAttr(key));
            t.deleteAttr(key);
            assertNull(t.getAttr(key));
            Datatype.freeKeyval(key);
            assertEquals(MPI.ERR_KEYVAL, assertThrows(MPIException.class, () -> t.getAttr(key)).getErrorClass());
            // status setters on a status of this rank's own
            Status s = w.sendRecv(new int[2], 2, MPI.INT, w.getRank(), 4, new int[2], 2, MPI.INT, w.getRank(), 4);
            s.setElements(MPI.INT, 5);
            assertEquals(5, s.getElements(MPI.INT));
            s.setCancelled(true);
            assertTrue(s.isCancelled());
            assertFalse(Request.waitAnyStatus(new Request[]{MPI.REQUEST_NULL}).isCancelled());
            MPI.Finalize();
        });
    }

    @Test
    void byteBuffersUnderTypedDatatypesKeepTheirByteOrder() {
        Ranks.run(2, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            // a little-endian direct buffer goes to jmpi as raw bytes; a big-endian heap buffer is converted
            for (ByteOrder order : new ByteOrder[]{ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
                ByteBuffer b = (order == ByteOrder.LITTLE_ENDIAN ? ByteBuffer.allocateDirect(12) : ByteBuffer.allocate(12)).order(order);
                if (w.getRank() == 0) {
                    b.putInt(0, 7).putInt(4, -8).putInt(8, 1 << 20);
                    w.send(b, 3, MPI.INT, 1, 5);
                } else {
                    int[] ints = new int[3];
                    w.recv(ints, 3, MPI.INT, 0, 5);
                    assertArrayEquals(new int[]{7, -8, 1 << 20}, ints, order.toString());
                }
            }
            // under MPI.BYTE a ByteBuffer goes to jmpi as it is (no copy), and meets byte arrays on the other side
            ByteBuffer bytes = MPI.newByteBuffer(5);
            byte[] arr = new byte[5];
            if (w.getRank() == 0) {
                for (int i = 0; i < 5; i++) bytes.put(i, (byte) (i + 1));
                w.send(bytes, 4, MPI.BYTE, 1, 6);
                Status st = w.recv(bytes, 5, MPI.BYTE, 1, 7);
                assertEquals(3, st.getCount(MPI.BYTE));
                assertEquals(9, bytes.get(2));
                assertEquals(4, bytes.get(3)); // beyond the 3 received bytes: unchanged
            } else {
                Status st = w.recv(arr, 5, MPI.BYTE, 0, 6);
                assertEquals(4, st.getCount(MPI.BYTE));
                assertArrayEquals(new byte[]{1, 2, 3, 4, 0}, arr);
                w.send(new byte[]{7, 8, 9}, 3, MPI.BYTE, 0, 7);
            }
            MPIException e = assertThrows(MPIException.class, () -> w.send(MPI.newByteBuffer(4), 2, MPI.INT, 0, 1));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            MPI.Finalize();
        });
    }
}
