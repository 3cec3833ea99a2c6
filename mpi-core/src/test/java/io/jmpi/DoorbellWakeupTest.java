package io.jmpi;

import io.jmpi.engine.Engine;
import io.jmpi.testing.Await;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A receiver that has gone to sleep is woken by the message, not by its timeout. The spin and yield phases are 0, so a
 * waiter blocks at once, and the safety-net timeout is as long as allowed (1 s): the sender sends only once the
 * receiver's engine counts a blocked sleep, and the receiver checks that a ready channel (the shared-memory doorbell,
 * or the TCP socket) woke it. The JUnit timeout is the only bound on time.
 */
@Timeout(60)
class DoorbellWakeupTest {
    private static final Map<String, String> SLEEP_AT_ONCE = Map.of("JMPI_SPIN_TRIES", "0", "JMPI_YIELD_TRIES", "0",
            "JMPI_MAX_PARK_MICROS", "1000000");

    @ParameterizedTest
    @ValueSource(strings = {"shm", "tcp"})
    void sleepingReceiverIsWokenByTheMessage(String transport) {
        AtomicReference<Engine> receiver = new AtomicReference<>();
        Jobs.run(transport, 2, SLEEP_AT_ONCE, mpi -> {
            Comm w = mpi.world();
            for (int round = 0; round < 3; round++) {
                if (w.rank() == 1) {
                    Engine e = w.engine;
                    assertTrue(e.hasDoorbell(), transport + ": idle waiters block on a doorbell");
                    long wakeups = e.doorbellWakeups();
                    receiver.set(e);
                    int[] buf = new int[1];
                    w.recv(buf, 0, round);
                    assertEquals(round + 41, buf[0]);
                    assertTrue(e.doorbellWakeups() > wakeups, transport + ": round " + round
                            + ": the sleeper was woken by a ready channel, not its timeout");
                    w.send(new int[]{round}, 0, 100 + round);
                } else {
                    // receiver is set before each round's receive; its sleep count grows once it blocks
                    Await.until(() -> receiver.get() != null, Duration.ofSeconds(30), "rank 1 is up");
                    Engine e = receiver.get();
                    long sleeps = e.doorbellSleeps();
                    if (round == 0) {
                        Await.until(() -> e.doorbellSleeps() > 0, Duration.ofSeconds(30), "rank 1 sleeps");
                    } else {
                        Await.until(() -> e.doorbellSleeps() > sleeps, Duration.ofSeconds(30), "rank 1 sleeps again");
                    }
                    w.send(new int[]{round + 41}, 1, round);
                    int[] ack = new int[1];
                    w.recv(ack, 1, 100 + round);
                    assertEquals(round, ack[0]);
                }
            }
        });
    }
}
