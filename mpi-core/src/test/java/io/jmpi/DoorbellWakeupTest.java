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
        java.util.concurrent.atomic.AtomicLongArray sleepsBefore = new java.util.concurrent.atomic.AtomicLongArray(new long[]{-1, -1, -1});
        Jobs.run(transport, 2, SLEEP_AT_ONCE, mpi -> {
            Comm w = mpi.world();
            // TCP connects on first use: connect now, so that round 0's wake-up is the message's, not the new connection's
            w.barrier();
            for (int round = 0; round < 3; round++) {
                if (w.rank() == 1) {
                    Engine e = w.engine;
                    assertTrue(e.hasDoorbell(), transport + ": idle waiters block on a doorbell");
                    long wakeups = e.doorbellWakeups();
                    receiver.set(e);
                    sleepsBefore.set(round, e.doorbellSleeps()); // a sleep counted after this is the receive's own
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
                    int r = round;
                    // not a sleep of the barrier's or an earlier round's: one counted after rank 1 entered this receive
                    Await.until(() -> sleepsBefore.get(r) >= 0 && e.doorbellSleeps() > sleepsBefore.get(r),
                            Duration.ofSeconds(30), "rank 1 sleeps in round " + r + "'s receive");
                    w.send(new int[]{round + 41}, 1, round);
                    int[] ack = new int[1];
                    w.recv(ack, 1, 100 + round);
                    assertEquals(round, ack[0]);
                }
            }
        });
    }

    /**
     * Ranks outnumbering cores (4 on this 2-core machine) keep making progress when every waiter sleeps at once: each
     * rank's sleeper is woken by its peers' frames, with only the JUnit timeout as a bound.
     */
    @ParameterizedTest
    @ValueSource(strings = {"shm", "tcp"})
    void fourSleepingRanksMakeProgress(String transport) {
        Jobs.run(transport, 4, SLEEP_AT_ONCE, mpi -> {
            Comm w = mpi.world();
            for (int i = 0; i < 200; i++) {
                int[] v = {w.rank() + i};
                w.allreduce(v, Op.SUM);
                assertEquals(6 + 4 * i, v[0]);
            }
            w.barrier();
        });
    }

    /**
     * Two threads of one rank wait at once, both past spinning: one blocks on the doorbell, the other parks. Messages
     * for each arrive in turn; each thread's receive completes (the sleeper dispatches the parked one's frame and
     * unparks it, and a thread that leaves hands progress on to the one still parked).
     */
    @ParameterizedTest
    @ValueSource(strings = {"shm", "tcp"})
    void twoWaitingThreadsOfOneRankBothComplete(String transport) {
        AtomicReference<Engine> receiver = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicLongArray sleepsBefore = new java.util.concurrent.atomic.AtomicLongArray(new long[]{-1, -1, -1});
        Jobs.run(transport, 2, SLEEP_AT_ONCE, mpi -> {
            Comm w = mpi.world();
            for (int round = 0; round < 20; round++) {
                if (w.rank() == 1) {
                    receiver.set(w.engine);
                    int[] a = new int[1];
                    int[] b = new int[1];
                    Thread other = new Thread(() -> w.recv(b, 0, 2));
                    other.start();
                    w.recv(a, 0, 1);
                    try {
                        other.join();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    assertEquals(round, a[0]);
                    assertEquals(-round, b[0]);
                    w.send(new int[]{round}, 0, 3);
                } else {
                    Await.until(() -> receiver.get() != null, Duration.ofSeconds(30), "rank 1 is up");
                    // alternate which thread's message comes first
                    if (round % 2 == 0) {
                        w.send(new int[]{-round}, 1, 2);
                        w.send(new int[]{round}, 1, 1);
                    } else {
                        w.send(new int[]{round}, 1, 1);
                        w.send(new int[]{-round}, 1, 2);
                    }
                    w.recv(new int[1], 1, 3);
                }
            }
        });
    }

    /**
     * TCP with more data connections than the hot set (6 ranks: 5 peers each): polls read the hot set and ask the
     * selector for the others; messages from every peer, hot or cold, arrive, with and without sleeping waiters.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tcpHybridPollingSeesEveryPeer(boolean sleepAtOnce) {
        Jobs.run("tcp", 6, sleepAtOnce ? SLEEP_AT_ONCE : Map.of(), mpi -> {
            Comm w = mpi.world();
            for (int round = 0; round < 30; round++) {
                // one peer at a time talks to rank 0, so the others go cold and must be found by the selector
                int talker = 1 + round % 5;
                if (w.rank() == talker) w.send(new int[]{round}, 0, round);
                if (w.rank() == 0) {
                    int[] v = new int[1];
                    w.recv(v, talker, round);
                    assertEquals(round, v[0]);
                }
                w.barrier();
            }
        });
    }
}
