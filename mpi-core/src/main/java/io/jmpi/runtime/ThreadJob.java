package io.jmpi.runtime;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;
import io.jmpi.transport.local.LocalFabric;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A job whose ranks are threads of this JVM, over one shared in-JVM fabric. {@link #run} starts one thread per
 * rank; each thread's {@code Mpi.init} finds its rank through {@link #current()}. As a main class
 * ({@code jmpirun --transport local}): {@code ThreadJob <np> (<mainClass> | -jar <jar>) [args...]} runs
 * {@code mainClass.main(args)} once per rank. With {@code --rank-class-path CP} (what jmpirun passes unless
 * {@code --shared-statics}) each rank thread loads the program from CP in a {@link RankClassLoader} of its own, as MPJ
 * Express's multicore device does, so the program's statics are per rank as in a JVM per rank (programs written
 * against the {@code mpi} APIs need it: {@code MPI.COMM_WORLD} is a static field); jmpi itself is loaded once, from
 * the JVM's class path, and shared. Without it the program's classes, and so its statics, are shared by all ranks
 * (as with {@code Mpi.runThreads}). What no class loader isolates: system properties, {@code System.out/err/in},
 * the working directory, native libraries (a JNI library loads into one class loader only), the JDK's singletons.
 */
public final class ThreadJob {
    /** The identity of a rank thread. */
    public record Rank(ThreadJob job, int rank) {
    }

    private static final InheritableThreadLocal<Rank> CURRENT = new InheritableThreadLocal<>();

    private final LocalFabric fabric;

    private ThreadJob(int size) {
        this.fabric = new LocalFabric(size);
    }

    /** A job of {@code size} thread ranks whose threads the caller runs itself (benchmarks, embedding). */
    public static ThreadJob create(int size) {
        if (size < 1 || size > 4096) throw new MpiException(ErrorClass.ARG, "threads: n=" + size + " out of range [1, 4096]");
        return new ThreadJob(size);
    }

    public int size() {
        return fabric.size();
    }

    LocalFabric fabric() {
        return fabric;
    }

    /** Fails every pending and later operation of every rank of the job. */
    public void abort(MpiException cause) {
        fabric.abort(cause);
    }

    /** The rank of the calling thread, or null outside a thread job. */
    public static Rank current() {
        return CURRENT.get();
    }

    /** Runs {@code body(rank)} on {@code n} threads; rethrows the first failure after all have ended. */
    public static void run(int n, RankBody body) {
        if (n < 1) throw new MpiException(ErrorClass.ARG, "runThreads: n=" + n + " out of range [1, 4096]");
        ThreadJob job = create(n);
        LocalFabric fabric = job.fabric;
        AtomicReference<Throwable> first = new AtomicReference<>();
        Thread[] threads = new Thread[n];
        for (int r = 0; r < n; r++) {
            final int rank = r;
            threads[r] = new Thread(() -> {
                CURRENT.set(new Rank(job, rank));
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
    public interface RankBody {
        void accept(int rank) throws Exception;
    }

    /** The option that names the program's class path, loaded per rank by a {@link RankClassLoader}. */
    public static final String RANK_CLASS_PATH = "--rank-class-path";
    /** The option that prefixes each line a rank thread writes with {@code [rank] } ({@link RankOutput}). */
    public static final String TAG_OUTPUT = "--tag-output";

    /**
     * {@code ThreadJob <np> [--rank-class-path CP] [--tag-output] (<mainClass> | -jar <jar>) [args...]}. A rank that
     * calls {@code System.exit(code)} ends the JVM, so the job, with that code (the other ranks are stopped with it).
     */
    public static void main(String[] argv) throws Exception {
        String usage = "usage: ThreadJob <np> [" + RANK_CLASS_PATH + " CP] [" + TAG_OUTPUT
                + "] (<mainClass> | -jar <jar>) [args...]";
        int at = 1;
        String rankClassPath = null;
        boolean tag = false;
        while (at < argv.length) {
            if (RANK_CLASS_PATH.equals(argv[at]) && at + 1 < argv.length) {
                rankClassPath = argv[at + 1];
                at += 2;
            } else if (TAG_OUTPUT.equals(argv[at])) {
                tag = true;
                at++;
            } else {
                break;
            }
        }
        if (argv.length < at + 1 || "-jar".equals(argv[at]) && argv.length < at + 2) {
            System.err.println(usage);
            System.exit(2);
        }
        int np = Integer.parseInt(argv[0]);
        String mainClass;
        int argStart;
        if ("-jar".equals(argv[at])) {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(argv[at + 1])) {
                mainClass = jar.getManifest().getMainAttributes().getValue("Main-Class");
            }
            if (mainClass == null) {
                System.err.println("jmpi: " + argv[at + 1] + ": its manifest has no Main-Class");
                System.exit(2);
            }
            argStart = at + 2;
        } else {
            mainClass = argv[at];
            argStart = at + 1;
        }
        String[] args = java.util.Arrays.copyOfRange(argv, argStart, argv.length);
        URL[] rankUrls = rankClassPath == null ? null : urls(rankClassPath);
        Method shared = rankUrls != null ? null
                : Class.forName(mainClass, true, Thread.currentThread().getContextClassLoader())
                        .getMethod("main", String[].class);
        boolean tagged = tag;
        if (tagged) RankOutput.install();
        ClassLoader parent = ThreadJob.class.getClassLoader();
        try {
            run(np, rank -> {
                try {
                    Method main = shared;
                    if (main == null) {
                        ClassLoader loader = new RankClassLoader(rank, rankUrls, parent);
                        Thread.currentThread().setContextClassLoader(loader);
                        main = Class.forName(mainClass, true, loader).getMethod("main", String[].class);
                    }
                    main.invoke(null, (Object) args.clone());
                } catch (InvocationTargetException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Exception) throw (Exception) c;
                    throw (Error) c;
                } finally {
                    if (tagged) RankOutput.endLines();
                }
            });
        } catch (Throwable t) {
            System.err.println("jmpi: a rank thread failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** A class path (entries as java takes them, {@code dir/*} for every jar in dir) as URLs. */
    private static URL[] urls(String classPath) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            if (e.endsWith("*")) {
                String d = e.substring(0, e.length() - 1);
                Path dir = Path.of(d.isEmpty() ? "." : d);
                if (!Files.isDirectory(dir)) continue;
                try (Stream<Path> jars = Files.list(dir)) {
                    for (Path j : (Iterable<Path>) jars.sorted()::iterator) {
                        if (j.toString().endsWith(".jar")) urls.add(j.toUri().toURL());
                    }
                }
            } else {
                urls.add(Path.of(e).toAbsolutePath().toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }
}
