package io.jmpi;

import io.jmpi.buffer.ArrayBuf;
import io.jmpi.engine.Engine;
import io.jmpi.engine.Operation;
import io.jmpi.engine.RankMap;
import io.jmpi.trace.Recorder;

/**
 * The trace's clock alignment at start-up (issue 19): each rank plays {@link #ROUNDS} ping-pongs with rank 0 on the
 * engine's {@link Engine#CLOCK_CONTEXT} (no communicator's, not traced) and keeps the offset of the round with the
 * smallest round trip: {@code offset = t0 - (t1 + t2) / 2}, where rank 0 read its clock at {@code t0} between this
 * rank's reads {@code t1} (send) and {@code t2} (reply). Error at most half that round trip (reported in the trace).
 * Runs only when tracing is on, before the program's first call.
 */
final class ClockSync {
    static final int ROUNDS = 16;

    private ClockSync() {
    }

    static void run(Engine engine, Recorder rec) {
        int rank = engine.rank(), size = engine.size();
        long[] v = new long[1];
        ArrayBuf b = ArrayBuf.of(v, 0, 1);
        if (rank == 0) {
            rec.clockOffset(0, 0);
            for (int r = 1; r < size; r++) {
                for (int k = 0; k < ROUNDS; k++) {
                    engine.recvBlocking("clockSync", b, r, Engine.CLOCK_CONTEXT, 0, RankMap.IDENTITY);
                    v[0] = System.nanoTime();
                    send(engine, b, r);
                }
            }
            return;
        }
        long best = Long.MAX_VALUE, offset = 0;
        for (int k = 0; k < ROUNDS; k++) {
            long t1 = System.nanoTime();
            v[0] = t1;
            send(engine, b, 0);
            engine.recvBlocking("clockSync", b, 0, Engine.CLOCK_CONTEXT, 0, RankMap.IDENTITY);
            long t2 = System.nanoTime();
            if (t2 - t1 < best) {
                best = t2 - t1;
                offset = v[0] - (t1 + (t2 - t1) / 2);
            }
        }
        rec.clockOffset(offset, best);
    }

    private static void send(Engine engine, ArrayBuf b, int dest) {
        Operation op = engine.startSend("clockSync", b, dest, Engine.CLOCK_CONTEXT, 0, false);
        if (op != null) op.await();
    }
}
