package io.jmpi.reliability;

import io.jmpi.base.Config;
import io.jmpi.Mpi;
import io.jmpi.bootstrap.Bootstrap;
import io.jmpi.bootstrap.Endpoint;
import io.jmpi.bootstrap.HostIdentity;
import io.jmpi.wire.FrameDescriptor;
import io.jmpi.wire.HandshakeDescriptor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;

/**
 * An in-process job over real loopback TCP in which some ranks are real ({@link Mpi} on threads of this JVM) and the
 * others are rogue: they take part in the endpoint exchange, know the job's secret, connect to every real rank and
 * pass the handshake like a rank would, and then write whatever frames a test wants on the raw sockets
 * ({@link Wire}). Real ranks are the lowest ranks, so the rogue ranks are the ones that open the connections.
 */
final class RogueJob {
    final int size;
    final int real;
    final long jobId = HandshakeDescriptor.newJobId();
    final byte[] secret = HandshakeDescriptor.newSecret();
    final Endpoint[] table;
    private final CyclicBarrier barrier;

    RogueJob(int real, int rogue) {
        this.size = real + rogue;
        this.real = real;
        this.table = new Endpoint[size];
        this.barrier = new CyclicBarrier(size);
    }

    /** Endpoints through the shared table and barrier; identity from this job. */
    private Bootstrap bootstrap(int rank) {
        return new io.jmpi.Jobs.MemoryBootstrap(rank, size, jobId, secret, table, barrier);
    }

    /** Starts a real rank (blocking until every rank, rogue ones included, has connected). */
    Mpi initReal(int rank, Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(settings);
        env.put("JMPI_TRANSPORT", "tcp");
        env.putIfAbsent("JMPI_CONNECT_TIMEOUT", "20");
        // rogue ranks dial the real ones at start-up: the real ranks wait for them (and never dial a rogue's dummy endpoint)
        env.putIfAbsent("JMPI_CONNECTIONS", "eager");
        return Mpi.init(bootstrap(rank), Config.of(env));
    }

    /** Joins rogue rank {@code rank} to the job: publishes a dummy endpoint and connects to every real rank. */
    Wire[] joinRogue(int rank) throws IOException {
        bootstrap(rank).exchange(new Endpoint(rank, "127.0.0.1", 1, HostIdentity.hostId(), ProcessHandle.current().pid()));
        Wire[] wires = new Wire[real];
        for (int r = 0; r < real; r++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(table[r].host(), table[r].port()), 5000);
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            HandshakeDescriptor.client(new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()),
                    secret, jobId, HandshakeDescriptor.KIND_RANK, rank, r);
            if (!HandshakeDescriptor.readVerdict(new DataInputStream(s.getInputStream()))) {
                throw new IOException("rank " + r + " refused rogue rank " + rank + "'s connection as a duplicate");
            }
            s.setSoTimeout(0);
            wires[r] = new Wire(rank, r, s);
        }
        return wires;
    }

    /** A rogue rank's authenticated connection to a real rank: raw frames out, parsed frames in. */
    static final class Wire implements AutoCloseable {
        final int from, to;
        final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        volatile boolean closedByPeer;
        /** Guards {@link #paused}: the reader waits on it while paused. */
        private final Object pause = new Object();
        private boolean paused;
        /** Frames the real rank sent us, as {type, dtype, context, source, tag, length, id, id2}. */
        final List<long[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Wire(int from, int to, Socket socket) throws IOException {
            this.from = from;
            this.to = to;
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = socket.getInputStream();
            reader = new Thread(this::read, "rogue-" + from + "-reads-" + to);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            byte[] h = new byte[FrameDescriptor.HEADER_LENGTH];
            try {
                while (true) {
                    synchronized (pause) {
                        while (paused && !socket.isClosed()) pause.wait();
                    }
                    if (in.readNBytes(h, 0, h.length) < h.length) break;
                    ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
                    int len = b.getInt(FrameDescriptor.LENGTH_OFFSET);
                    received.add(new long[]{b.get(FrameDescriptor.TYPE_OFFSET), b.get(FrameDescriptor.DTYPE_OFFSET),
                            b.getInt(FrameDescriptor.CONTEXT_OFFSET), b.getInt(FrameDescriptor.SOURCE_OFFSET),
                            b.getInt(FrameDescriptor.TAG_OFFSET), len, b.getLong(FrameDescriptor.ID_OFFSET),
                            b.getLong(FrameDescriptor.ID2_OFFSET)});
                    in.skipNBytes(len);
                }
            } catch (IOException e) {
                // reset: closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closedByPeer = true;
        }

        /**
         * Stops reading, so that the real rank's writes back up in the socket buffers. A frame whose read had begun
         * is still read whole; reading resumes never (closing the wire ends the reader).
         */
        void pauseReading() {
            synchronized (pause) {
                paused = true;
            }
        }

        /** Bytes the real rank has written that nobody has read yet (in this socket's receive buffer). */
        int unread() {
            try {
                return in.available();
            } catch (IOException e) {
                return 0;
            }
        }

        /** Frames of a type the real rank sent us. */
        List<long[]> receivedOfType(int type) {
            List<long[]> out = new ArrayList<>();
            synchronized (received) {
                for (long[] f : received) if (f[0] == type) out.add(f);
            }
            return out;
        }

        /** Writes one frame; false if the connection is gone. */
        boolean send(byte type, byte dtype, short flags, int context, int source, int tag, int length, long id, long id2,
                     byte[] payload) {
            ByteBuffer b = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH + (payload == null ? 0 : payload.length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(length).put(type).put(dtype).putShort(flags).putInt(context).putInt(source).putInt(tag).putInt(0)
                    .putLong(id).putLong(id2);
            if (payload != null) b.put(payload);
            return raw(b.array());
        }

        /**
         * Writes one DATA frame of {@code length} bytes of {@code chunk} at {@code offset} of the rendezvous the real
         * rank gave {@code recvHandle} for; header and payload are written apart, so gigabytes stream without copies.
         */
        boolean data(byte dtype, long recvHandle, long offset, byte[] chunk, int length) {
            ByteBuffer b = ByteBuffer.allocate(FrameDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(length).put(FrameDescriptor.DATA).put(dtype).putShort((short) 0).putInt(0).putInt(from).putInt(0)
                    .putInt(0).putLong(recvHandle).putLong(offset);
            try {
                out.write(b.array());
                out.write(chunk, 0, length);
                return true;
            } catch (IOException e) {
                closedByPeer = true;
                return false;
            }
        }

        boolean raw(byte[] bytes) {
            try {
                out.write(bytes);
                out.flush();
                return true;
            } catch (IOException e) {
                closedByPeer = true;
                return false;
            }
        }

        /** Waits (bounded) until the real rank has closed this connection. */
        boolean awaitClosed(long millis) throws InterruptedException {
            reader.join(millis);
            return !reader.isAlive();
        }

        /** Closes with a reset (SO_LINGER 0), as a crashed host or a middlebox would. */
        void reset() {
            try {
                socket.setSoLinger(true, 0);
            } catch (IOException e) {
                // closing anyway
            }
            close();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            synchronized (pause) {
                pause.notifyAll(); // a paused reader sees the closed socket and ends
            }
        }
    }
}
