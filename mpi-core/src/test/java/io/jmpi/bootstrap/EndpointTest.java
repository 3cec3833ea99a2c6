package io.jmpi.bootstrap;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointTest {
    @Test
    void encodeDecodeRoundTrip() {
        Endpoint e = new Endpoint(3, "10.0.0.7", 45123, HostIdentity.hostId(), 4242);
        assertEquals("3 10.0.0.7 45123 " + HostIdentity.hostId() + " 4242", e.encode());
        assertEquals(e, Endpoint.decode(e.encode()));
    }

    @Test
    void ipv6HostSurvives() {
        Endpoint e = new Endpoint(0, "fe80::1", 0, "h", 1);
        assertEquals(e, Endpoint.decode(e.encode()));
    }

    @Test
    void badLineIsRefused() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Endpoint.decode("1 2 3"));
        assertEquals("bad endpoint: 1 2 3", ex.getMessage());
        assertThrows(NumberFormatException.class, () -> Endpoint.decode("x h 1 id 2"));
    }
}
