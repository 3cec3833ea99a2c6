package io.jmpi.transport.local;

import io.jmpi.ErrorClass;
import io.jmpi.Mpi;
import io.jmpi.MpiException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a job whose ranks are threads of this JVM. As a main class ({@code jmpirun --transport local}):
 * {@code LocalJob <np> <mainClass> [args...]} runs {@code mainClass.main(args)} once per rank, each thread's
 * {@code Mpi.init} finding its rank through an inheritable thread-local. Note: static fields of the program are
 * shared between its ranks in this mode.
 */
public final class LocalJob {
    /** The identity of a rank thread. */
    public record Rank(LocalFabric fabric, int rank) {
    }

    private static final InheritableThreadLocal<Rank> CURRENT = new InheritableThreadLocal<>();

    private LocalJob() {
    }

    /** The rank of the calling thread, or null outside a thread job. */
    public static Rank current() {
        return CURRENT.get();
    }

    /** Initialises the calling rank thread. */
    public static Mpi init(int rank) {
        return Mpi.init(new String[0]);
    }

    /** Runs {@code body(rank)} on {@code n} threads; rethrows the first failure after all have ended. */
    public static void run(int n, IntConsumerWithException body) {
        if (n < 1) throw new MpiException(ErrorClass.ARG, "runThreads: n=" + n + " out of range [1, 4096]");
        LocalFabric fabric = new LocalFabric(n);
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread[] threads = new Thread[n];
        for (int r = 0; r < n; r++) {
            final int rank = r;
            threads[r] = new Thread(() -> {
                CURRENT.set(new Rank(fabric, rank));
                try {
                    body.accept(rank);
                } catch (Throwable t) {
                    if (first.compareAndSet(null, t)) {
                        fabric.abort(new MpiException(ErrorClass.PROC_FAILED, "rank " + rank + " failed: " + t, t));
                    }
                } finally {
                    CURRENT.remove();
                }
            }, "jmpi-rank-" + r);
            threads[r].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fabric.abort(new MpiException(ErrorClass.ABORTED, "interrupted"));
            }
        }
        // the rank that failed first aborted the fabric with its throwable as the cause: report that one, not a
        // neighbour's "job aborted" that may have reached this point sooner
        MpiException abort = fabric.abortCause();
        Throwable t = abort != null && abort.getCause() != null ? abort.getCause() : first.get();
        if (t instanceof RuntimeException) throw (RuntimeException) t;
        if (t instanceof Error) throw (Error) t;
        if (t != null) throw new MpiException(ErrorClass.OTHER, "a rank failed: " + t, t);
    }

    /** A rank body that may throw. */
    @FunctionalInterface
    public interface IntConsumerWithException {
        void accept(int rank) throws Exception;
    }

    /** {@code LocalJob <np> (<mainClass> | -jar <jar>) [args...]}. */
    public static void main(String[] argv) throws Exception {
        if (argv.length < 2) {
            System.err.println("usage: LocalJob <np> (<mainClass> | -jar <jar>) [args...]");
            System.exit(2);
        }
        int np = Integer.parseInt(argv[0]);
        String mainClass;
        int argStart;
        if ("-jar".equals(argv[1])) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(argv[2])) {
                mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
            }
            argStart = 3;
        } else {
            mainClass = argv[1];
            argStart = 2;
        }
        String[] args = java.util.Arrays.copyOfRange(argv, argStart, argv.length);
        Method main = Class.forName(mainClass, true, Thread.currentThread().getContextClassLoader())
                .getMethod("main", String[].class);
        try {
            run(np, rank -> {
                try {
                    main.invoke(null, (Object) args.clone());
                } catch (InvocationTargetException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Exception) throw (Exception) c;
                    throw (Error) c;
                }
            });
        } catch (Throwable t) {
            System.err.println("jmpi: a rank thread failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
