package io.jmpi.bootstrap;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindAddressTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void emptyMeansTowardTheLauncher() throws Exception {
        InetAddress toward = InetAddress.getByName("127.0.0.1");
        assertEquals(toward, BindAddress.select("", toward));
        assertEquals(toward, BindAddress.select(null, toward));
    }

    @Test
    void cidrPicksTheLocalAddressInside() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), BindAddress.select("127.0.0.0/8", null));
    }

    @Test
    void plainLocalAddressIsAccepted() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), BindAddress.select("127.0.0.1", LOOPBACK));
    }

    @Test
    void cidrWithoutLocalMatchNamesSettingAndLocalAddresses() {
        MpiException e = assertThrows(MpiException.class, () -> BindAddress.select("203.0.113.0/24", LOOPBACK));
        assertEquals(ErrorClass.ARG, e.errorClass());
        assertTrue(e.getMessage().startsWith("bootstrap: bind=203.0.113.0/24 matches no local interface address; "
                + "local addresses: "), e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }

    @Test
    void foreignAddressIsRefused() {
        MpiException e = assertThrows(MpiException.class, () -> BindAddress.select("203.0.113.9", LOOPBACK));
        assertTrue(e.getMessage().startsWith("bootstrap: bind=203.0.113.9 is not an address of this machine"),
                e.getMessage());
    }

    @Test
    void hostNamesAndBadPrefixesAreRefusedWithoutLookup() {
        MpiException name = assertThrows(MpiException.class, () -> BindAddress.select("example.org", LOOPBACK));
        assertTrue(name.getMessage().startsWith("bootstrap: bind=example.org is not an IP address, CIDR or interface "
                + "name (e.g. 10.0.0.5, 10.0.0.0/24 or eth0); interfaces here: "), name.getMessage());
        MpiException prefix = assertThrows(MpiException.class, () -> BindAddress.select("10.0.0.0/33", LOOPBACK));
        assertEquals("bootstrap: bind=10.0.0.0/33: prefix length out of range [0, 32]", prefix.getMessage());
    }

    @Test
    void prefixMatching() throws Exception {
        InetAddress a = InetAddress.getByName("10.1.2.3");
        assertTrue(BindAddress.inside(a, InetAddress.getByName("10.1.0.0"), 16));
        assertTrue(BindAddress.inside(a, InetAddress.getByName("10.1.2.0"), 23));
        assertFalse(BindAddress.inside(a, InetAddress.getByName("10.1.4.0"), 23));
        assertTrue(BindAddress.inside(a, InetAddress.getByName("0.0.0.0"), 0));
        assertFalse(BindAddress.inside(a, InetAddress.getByName("::1"), 0), "families never match");
    }
}
