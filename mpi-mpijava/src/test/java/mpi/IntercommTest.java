package mpi;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Point-to-point on an {@link Intercomm}: ranks address the remote group (MPI 4.1 section 7.6). The world is split
 * into a low group [0, size/2) and a high group [size/2, size), so groups of different sizes meet at odd sizes.
 */
@Timeout(60)
class IntercommTest {
    /** The intercommunicator of the low and the high half of the world. */
    private static Intercomm halves(int rank, int size) throws MPIException {
        int half = size / 2;
        boolean low = rank < half;
        Intracomm local = MPI.COMM_WORLD.Split(low ? 0 : 1, rank);
        return MPI.COMM_WORLD.Create_intercomm(local, 0, low ? half : 0, 9);
    }

    /** World rank of remote rank {@code j}, seen from {@code rank}. */
    private static int remoteWorld(int rank, int size, int j) {
        return rank < size / 2 ? size / 2 + j : j;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void everySendModeReachesEveryRemoteRank(int n) {
        Ranks.run(n, (rank, size) -> {
            Intercomm ic = halves(rank, size);
            int me = ic.Rank(), rs = ic.Remote_size();
            MPI.Buffer_attach(ByteBuffer.allocate(1 << 16));
            int modes = 8;
            int[][] got = new int[rs * modes][3];
            Request[] recvs = new Request[rs * modes];
            for (int j = 0; j < rs; j++) {
                for (int m = 0; m < modes; m++) recvs[j * modes + m] = ic.Irecv(got[j * modes + m], 1, 2, MPI.INT, j, m);
            }
            MPI.COMM_WORLD.Barrier(); // every receive is posted: the ready sends may go
            for (int j = 0; j < rs; j++) {
                int[] d = {-1, rank, 100 * me + j};
                ic.Send(d, 1, 2, MPI.INT, j, 0);
                ic.Ssend(d, 1, 2, MPI.INT, j, 1);
                ic.Bsend(d, 1, 2, MPI.INT, j, 2);
                ic.Rsend(d, 1, 2, MPI.INT, j, 3);
                ic.Isend(d, 1, 2, MPI.INT, j, 4).Wait();
                ic.Issend(d, 1, 2, MPI.INT, j, 5).Wait();
                ic.Ibsend(d, 1, 2, MPI.INT, j, 6).Wait();
                ic.Irsend(d, 1, 2, MPI.INT, j, 7).Wait();
            }
            Status[] st = Request.Waitall(recvs);
            for (int j = 0; j < rs; j++) {
                for (int m = 0; m < modes; m++) {
                    int k = j * modes + m;
                    assertArrayEquals(new int[]{0, remoteWorld(rank, size, j), 100 * j + me}, got[k], "from " + j + " mode " + m);
                    assertEquals(j, st[k].source, "source is a rank of the remote group");
                    assertEquals(m, st[k].tag);
                    assertEquals(2, st[k].Get_count(MPI.INT));
                }
            }
            // a blocking receive from any remote rank, and Sendrecv between every pair
            for (int j = 0; j < rs; j++) ic.Send(new long[]{rank}, 0, 1, MPI.LONG, j, 30);
            long sum = 0;
            for (int j = 0; j < rs; j++) {
                long[] x = new long[1];
                Status s = ic.Recv(x, 0, 1, MPI.LONG, MPI.ANY_SOURCE, 30);
                assertEquals(remoteWorld(rank, size, s.source), x[0]);
                sum += x[0];
            }
            long expected = 0;
            for (int j = 0; j < rs; j++) expected += remoteWorld(rank, size, j);
            assertEquals(expected, sum);
            for (int j = 0; j < rs; j++) {
                double[] in = new double[2];
                Status s = ic.Sendrecv(new double[]{rank + 0.5}, 0, 1, MPI.DOUBLE, j, 31, in, 1, 1, MPI.DOUBLE, j, 31);
                assertEquals(remoteWorld(rank, size, j) + 0.5, in[1]);
                assertEquals(j, s.source);
            }
            MPI.COMM_WORLD.Barrier();
            MPI.Buffer_detach();
        });
    }

    /** Sizes 2-6: an intercommunicator needs two non-empty groups, so a world of one has none. */
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void cloneIsAnIntercommOnItsOwnContextAndAttrGetAnswers(int n) {
        Ranks.run(n, (rank, size) -> {
            Intercomm ic = halves(rank, size);
            Intercomm dup = (Intercomm) ic.clone();
            assertNotSame(ic, dup);
            assertEquals(ic.Rank(), dup.Rank());
            assertEquals(ic.Size(), dup.Size());
            assertEquals(ic.Remote_size(), dup.Remote_size());
            assertArrayEquals(Group.Translate_ranks(ic.Remote_group(), new int[]{0}, MPI.COMM_WORLD.Group()),
                    Group.Translate_ranks(dup.Remote_group(), new int[]{0}, MPI.COMM_WORLD.Group()));
            // the same tag and peer on both: a receive on the duplicate never takes the original's message
            int rs = ic.Remote_size();
            int[] toOrig = {1000 + rank}, toDup = {2000 + rank};
            for (int j = 0; j < rs; j++) {
                ic.Send(toOrig, 0, 1, MPI.INT, j, 5);
                dup.Send(toDup, 0, 1, MPI.INT, j, 5);
            }
            for (int j = 0; j < rs; j++) {
                int[] x = new int[1];
                Status s = dup.Recv(x, 0, 1, MPI.INT, MPI.ANY_SOURCE, 5);
                assertEquals(2000 + remoteWorld(rank, size, s.source), x[0], "a message of the duplicate");
            }
            for (int j = 0; j < rs; j++) {
                int[] x = new int[1];
                Status s = ic.Recv(x, 0, 1, MPI.INT, MPI.ANY_SOURCE, 5);
                assertEquals(1000 + remoteWorld(rank, size, s.source), x[0], "a message of the original");
            }
            assertEquals(io.jmpi.Mpi.TAG_UB, dup.Attr_get(MPI.TAG_UB));
            assertEquals(MPI.PROC_NULL, ic.Attr_get(MPI.HOST));
            assertEquals(MPI.ANY_SOURCE, ic.Attr_get(MPI.IO));
            assertThrows(MPIException.class, () -> ic.Attr_get(12345));
            // collective on the duplicate: Merge, then a reduction over both groups
            Intracomm merged = dup.Merge(rank >= size / 2);
            int[] sum = new int[1];
            merged.Allreduce(new int[]{rank}, 0, sum, 0, 1, MPI.INT, MPI.SUM);
            assertEquals(size * (size - 1) / 2, sum[0]);
            assertEquals(rank, merged.Rank(), "the low group (high=false) first");
            merged.Free();
            dup.Free();
            assertThrows(MPIException.class, () -> dup.Send(toDup, 0, 1, MPI.INT, 0, 5), "a freed duplicate");
            for (int j = 0; j < rs; j++) ic.Send(toOrig, 0, 1, MPI.INT, j, 6); // the original still works
            for (int j = 0; j < rs; j++) {
                int[] x = new int[1];
                Status s = ic.Recv(x, 0, 1, MPI.INT, j, 6);
                assertEquals(1000 + remoteWorld(rank, size, j), x[0]);
                assertEquals(j, s.source);
            }
            ic.Free();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void everyTypeObjectsDerivedPackedProbeAndPersistentBetweenLeaders(int n) {
        Ranks.run(n, (rank, size) -> {
            Intercomm ic = halves(rank, size);
            boolean low = rank < size / 2;
            if (ic.Rank() == 0) {
                int peer = remoteWorld(rank, size, 0);
                // every primitive type through Sendrecv (the generated dispatch for io.jmpi.Intercomm)
                byte[] b = new byte[1];
                ic.Sendrecv(new byte[]{(byte) rank}, 0, 1, MPI.BYTE, 0, 1, b, 0, 1, MPI.BYTE, 0, 1);
                char[] c = new char[1];
                ic.Sendrecv(new char[]{(char) ('a' + rank)}, 0, 1, MPI.CHAR, 0, 2, c, 0, 1, MPI.CHAR, 0, 2);
                short[] sh = new short[1];
                ic.Sendrecv(new short[]{(short) rank}, 0, 1, MPI.SHORT, 0, 3, sh, 0, 1, MPI.SHORT, 0, 3);
                boolean[] bo = new boolean[1];
                ic.Sendrecv(new boolean[]{low}, 0, 1, MPI.BOOLEAN, 0, 4, bo, 0, 1, MPI.BOOLEAN, 0, 4);
                float[] f = new float[1];
                ic.Sendrecv(new float[]{rank}, 0, 1, MPI.FLOAT, 0, 5, f, 0, 1, MPI.FLOAT, 0, 5);
                assertEquals(peer, b[0]);
                assertEquals('a' + peer, c[0]);
                assertEquals(peer, sh[0]);
                assertEquals(!low, bo[0]);
                assertEquals(peer, f[0]);

                // OBJECT, a derived type, PACKED data, a probe: the low leader sends first
                Datatype every2nd = Datatype.Vector(2, 1, 2, MPI.INT);
                every2nd.Commit();
                if (low) {
                    sendFour(ic, rank);
                    receiveFour(ic, peer, every2nd);
                } else {
                    receiveFour(ic, peer, every2nd);
                    sendFour(ic, rank);
                }

                // Sendrecv_replace, basic and derived
                int[] rep = {rank};
                Status s = ic.Sendrecv_replace(rep, 0, 1, MPI.INT, 0, 40, 0, 40);
                assertEquals(peer, rep[0]);
                assertEquals(0, s.source);
                int[] rep2 = {rank, -7, rank + 1};
                ic.Sendrecv_replace(rep2, 0, 1, every2nd, 0, 41, 0, 41);
                assertArrayEquals(new int[]{peer, -7, peer + 1}, rep2);

                // persistent requests, two rounds
                int[] out = new int[1], in = new int[1];
                Prequest ps = ic.Send_init(out, 0, 1, MPI.INT, 0, 50), pr = ic.Recv_init(in, 0, 1, MPI.INT, 0, 50);
                for (int round = 0; round < 2; round++) {
                    out[0] = 10 * rank + round;
                    Prequest.Startall(new Prequest[]{pr, ps});
                    ps.Wait();
                    Status st = pr.Wait();
                    assertEquals(10 * peer + round, in[0]);
                    assertEquals(0, st.source);
                }

                // a remote rank out of range fails on the caller, naming the argument
                MPIException e = assertThrows(MPIException.class, () -> ic.Send(new int[1], 0, 1, MPI.INT, ic.Remote_size(), 60));
                assertTrue(e.getMessage().contains("dest"), e.getMessage());
                MPIException wrong = assertThrows(MPIException.class, () -> ic.Send(new long[1], 0, 1, MPI.INT, 0, 61));
                assertEquals("Send: buf is long[] but the datatype's base type is INT: it needs int[]", wrong.getMessage());
            }
            MPI.COMM_WORLD.Barrier();
        });
    }

    private static void sendFour(Intercomm ic, int rank) throws MPIException {
        ic.Send(new Object[]{"r" + rank, rank}, 0, 2, MPI.OBJECT, 0, 20);
        ic.Send(new int[]{rank, -1, rank + 1, -1}, 0, 1, Datatype.Vector(2, 1, 2, MPI.INT), 0, 21);
        byte[] packed = new byte[ic.Pack_size(2, MPI.INT)];
        int end = ic.Pack(new int[]{rank, 2 * rank}, 0, 2, MPI.INT, packed, 0);
        ic.Send(packed, 0, end, MPI.PACKED, 0, 22);
        ic.Send(new int[]{rank, rank, rank}, 0, 3, MPI.INT, 0, 23);
    }

    private static void receiveFour(Intercomm ic, int peer, Datatype every2nd) throws MPIException {
        Object[] o = new Object[2];
        Status so = ic.Recv(o, 0, 2, MPI.OBJECT, 0, 20);
        assertArrayEquals(new Object[]{"r" + peer, peer}, o);
        assertEquals(2, so.Get_count(MPI.OBJECT));
        int[] v = {-5, -5, -5, -5};
        Status sv = ic.Recv(v, 0, 1, every2nd, 0, 21);
        assertArrayEquals(new int[]{peer, -5, peer + 1, -5}, v, "the vector's elements land at their places");
        assertEquals(1, sv.Get_count(every2nd));
        byte[] packed = new byte[64];
        Status sp = ic.Recv(packed, 0, packed.length, MPI.PACKED, 0, 22);
        int[] unpacked = new int[2];
        ic.Unpack(packed, 0, unpacked, 0, 2, MPI.INT);
        assertArrayEquals(new int[]{peer, 2 * peer}, unpacked);
        assertEquals(8, sp.Get_count(MPI.PACKED));
        Status probed = ic.Probe(0, 23);
        assertEquals(0, probed.source);
        assertEquals(3, probed.Get_count(MPI.INT));
        int[] three = new int[3];
        ic.Recv(three, 0, 3, MPI.INT, 0, 23);
        assertArrayEquals(new int[]{peer, peer, peer}, three);
        assertNull(ic.Iprobe(0, 23), "nothing more has been sent with tag 23");
    }
}
