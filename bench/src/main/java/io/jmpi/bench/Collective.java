package io.jmpi.bench;

import io.jmpi.Comm;
import io.jmpi.Op;

/**
 * The collective tests of {@link Osu}, element types and counts as in the C reference ({@code bench/c/osu.c}):
 * bytes for bcast/allgather/alltoall (size per rank), floats ({@code size / 4}, SUM) for reduce/allreduce.
 */
final class Collective {
    private Collective() {
    }

    static void run(String test, Comm world, Osu.Payload p) {
        int size = p.size;
        switch (test) {
            case "barrier":
                world.barrier();
                break;
            case "bcast":
                world.bcast(p.array, 0, size, 0);
                break;
            case "reduce":
                world.reduce(p.floats, 0, p.floatsOut, 0, size / 4, Op.SUM, 0);
                break;
            case "allreduce":
                world.allreduce(p.floats, 0, p.floatsOut, 0, size / 4, Op.SUM);
                break;
            case "allgather":
                world.allgather(p.array, 0, size, p.big, 0);
                break;
            case "alltoall":
                world.alltoall(p.bigOut, 0, p.big, 0, size);
                break;
            default:
                throw new IllegalArgumentException("osu: unknown collective test " + test);
        }
    }
}
