package io.jmpi.wire;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class CryptoTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void rfc4231Vectors() {
        byte[] key1 = new byte[20];
        java.util.Arrays.fill(key1, (byte) 0x0b);
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                hex(Crypto.hmacSha256(key1, "Hi There".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hex(Crypto.hmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII))));
        byte[] key6 = new byte[131]; // longer than a block: hashed first
        java.util.Arrays.fill(key6, (byte) 0xaa);
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                hex(Crypto.hmacSha256(key6, "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void agreesWithTheJcaMacOnRandomInputs() throws Exception {
        Random r = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] key = new byte[r.nextInt(100) + 1];
            byte[] msg = new byte[r.nextInt(300)];
            r.nextBytes(key);
            r.nextBytes(msg);
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            assertArrayEquals(m.doFinal(msg), Crypto.hmacSha256(key, msg));
        }
    }

    @Test
    void randomBytesDiffer() {
        assertFalse(java.util.Arrays.equals(Crypto.randomBytes(32), Crypto.randomBytes(32)));
        assertEquals(7, Crypto.randomBytes(7).length);
    }
}
