package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** Communicator extras: compare, self, names, info, attribute caching, idup, createGroup, error handlers, group ranges. */
@Timeout(60)
class CommExtrasTest {
    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void compareDupSplitWorldSelf(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            Comm d = w.dup();
            Comm reversed = w.split(0, n - w.rank());
            Comm halves = w.split(w.rank() % 2, w.rank());
            Comm alone = w.split(w.rank(), 0);
            assertEquals(Comparison.IDENT, w.compare(w));
            assertEquals(Comparison.CONGRUENT, w.compare(d));
            assertEquals(Comparison.CONGRUENT, d.compare(w));
            assertEquals(Comparison.SIMILAR, w.compare(reversed));
            assertEquals(Comparison.UNEQUAL, w.compare(halves));
            assertEquals(Comparison.UNEQUAL, w.compare(mpi.self()));
            assertEquals(Comparison.IDENT, mpi.self().compare(mpi.self()));
            assertEquals(Comparison.CONGRUENT, mpi.self().compare(alone));
            assertEquals(Comparison.SIMILAR, w.group().compare(reversed.group()));
            assertEquals(Comparison.IDENT, w.group().compare(d.group()));
        });
    }

    @Test
    void selfIsThisRankAloneAndCannotBeFreed() {
        AtomicInteger deletedAtClose = new AtomicInteger();
        Mpi.runThreads(3, mpi -> {
            Comm self = mpi.self();
            assertEquals(0, self.rank());
            assertEquals(1, self.size());
            assertEquals(mpi.rank(), self.worldRank(0));
            assertEquals("SELF", self.name());
            self.send(new int[]{mpi.rank() + 40}, 0, 3);
            int[] x = new int[1];
            assertEquals(0, self.recv(x, 0, 3).source());
            assertEquals(mpi.rank() + 40, x[0]);
            int[] sum = new int[1];
            self.allreduce(new int[]{5}, sum, Op.SUM);
            assertEquals(5, sum[0]);
            assertEquals("free: communicator SELF cannot be freed", assertThrows(MpiException.class, self::free).getMessage());
            // MPI_Finalize deletes SELF's attributes first
            Keyval k = Comm.createKeyval(Keyval.NULL_COPY, (c, key, v) -> deletedAtClose.incrementAndGet());
            self.setAttr(k, "bye");
        });
        assertEquals(3, deletedAtClose.get());
    }

    @Test
    void attributesAreCopiedOnDupAndDeletedOnOverwriteDeleteAndFree() {
        AtomicInteger copies = new AtomicInteger();
        AtomicInteger deletes = new AtomicInteger();
        ConcurrentLinkedQueue<Object> deleted = new ConcurrentLinkedQueue<>();
        Mpi.runThreads(4, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_RETURN);
            Keyval plusOne = Comm.createKeyval((old, key, v) -> {
                copies.incrementAndGet();
                return (Integer) v + 1;
            }, (c, key, v) -> {
                deletes.incrementAndGet();
                deleted.add(v);
            });
            Keyval notCopied = Comm.createKeyval(Keyval.NULL_COPY, Keyval.NULL_DELETE);
            Comm d = w.dup();
            assertNull(d.getAttr(plusOne));
            d.setAttr(plusOne, 10);
            d.setAttr(notCopied, "x");
            Comm d2 = d.dup();
            assertEquals(11, d2.getAttr(plusOne));
            assertNull(d2.getAttr(notCopied));
            assertEquals("x", d.getAttr(notCopied));
            d2.setAttr(plusOne, 20);             // overwrite: deletes 11
            d2.deleteAttr(plusOne);              // deletes 20
            assertNull(d2.getAttr(plusOne));
            d.free();                            // deletes 10
            d2.free();                           // nothing left
            MpiException e = assertThrows(MpiException.class, () -> d2.deleteAttr(notCopied));
            assertEquals("deleteAttr: communicator WORLD.dup.dup has been freed", e.getMessage());
            // a freed key can no longer be used
            w.setAttr(plusOne, 1);
            plusOne.free();
            e = assertThrows(MpiException.class, () -> w.setAttr(plusOne, 2));
            assertEquals(ErrorClass.ARG, e.errorClass());
            assertEquals("setAttr: keyval " + plusOne + " has been freed (Keyval.free)", e.getMessage());
            e = assertThrows(MpiException.class, () -> w.getAttr(plusOne));
            assertEquals("getAttr: keyval " + plusOne + " has been freed (Keyval.free)", e.getMessage());
            // but the value cached before stays, and is still copied by dup
            Comm d3 = w.dup();
            assertEquals(2, d3.attributes.get(plusOne));
            e = assertThrows(MpiException.class, () -> w.deleteAttr(notCopied));
            assertEquals("deleteAttr: no value is cached under " + notCopied + " on WORLD", e.getMessage());
        });
        assertEquals(4 * 2, copies.get(), "one copy per rank for d -> d2, one for w -> d3");
        assertEquals(4 * 3, deletes.get());
        assertEquals(4, deleted.stream().filter(v -> v.equals(11)).count());
        assertEquals(4, deleted.stream().filter(v -> v.equals(20)).count());
        assertEquals(4, deleted.stream().filter(v -> v.equals(10)).count());
    }

    @Test
    void namesAndInfo() {
        Mpi.runThreads(2, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_RETURN);
            assertEquals("WORLD", w.name());
            Info hints = new Info().set("a", "1").set("b", "2");
            Comm d = w.dup(hints);
            hints.set("c", "3");
            assertEquals(List.of("a", "b"), d.info().keys(), "the communicator keeps a copy");
            assertEquals("2", d.info().get("b"));
            Comm d2 = d.dup();
            assertEquals("1", d2.info().get("a"), "dup keeps the hints");
            d.setName("solver");
            assertEquals("solver", d.name());
            assertEquals("setName: name length 129 out of range [0, 128]",
                    assertThrows(MpiException.class, () -> d.setName("x".repeat(129))).getMessage());
            Info i = new Info().set("k", "v");
            Info j = i.dup();
            i.delete("k");
            assertNull(i.get("k"));
            assertEquals("v", j.get("k"));
            assertEquals(0, i.size());
            assertEquals("Info.delete: key \"k\" is not set (MPI_ERR_INFO_NOKEY)",
                    assertThrows(MpiException.class, () -> i.delete("k")).getMessage());
            assertEquals("Info.set: key length 0 out of range [1, 255]",
                    assertThrows(MpiException.class, () -> i.set("", "v")).getMessage());
            Comm g = w.createGroup(w.group(), 1, new Info().set("h", "x"));
            assertEquals("x", g.info().get("h"));
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void idupRunsBesideOtherCollectives(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            Keyval k = Comm.createKeyval(Keyval.DUP_COPY, Keyval.NULL_DELETE);
            w.setAttr(k, "cached");
            CompletableFuture<Comm> f1 = w.idup();
            CompletableFuture<Comm> f2 = w.idup(new Info().set("x", "y"));
            int[] s = new int[1];
            w.allreduce(new int[]{w.rank()}, s, Op.SUM);       // a collective of the parent meanwhile
            assertEquals(n * (n - 1) / 2, s[0]);
            Comm a = f1.get(30, java.util.concurrent.TimeUnit.SECONDS);
            Comm b = f2.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(Comparison.CONGRUENT, w.compare(a));
            assertEquals(Comparison.CONGRUENT, a.compare(b));
            assertEquals("cached", a.getAttr(k));
            assertEquals("y", b.info().get("x"));
            // separate message spaces: the same tag on both, received in the opposite order
            int next = (w.rank() + 1) % n, prev = (w.rank() + n - 1) % n;
            Request ra = a.isend(new int[]{1}, next, 4);
            Request rb = b.isend(new int[]{2}, next, 4);
            int[] x = new int[1];
            b.recv(x, prev, 4);
            assertEquals(2, x[0]);
            a.recv(x, prev, 4);
            assertEquals(1, x[0]);
            ra.await();
            rb.await();
            a.allreduce(new int[]{1}, s, Op.SUM);
            assertEquals(n, s[0]);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5})
    void createGroupIsCollectiveOverTheMembersOnly(int n) {
        Mpi.runThreads(n, mpi -> {
            Comm w = mpi.world();
            int r = w.rank();
            Group evens = w.group().rangeIncl(new int[][]{{0, n - 1, 2}});
            if (r % 2 == 0) {
                Comm c = w.createGroup(evens, 5);
                assertEquals((n + 1) / 2, c.size());
                assertEquals(r / 2, c.rank());
                int[] s = new int[1];
                c.allreduce(new int[]{r}, s, Op.SUM);
                int expect = 0;
                for (int i = 0; i < n; i += 2) expect += i;
                assertEquals(expect, s[0]);
                assertEquals(Comparison.UNEQUAL, c.compare(w));
            } else {
                // the odd ranks do other work meanwhile, and call it locally for a group they are not in
                assertNull(w.createGroup(evens, 5));
                Group odds = w.group().rangeExcl(new int[][]{{0, n - 1, 2}});
                Comm c = w.createGroup(odds, 5);
                assertEquals(r / 2, c.rank());
                c.barrier();
                if (r == 1 && n > 3) c.send(new int[]{77}, 1, 0);
                if (r == 3) {
                    int[] x = new int[1];
                    c.recv(x, 0, 0);
                    assertEquals(77, x[0]);
                }
            }
            w.barrier();
        });
    }

    @Test
    void groupRangesAndCompare() {
        Mpi.runThreads(1, mpi -> {
            Group g = mpi.world().group().union(new Group(new int[]{0, 1, 2, 3, 4, 5, 6}, 0));
            assertArrayEquals(new int[]{0, 2, 4, 6, 5}, g.rangeIncl(new int[][]{{0, 6, 2}, {5, 5, 1}}).worldRanks());
            assertArrayEquals(new int[]{6, 3, 0}, g.rangeIncl(new int[][]{{6, 0, -3}}).worldRanks());
            assertArrayEquals(new int[]{0, 2, 4, 6}, g.rangeExcl(new int[][]{{1, 5, 2}}).worldRanks());
            assertEquals(Comparison.SIMILAR, g.compare(g.rangeIncl(new int[][]{{6, 0, -1}})));
            assertEquals(Comparison.UNEQUAL, g.compare(g.rangeExcl(new int[][]{{0, 0, 1}})));
            assertEquals(Comparison.IDENT, g.compare(g.incl(0, 1, 2, 3, 4, 5, 6)));
            assertEquals("rangeIncl: ranges[1] stride=0 out of range (nonzero)",
                    assertThrows(MpiException.class, () -> g.rangeIncl(new int[][]{{0, 1, 1}, {2, 3, 0}})).getMessage());
            assertEquals("rangeExcl: ranges[0] last=9 out of range [0, 7)",
                    assertThrows(MpiException.class, () -> g.rangeExcl(new int[][]{{0, 9, 1}})).getMessage());
            assertEquals("rangeIncl: ranges[0] has 2 entries, needs 3 (first, last, stride)",
                    assertThrows(MpiException.class, () -> g.rangeIncl(new int[][]{{0, 9}})).getMessage());
            assertEquals("incl: ranks[2]=2 is listed twice",
                    assertThrows(MpiException.class, () -> g.rangeIncl(new int[][]{{0, 2, 2}, {2, 2, 1}})).getMessage());
        });
    }

    @Test
    void errorsAreFatalWhenSetEvenWhenCaught() {
        AtomicReference<String> caught = new AtomicReference<>();
        AtomicInteger othersFailed = new AtomicInteger();
        MpiException job = assertThrows(MpiException.class, () -> Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            assertEquals(Errhandler.ERRORS_RETURN, w.errhandler(), "jmpi.errors=return is the default");
            assertEquals(Errhandler.ERRORS_RETURN, mpi.self().errhandler());
            w.setErrhandler(Errhandler.ERRORS_ARE_FATAL);
            if (w.rank() == 0) {
                try {
                    w.compare(null);
                } catch (MpiException e) {
                    caught.set(e.getMessage());     // too late: the job is already aborted
                }
            } else {
                try {
                    w.recv(new int[1], 0, 99);      // never sent: only the abort ends this
                } catch (MpiException e) {
                    othersFailed.incrementAndGet();
                    throw e;
                }
            }
        }));
        assertEquals("compare: other is null", caught.get());
        assertEquals(2, othersFailed.get());
        assertTrue(String.valueOf(job.getMessage()).contains("compare: other is null")
                || (job.getCause() != null && String.valueOf(job.getCause().getMessage()).contains("compare: other is null")), job.toString());
    }

    @Test
    void errorsReturnOnlyReachTheCaller() {
        Mpi.runThreads(3, mpi -> {
            Comm w = mpi.world();
            w.setErrhandler(Errhandler.ERRORS_RETURN);
            assertEquals(Errhandler.ERRORS_RETURN, w.dup().errhandler(), "new communicators inherit the handler");
            if (w.rank() == 0) {
                MpiException e = assertThrows(MpiException.class, () -> w.compare(null));
                assertEquals("compare: other is null", e.getMessage());
                w.send(new int[]{1}, 1, 99);
                w.send(new int[]{2}, 2, 99);
            } else {
                int[] x = new int[1];
                w.recv(x, 0, 99);
                assertEquals(w.rank(), x[0]);
            }
        });
    }
}
