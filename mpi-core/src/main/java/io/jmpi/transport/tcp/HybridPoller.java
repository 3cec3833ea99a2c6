package io.jmpi.transport.tcp;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.transport.FrameHandler;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

import static io.jmpi.transport.tcp.TcpTransport.COOL_AFTER;
import static io.jmpi.transport.tcp.TcpTransport.HOT;
import static io.jmpi.transport.tcp.TcpTransport.SELECT_EVERY;

/**
 * Polling of more than {@value TcpTransport#HOT} data connections (see {@link TcpTransport}'s class comment): the hot
 * set every poll, a selector's ready set every {@value TcpTransport#SELECT_EVERY} polls (every poll while the hot set
 * is empty), and pending writes of the others. The selector is opened on the first such poll; connections installed
 * later (connections on first use) are registered as they come. Progress-lock holder only.
 */
final class HybridPoller {
    /** Readiness of the data connections; null until the first hybrid poll. */
    private Selector ready;
    private final TcpConnection[] hotSet = new TcpConnection[HOT];
    private int hotCount;
    private int sinceSelect;
    private long selects;

    int poll(TcpConnection[] active, FrameHandler handler) {
        if (ready == null) ready = open(active);
        int work = 0;
        for (int i = 0; i < hotCount; i++) {
            TcpConnection c = hotSet[i];
            int n = c.poll(handler);
            if (n > 0) {
                work += n;
                c.quiet = 0;
            } else if (n < 0 || ++c.quiet >= COOL_AFTER) {
                c.hot = false;
                hotSet[i--] = hotSet[--hotCount];
                hotSet[hotCount] = null;
            }
        }
        if (hotCount == 0 || ++sinceSelect >= SELECT_EVERY) {
            sinceSelect = 0;
            work += pollReady(handler);
        }
        for (TcpConnection c : active) {
            if (!c.hot && c.hasBacklog()) work += c.flush();
        }
        return work;
    }

    private int pollReady(FrameHandler handler) {
        int work = 0;
        try {
            selects++;
            if (ready.selectNow() == 0) return 0;
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "tcp: selector failed: " + e.getMessage(), e);
        }
        for (SelectionKey k : ready.selectedKeys()) {
            TcpConnection c = (TcpConnection) k.attachment();
            if (c.hot) continue; // read this poll already
            int n = c.poll(handler);
            if (n > 0) {
                work += n;
                if (hotCount < HOT) {
                    c.hot = true;
                    c.quiet = 0;
                    hotSet[hotCount++] = c;
                }
            }
        }
        ready.selectedKeys().clear();
        return work;
    }

    private static Selector open(TcpConnection[] active) {
        try {
            Selector s = Selector.open();
            for (TcpConnection c : active) register(s, c);
            return s;
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, "tcp: cannot open a selector: " + e.getMessage(), e);
        }
    }

    private static void register(Selector s, TcpConnection c) {
        try {
            c.channel.register(s, SelectionKey.OP_READ, c);
        } catch (ClosedChannelException e) {
            // lost already (and reported): nothing more to read from it
        }
    }

    /** A data connection was installed after the selector opened. */
    void added(TcpConnection c) {
        if (ready != null) register(ready, c);
    }

    /** Readiness checks made (tests). */
    long selects() {
        return selects;
    }

    void close() {
        if (ready == null) return;
        try {
            ready.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
