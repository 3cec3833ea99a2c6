package io.jmpi.transport.tcp;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Collections;

/**
 * TLS for TCP connections between ranks (setting {@code tls}): the keys and trust from the settings, checked once at
 * start-up, and the blocking TLS 1.3 handshake that runs on a connection right after the HMAC handshake of
 * {@link io.jmpi.wire.HandshakeDescriptor}, before the channel turns non-blocking. Both sides present the keystore's
 * certificate and require the other's (client authentication is required); host names are not checked, since peers
 * are named by rank, not by host: a certificate is accepted when the trust store vouches for it.
 *
 * <p>After the handshake, the server sends one encrypted confirmation record ({@link #CONFIRM}) which the client
 * reads before it returns: in TLS 1.3 the client finishes its handshake before the server has checked the client's
 * certificate, and without it a client whose certificate is refused would only learn so with its first frame.
 */
final class TlsSetup {
    static final String PROTOCOL = "TLSv1.3";
    /** AES-GCM (hardware-accelerated on x86 and ARM), the 128-bit key first: the fastest of TLS 1.3's suites. */
    private static final String[] SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"};
    private static final byte[] CONFIRM = "JMPI-TLS-OK".getBytes(StandardCharsets.US_ASCII);

    private final SSLContext context;
    private final String keystore;

    private TlsSetup(SSLContext context, String keystore) {
        this.context = context;
        this.keystore = keystore;
    }

