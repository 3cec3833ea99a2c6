package io.jmpi.io;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A byte-range lock on a file that excludes other processes (a POSIX record lock, through {@link FileChannel#lock})
 * and other threads of this JVM. The JDK keeps one lock table per JVM and throws
 * {@link OverlappingFileLockException} instead of blocking when another thread of the JVM holds an overlapping lock
 * (ranks that are threads of one JVM, with any class loaders); so that case is retried with a backoff until the
 * lock is free or {@code TIMEOUT_SECONDS} have passed. Other processes are waited for by the operating system.
 */
public final class RangeLock {
    static final long TIMEOUT_SECONDS = 120;

    private RangeLock() {
    }

    public static FileLock lock(FileChannel ch, long pos, long size, boolean shared, String call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        int tries = 0;
        while (true) {
            try {
                return ch.lock(pos, size, shared);
            } catch (OverlappingFileLockException e) {
                // held by another thread of this JVM: back off (spin, yield, then short parks)
                if (System.nanoTime() > deadline) {
                    throw new MpiException(ErrorClass.FILE_IN_USE, call + ": could not lock bytes [" + pos + ", "
                            + (pos + size) + ") within " + TIMEOUT_SECONDS + " s", e);
                }
                tries++;
                if (tries < 100) Thread.onSpinWait();
                else if (tries < 200) Thread.yield();
                else LockSupport.parkNanos(Math.min(1_000_000L, 1000L << Math.min(10, (tries - 200) / 16)));
            } catch (IOException e) {
                throw new MpiException(ErrorClass.IO, call + ": locking bytes [" + pos + ", " + (pos + size) + ") failed: " + e, e);
            }
        }
    }

    public static void release(FileLock l, String call) {
        try {
            l.release();
        } catch (IOException e) {
            throw new MpiException(ErrorClass.IO, call + ": releasing a file lock failed: " + e, e);
        }
    }
}
