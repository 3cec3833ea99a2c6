package io.jmpi.examples;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class SampleSortTest {
    @Test
    void mergeOfSortedRunsIsSorted() {
        SplittableRandom r = new SplittableRandom(1);
        for (int runs = 1; runs <= 9; runs++) {
            int[] starts = new int[runs];
            long[] a = new long[0];
            for (int i = 0; i < runs; i++) {
                long[] run = r.longs(r.nextInt(0, 50), -100, 100).sorted().toArray();
                starts[i] = a.length;
                a = Arrays.copyOf(a, a.length + run.length);
                System.arraycopy(run, 0, a, starts[i], run.length);
            }
            long[] expected = a.clone();
            Arrays.sort(expected);
            assertArrayEquals(expected, SampleSort.merge(a.clone(), starts), runs + " runs");
        }
    }
}
