package io.jmpi;

import io.jmpi.base.MpiException;
import io.jmpi.base.ErrorClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Point-to-point semantics, written once and run for every transport (subclasses) and world sizes 1-5.
 * Sizes straddle the eager limit so both protocols are exercised.
 */
@Timeout(60)
abstract class P2pConformance {
    static final int EAGER = 64 * 1024;

    abstract String transport();

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void ringOfEveryTypeAndSize(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            for (int len : new int[]{0, 1, 7, 1000, EAGER / 8 + 3, 300_000}) {
                double[] d = new double[len];
                for (int i = 0; i < len; i++) d[i] = w.rank() * 1e6 + i + 0.5;
                double[] got = new double[len];
                Request r = w.irecv(got, left, len);
                w.send(d, right, len);
                Status s = r.await();
                assertEquals(left, s.source());
                assertEquals(len, s.tag());
                assertEquals(len, s.count());
                for (int i = 0; i < len; i++) assertEquals(left * 1e6 + i + 0.5, got[i]);
            }
            // every primitive type, with offsets
            int[] ia = {1, 2, 3, 4, 5};
            int[] ib = new int[7];
            Request r = w.irecv(ib, 2, 3, left, 9);
            w.send(ia, 1, 3, right, 9);
            r.await();
            assertArrayEquals(new int[]{0, 0, 2, 3, 4, 0, 0}, ib);
            long[] la = {Long.MIN_VALUE, -1, Long.MAX_VALUE};
            long[] lb = new long[3];
            w.sendrecv(la, right, 1, lb, left, 1);
            assertArrayEquals(la, lb);
            short[] sa = {-3, 0, Short.MAX_VALUE};
            short[] sb = new short[3];
            w.sendrecv(sa, right, 2, sb, left, 2);
            assertArrayEquals(sa, sb);
            char[] ca = "héllo".toCharArray();
            char[] cb = new char[5];
            w.sendrecv(ca, right, 3, cb, left, 3);
            assertArrayEquals(ca, cb);
            float[] fa = {1.5f, Float.NaN, -0f};
            float[] fb = new float[3];
            w.sendrecv(fa, right, 4, fb, left, 4);
            assertArrayEquals(fa, fb);
            boolean[] ba = {true, false, true};
            boolean[] bb = new boolean[3];
            w.sendrecv(ba, right, 5, bb, left, 5);
            assertArrayEquals(ba, bb);
            byte[] xa = {-128, 0, 127};
            byte[] xb = new byte[3];
            w.sendrecv(xa, right, 6, xb, left, 6);
            assertArrayEquals(xa, xb);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void wildcardsAndInterleavingKeepPerSenderOrder(int n) {
        final int k = 200;
        run(n, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                int[] next = new int[n];
                int[] buf = new int[2];
                for (int i = 0; i < k * (n - 1); i++) {
                    Status s = w.recv(buf, Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                    assertEquals(s.source(), buf[0]);
                    assertEquals(next[s.source()], buf[1], "message order from rank " + s.source());
                    assertEquals(7 + s.source(), s.tag());
                    next[s.source()]++;
                }
            } else {
                for (int i = 0; i < k; i++) w.send(new int[]{w.rank(), i}, 0, 7 + w.rank());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void nonOvertakingAcrossProtocols(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int[] sizes = {1, EAGER / 4 + 1, 3, 100_000, 0, 5, 40_000};
            if (w.rank() == 1) {
                List<Request> rs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int[] m = new int[sizes[i % sizes.length] + 1];
                    Arrays.fill(m, i);
                    rs.add(w.isend(m, 0, 3));
                }
                Requests.awaitAll(rs);
            } else if (w.rank() == 0) {
                for (int i = 0; i < 50; i++) {
                    Status s = w.probe(1, 3);
                    int[] m = new int[s.count()];
                    w.recv(m, 1, Mpi.ANY_TAG);
                    assertEquals(sizes[i % sizes.length] + 1, m.length);
                    assertEquals(i, m[0]);
                    assertEquals(i, m[m.length - 1]);
                }
            }
        });
    }

    @Test
    void procNullCompletesAtOnce() {
        run(1, mpi -> {
            Comm w = mpi.world();
            w.send(new double[3], Mpi.PROC_NULL, 1);
            Status s = w.recv(new double[3], Mpi.PROC_NULL, 1);
            assertEquals(Mpi.PROC_NULL, s.source());
            assertEquals(0, s.count());
            assertTrue(w.irecv(new int[1], Mpi.PROC_NULL, Mpi.ANY_TAG).isDone());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 100_000})
    void truncationIsAnErrorNamingBothSizes(int len) {
        run(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.send(new int[len], 1, 4);
                w.send(new int[]{42}, 1, 5);
            } else {
                MpiException e = assertThrows(MpiException.class, () -> w.recv(new int[len / 2], 0, 4));
                assertEquals(ErrorClass.TRUNCATE, e.errorClass());
                assertEquals("recv: message truncated: " + len + " elements (" + 4 * len + " bytes) from rank 0 tag 4 do not fit a "
                        + "receive buffer of " + len / 2 + " elements (" + 2 * len + " bytes)", e.getMessage());
                int[] x = new int[1];
                w.recv(x, 0, 5);
                assertEquals(42, x[0]);
            }
        });
    }

