package io.jmpi.engine;

import io.jmpi.base.Config;
import io.jmpi.buffer.ArrayBuf;
import io.jmpi.buffer.ByteBufferBuf;
import io.jmpi.transport.Link;
import io.jmpi.transport.Transport;
import io.jmpi.transport.local.LocalFabric;
import io.jmpi.transport.local.LocalTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Between ranks that are threads of one JVM a rendezvous message moves with one copy: the sender lends its buffer
 * (a header-only frame), the receiver copies straight from it, and the send completes only when the payload is given
 * back. Two engines over one {@link LocalFabric}, progressed step by step by the test, so every step is observable.
 */
@Timeout(30)
class LentDataTest {
    private static final int SIZE = 1 << 20; // above the eager limit: rendezvous

    private final LocalFabric fabric = new LocalFabric(2);
    private final Engine e0 = engine(0), e1 = engine(1);

    private Engine engine(int rank) {
        LocalTransport t = fabric.transport(rank);
        t.connect(null, new int[]{1 - rank});
        Link[] links = new Link[2];
        links[1 - rank] = t.link(1 - rank);
        return new Engine(rank, 2, new Transport[]{t}, links, Config.of(Map.of()), 2);
    }

    @Test
    void theReceiverCopiesStraightFromTheSendBufferAndTheSendWaitsForIt() {
        byte[] out = new byte[SIZE], in = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) out[i] = (byte) (i * 7);
        Operation recv = e1.startRecv("recv", ArrayBuf.of(in, 0, SIZE), 0, 0, 5, RankMap.IDENTITY);
        Operation send = e0.startSend("send", ArrayBuf.of(out, 0, SIZE), 1, 0, 5, false);
        e1.progress(); // RTS -> matched -> CTS
        e0.progress(); // CTS -> DATA lent
        long framesBefore = fabric.transport(0).framesAllocated();
        assertFalse(send.isDone(), "a lent send is not complete before the receiver copied");
        // a change to the send buffer now (a program may not make it; the test may) reaches the receiver: the bytes
        // it gets are the send buffer's own, with no copy in between
        out[SIZE - 1] = 42;
        e1.progress();
        assertTrue(recv.isDone());
        assertNull(recv.error());
        assertArrayEquals(out, in);
        assertFalse(send.isDone(), "the sender hears of the copy from its own poll");
        e0.progress();
        assertTrue(send.isDone());
        assertNull(send.error());
        assertEquals(framesBefore, fabric.transport(0).framesAllocated(), "no frame of the payload's size");
    }

    @Test
    void aTypedArrayLandsInADirectBufferAsItsLittleEndianBytes() {
        double[] out = new double[SIZE / 8];
        for (int i = 0; i < out.length; i++) out[i] = i * 0.5;
        ByteBuffer in = ByteBuffer.allocateDirect(SIZE);
        Operation recv = e1.startRecv("recv", new ByteBufferBuf(in), 0, 0, 5, RankMap.IDENTITY);
        Operation send = e0.startSend("send", ArrayBuf.of(out, 0, out.length), 1, 0, 5, false);
        for (int i = 0; i < 4 && !(recv.isDone() && send.isDone()); i++) {
            e1.progress();
            e0.progress();
        }
        assertTrue(recv.isDone() && send.isDone());
        assertEquals(SIZE, recv.bytes());
        in.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out.length; i++) assertEquals(out[i], in.getDouble(8 * i), "element " + i);
    }

    @Test
    void aPayloadLentToARankThatClosesIsGivenBack() {
        byte[] out = new byte[SIZE];
        e1.startRecv("recv", ArrayBuf.of(new byte[SIZE], 0, SIZE), 0, 0, 5, RankMap.IDENTITY);
        Operation send = e0.startSend("send", ArrayBuf.of(out, 0, SIZE), 1, 0, 5, false);
        e1.progress();
        e0.progress(); // lent, sitting in rank 1's inbox
        fabric.transport(1).close(); // rank 1 ends without reading it
        e0.progress();
        assertTrue(send.isDone(), "the sender does not wait for a rank that will never read its payload");
    }
}
