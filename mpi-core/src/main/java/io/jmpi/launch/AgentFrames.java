package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import io.jmpi.wire.HandshakeDescriptor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The framed, multiplexed protocol between {@code jmpirun} and a host's launch agent ({@link HostAgent}), spoken on
 * the one TCP connection the agent opens back to the launcher after the authenticated handshake
 * ({@code HandshakeDescriptor}, kind {@code KIND_AGENT}, fromRank = the agent's index). Every frame is
 * {@code type(1) rank(4) length(4) payload(length)}, big-endian; {@code rank} is the job rank the frame is about
 * (-1 for the agent as a whole).
 *
 * <pre>
 *  launcher -> agent
 *   START  'S'  payload: strings (cwd, then n of NAME=value, then the command words), see {@link #strings}
 *   SIGNAL 'G'  payload: int 15 (SIGTERM) or 9 (SIGKILL), to the rank and its descendants
 *   STOP   'Q'  rank -1, payload: long grace ms: SIGTERM to every rank, SIGKILL to what is left after the grace
 *  agent -> launcher
 *   PID    'P'  payload: long, the rank JVM's pid on its host
 *   OUT    'O'  payload: bytes of the rank's stdout, as read (the launcher splits lines per rank)
 *   ERR    'E'  payload: bytes of the rank's stderr
 *   EXIT   'X'  payload: int exit code (128 + signal when killed); sent after the rank's output ended
 *   FAIL   'F'  payload: UTF-8 reason the rank could not be started (an EXIT 127 follows)
 *  either way, the relayed control connection of a rank whose START said JMPI_LAUNCHER={@value #RELAY_ME}: the agent
 *  gives the rank its own listener's address instead, and tunnels the connection byte for byte (the rank's
 *  authenticated handshake with the launcher included, so the agent learns nothing it could forge)
 *   RELAY_OPEN  'C'  agent to launcher: the rank connected (the agent read its HELLO, which names the rank)
 *   RELAY_DATA  'D'  payload: bytes of the connection, either way
 *   RELAY_CLOSE 'Z'  the connection ended, either way
 *  hierarchical exchange (setting agentExchange, START said JMPI_LAUNCHER={@value #SERVE_ME}): the agent serves the
 *  rank's control connection itself (the same authenticated handshake, with the job secret it holds) and speaks the
 *  control protocol for it ({@link AgentControl})
 *   TREE        'R'  launcher to agent, rank -1, before any START: the agent's part of the agent tree (its own ranks,
 *                    the agents it starts and their slices; {@link AgentTree}), so it knows how many endpoints it gathers
 *   CTRL_OPEN   'c'  agent to launcher: the rank authenticated with its agent
 *   CTRL_LINE   'l'  either way: control-protocol lines of the rank (FAIL, ABORT, BYE, DIAG, DIAGEND up; DIAG down)
 *   CTRL_CLOSE  'z'  either way: the rank's control connection ended / is to be closed
 *   ENDPOINTS   'B'  agent to launcher, rank -1: the ENDPOINT lines of every rank of the agent's subtree, one message
 *   TABLE       'T'  launcher to agent, rank -1: the whole TABLE text, once; the agent writes it to each of its ranks
 *                    and passes it to the agents it started
 *  agent tree (setting agentFanout): an agent that started agents relays their frames both ways: frames about a rank
 *  go down to the agent of that rank's host; STOP and TABLE go to every agent below; frames from below go up as they
 *  are, except ENDPOINTS, which the agent merges with its own ranks' into one
 * </pre>
 * The end of the connection, either way, stops everything: the agent stops its ranks and exits (see
 * {@link HostAgent}); the launcher treats the ranks of an agent whose connection ended without their EXIT as lost.
 */
final class AgentFrames {
    static final byte START = 'S';
    static final byte SIGNAL = 'G';
    static final byte STOP = 'Q';
    static final byte PID = 'P';
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    static final byte FAIL = 'F';
    /** Either way: a rank's relayed control connection opened (agent to launcher), its bytes, its end. */
    static final byte RELAY_OPEN = 'C';
    static final byte RELAY_DATA = 'D';
    static final byte RELAY_CLOSE = 'Z';
    static final byte TREE = 'R';
    static final byte CTRL_OPEN = 'c';
    static final byte CTRL_LINE = 'l';
    static final byte CTRL_CLOSE = 'z';
    static final byte ENDPOINTS = 'B';
    static final byte TABLE = 'T';
    /** The value of JMPI_LAUNCHER in a START that asks the agent to serve the rank's control connection itself. */
    static final String SERVE_ME = "agent-control";
    /** The value of JMPI_LAUNCHER in a START that asks the agent to relay the rank's control connection. */
    static final String RELAY_ME = "agent";
    /** Largest payload accepted: a START of a long class path and environment fits easily. */
    static final int MAX_PAYLOAD = 16 << 20;

    private AgentFrames() {
    }

    /** Where an agent's frames go up (its connection to jmpirun or to the agent that started it). */
    @FunctionalInterface
    interface Up {
        /** Sends a frame; false when the connection is gone. */
        boolean send(byte type, int rank, byte[] payload, int len);

        default boolean send(byte type, int rank, byte[] payload) {
            return send(type, rank, payload, payload.length);
        }
    }

    /** One frame as read. */
    record Frame(byte type, int rank, byte[] payload) {
        long longValue() {
            return ByteBuffer.wrap(payload).getLong();
        }

        int intValue() {
            return ByteBuffer.wrap(payload).getInt();
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Writes one frame and flushes; callers serialize writers on {@code out}. */
    static void write(DataOutputStream out, byte type, int rank, byte[] payload, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(rank);
            out.writeInt(len);
            out.write(payload, off, len);
            out.flush();
        }
    }

    static void write(DataOutputStream out, byte type, int rank, byte[] payload) throws IOException {
        write(out, type, rank, payload, 0, payload.length);
    }

    static byte[] ofLong(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static byte[] ofInt(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    /** Reads one frame; null at the end of the stream (between frames). */
    static Frame read(DataInputStream in) throws IOException {
        int type = in.read();
        if (type < 0) return null;
        int rank = in.readInt();
        int len = in.readInt();
        if (len < 0 || len > MAX_PAYLOAD) {
            throw new MpiException(ErrorClass.PROTOCOL, "launch agent frame '" + (char) type + "' of " + len
                    + " bytes; allowed [0, " + MAX_PAYLOAD + "]");
        }
        byte[] payload = new byte[len];
        in.readFully(payload);
        return new Frame((byte) type, rank, payload);
    }

    /** The payload of a START: {@code count(4)} then each string as {@code length(4) UTF-8}. */
    static byte[] strings(List<String> words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        try {
            d.writeInt(words.size());
            for (String w : words) {
                byte[] u = w.getBytes(StandardCharsets.UTF_8);
                d.writeInt(u.length);
                d.write(u);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return b.toByteArray();
    }

    static List<String> strings(byte[] payload) throws IOException {
        DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        int n = d.readInt();
        if (n < 0 || n > payload.length) throw new EOFException("bad string count " + n);
        List<String> words = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = d.readInt();
            if (len < 0 || len > payload.length) throw new EOFException("bad string length " + len);
            byte[] u = new byte[len];
            d.readFully(u);
            words.add(new String(u, StandardCharsets.UTF_8));
        }
        return words;
    }

    /** A launch agent's authenticated connection: its index (its place among the agents) and its buffered streams. */
    record Accepted(int index, DataInputStream in, DataOutputStream out) {
    }

    /**
     * Authenticates the launch agent that connected on {@code s}: the HMAC handshake with the job's secret, kind
     * agent, the index one of {@code agents}; used by jmpirun and by an agent that started others (a tree).
     */
    static Accepted acceptAgent(Socket s, byte[] secret, long jobId, int agents) throws IOException {
        s.setTcpNoDelay(true);
        s.setSoTimeout(RendezvousServer.HANDSHAKE_TIMEOUT_MILLIS);
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        HandshakeDescriptor.Peer peer = HandshakeDescriptor.server(in, out, secret, jobId, -1, agents);
        if (peer.kind() != HandshakeDescriptor.KIND_AGENT) throw new IOException("not a launch agent (kind " + peer.kind() + ")");
        s.setSoTimeout(0);
        return new Accepted(peer.fromRank(), in, out);
    }
}