    @Test
    void typeMismatchIsAnError() {
        run(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                w.send(new double[4], 1, 1);
                w.send(new double[100_000], 1, 2);
            } else {
                MpiException e = assertThrows(MpiException.class, () -> w.recv(new long[4], 0, 1));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                assertEquals("recv: type mismatch: message from rank 0 tag 1 carries double elements, the receive buffer holds long",
                        e.getMessage());
                MpiException e2 = assertThrows(MpiException.class, () -> w.recv(new long[100_000], 0, 2));
                assertEquals(ErrorClass.TYPE, e2.errorClass());
            }
        });
    }

    @Test
    void synchronousSendCompletesOnlyWhenMatched() {
        run(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 1) {
                Request r = w.issend(new int[]{1, 2}, 0, 1);
                w.send(new int[1], 0, 2);
                w.recv(new int[1], 0, 3); // rank 0 has seen tag 2 but not posted tag 1
                assertNull(r.test(), "ssend completed before the receive was posted");
                w.send(new int[1], 0, 4);
                r.await();
            } else {
                w.recv(new int[1], 1, 2);
                w.send(new int[1], 1, 3);
                w.recv(new int[1], 1, 4);
                int[] x = new int[2];
                w.recv(x, 1, 1);
                assertArrayEquals(new int[]{1, 2}, x);
            }
        });
    }

    @Test
    void largeMessageWaitsForTheReceiver() {
        run(2, mpi -> {
            Comm w = mpi.world();
            int len = 2_000_000;
            if (w.rank() == 0) {
                double[] d = new double[len];
                for (int i = 0; i < len; i++) d[i] = i;
                Request r = w.isend(d, 1, 1);
                w.recv(new int[1], 1, 2);
                assertNull(r.test(), "a rendezvous send completed before its receive was posted");
                w.send(new int[1], 1, 3);
                r.await();
            } else {
                w.send(new int[1], 0, 2);
                w.recv(new int[1], 0, 3);
                double[] d = new double[len];
                w.recv(d, 0, 1);
                for (int i = 0; i < len; i++) if (d[i] != i) fail("element " + i + " = " + d[i]);
            }
        });
    }

    @Test
    void probeSizesTheBuffer() {
        run(3, mpi -> {
            Comm w = mpi.world();
            if (w.rank() > 0) {
                w.send(new long[w.rank() * 10], 0, 100 + w.rank());
            } else {
                for (int i = 0; i < 2; i++) {
                    Status s = w.probe(Mpi.ANY_SOURCE, Mpi.ANY_TAG);
                    assertEquals(s.source() * 10, s.count());
                    assertEquals(100 + s.source(), s.tag());
                    Status r = w.recv(new long[s.count()], s.source(), s.tag());
                    assertEquals(s.count(), r.count());
                }
                assertNull(w.iprobe(Mpi.ANY_SOURCE, Mpi.ANY_TAG));
            }
        });
    }

    @Test
    void objectsAndByteBuffers() {
        run(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                Map<String, List<Integer>> m = new HashMap<>();
                m.put("a", List.of(1, 2, 3));
                w.sendObject((java.io.Serializable) m, 1, 1);
                w.sendObject("x".repeat(200_000), 1, 2);
                ByteBuffer d = ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN);
                d.putLong(7).putLong(9).flip();
                w.send(d, 1, 3);
                assertEquals(0, d.position());
            } else {
                Map<String, List<Integer>> m = w.recvObject(0, 1);
                assertEquals(List.of(1, 2, 3), m.get("a"));
                String s = w.recvObject(Mpi.ANY_SOURCE, 2);
                assertEquals(200_000, s.length());
                ByteBuffer h = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                Status st = w.recv(h, 0, 3);
                assertEquals(16, st.count());
                assertEquals(16, h.position());
                assertEquals(7, h.getLong(0));
                assertEquals(9, h.getLong(8));
            }
        });
    }

    @Test
    void cancelAnUnmatchedReceive() {
        run(2, mpi -> {
            Comm w = mpi.world();
            Request r = w.irecv(new int[1], Mpi.ANY_SOURCE, 77);
            assertTrue(r.cancel());
            assertTrue(r.await().cancelled());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void manyThreadsPerRank(int n) {
        final int threads = 4, msgs = 50;
        run(n, mpi -> {
            Comm w = mpi.world();
            List<Thread> ts = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                final int tag = t;
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < msgs; i++) {
                            List<Request> rs = new ArrayList<>();
                            long[][] in = new long[n][];
                            for (int p = 0; p < n; p++) {
                                in[p] = new long[i % 2 == 0 ? 3 : 20_000];
                                rs.add(w.irecv(in[p], p, tag));
                            }
                            for (int p = 0; p < n; p++) {
                                long[] o = new long[i % 2 == 0 ? 3 : 20_000];
                                Arrays.fill(o, w.rank() * 1000L + tag * 100 + i);
                                rs.add(w.isend(o, p, tag));
                            }
                            Requests.awaitAll(rs);
                            for (int p = 0; p < n; p++) {
                                assertEquals(p * 1000L + tag * 100 + i, in[p][0]);
                                assertEquals(p * 1000L + tag * 100 + i, in[p][in[p].length - 1]);
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                ts.add(th);
                th.start();
            }
            for (Thread th : ts) th.join();
            if (!errors.isEmpty()) throw new AssertionError(errors.get(0));
        });
    }

    @Test
    void floodOfUnexpectedMessagesIsDeliveredInOrder() {
        run(2, mpi -> {
            Comm w = mpi.world();
            int k = 20_000;
            if (w.rank() == 0) {
                List<Request> rs = new ArrayList<>();
                for (int i = 0; i < k; i++) rs.add(w.isend(new int[]{i, 1, 2, 3, 4, 5, 6, 7}, 1, 1));
                w.send(new int[1], 1, 2);
                Requests.awaitAll(rs);
            } else {
                w.recv(new int[1], 0, 2);
                int[] b = new int[8];
                for (int i = 0; i < k; i++) {
                    w.recv(b, 0, 1);
                    assertEquals(i, b[0]);
                }
            }
        });
    }
}
