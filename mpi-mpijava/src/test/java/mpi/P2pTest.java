package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

/** Point-to-point of the mpiJava API: every send mode, blocking, non-blocking and persistent, on primitive and OBJECT buffers. */
@Timeout(60)
class P2pTest {
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void everySendModeOnIntsAndObjects(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            MPI.Buffer_attach(ByteBuffer.allocate(1 << 16));
            if (rank == 0) {
                for (int dest = 1; dest < size; dest++) {
                    int[] d = {dest, 10 * dest, -1};
                    w.Send(d, 0, 2, MPI.INT, dest, 1);
                    w.Ssend(d, 0, 2, MPI.INT, dest, 2);
                    w.Bsend(d, 0, 2, MPI.INT, dest, 3);
                    w.Isend(d, 0, 2, MPI.INT, dest, 4).Wait();
                    w.Issend(d, 0, 2, MPI.INT, dest, 5).Wait();
                    w.Ibsend(d, 0, 2, MPI.INT, dest, 6).Wait();
                    Object[] o = {"x" + dest, dest, null};
                    w.Send(o, 0, 2, MPI.OBJECT, dest, 11);
                    w.Ssend(o, 0, 2, MPI.OBJECT, dest, 12);
                    w.Bsend(o, 0, 2, MPI.OBJECT, dest, 13);
                    w.Isend(o, 0, 2, MPI.OBJECT, dest, 14).Wait();
                    w.Issend(o, 0, 2, MPI.OBJECT, dest, 15).Wait();
                    w.Ibsend(o, 0, 2, MPI.OBJECT, dest, 16).Wait();
                }
                MPI.COMM_WORLD.Barrier(); // every receiver has posted its ready-mode receives
                for (int dest = 1; dest < size; dest++) {
                    w.Rsend(new int[]{dest, 10 * dest}, 0, 2, MPI.INT, dest, 7);
                    w.Irsend(new int[]{dest, 10 * dest}, 0, 2, MPI.INT, dest, 8).Wait();
                    w.Rsend(new Object[]{"x" + dest, dest}, 0, 2, MPI.OBJECT, dest, 17);
                    w.Irsend(new Object[]{"x" + dest, dest}, 0, 2, MPI.OBJECT, dest, 18).Wait();
                }
            } else {
                for (int tag = 1; tag <= 6; tag++) {
                    int[] got = new int[4];
                    Status s = w.Recv(got, 1, 3, MPI.INT, 0, tag);
                    assertArrayEquals(new int[]{0, rank, 10 * rank, 0}, got, "tag " + tag);
                    assertEquals(2, s.Get_count(MPI.INT));
                    assertEquals(0, s.source);
                    assertEquals(tag, s.tag);
                }
                for (int tag = 11; tag <= 16; tag++) {
                    Object[] got = new Object[3];
                    Status s = w.Recv(got, 1, 2, MPI.OBJECT, MPI.ANY_SOURCE, tag);
                    assertArrayEquals(new Object[]{null, "x" + rank, rank}, got, "tag " + tag);
                    assertEquals(2, s.Get_count(MPI.OBJECT));
                }
                int[] r7 = new int[2], r8 = new int[2];
                Object[] r17 = new Object[2], r18 = new Object[2];
                Request[] rs = {w.Irecv(r7, 0, 2, MPI.INT, 0, 7), w.Irecv(r8, 0, 2, MPI.INT, 0, 8),
                        w.Irecv(r17, 0, 2, MPI.OBJECT, 0, 17), w.Irecv(r18, 0, 2, MPI.OBJECT, 0, 18)};
                MPI.COMM_WORLD.Barrier();
                Status[] st = Request.Waitall(rs);
                assertArrayEquals(new int[]{rank, 10 * rank}, r7);
                assertArrayEquals(new int[]{rank, 10 * rank}, r8);
                assertArrayEquals(new Object[]{"x" + rank, rank}, r17);
                assertArrayEquals(new Object[]{"x" + rank, rank}, r18);
                assertEquals(2, st[3].Get_count(MPI.OBJECT));
                for (Request r : rs) assertTrue(r.Is_null());
            }
            MPI.Buffer_detach();
        });
    }

    @Test
    void persistentRequestsEveryModeWithStartall() {
        Ranks.run(2, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            MPI.Buffer_attach(ByteBuffer.allocate(4096));
            double[] d = new double[4];
            Object[] o = new Object[1];
            if (rank == 0) {
                Prequest[] ps = {w.Send_init(d, 0, 1, MPI.DOUBLE, 1, 1), w.Ssend_init(d, 1, 1, MPI.DOUBLE, 1, 2),
                        w.Bsend_init(d, 2, 1, MPI.DOUBLE, 1, 3), w.Send_init(o, 0, 1, MPI.OBJECT, 1, 5)};
                Prequest ready = w.Rsend_init(d, 3, 1, MPI.DOUBLE, 1, 4);
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < 4; i++) d[i] = round * 10 + i;
                    o[0] = "round" + round;
                    Prequest.Startall(ps);
                    Request.Waitall(ps);
                    w.Barrier(); // the receiver's Recv_init of tag 4 is started
                    ready.Start();
                    ready.Wait();
                    w.Barrier();
                }
            } else {
                Prequest[] ps = new Prequest[5];
                for (int t = 1; t <= 4; t++) ps[t - 1] = w.Recv_init(d, t - 1, 1, MPI.DOUBLE, 0, t);
                ps[4] = w.Recv_init(o, 0, 1, MPI.OBJECT, 0, 5);
                for (int round = 0; round < 3; round++) {
                    Prequest.Startall(ps);
                    w.Barrier();
                    Status[] st = Request.Waitall(ps);
                    for (int i = 0; i < 4; i++) assertEquals(round * 10 + i, d[i]);
                    assertEquals("round" + round, o[0]);
                    assertEquals(1, st[4].Get_count(MPI.OBJECT));
                    assertTrue(ps[0].Is_null(), "inactive after completion");
                    w.Barrier();
                }
            }
            MPI.Buffer_detach();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 8})
    void sendrecvRingAndReplace(int n) {
        Ranks.run(n, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int right = (rank + 1) % size, left = (rank + size - 1) % size;
            long[] out = {rank}, in = new long[1];
            Status s = w.Sendrecv(out, 0, 1, MPI.LONG, right, 3, in, 0, 1, MPI.LONG, left, 3);
            assertEquals(left, in[0]);
            assertEquals(left, s.source);
            Object[] token = {"t" + rank};
            w.Sendrecv_replace(token, 0, 1, MPI.OBJECT, right, 4, left, 4);
            assertEquals("t" + left, token[0]);
            char[] cs = {'a', (char) ('a' + rank)};
            w.Sendrecv_replace(cs, 1, 1, MPI.CHAR, right, 5, left, 5);
            assertEquals((char) ('a' + left), cs[1]);
        });
    }

    @Test
    void probeIprobeAndStatusCounts() {
        Ranks.run(2, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            if (rank == 0) {
                assertNull(w.Iprobe(1, 99), "nothing sent with tag 99");
                w.Send(new short[]{1, 2, 3, 4, 5}, 0, 5, MPI.SHORT, 1, 9);
                w.Barrier();
            } else {
                Status p = w.Probe(0, MPI.ANY_TAG);
                assertEquals(9, p.tag);
                assertEquals(5, p.Get_count(MPI.SHORT));
                assertEquals(10, p.countInBytes);
                assertEquals(MPI.UNDEFINED, p.Get_count(MPI.SHORT2), "5 shorts are no whole number of pairs");
                assertEquals(5, p.Get_elements(MPI.SHORT2));
                assertNotNull(w.Iprobe(MPI.ANY_SOURCE, 9));
                short[] got = new short[5];
                w.Recv(got, 0, 5, MPI.SHORT, 0, 9);
                assertArrayEquals(new short[]{1, 2, 3, 4, 5}, got);
                w.Barrier();
            }
            Status pn = w.Recv(new int[1], 0, 1, MPI.INT, MPI.PROC_NULL, 0);
            assertEquals(MPI.PROC_NULL, pn.source);
            assertEquals(0, pn.Get_count(MPI.INT));
        });
    }

    @Test
    void cancelRemovesAPendingReceive() {
        Ranks.run(2, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            if (rank == 1) {
                int[] b = {-5};
                Request r = w.Irecv(b, 0, 1, MPI.INT, 0, 42);
                r.Cancel();
                Status s = r.Wait();
                assertTrue(s.Test_cancelled());
                assertEquals(-5, b[0]);
                w.Barrier();
                w.Recv(b, 0, 1, MPI.INT, 0, 42); // the message goes to the next receive, not the cancelled one
                assertEquals(7, b[0]);
            } else {
                w.Barrier();
                w.Send(new int[]{7}, 0, 1, MPI.INT, 1, 42);
            }
        });
    }

    @Test
    void waitanyTestsomeTestanyAndNullRequests() {
        Ranks.run(3, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            if (rank == 0) {
                int[][] bufs = new int[3][1];
                Request[] rs = {MPI.REQUEST_NULL, w.Irecv(bufs[1], 0, 1, MPI.INT, 1, 0), w.Irecv(bufs[2], 0, 1, MPI.INT, 2, 0)};
                assertNull(Request.Testany(new Request[]{rs[1], rs[2]}), "nothing sent yet");
                assertEquals(0, Request.Testsome(new Request[]{rs[1], rs[2]}).length);
                assertNull(Request.Testall(rs));
                w.Barrier();
                Status first = Request.Waitany(rs);
                assertTrue(first.index == 1 || first.index == 2);
                assertEquals(first.index, first.source);
                assertEquals(first.index * 100, bufs[first.index][0]);
                int other = 3 - first.index;
                Status[] some;
                do {
                    some = Request.Testsome(rs);
                } while (some.length == 0);
                assertEquals(1, some.length);
                assertEquals(other, some[0].index);
                assertEquals(other * 100, bufs[other][0]);
                assertEquals(MPI.UNDEFINED, Request.Waitany(rs).index, "all requests are null now");
                assertTrue(MPI.REQUEST_NULL.Is_null());
            } else {
                w.Barrier();
                w.Send(new int[]{rank * 100}, 0, 1, MPI.INT, 0, 0);
            }
        });
    }

    @Test
    void packUnpackAndPackedMessages() {
        Ranks.run(2, (rank, size) -> {
            Intracomm w = MPI.COMM_WORLD;
            int bytes = w.Pack_size(3, MPI.INT) + w.Pack_size(2, MPI.DOUBLE);
            assertEquals(28, bytes);
            if (rank == 0) {
                byte[] packed = new byte[bytes];
                int pos = w.Pack(new int[]{9, 1, 2, 3}, 1, 3, MPI.INT, packed, 0);
                pos = w.Pack(new double[]{0.5, 1.5}, 0, 2, MPI.DOUBLE, packed, pos);
                assertEquals(bytes, pos);
                w.Send(packed, 0, pos, MPI.PACKED, 1, 0);
            } else {
                byte[] packed = new byte[100];
                Status s = w.Recv(packed, 0, 100, MPI.PACKED, 0, 0);
                assertEquals(28, s.Get_count(MPI.PACKED));
                int[] ints = new int[3];
                double[] ds = new double[2];
                int pos = w.Unpack(packed, 0, ints, 0, 3, MPI.INT);
                pos = w.Unpack(packed, pos, ds, 0, 2, MPI.DOUBLE);
                assertEquals(28, pos);
                assertArrayEquals(new int[]{1, 2, 3}, ints);
                assertArrayEquals(new double[]{0.5, 1.5}, ds);
            }
        });
    }

    @Test
    void errorsAreMPIExceptionsNamingTheCall() {
        Ranks.run(2, (rank, size) -> {
            MPIException e = assertThrows(MPIException.class, () -> MPI.COMM_WORLD.Send(new int[2], 0, 2, MPI.DOUBLE, 1 - rank, 0));
            assertEquals("Send: buf is int[] but the datatype's base type is DOUBLE: it needs double[]", e.getMessage());
            e = assertThrows(MPIException.class, () -> MPI.COMM_WORLD.Send(new int[2], 0, 2, MPI.OBJECT, 1 - rank, 0));
            assertEquals("Send: buf is int[] but the datatype's base type is OBJECT: it needs an Object[]", e.getMessage());
            e = assertThrows(MPIException.class, () -> MPI.COMM_WORLD.Send(new int[2], 0, 1, MPI.INT, 5, 0));
            assertTrue(e.getMessage().contains("dest=5"), e.getMessage());
        });
    }
}
