package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Derived datatypes in communication, written once and run for every transport (subclasses) at world sizes 1-5.
 * Large messages (beyond the eager limit) go by rendezvous in chunks that split a struct's records.
 */
@Timeout(60)
abstract class DatatypeConformance {
    abstract String transport();

    void run(int n, Mpi.RankMain body) {
        Jobs.run(transport(), n, body);
    }

    /** A rows x cols row-major matrix whose element (i, j) encodes the rank. */
    static double[] matrix(int rank, int rows, int cols) {
        double[] m = new double[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = rank * 1e6 + i;
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void vectorColumnEqualsHandPackedColumn(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            for (int rows : new int[]{3, 9000}) { // 9000 doubles: rendezvous
                int cols = 5;
                double[] m = matrix(w.rank(), rows, cols);
                Datatype col = Datatype.vector(rows, 1, cols, Datatype.DOUBLE).commit();
                // column 1 as a vector into column 3 of the receiver, and the same column hand-packed
                double[] got = new double[rows * cols];
                Request r = w.irecv(got, 3, 1, col, left, 1);
                w.send(m, 1, 1, col, right, 1);
                Status s = r.await();
                assertEquals(rows, s.elements(col.base()));
                assertEquals(1, s.count(col));
                double[] packed = new double[rows];
                Request r2 = w.irecv(packed, left, 2);
                double[] hand = new double[rows];
                for (int i = 0; i < rows; i++) hand[i] = m[i * cols + 1];
                w.send(hand, right, 2);
                r2.await();
                for (int i = 0; i < rows; i++) {
                    assertEquals(packed[i], got[i * cols + 3], "row " + i);
                    assertEquals(left * 1e6 + i * cols + 1, got[i * cols + 3]);
                    assertEquals(0.0, got[i * cols + 2]);
                }
                // a vector matches a contiguous receive of the same doubles (type signatures)
                double[] flat = new double[rows];
                Status s2 = w.sendrecv(m, 1, 1, col, right, 3, flat, 0, rows, Datatype.DOUBLE, left, 3);
                assertEquals(rows, s2.count(Datatype.DOUBLE));
                assertArrayEquals(packed, flat);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void subarrayCAndFortranOrderAndIndexed(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            int[] sizes = {4, 6}, sub = {2, 3}, starts = {1, 2};
            int[] rowMajor = new int[24], colMajor = new int[24];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 6; j++) {
                    rowMajor[i * 6 + j] = w.rank() * 1000 + 10 * i + j;
                    colMajor[j * 4 + i] = w.rank() * 1000 + 10 * i + j;
                }
            }
            Datatype c = Datatype.subarray(sizes, sub, starts, Datatype.Order.C, Datatype.INT).commit();
            Datatype f = Datatype.subarray(sizes, sub, starts, Datatype.Order.FORTRAN, Datatype.INT).commit();
            int[] gotC = new int[24], gotF = new int[24];
            Request rc = w.irecv(gotC, 0, 1, c, left, 4);
            Request rf = w.irecv(gotF, 0, 1, f, left, 5);
            w.send(rowMajor, 0, 1, c, right, 4);
            w.send(colMajor, 0, 1, f, right, 5);
            rc.await();
            rf.await();
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 6; j++) {
                    boolean inside = i >= 1 && i < 3 && j >= 2 && j < 5;
                    int v = inside ? left * 1000 + 10 * i + j : 0;
                    assertEquals(v, gotC[i * 6 + j], "C (" + i + ", " + j + ")");
                    assertEquals(v, gotF[j * 4 + i], "Fortran (" + i + ", " + j + ")");
                }
            }
            Datatype idx = Datatype.indexed(new int[]{2, 1, 3}, new int[]{7, 0, 12}, Datatype.INT).commit();
            int[] got = new int[24];
            Request ri = w.irecv(got, 1, 1, idx, left, 6);
            w.send(rowMajor, 0, 1, idx, right, 6);
            assertEquals(6, ri.await().count(Datatype.INT));
            for (int k : new int[]{7, 8, 0, 12, 13, 14}) assertEquals(left * 1000 + rowMajor[k] % 1000, got[k + 1]);
            assertEquals(0, got[0]);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void resizedExtentInCountAboveOne(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            int rows = 4, cols = 3;
            // each element is one column; the resized extent (one double) makes count 3 all three columns
            Datatype col = Datatype.resized(Datatype.vector(rows, 1, cols, Datatype.DOUBLE), 0, 8).commit();
            double[] m = matrix(w.rank(), rows, cols);
            double[] t = new double[rows * cols];
            // transpose on the fly: send all columns in order, receive contiguous = the transpose
            w.sendrecv(m, 0, cols, col, right, 7, t, 0, rows * cols, Datatype.DOUBLE, left, 7);
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < rows; i++) assertEquals(left * 1e6 + i * cols + j, t[j * rows + i]);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void structRecordsInBigAndLittleEndianBuffers(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            Datatype rec = DatatypeTest.record();
            for (int count : new int[]{3, 20_000}) { // 20 000 x 13 bytes: rendezvous chunks split records
                ByteBuffer be = records(ByteOrder.BIG_ENDIAN, count, w.rank());
                ByteBuffer le = ByteBuffer.allocateDirect(24 * count).order(ByteOrder.LITTLE_ENDIAN);
                Request r = w.irecv(le, 0, count, rec, left, 8);
                w.send(be, 0, count, rec, right, 8);
                Status s = r.await();
                assertEquals(count, s.count(rec));
                assertEquals(3L * count, s.elements(rec));
                check(le, count, left);
                // and back the other way: little-endian sender, big-endian receiver
                ByteBuffer be2 = ByteBuffer.allocate(24 * count).order(ByteOrder.BIG_ENDIAN);
                Request r2 = w.irecv(be2, 0, count, rec, left, 9);
                w.send(records(ByteOrder.LITTLE_ENDIAN, count, w.rank()), 0, count, rec, right, 9);
                r2.await();
                check(be2, count, left);
            }
        });
    }

    static ByteBuffer records(ByteOrder order, int count, int rank) {
        ByteBuffer b = ByteBuffer.allocate(24 * count).order(order);
        for (int k = 0; k < count; k++) {
            b.putInt(24 * k, rank * 100_000 + k).putDouble(24 * k + 8, rank + k * 0.5).put(24 * k + 16, (byte) (k - rank));
        }
        return b;
    }

    static void check(ByteBuffer b, int count, int rank) {
        for (int k = 0; k < count; k++) {
            assertEquals(rank * 100_000 + k, b.getInt(24 * k), "record " + k);
            assertEquals(rank + k * 0.5, b.getDouble(24 * k + 8), "record " + k);
            assertEquals((byte) (k - rank), b.get(24 * k + 16), "record " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void elementsAfterReceivingFewerAndPackedReceive(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int right = (w.rank() + 1) % n, left = (w.rank() + n - 1) % n;
            Datatype pair = Datatype.vector(2, 1, 3, Datatype.LONG).commit();
            long[] got = new long[30];
            Request r = w.irecv(got, 0, 5, pair, left, 10);
            w.send(new long[]{1, 2, 3, 4, 5, 6, 7}, 0, 7, right, 10); // 7 longs: 3.5 pairs
            Status s = r.await();
            assertEquals(7, s.elements(pair));
            assertEquals(Datatype.UNDEFINED, s.count(pair));
            assertArrayEquals(new long[]{1, 0, 0, 2, 3, 0, 0, 4, 5, 0, 0, 6, 7, 0}, java.util.Arrays.copyOf(got, 14));
            // pack, send the bytes, receive them packed, unpack
            Datatype col = Datatype.vector(3, 1, 2, Datatype.DOUBLE).commit();
            byte[] out = new byte[w.packSize(1, col) + w.packSize(2, Datatype.INT)];
            int pos = w.pack(new double[]{w.rank(), -1, w.rank() + 1, -1, w.rank() + 2}, 0, 1, col, out, 0);
            pos = w.pack(new int[]{w.rank(), 42}, 0, 2, Datatype.INT, out, pos);
            assertEquals(out.length, pos);
            byte[] in = new byte[64];
            Request rp = w.irecvPacked(in, 0, in.length, left, 11);
            w.send(out, right, 11);
            assertEquals(out.length, rp.await().bytes());
            double[] d = new double[3];
            int p = w.unpack(in, 0, d, 0, 3, Datatype.DOUBLE);
            int[] ints = new int[2];
            assertEquals(out.length, w.unpack(in, p, ints, 0, 2, Datatype.INT));
            assertArrayEquals(new double[]{left, left + 1, left + 2}, d);
            assertArrayEquals(new int[]{left, 42}, ints);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void collectivesOnDerivedTypes(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int rows = 6, cols = 4;
            Datatype col = Datatype.vector(rows, 1, cols, Datatype.DOUBLE).commit();
            // bcast column 2 of the root's matrix into column 2 of everyone's
            double[] m = w.rank() == n - 1 ? matrix(7, rows, cols) : new double[rows * cols];
            w.bcast(m, 2, 1, col, n - 1);
            for (int i = 0; i < rows; i++) {
                assertEquals(7e6 + i * cols + 2, m[i * cols + 2]);
                if (w.rank() != n - 1) assertEquals(0.0, m[i * cols + 1]);
            }
            // gather one column from every rank into a rows x n matrix (column r from rank r)
            Datatype into = Datatype.resized(Datatype.vector(rows, 1, n, Datatype.DOUBLE), 0, 8).commit();
            double[] mine = matrix(w.rank(), rows, cols);
            double[] all = new double[rows * n];
            w.gather(mine, 0, 1, col, all, 0, 1, into, 0);
            if (w.rank() == 0) {
                for (int r = 0; r < n; r++) for (int i = 0; i < rows; i++) assertEquals(r * 1e6 + i * cols, all[i * n + r]);
            }
            // scatter it back: rank r gets column r into its column 3
            double[] back = new double[rows * cols];
            w.scatter(all, 0, 1, into, back, 3, 1, col, 0);
            for (int i = 0; i < rows; i++) assertEquals(w.rank() * 1e6 + i * cols, back[i * cols + 3]);
            // allgather the same, everyone gets the matrix
            double[] every = new double[rows * n];
            w.allgather(mine, 0, 1, col, every, 0, 1, into);
            for (int r = 0; r < n; r++) for (int i = 0; i < rows; i++) assertEquals(r * 1e6 + i * cols, every[i * n + r]);
            // alltoall: column j of a rows x n matrix goes to rank j, arriving as contiguous block
            double[] a2a = new double[rows * n];
            for (int i = 0; i < rows; i++) for (int j = 0; j < n; j++) a2a[i * n + j] = w.rank() * 100 + i * 10 + j;
            double[] recv = new double[rows * n];
            w.alltoall(a2a, 0, 1, into, recv, 0, rows, Datatype.DOUBLE);
            for (int src = 0; src < n; src++) {
                for (int i = 0; i < rows; i++) assertEquals(src * 100 + i * 10 + w.rank(), recv[src * rows + i]);
            }
            // reductions over the column only: other elements untouched
            double[] red = matrix(w.rank(), rows, cols);
            double[] sum = new double[rows * cols];
            w.allreduce(red, 1, sum, 1, 1, col, Op.SUM);
            double ranks = n * (n - 1) / 2.0;
            for (int i = 0; i < rows; i++) {
                assertEquals(ranks * 1e6 + n * (i * cols + 1.0), sum[i * cols + 1]);
                assertEquals(0.0, sum[i * cols]);
            }
            double[] max = new double[rows * cols];
            w.reduce(red, 0, max, 0, 1, col, Op.MAX, 0);
            if (w.rank() == 0) for (int i = 0; i < rows; i++) assertEquals((n - 1) * 1e6 + i * cols, max[i * cols]);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2})
    void badInputIsRejectedBeforeSending(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            Datatype raw = Datatype.vector(3, 1, 2, Datatype.INT);
            MpiException e = assertThrows(MpiException.class, () -> w.send(new int[8], 0, 1, raw, 1 - w.rank(), 0));
            assertEquals(ErrorClass.TYPE, e.errorClass());
            assertEquals("send: type VECTOR(3, 1, 2, INT) is not committed (call commit() first)", e.getMessage());
            Datatype t = Datatype.vector(3, 1, 2, Datatype.INT).commit();
            e = assertThrows(MpiException.class, () -> w.send(new double[8], 0, 1, t, 1 - w.rank(), 0));
            assertEquals(ErrorClass.TYPE, e.errorClass());
            assertEquals("send: buf is double[] but type VECTOR(3, 1, 2, INT) holds int elements", e.getMessage());
            e = assertThrows(MpiException.class, () -> w.irecv(new int[8], 0, 2, t, 1 - w.rank(), 0));
            assertEquals(ErrorClass.BUFFER, e.errorClass());
            assertEquals("irecv: offset=0 + count=2 elements of VECTOR(3, 1, 2, INT) (extent 20 bytes) span elements "
                    + "[0, 10) of buf, beyond its length 8", e.getMessage());
            e = assertThrows(MpiException.class, () -> w.send(new int[8], 0, -1, t, 1 - w.rank(), 0));
            assertEquals(ErrorClass.ARG, e.errorClass());
            assertEquals("send: count=-1 out of range [0, 2147483647]", e.getMessage());
            e = assertThrows(MpiException.class,
                    () -> w.bcast(new int[8], 0, 1, Datatype.vector(2, -1, 2, Datatype.INT).commit(), 0));
            assertEquals(ErrorClass.ARG, e.errorClass());
            assertEquals("Datatype.vector: blocklength=-1 out of range [0, 2147483647]", e.getMessage());
            e = assertThrows(MpiException.class, () -> w.allreduce(ByteBuffer.allocate(48), 0, ByteBuffer.allocate(48), 0, 2,
                    DatatypeTest.record(), Op.SUM));
            assertEquals(ErrorClass.TYPE, e.errorClass());
            // nothing was sent: a normal exchange still pairs up
            int[] got = new int[8];
            w.sendrecv(new int[]{1, 2, 3, 4, 5}, 0, 1, t, 1 - w.rank(), 12, got, 1, 1, t, 1 - w.rank(), 12);
            assertArrayEquals(new int[]{0, 1, 0, 3, 0, 5, 0, 0}, got);
        });
    }

    /**
     * gatherv/scatterv/allgatherv/alltoallv with a column type resized to one double, so that element k of it is
     * column k of a row-major matrix: rank i contributes {@code i % 2 + 1} columns, sent as contiguous doubles.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void vCollectivesOnMatrixColumns(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), rows = 3, root = n - 1;
            int[] counts = new int[n], displs = new int[n];
            int cols = 0;
            for (int i = 0; i < n; i++) {
                counts[i] = i % 2 + 1;
                displs[i] = cols;
                cols += counts[i];
            }
            Datatype column = Datatype.resized(Datatype.vector(rows, 1, cols, Datatype.DOUBLE), 0, 8).commit();
            int mine = counts[me];
            double[] send = new double[mine * rows]; // column-major: column c of mine, then row r
            for (int c = 0; c < mine; c++) for (int r = 0; r < rows; r++) send[c * rows + r] = 1000 * me + 10 * c + r;
            double[] want = new double[rows * cols];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < counts[i]; c++) for (int r = 0; r < rows; r++) want[r * cols + displs[i] + c] = 1000 * i + 10 * c + r;
            }
            // each column travels as `rows` doubles: rank i's send is counts[i] columns = counts[i] * rows doubles,
            // but packed column by column, so send column-major and receive columns
            double[] all = new double[rows * cols];
            w.allgatherv(send, 0, mine * rows, Datatype.DOUBLE, all, 0, counts, displs, column);
            assertArrayEquals(want, all);

            double[] atRoot = new double[rows * cols];
            Request g = w.igatherv(send, 0, mine * rows, Datatype.DOUBLE, atRoot, 0, counts, displs, column, root);
            g.await();
            if (me == root) assertArrayEquals(want, atRoot);

            double[] back = new double[mine * rows];
            w.scatterv(want, 0, counts, displs, column, back, 0, mine * rows, Datatype.DOUBLE, root);
            assertArrayEquals(send, back);

            // alltoallv: column j of my n-column matrix to rank j, received as `rows` contiguous doubles
            Datatype col = Datatype.resized(Datatype.vector(rows, 1, n, Datatype.DOUBLE), 0, 8).commit();
            double[] m = new double[rows * n];
            for (int r = 0; r < rows; r++) for (int j = 0; j < n; j++) m[r * n + j] = 1000 * me + 10 * j + r;
            int[] ones = new int[n], seq = new int[n], rowsEach = new int[n], byRows = new int[n];
            for (int i = 0; i < n; i++) {
                ones[i] = 1;
                seq[i] = i;
                rowsEach[i] = rows;
                byRows[i] = i * rows;
            }
            double[] in = new double[rows * n];
            w.ialltoallv(m, 0, ones, seq, col, in, 0, rowsEach, byRows, Datatype.DOUBLE).await();
            for (int i = 0; i < n; i++) for (int r = 0; r < rows; r++) assertEquals(1000 * i + 10 * me + r, in[i * rows + r]);

            MpiException e = assertThrows(MpiException.class,
                    () -> w.allgatherv(send, 0, mine * rows, Datatype.DOUBLE, all, 0, counts, new int[n + 1], column));
            assertEquals("allgatherv: displs.length=" + (n + 1) + " differs from the communicator size " + n, e.getMessage());
        });
    }

    /** Non-blocking reductions of a derived type: column 1 of every rank summed into column 2. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void nonBlockingReductionsOfAColumn(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int rows = 4, cols = 3, me = w.rank();
            Datatype col = Datatype.vector(rows, 1, cols, Datatype.DOUBLE).commit();
            double[] m = new double[rows * cols];
            for (int r = 0; r < rows; r++) m[r * cols + 1] = me + r;
            double[] all = new double[rows * cols], atRoot = new double[rows * cols];
            Request a = w.iallreduce(m, 1, all, 2, 1, col, Op.SUM);
            Request b = w.ireduce(m, 1, atRoot, 2, 1, col, Op.MAX, 0);
            Requests.awaitAll(a, b);
            for (int r = 0; r < rows; r++) {
                assertEquals(n * r + n * (n - 1) / 2.0, all[r * cols + 2], "row " + r);
                assertEquals(0.0, all[r * cols + 1]);
                assertEquals(me == 0 ? n - 1 + r : 0.0, atRoot[r * cols + 2], "row " + r);
            }
        });
    }

    /**
     * One collective, ranks describing their data in different forms (MPI asks only for matching type signatures):
     * the root, or the odd ranks, pass a derived datatype (contiguous, or a matrix column resized to one int), the
     * others plain int[]. Every rank must take the same algorithm whatever its form (over shm: the shared-memory
     * component or a schedule), else the ranks hang or exchange the wrong bytes. Results against a serial model.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void mixedFormsInOneCollective(int n) {
        run(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), root = n - 1;
            for (int k : new int[]{4, 4096, 40_000}) { // 16 B; 16 KiB (eager); 160 KB (rendezvous, several shm chunks)
                for (MixedForms.Kind derived : new MixedForms.Kind[]{MixedForms.Kind.CONTIGUOUS, MixedForms.Kind.COLUMN}) {
                    for (int pattern = 0; pattern < 2; pattern++) {
                        boolean mine = pattern == 0 ? me == root : me % 2 == 1;
                        mixedCollectives(w, mine ? derived : MixedForms.Kind.PLAIN, k, root,
                                "k=" + k + " " + derived + (pattern == 0 ? " at the root" : " at odd ranks"));
                    }
                }
            }
        });
    }

    private static void mixedCollectives(Comm w, MixedForms.Kind kind, int k, int root, String what) {
        int n = w.size(), me = w.rank();
        boolean plain = kind == MixedForms.Kind.PLAIN;
        MixedForms b = new MixedForms(kind, k, 1);
        if (me == root) b.fill(root);
        if (plain) w.bcast(b.buf, root);
        else w.bcast(b.buf, b.offset, b.all(), b.type, root);
        b.check("bcast " + what, (x, i) -> MixedForms.value(root, 0, i));

        long ranks = (long) n * (n - 1) / 2;
        MixedForms s = new MixedForms(kind, k, 1), r = new MixedForms(kind, k, 1);
        s.fill(me);
        if (plain) w.reduce(s.buf, r.buf, Op.SUM, root);
        else w.reduce(s.buf, s.offset, r.buf, r.offset, s.all(), s.type, Op.SUM, root);
        if (me == root) r.check("reduce " + what, (x, i) -> (int) (ranks * 10_000_000 + (long) n * i));
        MixedForms a = new MixedForms(kind, k, 1);
        if (plain) w.allreduce(s.buf, a.buf, Op.SUM);
        else w.allreduce(s.buf, s.offset, a.buf, a.offset, s.all(), s.type, Op.SUM);
        a.check("allreduce " + what, (x, i) -> (int) (ranks * 10_000_000 + (long) n * i));

        MixedForms g = new MixedForms(kind, k, n);
        if (plain) w.gather(s.buf, g.buf, root);
        else w.gather(s.buf, s.offset, s.perBlock(), s.type, g.buf, g.offset, g.perBlock(), g.type, root);
        if (me == root) g.check("gather " + what, (x, i) -> MixedForms.value(x, 0, i));

        MixedForms all = new MixedForms(kind, k, n);
        if (plain) w.allgather(s.buf, all.buf);
        else w.allgather(s.buf, s.offset, s.perBlock(), s.type, all.buf, all.offset, all.perBlock(), all.type);
        all.check("allgather " + what, (x, i) -> MixedForms.value(x, 0, i));

        MixedForms out = new MixedForms(kind, k, n), in = new MixedForms(kind, k, 1);
        out.fill(me);
        if (plain) w.scatter(out.buf, in.buf, root);
        else w.scatter(out.buf, out.offset, out.perBlock(), out.type, in.buf, in.offset, in.perBlock(), in.type, root);
        in.check("scatter " + what, (x, i) -> MixedForms.value(root, me, i));

        MixedForms got = new MixedForms(kind, k, n);
        if (plain) w.alltoall(out.buf, got.buf);
        else w.alltoall(out.buf, out.offset, out.perBlock(), out.type, got.buf, got.offset, got.perBlock(), got.type);
        got.check("alltoall " + what, (x, i) -> MixedForms.value(x, me, i));
    }
}
