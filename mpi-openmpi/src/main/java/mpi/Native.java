package mpi;

import io.jmpi.base.MpiException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls jmpi's typed overload that fits the arguments' run-time classes: {@code send(int[], int, int, int, int)} for
 * an int run, {@code send(double[], ...)} for a double run, and so on. One reflective dispatch instead of a switch over
 * eight array types in every adapter method; methods are looked up once per (class, name, argument classes).
 */
final class Native {
    private static final Map<String, Method> METHODS = new ConcurrentHashMap<>();

    private Native() {
    }

    static Object call(Object target, String name, Object... args) throws MPIException {
        Method m = find(target.getClass(), name, args);
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof MpiException) throw new MPIException(c);
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new MPIException(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    private static Method find(Class<?> c, String name, Object[] args) throws MPIException {
        StringBuilder key = new StringBuilder(c.getName()).append('.').append(name);
        for (Object a : args) key.append(',').append(a == null ? "null" : a.getClass().getName());
        Method m = METHODS.get(key.toString());
        if (m != null) return m;
        for (Method cand : c.getMethods()) {
            if (!cand.getName().equals(name) || cand.getParameterCount() != args.length) continue;
            Class<?>[] p = cand.getParameterTypes();
            boolean ok = true;
            for (int i = 0; i < p.length && ok; i++) ok = fits(p[i], args[i]);
            if (ok) {
                // the public methods of jmpi's communicators are declared in package-private superclasses
                cand.setAccessible(true);
                METHODS.put(key.toString(), cand);
                return cand;
            }
        }
        throw new MPIException(name + ": no jmpi operation for arguments " + key.substring(key.indexOf(",") + 1), MPI.ERR_TYPE, null);
    }

    private static boolean fits(Class<?> p, Object a) {
        if (a == null) return !p.isPrimitive();
        if (p == int.class) return a instanceof Integer;
        if (p == boolean.class) return a instanceof Boolean;
        if (p == long.class) return a instanceof Long;
        if (p.isArray()) return p == a.getClass();
        return p.isInstance(a);
    }
}
