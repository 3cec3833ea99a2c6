package io.jmpi.engine;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.DataType;
import io.jmpi.transport.FrameHandler;
import io.jmpi.transport.Transport;
import io.jmpi.transport.shm.ShmRingProbe;
import io.jmpi.wire.FrameHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jmpi.wire.FrameDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inbound frames are transactional: a frame the engine rejects (PROTOCOL) leaves every part of its state as it was,
 * and a transport never dispatches the same frame twice, even when its handling threw.
 */
@Timeout(30)
class FrameDispatchTest {
    private static final long PEER_CREDIT = Config.of(Map.of()).get(Config.PEER_CREDIT);

    static Engine engine(int rank, Transport t, int size) {
        ScriptedTransport s = t instanceof ScriptedTransport st ? st : new ScriptedTransport(size);
        return new Engine(rank, size, new Transport[]{t}, s.links(), Config.of(Map.of()), 1);
    }

    /** Everything a frame from peer {@code p} could change, as one comparable value. */
    static List<Object> state(Engine e, int p, ScriptedTransport t) {
        Peer ps = e.peer(p);
        List<Object> s = new ArrayList<>(e.diagnosis(1000).entries());
        s.addAll(List.of(ps.sendCredit, ps.creditHeld, ps.creditOwed, ps.byeReceived, ps.byeAcked, ps.lost,
                ps.control.size(), ps.data.size()));
        synchronized (t.sent) {
            s.add(List.copyOf(t.sent.get(p)));
        }
        return s;
    }

    static FrameHeader frame(byte type, byte dtype, int source, int tag, int length, long id, long id2) {
        return new FrameHeader().set(type, dtype, (short) 0, 0, source, tag, length, id, id2);
    }

    @Test
    void aRejectedFrameChangesNothing() {
        ScriptedTransport t = new ScriptedTransport(2);
        Engine e = engine(0, t, 2);
        // state worth protecting: a posted receive, a synchronous send waiting for CTS, credit spent and held
        Operation recv = e.startRecv("recv", ArrayBuf.of(new byte[16], 0, 16), 1, 0, 5, RankMap.IDENTITY);
        Send ssend = (Send) e.startSend("ssend", ArrayBuf.of(new byte[64], 0, 64), 1, 0, 7, true);
        assertNull(e.startSend("send", ArrayBuf.of(new byte[100], 0, 100), 1, 0, 8, false), "eager send completes at once");
        e.onFrame(1, frame(EAGER, DataType.BYTE.code, 1, 9, 8, 0, 0), ByteBuffer.allocate(8));
        assertEquals(Send.WAIT_CTS, ssend.phase);
        assertEquals(PEER_CREDIT - 140, e.peer(1).sendCredit);
        assertEquals(48, e.peer(1).creditHeld);

        byte b = DataType.BYTE.code;
        FrameHeader[] bad = {
                frame(EAGER, b, 0, 5, 8, 0, 0),                                // claims another source
                frame(EAGER, (byte) 99, 1, 5, 8, 0, 0),                        // unknown element type
                frame(EAGER, b, 1, -3, 8, 0, 0),                               // negative tag
                frame(EAGER, DataType.INT.code, 1, 5, 6, 0, 0),                // not whole elements
                frame(EAGER, b, 1, 5, (int) PEER_CREDIT, 0, 0),                  // beyond the sender's credit
                frame(RTS, b, 1, 5, 0, 77, -1),                                // negative message length
                frame(CTS, (byte) 0, 1, 0, 0, ssend.handle ^ (1L << 32), 3),   // stale handle
                frame(DATA, b, 1, 5, 8, 12345, 0),                             // no such receive
                frame(CREDIT, (byte) 0, 1, 0, 0, 0, 0),                        // nothing returned
                frame(CREDIT, (byte) 0, 1, 0, 0, 141, 0),                      // more than was spent
                frame(BYE, (byte) 0, 1, 0, 0, 7, 0),                           // neither goodbye nor acknowledgement
                frame((byte) 42, (byte) 0, 1, 0, 0, 0, 0),                     // unknown frame type
        };
        List<Object> before = state(e, 1, t);
        for (FrameHeader h : bad) {
            MpiException x = assertThrows(MpiException.class, () -> e.onFrame(1, h, ByteBuffer.allocate(8)), h::toString);
            assertEquals(ErrorClass.PROTOCOL, x.errorClass(), h.toString());
            assertEquals(before, state(e, 1, t), "state changed by rejected " + h);
        }
        assertFalse(recv.isDone());

        // the engine goes on: the real CTS streams the data, and the credit given back is accepted
        e.onFrame(1, frame(CTS, (byte) 0, 1, 0, 0, ssend.handle, 3), ByteBuffer.allocate(0));
        assertTrue(ssend.isDone());
        assertEquals(DATA, (byte) t.sent.get(1).get(t.sent.get(1).size() - 1));
        e.onFrame(1, frame(CREDIT, (byte) 0, 1, 0, 0, 140, 0), ByteBuffer.allocate(0));
        assertEquals(PEER_CREDIT, e.peer(1).sendCredit);
    }

    /** Counts dispatches per frame type and hands them on. */
    static final class Counting implements FrameHandler {
        final FrameHandler next;
        final int[] byType = new int[256];

        Counting(FrameHandler next) {
            this.next = next;
        }

        @Override
        public void onFrame(int peer, FrameHeader header, ByteBuffer payload) {
            byType[header.type & 0xff]++;
            next.onFrame(peer, header, payload);
        }

        @Override
        public void onPeerLost(int peer, boolean graceful, String reason) {
            next.onPeerLost(peer, graceful, reason);
        }
    }

    @Test
    void aShmRecordWhoseHandlingThrowsIsNotDispatchedAgain() {
        ScriptedTransport t = new ScriptedTransport(2);
        Engine e = engine(1, t, 2); // the ring's records come from rank 0
        ShmRingProbe ring = new ShmRingProbe(1 << 16);
        assertTrue(ring.offer(frame(CREDIT, (byte) 0, 0, 0, 0, 0, 0), null, 0));
        assertTrue(ring.offer(frame(EAGER, DataType.BYTE.code, 0, 5, 8, 0, 0), ArrayBuf.of(new byte[8], 0, 8), 8));
        Counting c = new Counting(e);
        List<Object> before = state(e, 0, t);

        MpiException x = assertThrows(MpiException.class, () -> ring.poll(c));
        assertEquals(ErrorClass.PROTOCOL, x.errorClass());
        assertEquals(before, state(e, 0, t));
        assertEquals(1, ring.poll(c), "the next poll goes on after the rejected record");
        assertEquals(0, ring.poll(c));
        assertEquals(1, c.byType[CREDIT], "the rejected record was dispatched again");
        assertEquals(1, c.byType[EAGER]);
        List<Diagnosis.Entry> entries = e.diagnosis(1000).entries();
        assertEquals(1, entries.size());
        assertEquals(Diagnosis.Kind.UNMATCHED, entries.get(0).kind());
        assertEquals(0, entries.get(0).peer());
        assertEquals(8, entries.get(0).bytes());
    }
}
