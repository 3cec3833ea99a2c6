package io.jmpi.mpj;

import io.jmpi.launch.MpjProtocol;
import mpi.MPI;

/**
 * The state of this rank under MPJ Express, shared by {@link MpjMain} and the backend that {@code Mpi.init} finds.
 * Static, but per rank: in MPJ Express's multicore mode every rank loads MPJ Express and jmpi through its own class
 * loader, so each rank has its own copy of this class (as it has its own {@code mpi.MPI}).
 *
 * <p>When is {@code MPI.Finalize} called? In niodev it waits for every rank, so it must not be called by a rank
 * whose job is failing (it would hang instead of failing). {@link MpjBootstrap#close()} calls it at the end of a
 * clean {@code Mpi.close} (goodbyes exchanged with every peer, so every peer is closing too); otherwise it is left
 * out and the launcher ends the job.
 */
final class MpjRuntime {
    private static final Object LOCK = new Object();
    /** Multicore mode: how long a rank that failed because of a peer waits before it ends the shared JVM. */
    private static final long PEER_FAILURE_GRACE_MILLIS = 3000;
    private static boolean managed;
    private static int rank = -1;
    private static String device = "";
    private static boolean jmpiOpen;
    private static boolean jmpiClosed;
    private static boolean cleanClose;
    private static boolean finalized;
    private static boolean finished;
    private static Thread mainThread;

    private MpjRuntime() {
    }

    /** Called by {@link MpjMain} after {@code MPI.Init}. */
    static void startedByMain(int worldRank, String dev, Thread main) {
        synchronized (LOCK) {
            managed = true;
            rank = worldRank;
            device = dev;
            mainThread = main;
        }
    }

    static boolean managedByMain() {
        synchronized (LOCK) {
            return managed;
        }
    }

    static int rank() {
        synchronized (LOCK) {
            return rank;
        }
    }

    /** "smpdev" (multicore: all ranks are threads of one JVM), "niodev", or "" when not started by MpjMain. */
    static String device() {
        synchronized (LOCK) {
            return device;
        }
    }

    static void jmpiOpened(int worldRank) {
        synchronized (LOCK) {
            rank = worldRank;
            jmpiOpen = true;
        }
    }

    /** jmpi was closed; {@code clean} when goodbyes were exchanged with every peer. */
    static void jmpiClosed(boolean clean) {
        synchronized (LOCK) {
            jmpiClosed = true;
            cleanClose = clean;
            LOCK.notifyAll();
        }
    }

    /** True when jmpi was closed without a goodbye from every peer. */
    static boolean closedUncleanly() {
        synchronized (LOCK) {
            return jmpiClosed && !cleanClose;
        }
    }

    /** {@code MPI.Finalize} once per rank. */
    static void finalizeMpj() {
        synchronized (LOCK) {
            if (finalized) return;
            finalized = true;
        }
        try {
            MPI.Finalize();
        } catch (Exception e) {
            throw new io.jmpi.base.MpiException(io.jmpi.base.ErrorClass.IO, "close: MPI.Finalize failed: " + e, e);
        }
    }

    /** The program's main returned normally. */
    static void mainReturned() {
        synchronized (LOCK) {
            finished = true;
            LOCK.notifyAll();
        }
    }

    /** True when jmpi was initialised and not (yet) closed on this rank. */
    static boolean jmpiInUse() {
        synchronized (LOCK) {
            return jmpiOpen && !jmpiClosed;
        }
    }

    static boolean isFinalized() {
        synchronized (LOCK) {
            return finalized;
        }
    }

    /**
     * The JVM is exiting ({@code System.exit}) while this rank may still be running. In multicore mode the JVM is
     * every rank's: when another rank exits after closing jmpi, give this rank time to close too (it needs nothing
     * more from the exited rank). If this rank itself called exit with jmpi still open, or never gets to close,
     * say so: its peers would otherwise wait for it forever.
     */
    static void onJvmExit(long waitMillis) {
        Thread main;
        synchronized (LOCK) {
            if (!jmpiOpen || jmpiClosed || finished) return;
            main = mainThread;
        }
        boolean selfExit = main == null || main == Thread.currentThread() || callsExit(main);
        if (!selfExit && "smpdev".equals(device())) {
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            synchronized (LOCK) {
                while (jmpiOpen && !jmpiClosed && !finished) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0 || callsExit(main)) break;
                    try {
                        LOCK.wait(Math.min(left, 100));
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                if (!jmpiOpen || jmpiClosed || finished) return;
            }
            selfExit = callsExit(main);
        }
        String why = selfExit
                ? "exited (System.exit) without closing jmpi (Mpi.close); its peers would wait for it forever"
                : "was still running when another rank ended the JVM (multicore mode: all ranks share one JVM)";
        System.err.println(MpjProtocol.failed(rank(), why));
        System.err.flush();
    }

    private static boolean callsExit(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if ((c.equals("java.lang.Runtime") || c.equals("java.lang.System")) && e.getMethodName().equals("exit")) return true;
            if (c.equals("java.lang.Shutdown")) return true;
        }
        return false;
    }

    /** Reports a failure of this rank and ends its JVM (in multicore mode: the whole job's JVM). */
    static void failAndHalt(String reason, int code) {
        failAndHalt(reason, code, false);
    }

    /** As {@link #failAndHalt(String, int)}; {@code peerGone}: the failure was caused by a peer that went first. */
    static void failAndHalt(String reason, int code, boolean peerGone) {
        System.out.flush();
        System.err.println(peerGone ? MpjProtocol.failedAfterPeer(rank(), reason) : MpjProtocol.failed(rank(), reason));
        System.err.flush();
        if (peerGone && "smpdev".equals(device())) {
            // multicore: halting ends every rank; give the rank that failed first the time to say why
            try {
                Thread.sleep(PEER_FAILURE_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime.getRuntime().halt(code);
    }
}
