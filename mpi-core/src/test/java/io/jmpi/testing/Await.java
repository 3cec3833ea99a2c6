package io.jmpi.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for a condition, never for a time: a sleep that is long enough on a quiet machine is too short on
 * a loaded 2-core one, and too long everywhere else. The condition is polled until it holds or the deadline passes.
 */
public final class Await {
    private Await() {
    }

    /** Waits until {@code condition} holds; fails naming {@code what} if it does not within {@code timeout}. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        if (!holds(condition, timeout)) {
            throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
        }
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it holds. */
    public static boolean holds(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 10_000; // 10 us, doubling to 5 ms: quick for fast conditions, cheap for slow ones
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) return condition.getAsBoolean();
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting");
            }
            LockSupport.parkNanos(pause); // the polling interval, not a synchronisation
            pause = Math.min(pause * 2, 5_000_000);
        }
        return true;
    }
}