    /**
     * Reads and checks the TLS settings; every error names the setting and its value (never the password).
     *
     * @throws MpiException ARG for a missing or unreadable keystore, a wrong password, a keystore without a key
     */
    static TlsSetup load(Config config) {
        String ks = config.get(Config.TLS_KEYSTORE).trim();
        String ts = config.get(Config.TLS_TRUSTSTORE).trim();
        char[] password = config.get(Config.TLS_PASSWORD).toCharArray();
        if (ks.isEmpty()) {
            throw new MpiException(ErrorClass.ARG, "tls: tls=true needs tlsKeystore, a PKCS12 keystore with the job's key "
                    + "and certificate (-D tlsKeystore=PATH or " + Config.TLS_KEYSTORE.envVar() + "; password in "
                    + Config.TLS_PASSWORD.envVar() + ")");
        }
        try {
            KeyStore keys = open(Config.TLS_KEYSTORE, ks, password);
            boolean hasKey = false;
            for (String alias : Collections.list(keys.aliases())) hasKey |= keys.isKeyEntry(alias);
            if (!hasKey && password.length == 0) {
                throw new MpiException(ErrorClass.ARG, "tls: tlsKeystore=" + ks + ": no private key readable without a "
                        + "password; set tlsPassword in the environment variable " + Config.TLS_PASSWORD.envVar());
            }
            if (!hasKey) {
                throw new MpiException(ErrorClass.ARG, "tls: tlsKeystore=" + ks + " holds no private key (it needs the "
                        + "job's key and certificate, e.g. from keytool -genkeypair)");
            }
            KeyStore trust = ts.isEmpty() ? keys : open(Config.TLS_TRUSTSTORE, ts, password);
            if (trust.size() == 0) {
                throw new MpiException(ErrorClass.ARG, "tls: " + (ts.isEmpty() ? "tlsKeystore=" + ks : "tlsTruststore=" + ts)
                        + " holds no certificate to trust");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            try {
                kmf.init(keys, password);
            } catch (UnrecoverableKeyException e) {
                throw new MpiException(ErrorClass.ARG, "tls: the private key in tlsKeystore=" + ks + " cannot be read with "
                        + "the keystore password (tlsPassword, from " + Config.TLS_PASSWORD.envVar() + "): "
                        + e.getMessage(), e);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance(PROTOCOL);
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new TlsSetup(ctx, ks);
        } catch (GeneralSecurityException e) {
            throw new MpiException(ErrorClass.ARG, "tls: cannot set up TLS with tlsKeystore=" + ks
                    + (ts.isEmpty() ? "" : " and tlsTruststore=" + ts) + ": " + e, e);
        }
    }

    private static KeyStore open(Config.Setting<String> setting, String path, char[] password) {
        Path p = Path.of(path);
        String what = "tls: " + setting.name() + "=" + path;
        if (!Files.exists(p)) throw new MpiException(ErrorClass.ARG, what + ": no such file");
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw new MpiException(ErrorClass.ARG, what + ": not a readable file");
        }
        try (InputStream in = Files.newInputStream(p)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            return ks;
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password");
            if (badPassword) {
                throw new MpiException(ErrorClass.ARG, what + ": wrong password (setting tlsPassword, from the "
                        + "environment variable " + Config.TLS_PASSWORD.envVar()
                        + (password.length == 0 ? ", which is not set" : "") + ")", e);
            }
            throw new MpiException(ErrorClass.ARG, what + ": not a PKCS12 keystore (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new MpiException(ErrorClass.ARG, what + ": cannot be read as a PKCS12 keystore: " + e.getMessage(), e);
        }
    }

    String keystore() {
        return keystore;
    }

    /** A new engine for one connection, TLS 1.3 only, client authentication required. */
    SSLEngine engine(boolean client) {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(client);
        SSLParameters p = e.getSSLParameters();
        p.setProtocols(new String[] {PROTOCOL});
        p.setCipherSuites(SUITES);
        p.setUseCipherSuitesOrder(true);
        if (!client) p.setNeedClientAuth(true);
        e.setSSLParameters(p);
        return e;
    }

    /** A connection after its TLS handshake: the engine, and network bytes already read past the handshake. */
    record Session(SSLEngine engine, ByteBuffer leftover) {
    }

    /**
     * Runs the TLS handshake on a blocking socket whose HMAC handshake just succeeded. Reads honour the socket's
     * timeout; the whole exchange must end by {@code deadline} ({@link System#nanoTime}).
     *
     * @throws IOException on any failure (an {@link SSLException} when the peer's certificate is refused or the
     *                     peer refused ours)
     */
    Session handshake(Socket socket, boolean client, long deadline) throws IOException {
        SSLEngine engine = engine(client);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        int packet = engine.getSession().getPacketBufferSize();
        ByteBuffer netIn = ByteBuffer.allocate(2 * packet); // write mode: bytes read are [0, position)
        ByteBuffer netOut = ByteBuffer.allocate(2 * packet);
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        ByteBuffer empty = ByteBuffer.allocate(0);
        engine.beginHandshake();
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        boolean confirmed = false;
        while (true) {
            if (System.nanoTime() - deadline > 0) throw new SocketTimeoutException("TLS handshake timed out");
            boolean done = hs == SSLEngineResult.HandshakeStatus.FINISHED
                    || hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
            if (done && !client && !confirmed) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(ByteBuffer.wrap(CONFIRM), netOut);
                if (r.getStatus() != SSLEngineResult.Status.OK) throw new SSLException("TLS confirmation: " + r);
                out.write(netOut.array(), 0, netOut.position());
                out.flush();
                confirmed = true;
            }
            if (done && (!client || app.position() >= CONFIRM.length)) break;
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                Runnable t;
                while ((t = engine.getDelegatedTask()) != null) t.run();
                hs = engine.getHandshakeStatus();
            } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(empty, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut = ByteBuffer.allocate(2 * netOut.capacity());
                } else {
                    if (netOut.position() > 0) {
                        out.write(netOut.array(), 0, netOut.position());
                        out.flush();
                    }
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS closed during the handshake");
                    }
                }
                hs = r.getHandshakeStatus();
            } else { // NEED_UNWRAP (or, done, the client waiting for the confirmation)
                netIn.flip();
                SSLEngineResult r;
                try {
                    r = engine.unwrap(netIn, app);
                } finally {
                    netIn.compact();
                }
                switch (r.getStatus()) {
                    case BUFFER_UNDERFLOW:
                        if (!netIn.hasRemaining()) {
                            ByteBuffer g = ByteBuffer.allocate(2 * netIn.capacity());
                            netIn.flip();
                            g.put(netIn);
                            netIn = g;
                        }
                        int n = in.read(netIn.array(), netIn.position(), netIn.remaining());
                        if (n < 0) {
                            throw new EOFException("the peer closed the connection during the TLS handshake "
                                    + "(it may not trust this rank's certificate)");
                        }
                        netIn.position(netIn.position() + n);
                        break;
                    case BUFFER_OVERFLOW:
                        ByteBuffer g = ByteBuffer.allocate(2 * app.capacity());
                        app.flip();
                        g.put(app);
                        app = g;
                        break;
                    case CLOSED:
                        throw new SSLException("the peer closed TLS during the handshake");
                    default:
                        break;
                }
                hs = r.getHandshakeStatus();
                if (done && hs == SSLEngineResult.HandshakeStatus.FINISHED) hs = SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
            }
        }
        if (client) {
            app.flip();
            byte[] got = new byte[app.remaining()];
            app.get(got);
            if (!java.util.Arrays.equals(got, CONFIRM)) throw new SSLException("unexpected TLS confirmation from the peer");
        }
        netIn.flip();
        ByteBuffer leftover = ByteBuffer.allocate(netIn.remaining());
        leftover.put(netIn).flip();
        return new Session(engine, leftover);
    }
}
