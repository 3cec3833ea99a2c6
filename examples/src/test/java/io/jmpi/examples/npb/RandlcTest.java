package io.jmpi.examples.npb;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The NPB generator against exact big-integer arithmetic, and skipping ahead against stepping. */
class RandlcTest {
    private static final BigInteger MOD = BigInteger.ONE.shiftLeft(46);

    @Test
    void eachNumberIsAtimesTheLastModulo2To46() {
        Randlc r = new Randlc(314_159_265L);
        BigInteger x = BigInteger.valueOf(314_159_265L), a = BigInteger.valueOf(Randlc.A);
        for (int i = 0; i < 10_000; i++) {
            x = x.multiply(a).mod(MOD);
            assertEquals(x.doubleValue() / MOD.doubleValue(), r.next());
            assertEquals(x.longValueExact(), r.seed());
        }
    }

    @Test
    void skipEqualsStepping() {
        for (long k : new long[]{0, 1, 2, 3, 17, 1000, 131_072, 1_234_567}) {
            Randlc stepped = new Randlc(271_828_183L);
            for (long i = 0; i < k; i++) stepped.next();
            assertEquals(stepped.seed(), new Randlc(271_828_183L).skip(k).seed(), "skip " + k);
        }
    }

    @Test
    void powerMatchesBigInteger() {
        for (long k : new long[]{0, 1, 5, 1L << 17, (1L << 40) + 12345}) {
            assertEquals(BigInteger.valueOf(Randlc.A).modPow(BigInteger.valueOf(k), MOD).longValueExact(),
                    Randlc.power(Randlc.A, k), "a^" + k);
        }
    }

    @Test
    void vectorFillEqualsSingleSteps() {
        double[] v = new double[1000];
        new Randlc(314_159_265L).next(v, v.length);
        Randlc r = new Randlc(314_159_265L);
        for (double d : v) assertEquals(r.next(), d);
    }
}
