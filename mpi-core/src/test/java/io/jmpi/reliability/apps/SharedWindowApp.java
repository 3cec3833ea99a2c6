package io.jmpi.reliability.apps;

import io.jmpi.Comm;
import io.jmpi.Mpi;
import io.jmpi.Op;
import io.jmpi.Win;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Every rank JVM stores into its own segment of a shared window; every rank then loads every segment directly; then
 * each stores into its right neighbour's segment (a store across processes) and reads back what its left neighbour
 * stored into its own; finally a passive-target accumulate on rank 0 by all. Prints "shared ok ranks=N sum=S".
 */
public final class SharedWindowApp {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static void main(String[] args) {
        try (Mpi mpi = Mpi.init(args)) {
            Comm w = mpi.world();
            int n = w.size(), me = w.rank();
            try (Win win = Win.allocateShared(w, 64, 8)) {
                ByteBuffer mine = win.sharedQuery(me);
                for (int i = 0; i < 4; i++) LONGS.setVolatile(mine, 8 * i, 1000L * me + i);
                w.barrier();
                for (int r = 0; r < n; r++) {
                    ByteBuffer seg = win.sharedQuery(r);
                    for (int i = 0; i < 4; i++) check((long) LONGS.getVolatile(seg, 8 * i) == 1000L * r + i, "segment " + r + "[" + i + "]");
                }
                w.barrier();
                LONGS.setVolatile(win.sharedQuery((me + 1) % n), 8 * 5, 7000L + me);
                w.barrier();
                check((long) LONGS.getVolatile(mine, 8 * 5) == 7000L + (me + n - 1) % n, "store of the left neighbour");
                win.lockAll(0);
                win.accumulate(new long[]{me + 1}, 0, 1, 0, 7, Op.SUM);
                win.unlockAll();
                w.barrier();
                long sum = (long) LONGS.getVolatile(win.sharedQuery(0), 8 * 7);
                check(sum == (long) n * (n + 1) / 2, "accumulated sum " + sum);
                if (me == 0) System.out.println("shared ok ranks=" + n + " sum=" + sum);
            }
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError("shared window: wrong " + what);
    }
}
