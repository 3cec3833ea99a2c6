package io.jmpi.wire;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * The versioned, mutually authenticated handshake that opens every jmpi connection (rank to rank, and rank to
 * launcher). Both sides prove knowledge of the per-job secret without sending it: each answers the other's random
 * challenge with HMAC-SHA256(secret, role | hello | nonce). A peer that fails is refused; the caller logs it and
 * goes on.
 *
 * <pre>
 *  HELLO, client to server, 40 bytes (big-endian)
 *   0       4       6       8               12              16
 *   +-------+---+---+-------+---------------+---------------+
 *   | magic |ver|kind|      fromRank        |    toRank     |
 *   +-------+---+---+-------+---------------+---------------+
 *   16                               24                     40
 *   +--------------------------------+----------------------+
 *   |            jobId (8)           |   clientNonce (16)   |
 *   +--------------------------------+----------------------+
 *
 *  CHALLENGE, server to client, 56 bytes
 *   0 magic(4) | 4 version(2) | 6 status(2: 0 ok, else refused) | 8 serverNonce(16) | 24 serverMac(32)
 *       serverMac = HMAC(secret, 'S' | HELLO | serverNonce)
 *
 *  PROOF, client to server, 32 bytes
 *   0 clientMac(32) = HMAC(secret, 'C' | HELLO | serverNonce)
 *
 *  VERDICT, server to client, 4 bytes, rank-to-rank connections only (kind 0)
 *   0 verdict(4): 0 this connection carries the pair's frames, 1 duplicate (the pair has, or is opening, another)
 * </pre>
 * The verdict ({@link #writeVerdict}, {@link #readVerdict}) exists because ranks connect on first use: two ranks may
 * dial each other at once, and the server says which of the two connections the pair keeps (the one opened by the
 * lower rank: see docs/PROTOCOL.md). The transport writes it after {@link #server} returns, the client reads it after
 * {@link #client}; no frame travels before it.
 * {@code kind}: 0 rank to rank, 1 rank to launcher, 2 launch agent to launcher. {@code toRank} is the rank the client expects to reach
 * (-1 for the launcher). Readers apply a socket timeout so a silent stranger cannot stall an acceptor.
 */
public final class HandshakeDescriptor {
    public static final int MAGIC = 0x4A4D5049; // "JMPI"
    public static final short VERSION = 2;
    public static final short KIND_RANK = 0;
    public static final short KIND_LAUNCHER = 1;
    /** A host's launch agent ({@code io.jmpi.launch.HostAgent}) to the launcher; fromRank is the agent's index. */
    public static final short KIND_AGENT = 2;
    public static final int HELLO_LENGTH = 40;
    public static final int CHALLENGE_LENGTH = 56;
    public static final int PROOF_LENGTH = 32;
    public static final short STATUS_OK = 0;
    public static final short STATUS_REFUSED = 1;
    public static final int VERDICT_LENGTH = 4;
    /** The connection is the pair's: frames follow. */
    public static final int VERDICT_ACCEPTED = 0;
    /** The pair keeps another connection (both ranks dialled at once, or one is up already): close this one. */
    public static final int VERDICT_DUPLICATE = 1;

    private HandshakeDescriptor() {
    }

    /** What the server learned from an accepted client. */
    public record Peer(int fromRank, int toRank, short kind) {
    }

    /**
     * Client side. Returns normally when the server proved knowledge of the secret and accepted us.
     *
     * @throws MpiException PROTOCOL when the server is not a jmpi peer of this job, or refused us
     */
    public static void client(DataInputStream in, DataOutputStream out, byte[] secret, long jobId,
                              short kind, int fromRank, int toRank) throws IOException {
        byte[] hello = new byte[HELLO_LENGTH];
        ByteBuffer h = ByteBuffer.wrap(hello);
        byte[] nonce = Crypto.randomBytes(16);
        h.putInt(MAGIC).putShort(VERSION).putShort(kind).putInt(fromRank).putInt(toRank).putLong(jobId).put(nonce);
        out.write(hello);
        out.flush();

        byte[] challenge = new byte[CHALLENGE_LENGTH];
        in.readFully(challenge);
        ByteBuffer c = ByteBuffer.wrap(challenge);
        int magic = c.getInt();
        short version = c.getShort();
        short status = c.getShort();
        if (magic != MAGIC) throw protocol("handshake: peer is not a jmpi rank (magic 0x" + Integer.toHexString(magic) + ")");
        if (version != VERSION) throw protocol("handshake: peer speaks protocol version " + version + ", this rank " + VERSION);
        if (status != STATUS_OK) throw protocol("handshake: refused by peer (status " + status + ")");
        byte[] serverNonce = new byte[16];
        c.get(serverNonce);
        byte[] serverMac = new byte[32];
        c.get(serverMac);
        if (!MessageDigest.isEqual(serverMac, mac(secret, (byte) 'S', hello, serverNonce))) {
            throw protocol("handshake: peer does not know this job's secret");
        }
        out.write(mac(secret, (byte) 'C', hello, serverNonce));
        out.flush();
    }

    /**
     * Server side. Returns the authenticated peer, or throws PROTOCOL (after telling the client it is refused, where
     * the hello was well formed). {@code expectedToRank} is this side's rank (or -1 for the launcher).
     */
    public static Peer server(DataInputStream in, DataOutputStream out, byte[] secret, long jobId,
                              int expectedToRank, int worldSize) throws IOException {
        byte[] hello = new byte[HELLO_LENGTH];
        in.readFully(hello);
        ByteBuffer h = ByteBuffer.wrap(hello);
        int magic = h.getInt();
        short version = h.getShort();
        short kind = h.getShort();
        int fromRank = h.getInt();
        int toRank = h.getInt();
        long peerJob = h.getLong();
        String why = null;
        if (magic != MAGIC) why = "not a jmpi hello (magic 0x" + Integer.toHexString(magic) + ")";
        else if (version != VERSION) why = "protocol version " + version + ", expected " + VERSION;
        else if (kind != KIND_RANK && kind != KIND_LAUNCHER && kind != KIND_AGENT) why = "unknown connection kind " + kind;
        else if (peerJob != jobId) why = "job id " + Long.toHexString(peerJob) + " is not this job's";
        else if (toRank != expectedToRank) why = "addressed to rank " + toRank + ", this is rank " + expectedToRank;
        else if (fromRank < 0 || fromRank >= worldSize) why = "fromRank=" + fromRank + " out of range [0, " + worldSize + ")";
        byte[] serverNonce = Crypto.randomBytes(16);
        ByteBuffer c = ByteBuffer.allocate(CHALLENGE_LENGTH);
        c.putInt(MAGIC).putShort(VERSION).putShort(why == null ? STATUS_OK : STATUS_REFUSED).put(serverNonce);
        c.put(why == null ? mac(secret, (byte) 'S', hello, serverNonce) : new byte[32]);
        if (magic == MAGIC) { // answer only something that looks like us; garbage just gets closed
            out.write(c.array());
            out.flush();
        }
        if (why != null) throw protocol("handshake: refused connection: " + why);
        byte[] proof = new byte[PROOF_LENGTH];
        in.readFully(proof);
        if (!MessageDigest.isEqual(proof, mac(secret, (byte) 'C', hello, serverNonce))) {
            throw protocol("handshake: refused connection claiming rank " + fromRank + ": it does not know the job secret");
        }
        return new Peer(fromRank, toRank, kind);
    }

    /** Server side, after {@link #server}: tells a rank client whether its connection is kept. */
    public static void writeVerdict(DataOutputStream out, int verdict) throws IOException {
        out.writeInt(verdict);
        out.flush();
    }

    /**
     * Client side, after {@link #client}: whether the server keeps this connection ({@code true}) or the pair uses
     * another one ({@code false}).
     *
     * @throws MpiException PROTOCOL for a value that is no verdict
     */
    public static boolean readVerdict(DataInputStream in) throws IOException {
        int v = in.readInt();
        if (v == VERDICT_ACCEPTED) return true;
        if (v == VERDICT_DUPLICATE) return false;
        throw protocol("handshake: bad verdict " + v);
    }

    /** HMAC-SHA256(secret, role | hello | nonce). */
    static byte[] mac(byte[] secret, byte role, byte[] hello, byte[] nonce) {
        return Crypto.hmacSha256(secret, new byte[]{role}, hello, nonce);
    }

    /** A fresh random secret for a job (32 bytes). */
    public static byte[] newSecret() {
        return Crypto.randomBytes(32);
    }

    /** A fresh random job id. */
    public static long newJobId() {
        return ByteBuffer.wrap(Crypto.randomBytes(8)).getLong() & Long.MAX_VALUE;
    }

    private static MpiException protocol(String msg) {
        return new MpiException(ErrorClass.PROTOCOL, msg);
    }
}
