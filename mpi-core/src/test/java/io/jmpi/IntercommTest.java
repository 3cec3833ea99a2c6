package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Intercommunicators between the even and the odd world ranks (leaders: world ranks 0 and 1), checked against
 * values computed serially from world ranks.
 */
@Timeout(60)
class IntercommTest {
    /** The intercommunicator of this rank's parity group with the other one. */
    static Intercomm evensOdds(Mpi mpi) {
        Comm w = mpi.world();
        int color = w.rank() % 2;
        Comm mine = w.split(color, w.rank());
        return mine.createIntercomm(0, w, color == 0 ? 1 : 0, 7);
    }

    /** World ranks of parity {@code color} in a world of n. */
    static int[] parity(int n, int color) {
        int[] a = new int[(n - color + 1) / 2];
        for (int i = 0; i < a.length; i++) a[i] = 2 * i + color;
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void pointToPointAddressesTheRemoteGroup(int n) {
        Mpi.runThreads(n, mpi -> body(mpi, n));
    }

    static void body(Mpi mpi, int n) {
        Intercomm ic = evensOdds(mpi);
        int color = mpi.rank() % 2;
        int[] local = parity(n, color), remote = parity(n, 1 - color);
        assertEquals(local.length, ic.size());
        assertEquals(mpi.rank() / 2, ic.rank());
        assertEquals(remote.length, ic.remoteSize());
        assertArrayEquals(remote, ic.remoteGroup().worldRanks());
        assertArrayEquals(local, ic.group().worldRanks());
        Request[] sends = new Request[remote.length];
        for (int j = 0; j < remote.length; j++) {
            sends[j] = ic.isend(new int[]{mpi.rank() * 100 + remote[j]}, j, 5);
        }
        boolean[] seen = new boolean[remote.length];
        for (int i = 0; i < remote.length; i++) {
            int[] x = new int[1];
            Status s = ic.recv(x, Mpi.ANY_SOURCE, 5);
            assertFalse(seen[s.source()]);
            seen[s.source()] = true;
            assertEquals(remote[s.source()] * 100 + mpi.rank(), x[0], "status source is the sender's remote rank");
        }
        for (Request r : sends) r.await();
        // all-reduce: each group gets the other group's sum
        int[] sum = new int[2];
        ic.allreduce(new int[]{mpi.rank(), 1}, sum, Op.SUM);
        assertArrayEquals(new int[]{Arrays.stream(remote).sum(), remote.length}, sum);
        ic.barrier();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void mergeOrdersTheLowGroupFirst(int n) {
        Mpi.runThreads(n, mpi -> {
            Intercomm ic = evensOdds(mpi);
            boolean odd = mpi.rank() % 2 == 1;
            int[] evensFirst = new int[n], oddsFirst = new int[n];
            int k = 0;
            for (int r : parity(n, 0)) evensFirst[k++] = r;
            for (int r : parity(n, 1)) evensFirst[k++] = r;
            k = 0;
            for (int r : parity(n, 1)) oddsFirst[k++] = r;
            for (int r : parity(n, 0)) oddsFirst[k++] = r;
            Comm m1 = ic.merge(odd);          // evens pass false: first
            assertArrayEquals(evensFirst, m1.group().worldRanks());
            Comm m2 = ic.merge(!odd);         // odds pass false: first
            assertArrayEquals(oddsFirst, m2.group().worldRanks());
            Comm m3 = ic.merge(true);         // a tie: the group holding world rank 0 first
            assertArrayEquals(evensFirst, m3.group().worldRanks());
            int[] s = new int[1];
            m2.allreduce(new int[]{m2.rank()}, s, Op.SUM);
            assertEquals(n * (n - 1) / 2, s[0]);
            assertEquals(Comparison.SIMILAR, m1.compare(m2));
            assertEquals(Comparison.CONGRUENT, m1.compare(m3));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void rootedCollectivesFollowTheRootConvention(int n) {
        Mpi.runThreads(n, mpi -> {
            Intercomm ic = evensOdds(mpi);
            int color = mpi.rank() % 2;
            int[] remote = parity(n, 1 - color);
            // bcast from the last even rank to every odd rank
            int evenRoot = parity(n, 0).length - 1;
            long[] b = new long[3];
            if (color == 0) {
                if (ic.rank() == evenRoot) b = new long[]{7, 8, 9};
                ic.bcast(ic.rank() == evenRoot ? b : null, ic.rank() == evenRoot ? Intercomm.ROOT : Mpi.PROC_NULL);
            } else {
                ic.bcast(b, evenRoot);
                assertArrayEquals(new long[]{7, 8, 9}, b);
            }
            // gather to odd rank 0 from every even rank
            if (color == 1) {
                int[] got = new int[2 * remote.length];
                ic.gather(null, got, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL);
                if (ic.rank() == 0) {
                    int[] expect = new int[2 * remote.length];
                    for (int i = 0; i < remote.length; i++) {
                        expect[2 * i] = remote[i];
                        expect[2 * i + 1] = remote[i] * remote[i];
                    }
                    assertArrayEquals(expect, got);
                }
            } else {
                ic.gather(new int[]{mpi.rank(), mpi.rank() * mpi.rank()}, null, 0);
            }
            // scatter from even rank 0 to the odd ranks
            if (color == 0) {
                double[] send = new double[2 * remote.length];
                for (int j = 0; j < remote.length; j++) {
                    send[2 * j] = 100 + j;
                    send[2 * j + 1] = 0.5 * remote[j];
                }
                ic.scatter(ic.rank() == 0 ? send : null, null, ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL);
            } else {
                double[] got = new double[2];
                ic.scatter(null, got, 0);
                assertArrayEquals(new double[]{100 + ic.rank(), 0.5 * mpi.rank()}, got);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6})
    void dupHasTheSameGroupsOnItsOwnContexts(int n) {
        Mpi.runThreads(n, mpi -> {
            Intercomm ic = evensOdds(mpi);
            Intercomm d = ic.dup();
            assertNotSame(ic, d);
            assertEquals(ic.rank(), d.rank());
            assertArrayEquals(ic.group().worldRanks(), d.group().worldRanks());
            assertArrayEquals(ic.remoteGroup().worldRanks(), d.remoteGroup().worldRanks());
            int rs = ic.remoteSize();
            // same peer and tag on both: each receive takes its own communicator's message, whatever the order
            for (int j = 0; j < rs; j++) {
                ic.send(new int[]{1}, j, 3);
                d.send(new int[]{2}, j, 3);
            }
            for (int j = 0; j < rs; j++) {
                int[] x = new int[1];
                d.recv(x, j, 3);
                assertEquals(2, x[0]);
                ic.recv(x, j, 3);
                assertEquals(1, x[0]);
            }
            // collectives of the two do not meet either: a non-blocking one on the original, a blocking one between
            Request pending = ic.ibarrier();
            double[] sum = new double[1];
            d.allreduce(new double[]{1}, sum, Op.SUM);
            assertEquals(rs, sum[0]);
            pending.await();
            d.free();
            MpiException e = assertThrows(MpiException.class, () -> d.send(new int[]{0}, 0, 3));
            assertEquals(ErrorClass.STATE, e.errorClass());
            ic.barrier();
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void allgatherAndAlltoallExchangeBetweenTheGroups(int n) {
        Mpi.runThreads(n, mpi -> {
            Intercomm ic = evensOdds(mpi);
            int color = mpi.rank() % 2;
            int[] remote = parity(n, 1 - color);
            int[] all = new int[remote.length];
            ic.allgather(new int[]{mpi.rank()}, all);
            assertArrayEquals(remote, all);
            long[] send = new long[remote.length];
            for (int j = 0; j < remote.length; j++) send[j] = mpi.rank() * 1000L + remote[j];
            long[] recv = new long[remote.length];
            ic.alltoall(send, recv);
            for (int i = 0; i < remote.length; i++) assertEquals(remote[i] * 1000L + mpi.rank(), recv[i]);
            double[] dsum = new double[1];
            ic.allreduce(new double[]{0.5}, dsum, Op.SUM);
            assertEquals(0.5 * remote.length, dsum[0]);
        });
    }

    @Test
    void badInputGetsPreciseErrors() {
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_RETURN);
            Comm mine = w.split(w.rank() % 2, w.rank());
            MpiException e = assertThrows(MpiException.class, () -> mine.createIntercomm(2, w, 1 - w.rank() % 2, 7));
            assertEquals("createIntercomm: localLeader=2 out of range [0, 2)", e.getMessage());
            e = assertThrows(MpiException.class, () -> mine.createIntercomm(0, w, w.rank() % 2, 7));
            assertEquals("createIntercomm: remoteLeader=" + w.rank() % 2 + " is the local leader itself; it must be the other"
                    + " group's leader", e.getMessage());
            Intercomm ic = mine.createIntercomm(0, w, 1 - w.rank() % 2, 7);
            assertEquals(Errhandler.ERRORS_RETURN, ic.errhandler());
            e = assertThrows(MpiException.class, () -> ic.send(new int[1], 2, 0));
            assertEquals("send: dest=2 out of range [0, 2) (or PROC_NULL)", e.getMessage());
            // both groups claim the root: every rank of both groups gets the same error, and the intercomm goes on
            int root = ic.rank() == 0 ? Intercomm.ROOT : Mpi.PROC_NULL;
            e = assertThrows(MpiException.class, () -> ic.bcast(new int[1], root));
            assertEquals(ErrorClass.COLLECTIVE, e.errorClass());
            assertEquals("bcast: both groups of WORLD.split(" + w.rank() % 2 + ").inter passed Intercomm.ROOT or PROC_NULL as"
                    + " root; only the root's group does, the other group passes the root's rank", e.getMessage());
            e = assertThrows(MpiException.class, () -> ic.gather(new int[1], new int[2], 5));
            assertEquals("gather: root=5 out of range [0, 2) of the remote group (or Intercomm.ROOT, PROC_NULL in the"
                    + " root's group)", e.getMessage());
            e = assertThrows(MpiException.class, () -> ic.alltoall(new int[3], new int[2]));
            assertEquals("alltoall: send.length=3 is not a multiple of the remote group size 2", e.getMessage());
            ic.barrier();
            ic.free();
            e = assertThrows(MpiException.class, ic::barrier);
            assertEquals("barrier: communicator WORLD.split(" + w.rank() % 2 + ").inter has been freed", e.getMessage());
        });
    }

    @Test
    void overTcp() {
        Jobs.run("tcp", 3, mpi -> {
            body(mpi, 3);
            Intercomm ic = evensOdds(mpi);
            Comm m = ic.merge(mpi.rank() % 2 == 1);
            assertArrayEquals(new int[]{0, 2, 1}, m.group().worldRanks());
            Comm g = mpi.world().createGroup(mpi.world().group().incl(2, 0), 3);
            if (mpi.rank() == 1) {
                assertNull(g);
            } else {
                assertEquals(mpi.rank() == 2 ? 0 : 1, g.rank());
                int[] s = new int[1];
                g.allreduce(new int[]{mpi.rank()}, s, Op.SUM);
                assertEquals(2, s[0]);
            }
        });
    }
}
