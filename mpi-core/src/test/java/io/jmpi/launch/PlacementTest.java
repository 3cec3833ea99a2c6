package io.jmpi.launch;

import io.jmpi.base.MpiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Placing ranks on hosts by slot and by node, oversubscription, and which hosts are this machine. */
class PlacementTest {
    private static final List<Hostfile.Host> HOSTS = List.of(new Hostfile.Host("a", 2), new Hostfile.Host("b", 2),
            new Hostfile.Host("c", 1));

    private static List<String> hosts(List<Placement.Rank> ranks) {
        List<String> h = new ArrayList<>();
        for (Placement.Rank r : ranks) h.add(r.host() + r.localRank());
        return h;
    }

    @Test
    void bySlotFillsEachHostInTurn() {
        assertEquals(List.of("a0", "a1", "b0", "b1", "c0"),
                hosts(Placement.place(HOSTS, 5, Placement.MapBy.SLOT, false, h -> false)));
        assertEquals(List.of("a0", "a1", "b0"), hosts(Placement.place(HOSTS, 3, Placement.MapBy.SLOT, false, h -> false)));
    }

    @Test
    void byNodeDealsRoundRobinOverHostsWithFreeSlots() {
        assertEquals(List.of("a0", "b0", "c0", "a1", "b1"),
                hosts(Placement.place(HOSTS, 5, Placement.MapBy.NODE, false, h -> false)));
    }

    @Test
    void oversubscribingRepeatsTheOrder() {
        assertEquals(List.of("a0", "a1", "b0", "b1", "c0", "a2", "a3"),
                hosts(Placement.place(HOSTS, 7, Placement.MapBy.SLOT, true, h -> false)));
        assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "a2", "b2", "c1"),
                hosts(Placement.place(HOSTS, 8, Placement.MapBy.NODE, true, h -> false)));
    }

    @Test
    void tooManyRanksWithoutOversubscribeNamesRequestedAndAvailable() {
        MpiException e = assertThrows(MpiException.class, () -> Placement.place(HOSTS, 6, Placement.MapBy.SLOT, false,
                h -> false));
        assertEquals("-np 6 needs 6 slots but only 5 are available (a:2, b:2, c:1); add slots, hosts, or --oversubscribe",
                e.getMessage());
        assertEquals(Placement.MapBy.NODE, Placement.MapBy.parse("node"));
        assertEquals("--map-by=socket is not valid; allowed slot, node",
                assertThrows(MpiException.class, () -> Placement.MapBy.parse("socket")).getMessage());
    }

    @Test
    void localHostsAreMarked() {
        List<Placement.Rank> r = Placement.place(HOSTS, 5, Placement.MapBy.SLOT, false, h -> h.equals("b"));
        assertFalse(r.get(0).local());
        assertTrue(r.get(2).local());
        assertTrue(r.get(3).local());
    }

    @Test
    void thisMachineIsRecognised() {
        assertTrue(Placement.isThisMachine("localhost"));
        assertTrue(Placement.isThisMachine("127.0.0.1"));
        assertTrue(Placement.isThisMachine(Placement.ownHostname()));
        assertFalse(Placement.isThisMachine("192.0.2.200")); // TEST-NET-1: never an address of this machine
    }
}
