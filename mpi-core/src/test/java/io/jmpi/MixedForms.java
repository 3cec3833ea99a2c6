package io.jmpi;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One rank's buffer for {@code m} blocks of {@code k} ints, described either as plain {@code int[]} (the typed
 * overloads) or through a derived {@link Datatype}: contiguous (4 ints per element, {@code k / 4} elements per block)
 * or a column of a {@code k x m} row-major matrix (a vector resized to one int's extent, so element j is column j;
 * one element per block; with {@code m = 1} column 1 of a {@code k x 3} matrix). Cells outside the blocks hold
 * {@link #UNTOUCHED} and must keep it. Used by {@link DatatypeConformance}'s mixed-form collectives.
 */
final class MixedForms {
    static final int UNTOUCHED = -7;

    enum Kind { PLAIN, CONTIGUOUS, COLUMN }

    final Kind kind;
    final int k, m;
    final int[] buf;
    final int offset;
    final int cols;
    final Datatype type;

    MixedForms(Kind kind, int k, int m) {
        this.kind = kind;
        this.k = k;
        this.m = m;
        this.cols = kind == Kind.COLUMN ? (m == 1 ? 3 : m) : 0;
        this.offset = kind == Kind.COLUMN && m == 1 ? 1 : 0;
        this.buf = new int[kind == Kind.COLUMN ? k * cols : k * m];
        Arrays.fill(buf, UNTOUCHED);
        switch (kind) {
            case CONTIGUOUS: type = Datatype.contiguous(4, Datatype.INT).commit(); break;
            case COLUMN: type = Datatype.resized(Datatype.vector(k, 1, cols, Datatype.INT), 0, 4).commit(); break;
            default: type = null;
        }
    }

    /** Elements of {@link #type} per block of k ints. */
    int perBlock() {
        return kind == Kind.CONTIGUOUS ? k / 4 : 1;
    }

    /** Elements of {@link #type} for all m blocks. */
    int all() {
        return perBlock() * m;
    }

    int index(int block, int i) {
        return kind == Kind.COLUMN ? i * cols + offset + block : block * k + i;
    }

    /** The serial model's value of element i of block b sent by rank r. */
    static int value(int r, int b, int i) {
        return r * 10_000_000 + b * 100_000 + i;
    }

    void fill(int rank) {
        for (int b = 0; b < m; b++) for (int i = 0; i < k; i++) buf[index(b, i)] = value(rank, b, i);
    }

    interface Expect {
        int at(int block, int i);
    }

    /** Asserts every block element against {@code e} and every other cell untouched. */
    void check(String what, Expect e) {
        boolean[] inBlock = new boolean[buf.length];
        for (int b = 0; b < m; b++) {
            for (int i = 0; i < k; i++) {
                int at = index(b, i);
                inBlock[at] = true;
                int want = e.at(b, i);
                if (buf[at] != want) assertEquals(want, buf[at], what + " (" + kind + "): block " + b + " element " + i);
            }
        }
        for (int j = 0; j < buf.length; j++) {
            if (!inBlock[j] && buf[j] != UNTOUCHED) assertEquals(UNTOUCHED, buf[j], what + " (" + kind + "): gap " + j);
        }
    }
}
