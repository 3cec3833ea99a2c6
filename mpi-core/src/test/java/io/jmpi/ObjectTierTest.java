package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The object tier: slices of Object[] in point-to-point, the v-variants on Object[], scan/exscan/reduceScatter of
 * objects and the non-blocking object collectives. String concatenation is the operator: associative, not
 * commutative, so a result in the wrong order shows.
 */
@Timeout(60)
class ObjectTierTest {
    private static final BinaryOperator<String> CONCAT = (a, b) -> a + b;

    private static String prefix(int upTo) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i <= upTo; i++) sb.append(i);
        return sb.toString();
    }

    @Test
    void objectSlicesPointToPoint() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            if (w.rank() == 0) {
                Object[] src = {"a", "b", "c", "d", "e"};
                w.send(src, 1, 3, 1, 7);
                Request r = w.isend(new Object[]{1, List.of(2, 3), null}, 0, 3, 1, 8);
                r.await();
                w.send(src, 0, 3, 1, 9); // 3 objects to a receive of 2
                w.sendObject("not an array", 1, 10);
            } else {
                Object[] dst = new Object[6];
                Status s = w.recv(dst, 2, 4, 0, 7);
                assertEquals(3, s.count());
                assertEquals(0, s.source());
                assertEquals(7, s.tag());
                assertArrayEquals(new Object[]{null, null, "b", "c", "d", null}, dst);
                Object[] more = new Object[3];
                Request r = w.irecv(more, 0, 3, Mpi.ANY_SOURCE, 8);
                assertEquals(3, r.await().count());
                assertEquals(3, r.await().count(), "await twice: the same status");
                assertArrayEquals(new Object[]{1, List.of(2, 3), null}, more);
                MpiException e = assertThrows(MpiException.class, () -> w.recv(new Object[2], 0, 2, 0, 9));
                assertEquals(ErrorClass.TRUNCATE, e.errorClass());
                assertEquals("recv: message of 3 objects from rank 0 exceeds count=2", e.getMessage());
                e = assertThrows(MpiException.class, () -> w.recv(new Object[2], 0, 2, 0, 10));
                assertEquals(ErrorClass.TYPE, e.errorClass());
                assertEquals(0, w.recv(new Object[1], 0, 1, Mpi.PROC_NULL, 0).count());
                e = assertThrows(MpiException.class, () -> w.recv(new Object[2], 1, 2, 0, 0));
                assertEquals("recv: offset=1 + count=2 exceeds buf length 2", e.getMessage());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void vVariantsOnObjectArrays(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), root = n - 1;
            // rank i contributes i + 1 objects "i.k"
            Object[] mine = new Object[me + 3];
            for (int k = 0; k <= me; k++) mine[1 + k] = me + "." + k;
            int[] counts = new int[n], displs = new int[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                counts[i] = i + 1;
                displs[i] = total + 1; // a gap of one before each block
                total += i + 2;
            }
            Object[] expected = new Object[total];
            for (int i = 0; i < n; i++) for (int k = 0; k <= i; k++) expected[displs[i] + k] = i + "." + k;

            Object[] all = new Object[total];
            w.allgathervObject(mine, 1, me + 1, all, counts, displs);
            assertArrayEquals(expected, all);

            Object[] atRoot = me == root ? new Object[total] : null;
            w.gathervObject(mine, 1, me + 1, atRoot, counts, displs, root);
            if (me == root) assertArrayEquals(expected, atRoot);

            Object[] back = new Object[me + 2];
            assertEquals(me + 1, w.scattervObject(me == root ? expected : null, counts, displs, back, 1, me + 1, root));
            assertArrayEquals(Arrays.copyOfRange(mine, 0, me + 2), back);

            if (n > 1) {
                Object[] sink = new Object[total];
                MpiException e = assertThrows(MpiException.class,
                        () -> w.allgathervObject(mine, 1, me + 1, sink, new int[n], displs));
                assertEquals(ErrorClass.TRUNCATE, e.errorClass());
                assertEquals("allgathervObject: rank 0 sent 1 objects, but recvCounts[0]=0", e.getMessage());
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void scanExscanReduceScatter(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank();
            assertEquals(prefix(me), w.scanObject(String.valueOf(me), CONCAT));
            assertEquals(me == 0 ? null : prefix(me - 1), w.exscanObject(String.valueOf(me), CONCAT));
            List<String> objs = new ArrayList<>();
            for (int i = 0; i < n; i++) objs.add(me + ">" + i + ";");
            StringBuilder want = new StringBuilder();
            for (int r = 0; r < n; r++) want.append(r).append('>').append(me).append(';');
            assertEquals(want.toString(), w.reduceScatterObject(objs, CONCAT));
            MpiException e = assertThrows(MpiException.class, () -> w.reduceScatterObject(List.of(), CONCAT));
            assertEquals("reduceScatterObject: objs.size()=0 differs from the communicator size " + n, e.getMessage());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4})
    void nonBlockingObjectCollectives(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int me = w.rank(), root = n / 2;
            String s = String.valueOf(me);
            List<String> perRank = new ArrayList<>();
            for (int i = 0; i < n; i++) perRank.add(me + "->" + i);
            List<String> ranks = new ArrayList<>();
            for (int i = 0; i < n; i++) ranks.add(String.valueOf(i));

            ObjectRequest<String> bcast = w.ibcastObject(me == root ? "from root" : null, root);
            ObjectRequest<List<String>> gather = w.igatherObject(s, root);
            ObjectRequest<List<String>> allgather = w.iallgatherObject(s);
            ObjectRequest<String> scatter = w.iscatterObject(me == root ? ranks : null, root);
            ObjectRequest<List<String>> alltoall = w.ialltoallObject(perRank);
            ObjectRequest<String> reduce = w.ireduceObject(s, CONCAT, root);
            ObjectRequest<String> allreduce = w.iallreduceObject(s, CONCAT);
            ObjectRequest<String> scan = w.iscanObject(s, CONCAT);
            ObjectRequest<String> exscan = w.iexscanObject(s, CONCAT);
            Requests.awaitAll(bcast, gather, allgather, scatter, alltoall, reduce, allreduce, scan, exscan);

            assertEquals("from root", bcast.object());
            assertEquals(me == root ? ranks : null, gather.object());
            assertEquals(ranks, allgather.object());
            assertEquals(s, scatter.object());
            List<String> got = new ArrayList<>();
            for (int i = 0; i < n; i++) got.add(i + "->" + me);
            assertEquals(got, alltoall.object());
            assertEquals(me == root ? prefix(n - 1) : null, reduce.object());
            assertEquals(prefix(n - 1), allreduce.object());
            assertEquals(prefix(me), scan.object());
            assertEquals(me == 0 ? null : prefix(me - 1), exscan.object());
            assertSame(scan.object(), scan.object(), "decoded once");
        });
    }

    @Test
    void nonBlockingObjectCollectiveOverTcp() {
        Jobs.run("tcp", 3, mpi -> {
            Comm w = mpi.world();
            ObjectRequest<String> r = w.iallreduceObject(String.valueOf(w.rank()), CONCAT);
            ObjectRequest<List<String>> g = w.iallgatherObject("r" + w.rank());
            assertEquals("012", r.object());
            assertEquals(List.of("r0", "r1", "r2"), g.object());
            Object[] buf = new Object[2];
            if (w.rank() == 0) w.send(new Object[]{"x", 2}, 0, 2, 2, 0);
            if (w.rank() == 2) assertEquals(2, w.recv(buf, 0, 2, 0, 0).count());
            if (w.rank() == 2) assertArrayEquals(new Object[]{"x", 2}, buf);
        });
    }
}
