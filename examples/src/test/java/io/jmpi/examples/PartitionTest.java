package io.jmpi.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionTest {
    @Test
    void blocksCoverEveryItemOnceAndDifferByAtMostOne() {
        for (long n : new long[]{0, 1, 7, 100, 101, 1L << 33}) {
            for (int p : new int[]{1, 2, 3, 4, 7, 64}) {
                Partition part = new Partition(n, p);
                assertEquals(0, part.lo(0));
                assertEquals(n, part.hi(p - 1));
                long min = Long.MAX_VALUE, max = 0;
                for (int i = 0; i < p; i++) {
                    assertEquals(part.hi(i), part.lo(i + 1));
                    long c = part.hi(i) - part.lo(i);
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                    if (c > 0) {
                        assertEquals(i, part.owner(part.lo(i)), n + "/" + p + " owner of first of " + i);
                        assertEquals(i, part.owner(part.hi(i) - 1), n + "/" + p + " owner of last of " + i);
                    }
                }
                assertTrue(max - min <= 1, n + "/" + p);
            }
        }
    }

    @Test
    void countsAndDisplacementsForTheVCollectives() {
        Partition part = new Partition(10, 4);
        assertEquals("[3, 3, 2, 2]", java.util.Arrays.toString(part.counts()));
        assertEquals("[0, 3, 6, 8]", java.util.Arrays.toString(part.displs()));
    }
}
