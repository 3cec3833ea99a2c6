package io.jmpi.wire;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The two cryptographic primitives of the handshake, without the JCA provider machinery: HMAC-SHA256 (RFC 2104)
 * over {@link MessageDigest}, and random bytes from the kernel's CSPRNG ({@code /dev/urandom}, else
 * {@link SecureRandom}). Why: loading the JCA {@code Mac} and {@code SecureRandom} costs 50-70 ms in every fresh
 * JVM, a quarter of a rank's start-up; SHA-256 alone costs under a millisecond.
 */
public final class Crypto {
    private static final int BLOCK = 64;
    private static final Object RANDOM_LOCK = new Object();
    private static InputStream urandom;
    private static SecureRandom fallback;

    private Crypto() {
    }

    /** HMAC-SHA256(key, part1 | part2 | ...). */
    public static byte[] hmacSha256(byte[] key, byte[]... parts) {
        MessageDigest d = sha256();
        byte[] k = key.length > BLOCK ? d.digest(key) : key;
        byte[] ipad = new byte[BLOCK];
        byte[] opad = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        d.reset();
        d.update(ipad);
        for (byte[] p : parts) d.update(p);
        byte[] inner = d.digest();
        d.update(opad);
        d.update(inner);
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** {@code n} random bytes from the kernel's CSPRNG. */
    public static byte[] randomBytes(int n) {
        byte[] out = new byte[n];
        synchronized (RANDOM_LOCK) {
            try {
                if (fallback == null) {
                    if (urandom == null) urandom = new FileInputStream("/dev/urandom");
                    int off = 0;
                    while (off < n) {
                        int r = urandom.read(out, off, n - off);
                        if (r < 0) throw new IOException("end of /dev/urandom");
                        off += r;
                    }
                    return out;
                }
            } catch (IOException e) {
                fallback = new SecureRandom();
            }
            fallback.nextBytes(out);
            return out;
        }
    }
}
