package io.jmpi.runtime;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * The class loader of one rank thread of an in-JVM job ({@code jmpirun --transport local}): the program's classes are
 * loaded per rank, so its static fields, static initialisers and singletons are the rank's own, as they would be in
 * a JVM per rank. Child-first over the program's class path, with two exceptions that go to the parent first:
 * <ul>
 *   <li>{@code io.jmpi.*}: jmpi is one library shared by every rank of the job (the fabric, the thread-local rank
 *       identity); a program whose class path holds jmpi's jar or classes again still talks to that one copy;</li>
 *   <li>the Java platform ({@code java.*}, {@code javax.*}, {@code jdk.*}: whatever the platform class loader
 *       defines), which no class path may replace.</li>
 * </ul>
 * Everything else is looked up in the rank's own class path first and in the parent (the JVM's class path: jmpi and
 * its dependencies) only when missing there. Model: MPJ Express's multicore device, servlet containers' web-app
 * loaders.
 */
final class RankClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    RankClassLoader(int rank, URL[] classPath, ClassLoader parent) {
        super("jmpi-rank-" + rank, classPath, parent);
    }

    /** Whether {@code name} is jmpi's, shared from the parent. */
    static boolean shared(String name) {
        return name.startsWith("io.jmpi.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && shared(name)) {
                try {
                    c = getParent().loadClass(name);
                } catch (ClassNotFoundException notInParent) {
                    // a program class in an io.jmpi package (jmpi's own test programs): the rank's own copy
                }
            }
            if (c == null) {
                try {
                    c = PLATFORM.loadClass(name);
                } catch (ClassNotFoundException notPlatform) {
                    // not the JDK's
                }
            }
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException notOwn) {
                    c = getParent().loadClass(name);
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL u = name.startsWith("io/jmpi/") ? getParent().getResource(name) : null;
        if (u == null) u = PLATFORM.getResource(name);
        if (u == null) u = findResource(name);
        return u != null ? u : getParent().getResource(name);
    }
}
