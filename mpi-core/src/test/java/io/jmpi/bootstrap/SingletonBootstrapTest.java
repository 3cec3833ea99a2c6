package io.jmpi.bootstrap;

import io.jmpi.base.Config;
import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SingletonBootstrapTest {
    @Test
    void withoutLauncherAJvmIsASingletonJob() {
        Bootstrap b = Bootstraps.fromEnvironment(Config.of(Map.of()), Map.of());
        assertInstanceOf(SingletonBootstrap.class, b);
        assertEquals(0, b.rank());
        assertEquals(1, b.size());
        assertEquals(InetAddress.getLoopbackAddress(), b.advertiseAddress());
        assertTrue(b.secret().length >= 16);
        assertTrue(b.jobId() >= 0);
        Endpoint mine = new Endpoint(0, "127.0.0.1", 5000, HostIdentity.hostId(), 1);
        assertArrayEquals(new Endpoint[] {mine}, b.exchange(mine));
        b.reportFailure("ignored");
        b.close();
    }

    @Test
    void everySingletonHasItsOwnJobAndSecret() {
        SingletonBootstrap a = new SingletonBootstrap();
        SingletonBootstrap b = new SingletonBootstrap();
        assertNotEquals(a.jobId(), b.jobId());
        assertNotEquals(RankEnvironment.hex(a.secret()), RankEnvironment.hex(b.secret()));
    }

    @Test
    void exchangeRefusesAnotherRank() {
        MpiException e = assertThrows(MpiException.class,
                () -> new SingletonBootstrap().exchange(new Endpoint(1, "h", 1, "x", 1)));
        assertEquals(ErrorClass.ARG, e.errorClass());
    }

    @Test
    void exchangeRunsOnceAndNotAfterClose() {
        SingletonBootstrap b = new SingletonBootstrap();
        Endpoint mine = new Endpoint(0, "h", 1, "x", 1);
        assertArrayEquals(new Endpoint[] {mine}, b.exchange(mine));
        assertEquals(ErrorClass.STATE, assertThrows(MpiException.class, () -> b.exchange(mine)).errorClass());
        SingletonBootstrap closed = new SingletonBootstrap();
        closed.close();
        assertEquals(ErrorClass.STATE, assertThrows(MpiException.class, () -> closed.exchange(mine)).errorClass());
    }
}
