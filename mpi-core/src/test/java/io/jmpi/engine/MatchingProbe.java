package io.jmpi.engine;

import io.jmpi.buffer.Buf;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.DataType;

/**
 * The matching queues with a fixed backlog, for benchmarks of matching alone: {@code depth} posted receives that
 * never match stay ahead of the one that does, so a match costs a scan past them, as in a program with many receives
 * outstanding. A test source in the engine's package (it reaches package-private classes), shipped to bench/'s
 * MatchingBench in mpi-core's test-jar, so the library's main jar carries no benchmark code.
 */
public final class MatchingProbe {
    private final MatchQueues queues = new MatchQueues();
    private final Receive matching;
    private final Unexpected message = new Unexpected();

    public MatchingProbe(int depth) {
        Buf none = ArrayBuf.of(new byte[0], 0, 0);
        for (int i = 0; i < depth; i++) {
            queues.addPosted(new Receive(null, none, 1, 0, 1_000_000 + i, RankMap.IDENTITY, "probe"));
        }
        matching = new Receive(null, none, Engine.ANY_SOURCE, 0, 7, RankMap.IDENTITY, "probe");
        message.context = 0;
        message.source = 3;
        message.tag = 7;
        message.type = DataType.BYTE;
    }

    /** An arriving message finds its posted receive (behind the backlog); the receive is posted again. */
    public int arriveAndMatch() {
        queues.addPosted(matching);
        Receive r = queues.takePosted(0, 3, 7);
        return r == null ? 0 : r.tag;
    }

    /** A receive is posted and finds its message in the unexpected queue. */
    public int postAndFindUnexpected() {
        queues.addUnexpected(message);
        Unexpected u = queues.findUnexpected(0, Engine.ANY_SOURCE, 7);
        queues.removeUnexpected(u);
        return u.tag;
    }
}
