package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
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

/** Open MPI's Java API as its javadoc describes it, on world sizes 1 to 8 (ranks are threads of this JVM). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConformanceTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void pointToPointWithArraysBuffersAndRequests(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            assertTrue(MPI.isInitialized());
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank(), next = (me + 1) % n, prev = (me + n - 1) % n;
            // blocking send of an array, receive into a heap buffer slice (offset 2 of the array)
            int[] out = {me, me * 10, me * 100};
            int[] in = new int[5];
            Status s = w.sendRecv(out, 3, MPI.INT, next, 7, MPI.slice(in, 2), 3, MPI.INT, prev, 7);
            assertArrayEquals(new int[]{0, 0, prev, prev * 10, prev * 100}, in);
            assertEquals(prev, s.getSource());
            assertEquals(7, s.getTag());
            assertEquals(3, s.getCount(MPI.INT));
            // non-blocking on direct buffers
            DoubleBuffer rb = MPI.newDoubleBuffer(4), sb = MPI.newDoubleBuffer(4);
            for (int i = 0; i < 4; i++) sb.put(i, me + i / 4.0);
            Request r = w.iRecv(rb, 4, MPI.DOUBLE, prev, 8);
            Request q = w.iSend(sb, 4, MPI.DOUBLE, next, 8);
            Request.waitAll(new Request[]{r, q});
            assertTrue(r.isNull());
            for (int i = 0; i < 4; i++) assertEquals(prev + i / 4.0, rb.get(i));
            // non-blocking calls reject heap buffers, as in Open MPI
            MPIException e = assertThrows(MPIException.class, () -> w.iSend(IntBuffer.wrap(new int[1]), 1, MPI.INT, next, 1));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            assertTrue(e.getMessage().startsWith("iSend: buf must be a direct buffer"), e.getMessage());
            // probe, then receive what it announced
            w.send(new long[]{me, me + 1}, 2, MPI.LONG, next, 9);
            Status p = w.probe(MPI.ANY_SOURCE, 9);
            assertEquals(prev, p.getSource());
            assertEquals(2, p.getCount(MPI.LONG));
            long[] l = new long[2];
            w.recv(l, 2, MPI.LONG, p.getSource(), 9);
            assertArrayEquals(new long[]{prev, prev + 1}, l);
            assertNull(w.iProbe(MPI.ANY_SOURCE, 9));
            // persistent requests, started twice
            IntBuffer pin = MPI.newIntBuffer(1), pout = MPI.newIntBuffer(1);
            Prequest pr = w.recvInit(pin, 1, MPI.INT, prev, 10), ps = w.sendInit(pout, 1, MPI.INT, next, 10);
            for (int round = 0; round < 2; round++) {
                pout.put(0, me * 2 + round);
                Prequest.startAll(new Prequest[]{pr, ps});
                pr.waitFor();
                ps.waitFor();
                assertEquals(prev * 2 + round, pin.get(0));
                assertFalse(pr.isNull());
            }
            // matched probe
            w.send(new byte[]{(byte) me}, 1, MPI.BYTE, next, 11);
            Message m = new Message();
            Status ms = m.mProbe(prev, 11, w);
            assertEquals(1, ms.getCount(MPI.BYTE));
            byte[] b = new byte[1];
            m.mRecv(b, 1, MPI.BYTE);
            assertEquals((byte) prev, b[0]);
            // waitAny / testAll forms
            IntBuffer x = MPI.newIntBuffer(1);
            Request[] rs = {w.iRecv(x, 1, MPI.INT, prev, 12), w.iSend(MPI.newIntBuffer(1), 1, MPI.INT, next, 12)};
            int first = Request.waitAny(rs);
            assertTrue(first == 0 || first == 1);
            Request.waitAll(rs);
            assertTrue(Request.testAll(rs));
            w.barrier();
            MPI.Finalize();
            assertTrue(MPI.isFinalized());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 8})
    void collectives(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            int[] v = {me == 1 % n ? 42 : 0};
            w.bcast(v, 1, MPI.INT, 1 % n);
            assertEquals(42, v[0]);
            double[] sum = new double[2];
            w.allReduce(new double[]{me, 1}, sum, 2, MPI.DOUBLE, MPI.SUM);
            assertArrayEquals(new double[]{n * (n - 1) / 2.0, n}, sum);
            int[] mx = {me};
            w.allReduce(mx, 1, MPI.INT, MPI.MAX);
            assertEquals(n - 1, mx[0]);
            int[] all = new int[n];
            w.allGather(new int[]{me * me}, 1, MPI.INT, all, 1, MPI.INT);
            for (int i = 0; i < n; i++) assertEquals(i * i, all[i]);
            int[] g = new int[n];
            w.gather(new int[]{me + 1}, 1, MPI.INT, g, 1, MPI.INT, 0);
            if (me == 0) for (int i = 0; i < n; i++) assertEquals(i + 1, g[i]);
            int[] piece = new int[1];
            int[] src = new int[n];
            for (int i = 0; i < n; i++) src[i] = 100 + i;
            w.scatter(src, 1, MPI.INT, piece, 1, MPI.INT, 0);
            assertEquals(100 + me, piece[0]);
            long[] sc = new long[1];
            w.scan(new long[]{me + 1}, sc, 1, MPI.LONG, MPI.SUM);
            assertEquals((me + 1) * (me + 2) / 2, sc[0]);
            long[] ex = {-1};
            w.exScan(new long[]{me + 1}, ex, 1, MPI.LONG, MPI.SUM);
            if (me > 0) assertEquals(me * (me + 1) / 2, ex[0]);
            int[] a2a = new int[n], got = new int[n];
            for (int i = 0; i < n; i++) a2a[i] = me * 100 + i;
            w.allToAll(a2a, 1, MPI.INT, got, 1, MPI.INT);
            for (int i = 0; i < n; i++) assertEquals(i * 100 + me, got[i]);
            int[] blocks = new int[n];
            java.util.Arrays.fill(blocks, 1);
            int[] rs = new int[1];
            w.reduceScatterBlock(blocks, rs, 1, MPI.INT, MPI.SUM);
            assertEquals(n, rs[0]);
            int[] red = new int[1];
            w.reduce(new int[]{me}, red, 1, MPI.INT, MPI.SUM, n - 1);
            if (me == n - 1) assertEquals(n * (n - 1) / 2, red[0]);
            // gatherv with varying counts: rank i sends i+1 elements
            int total = n * (n + 1) / 2;
            int[] counts = new int[n], displs = new int[n];
            for (int i = 0, d = 0; i < n; d += ++i) {
                counts[i] = i + 1;
                displs[i] = d;
            }
            int[] mine = new int[me + 1];
            java.util.Arrays.fill(mine, me);
            int[] gv = new int[total];
            w.allGatherv(mine, me + 1, MPI.INT, gv, counts, displs, MPI.INT);
            for (int i = 0; i < n; i++) for (int k = 0; k < counts[i]; k++) assertEquals(i, gv[displs[i] + k]);
            // non-blocking collective on direct buffers
            IntBuffer ib = MPI.newIntBuffer(1), ob = MPI.newIntBuffer(1);
            ib.put(0, 1);
            w.iAllReduce(ib, ob, 1, MPI.INT, MPI.SUM).waitFor();
            assertEquals(n, ob.get(0));
            MPI.Finalize();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void minlocMaxlocOnPairTypesAndUserFunctions(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            // two DOUBLE_INT records: value (me - 1)^2 has its minimum at rank 1 (or 0), its maximum at the last rank
            int ext = MPI.doubleInt.getExtent();
            ByteBuffer in = MPI.newByteBuffer(2 * ext), out = MPI.newByteBuffer(2 * ext);
            DoubleInt.Data d0 = MPI.doubleInt.getData(in, 0), d1 = MPI.doubleInt.getData(in, 1);
            d0.putValue((me - 1) * (me - 1));
            d0.putIndex(me);
            d1.putValue(5.0);
            d1.putIndex(me);
            w.allReduce(in, out, 2, MPI.DOUBLE_INT, MPI.MINLOC);
            DoubleInt.Data r0 = MPI.doubleInt.getData(out, 0), r1 = MPI.doubleInt.getData(out, 1);
            assertEquals(0.0, r0.getValue(), n == 1 ? 1.0 : 0.0);
            assertEquals(n == 1 ? 0 : 1, r0.getIndex());
            assertEquals(5.0, r1.getValue());
            assertEquals(0, r1.getIndex(), "equal values: the smaller index");
            ByteBuffer i2 = MPI.newByteBuffer(MPI.int2.getExtent()), o2 = MPI.newByteBuffer(MPI.int2.getExtent());
            Int2.Data p = MPI.int2.getData(i2);
            p.putValue(me * 3 % 7);
            p.putIndex(me);
            w.allReduce(i2, o2, 1, MPI.INT2, MPI.MAXLOC);
            int best = 0;
            for (int r = 0; r < n; r++) if (r * 3 % 7 > best * 3 % 7) best = r;
            Int2.Data got = MPI.int2.getData(o2);
            assertEquals(best * 3 % 7, got.getValue());
            assertEquals(best, got.getIndex());
            MPIException e = assertThrows(MPIException.class, () -> w.allReduce(i2, o2, 1, MPI.INT2, MPI.SUM));
            assertEquals(MPI.ERR_OP, e.getErrorClass());
            // a non-commutative user function: affine maps (a, b): x -> a x + b composed in rank order, one item = 2 longs
            Datatype affine = Datatype.createContiguous(2, MPI.LONG);
            affine.commit();
            Op concat = new Op(new UserFunction() {
                @Override
                public void call(Object inVec, Object inOutVec, int count, Datatype datatype) {
                    long[] x = (long[]) inVec, y = (long[]) inOutVec;
                    for (int i = 0; i < 2 * count; i += 2) {
                        long a = x[i] * y[i], b = x[i + 1] * y[i] + y[i + 1];
                        y[i] = a;
                        y[i + 1] = b;
                    }
                }
            }, false);
            long[] res = new long[2];
            w.allReduce(new long[]{me + 2, me}, res, 1, affine, concat);
            long ea = 2, eb = 0;
            for (int r = 1; r < n; r++) {
                eb = eb * (r + 2) + r;
                ea = ea * (r + 2);
            }
            assertArrayEquals(new long[]{ea, eb}, res);
            assertFalse(concat.isCommutative());
            MPI.Finalize();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 6})
    void datatypesCommunicatorsTopologiesAndGroups(int n) {
        Ranks.run(n, () -> {
            MPI.Init(new String[0]);
            Intracomm w = MPI.COMM_WORLD;
            int me = w.getRank();
            // a column of a 3x4 row-major matrix as a vector type
            Datatype col = Datatype.createVector(3, 1, 4, MPI.DOUBLE);
            col.commit();
            assertEquals(9, col.getExtent());
            assertEquals(3, col.getSize());
            double[] m = new double[12];
            if (me == 0) {
                for (int i = 0; i < 12; i++) m[i] = i;
                w.send(MPI.slice(m, 1), 1, col, 1, 3);
            } else if (me == 1) {
                double[] c = new double[3];
                Status s = w.recv(c, 3, MPI.DOUBLE, 0, 3);
                assertArrayEquals(new double[]{1, 5, 9}, c);
                assertEquals(3, s.getElements(MPI.DOUBLE));
            }
            Datatype unc = Datatype.createContiguous(2, MPI.INT);
            MPIException e = assertThrows(MPIException.class, () -> w.send(new int[2], 1, unc, 0, 0));
            assertTrue(e.getMessage().contains("not committed"), e.getMessage());
            // pack and unpack
            byte[] packed = new byte[w.packSize(2, MPI.INT) + w.packSize(1, MPI.DOUBLE)];
            int pos = w.pack(new int[]{7, 8}, 2, MPI.INT, packed, 0);
            pos = w.pack(new double[]{2.5}, 1, MPI.DOUBLE, packed, pos);
            int[] ui = new int[2];
            double[] ud = new double[1];
            pos = w.unpack(packed, 0, ui, 2, MPI.INT);
            w.unpack(packed, pos, ud, 1, MPI.DOUBLE);
            assertArrayEquals(new int[]{7, 8}, ui);
            assertEquals(2.5, ud[0]);
            // split into even and odd ranks
            Intracomm half = w.split(me % 2, me);
            assertEquals((n + 1 - me % 2) / 2, half.getSize());
            assertEquals(me / 2, half.getRank());
            assertEquals(MPI.UNEQUAL, Comm.compare(w, half));
            Intracomm dup = w.dup();
            assertEquals(MPI.CONGRUENT, Comm.compare(w, dup));
            dup.free();
            assertTrue(dup.isNull());
            // a periodic ring as a Cartesian topology
            CartComm ring = w.createCart(new int[]{n}, new boolean[]{true}, false);
            assertEquals(MPI.CART, ring.getTopology());
            ShiftParms sp = ring.shift(0, 1);
            assertEquals((me + n - 1) % n, sp.getRankSource());
            assertEquals((me + 1) % n, sp.getRankDest());
            CartParms cp = ring.getTopo();
            assertEquals(1, cp.getDimCount());
            assertEquals(n, cp.getDim(0));
            assertEquals(me, cp.getCoord(0));
            int[] dims = new int[2];
            CartComm.createDims(n, dims);
            assertEquals(n, dims[0] * dims[1]);
            // a distributed graph: each rank points to the next
            GraphComm dg = w.createDistGraphAdjacent(new int[]{(me + n - 1) % n}, new int[]{(me + 1) % n}, MPI.INFO_NULL, false);
            DistGraphNeighbors nb = dg.getDistGraphNeighbors();
            assertEquals(1, nb.getSourceNum());
            assertEquals((me + n - 1) % n, nb.getSource(0));
            assertEquals((me + 1) % n, nb.getDestination(0));
            // groups
            Group g = w.getGroup();
            Group ends = g.incl(new int[]{0, n - 1});
            assertEquals(me == 0 ? 0 : me == n - 1 ? 1 : MPI.UNDEFINED, ends.getRank());
            assertArrayEquals(new int[]{0, 1}, Group.translateRanks(g, new int[]{0, n - 1}, ends));
            assertEquals(n > 2 ? MPI.UNDEFINED : 1, Group.translateRanks(g, new int[]{1}, ends)[0]);
            assertEquals(MPI.IDENT, Group.compare(g, w.getGroup()));
            Intracomm sub = w.create(ends);
            assertEquals(me != 0 && me != n - 1, sub.isNull(), "outside the group: a null communicator, as in Open MPI");
            Info info = new Info();
            info.set("k", "v");
            assertEquals("v", info.get("k"));
            assertEquals(1, info.size());
            int key = Comm.createKeyval();
            w.setAttr(key, "hello");
            assertEquals("hello", w.getAttr(key));
            assertEquals(Integer.MAX_VALUE, w.getAttr(MPI.TAG_UB));
            MPI.Finalize();
        });
    }

    @Test
    void initTwiceAndBufferedSendsAndErrorsAreMpiExceptions() {
        Ranks.run(2, () -> {
            MPI.Init(new String[0]);
            MPIException e = assertThrows(MPIException.class, () -> MPI.Init(new String[0]));
            assertEquals("Init: MPI is already initialized", e.getMessage());
            assertEquals(MPI.THREAD_MULTIPLE, MPI.queryThread());
            int me = MPI.COMM_WORLD.getRank();
            MPI.attachBuffer(new byte[1024]);
            MPI.COMM_WORLD.bSend(new int[]{me}, 1, MPI.INT, 1 - me, 4);
            int[] r = new int[1];
            MPI.COMM_WORLD.recv(r, 1, MPI.INT, 1 - me, 4);
            assertEquals(1 - me, r[0]);
            assertEquals(1024, MPI.detachBuffer().length);
            assertTrue(MPI.wtime() > 0 && MPI.wtick() > 0);
            e = assertThrows(MPIException.class, () -> MPI.COMM_WORLD.send(new int[1], 2, MPI.INT, 1 - me, 0));
            assertEquals(MPI.ERR_BUFFER, e.getErrorClass());
            assertEquals(3, MPI.getVersion().getVersion());
            MPI.Finalize();
        });
    }
}
