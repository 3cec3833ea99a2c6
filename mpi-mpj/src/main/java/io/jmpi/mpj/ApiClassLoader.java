package io.jmpi.mpj;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of a program written against an {@code mpi} API (mpiJava 1.2, {@code jmpirun --backend mpj --api
 * mpijava}) on the MPJ Express backend. The rank's own class loader (MPJ Express's: the JVM's in niodev, one per rank
 * in multicore) holds MPJ Express's {@code mpj.jar}, whose package {@code mpi} the backend itself calls; the program
 * must see the API's package {@code mpi} instead. So the API's jar and the program's class path are loaded here,
 * child-first, with
 * <ul>
 *   <li>{@code io.jmpi.*} and the Java platform from the parent first: one jmpi per rank, shared by the API and the
 *       backend (the engine, the backend's per-rank state);</li>
 *   <li>MPJ Express's packages ({@code mpi}, {@code mpjdev}, {@code mpjbuf}, {@code xdev}) <b>never</b> from the
 *       parent: a class of theirs that the API does not define is not found (the program sees no MPJ Express);</li>
 *   <li>anything else child-first, then the parent.</li>
 * </ul>
 */
final class ApiClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();
    private static final String[] HIDDEN = {"mpi.", "mpjdev.", "mpjbuf.", "xdev."};

    ApiClassLoader(int rank, String classPath, ClassLoader parent) {
        super("jmpi-mpj-api-" + rank, urls(classPath), parent);
    }

    private static URL[] urls(String classPath) {
        List<URL> urls = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            try {
                urls.add(Path.of(e).toUri().toURL());
            } catch (MalformedURLException ex) {
                throw new IllegalArgumentException("--api-class-path entry " + e + ": " + ex.getMessage(), ex);
            }
        }
        return urls.toArray(new URL[0]);
    }

    /** Whether {@code name} (a class or a resource path) belongs to one of MPJ Express's packages. */
    static boolean hidden(String name) {
        String n = name.replace('/', '.');
        for (String h : HIDDEN) if (n.startsWith(h)) return true;
        return false;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null && name.startsWith("io.jmpi.")) {
                try {
                    c = getParent().loadClass(name);
                } catch (ClassNotFoundException notInParent) {
                    // a program class in an io.jmpi package: below
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
                    if (hidden(name)) throw notOwn;
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
        return u != null || hidden(name) ? u : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> out = new ArrayList<>(Collections.list(findResources(name)));
        if (!hidden(name)) out.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(out);
    }
}
