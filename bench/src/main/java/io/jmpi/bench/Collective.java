package io.jmpi.bench;

import io.jmpi.Comm;
import io.jmpi.Op;

/**
 * The collective tests of {@link Osu}, element types and counts as in the C reference ({@code bench/c/osu.c}):
 * bytes for bcast/allgather/alltoall (size per rank), floats ({@code size / 4}, SUM) for reduce/allreduce; bcast and
 * reduce use root 0, the send buffer is osu.c's {@code sbuf}, the receive buffer its {@code rbuf}.
 */
final class Collective {
    private Collective() {
    }

    static void run(String test, Comm world, Osu.Buffers p) {
        int size = p.size;
        switch (test) {
            case "barrier":
                world.barrier();
                break;
            case "bcast":
                world.bcast(p.sbuf, 0, size, 0);
                break;
            case "reduce":
                world.reduce(p.fsend, 0, p.frecv, 0, size / 4, Op.SUM, 0);
                break;
            case "allreduce":
                world.allreduce(p.fsend, 0, p.frecv, 0, size / 4, Op.SUM);
                break;
            case "allgather":
                world.allgather(p.sbuf, 0, size, p.rbuf, 0);
                break;
            case "alltoall":
                world.alltoall(p.sbuf, 0, p.rbuf, 0, size);
                break;
            default:
                throw new IllegalArgumentException("osu: unknown collective test " + test);
        }
    }
}
