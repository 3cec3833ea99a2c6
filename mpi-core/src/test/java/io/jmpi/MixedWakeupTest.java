package io.jmpi;

import io.jmpi.engine.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ranks of one machine made to look like two hosts (testHosts a,a,b,b: shared memory inside a label, TCP between),
 * the layout on which flat collectives used to stall for a scheduler quantum per step (allreduce 8 B p50 ~2 ms,
 * bench/results/session6/mixed.md). The cause was the idle strategy, not the doorbell: each rank counted only the
 * ranks of its own label as sharing its cores (2 on 2 cores: "not oversubscribed") and spun 20 000 polls while the
 * peer it waited for needed that core. These tests pin down the state that matters (the machine's rank count and the
 * spin decision) and that a sleeper on a mixed layout is always rung, never left to its safety-net timeout.
 */
@Timeout(120)
class MixedWakeupTest {
    private static final String LAYOUT = "a,a,b,b";

    private static Map<String, String> env(Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(Map.of("JMPI_TEST_HOSTS", LAYOUT, "JMPI_COLL_HIER", "off"));
        e.putAll(extra);
        return e;
    }

    /** testHosts labels do not split a machine: all 4 ranks share its cores, and the spin decision follows that. */
    @Test
    void everyLabelOfTheMachineCountsAsLocal() {
        Jobs.run("auto", 4, env(Map.of()), mpi -> {
            Engine e = mpi.world().engine;
            assertEquals(4, e.localRanks(), "ranks on this machine, whatever their labels");
            assertEquals(4 > Runtime.getRuntime().availableProcessors(), e.oversubscribed());
            if (e.oversubscribed()) assertEquals(0, e.spinTries(), "an oversubscribed rank must not spin");
            else assertTrue(e.spinTries() > 0, "ranks that fit the cores spin before they yield");
            mpi.world().barrier();
        });
    }

    /**
     * Every waiter sleeps at once (no spins, no yields) and the safety net is 1 s: collectives and ping-pongs across
     * both transports (0-1 shared memory, 0-2 and 1-3 TCP) complete, and no sleep of the measured loop lasted its whole
     * timeout: every sleeper was woken by a ring or a frame on whichever transport brought it.
     */
    @Test
    void sleepersOnAMixedLayoutAreRungNeverTimedOut() {
        Map<String, String> sleepAtOnce = Map.of("JMPI_SPIN_TRIES", "0", "JMPI_YIELD_TRIES", "0",
                "JMPI_MAX_PARK_MICROS", "1000000");
        Jobs.run("auto", 4, env(sleepAtOnce), mpi -> {
            Comm w = mpi.world();
            Engine e = w.engine;
            assertTrue(e.hasDoorbell(), "both transports can wake a sleeper");
            w.barrier(); // connections on first use are made here, before the counters are read
            w.allreduce(new int[1], Op.SUM);
            long timeouts = e.doorbellTimeouts();
            long wakeups = e.doorbellWakeups();
            int[] v = new int[1];
            for (int i = 0; i < 200; i++) {
                v[0] = w.rank() + i;
                w.allreduce(v, Op.SUM);
                assertEquals(6 + 4 * i, v[0]);
                // a ping-pong over shared memory (0-1, 2-3) and one over TCP (0-2, 1-3)
                int shmPeer = w.rank() ^ 1, tcpPeer = w.rank() ^ 2;
                for (int peer : new int[]{shmPeer, tcpPeer}) {
                    int[] m = {i};
                    if (w.rank() < peer) {
                        w.send(m, peer, i);
                        w.recv(m, peer, i);
                    } else {
                        w.recv(m, peer, i);
                        w.send(m, peer, i);
                    }
                    assertEquals(i, m[0]);
                }
            }
            w.barrier();
            assertEquals(timeouts, e.doorbellTimeouts(), "rank " + w.rank() + ": a sleep ended by its 1 s timeout");
            assertTrue(e.doorbellWakeups() > wakeups, "rank " + w.rank() + ": sleepers were woken by rings");
        });
    }
}
