package io.jmpi.engine;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.transport.Transport;
import io.jmpi.wire.FrameHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.jmpi.wire.FrameDescriptor.CREDIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing raised on the progress path is swallowed: a failure that concerns one peer fails that peer's operations
 * (and the launcher hears of it); anything else aborts the engine. Either way a waiting thread gets an exception
 * instead of waiting forever.
 */
@Timeout(20)
class ProgressFailureTest {
    private final ScriptedTransport transport = new ScriptedTransport(3);
    private final Engine engine = new Engine(0, 3, new Transport[]{transport}, transport.links(), Config.of(Map.of()), 1);

    private Operation recv(int source) {
        return engine.startRecv("recv", ArrayBuf.of(new byte[8], 0, 8), source, 0, 5, RankMap.IDENTITY);
    }

    private List<Diagnosis.Kind> kinds() {
        return engine.diagnosis(1000).entries().stream().map(Diagnosis.Entry::kind).toList();
    }

    @Test
    void anInvalidFrameFailsTheOperationsOfItsSenderOnly() {
        List<Integer> told = new CopyOnWriteArrayList<>();
        engine.onPeerFailure((peer, why) -> told.add(peer));
        Operation fromBad = recv(1);
        Operation fromAny = recv(Engine.ANY_SOURCE);
        Operation fromGood = recv(2);
        transport.deliver(1, new FrameHeader().set(CREDIT, (byte) 0, (short) 0, 0, 1, 0, 0, -5, 0), new byte[0]);

        MpiException e = assertThrows(MpiException.class, fromBad::await);
        assertEquals(ErrorClass.PROC_FAILED, e.errorClass());
        assertTrue(fromAny.isDone(), "a receive from any rank may have waited for the failed one");
        assertEquals(ErrorClass.PROC_FAILED, fromAny.error().errorClass());
        assertEquals(List.of(1), told);
        assertTrue(engine.peer(1).lost);
        MpiException send = assertThrows(MpiException.class,
                () -> engine.startSend("send", ArrayBuf.of(new byte[8], 0, 8), 1, 0, 5, false));
        assertEquals(ErrorClass.PROC_FAILED, send.errorClass());

        // rank 2 is unaffected: its message still arrives
        transport.deliver(2, new FrameHeader().set(io.jmpi.wire.FrameDescriptor.EAGER, DataType.BYTE.code, (short) 0,
                0, 2, 5, 8, 0, 0), new byte[8]);
        fromGood.await();
        assertEquals(8, fromGood.bytes());
        assertEquals(List.of(Diagnosis.Kind.LOST_PEER), kinds());
    }

    @Test
    void aTransportFailureAbortsTheEngineAndReachesTheWaiter() {
        Operation r = recv(Engine.ANY_SOURCE);
        transport.pollFailure = () -> new MpiException(ErrorClass.IO, "poll: the selector failed");

        MpiException e = assertThrows(MpiException.class, r::await);
        assertEquals(ErrorClass.IO, e.errorClass());
        MpiException later = assertThrows(MpiException.class, () -> recv(1));
        assertEquals(ErrorClass.IO, later.errorClass(), "every later call fails too");
        assertEquals(List.of(Diagnosis.Kind.ABORTED), kinds());
    }

    @Test
    void aBugOnTheProgressPathAbortsTheEngineWithItsCause() {
        Operation r = recv(1);
        IllegalStateException bug = new IllegalStateException("a bug");
        transport.pollFailure = () -> bug;

        MpiException e = assertThrows(MpiException.class, r::await);
        assertEquals(ErrorClass.OTHER, e.errorClass());
        Throwable c = e;
        while (c.getCause() != null && c != bug) c = c.getCause();
        assertInstanceOf(IllegalStateException.class, c);
        assertEquals(bug, c);
    }

    @Test
    void theBackgroundAgentRoutesFailuresToo() {
        engine.startAgent();
        Operation r = recv(2);
        transport.deliver(2, new FrameHeader().set((byte) 42, (byte) 0, (short) 0, 0, 2, 0, 0, 0, 0), new byte[0]);
        // nobody waits: the agent polls, and the receive fails without a waiter driving progress
        while (!r.isDone()) Thread.onSpinWait();
        assertEquals(ErrorClass.PROC_FAILED, r.error().errorClass());
        engine.close();
    }
}
