package io.jmpi;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Runs jmpi's conformance suites inside a real job: started by {@code jmpirun --backend mpj -np N} (or any launcher),
 * every rank runs the same cases of {@link P2pConformance}, {@link CollConformance}, {@link FeatureConformance} and
 * {@link DatatypeConformance}, in the same order, on the world of this job: each case's {@code run(n, body)} runs
 * {@code body} on this rank when {@code n} is the job's size and is skipped otherwise. So the checks are exactly the
 * suites' own, over the real runtime (MPJ Express's multicore or niodev device), not a model of it.
 *
 * <p>Arguments: the suites, any of {@code p2p}, {@code coll}, {@code feat} and {@code dtype}. Rank 0 prints
 * {@code ok CASE} per case run and a last line {@code conformance: N cases passed on K ranks (S skipped ...)}; a
 * failing check ends the rank with its
 * exception (so the job fails, naming the rank and the case).
 */
public final class MpjConformanceMain {
    private MpjConformanceMain() {
    }

    /** A suite's {@code run} bound to the rank's own job: its {@link Binding} knows the job and counts cases run. */
    interface Bound {
        Binding binding();
    }

    /** The job a suite runs on, and how many of its cases ran here (those of the job's size). */
    static final class Binding {
        private Mpi mpi;
        private int ran;

        void bind(Mpi m) {
            mpi = m;
        }

        int ran() {
            return ran;
        }

        int[] jobSize() {
            return new int[] {mpi.size()};
        }

        void run(int n, Mpi.RankMain body) {
            runHere(mpi, n, body);
            if (n == mpi.size()) ran++;
        }
    }

    static final class P2p extends P2pConformance implements Bound {
        private final Binding b = new Binding();

        @Override public Binding binding() { return b; }
        @Override String transport() { return "mpj"; }
        @Override void run(int n, Mpi.RankMain body) { b.run(n, body); }
    }

    static final class Coll extends CollConformance implements Bound {
        private final Binding b = new Binding();

        @Override public Binding binding() { return b; }
        @Override String transport() { return "mpj"; }
        @Override int[] sizes() { return b.jobSize(); }
        @Override void run(int n, Mpi.RankMain body) { b.run(n, body); }
    }

    static final class Feat extends FeatureConformance implements Bound {
        private final Binding b = new Binding();

        @Override public Binding binding() { return b; }
        @Override String transport() { return "mpj"; }
        @Override int[] sizes() { return b.jobSize(); }
        @Override void run(int n, Mpi.RankMain body) { b.run(n, body); }
    }

    static final class Dtype extends DatatypeConformance implements Bound {
        private final Binding b = new Binding();

        @Override public Binding binding() { return b; }
        @Override String transport() { return "mpj"; }
        @Override void run(int n, Mpi.RankMain body) { b.run(n, body); }
    }

    static void runHere(Mpi mpi, int n, Mpi.RankMain body) {
        if (n != mpi.size()) return;
        try {
            body.run(mpi);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        mpi.world().barrier(); // cases never overlap
    }

    public static void main(String[] args) throws Throwable {
        int passed = 0;
        List<String> skipped = new ArrayList<>();
        int size;
        try (Mpi mpi = Mpi.init(args)) {
            size = mpi.size();
            int rank = mpi.rank();
            for (String suite : args) {
                Object instance = switch (suite) {
                    case "p2p" -> new P2p();
                    case "coll" -> new Coll();
                    case "feat" -> new Feat();
                    case "dtype" -> new Dtype();
                    default -> throw new IllegalArgumentException("unknown suite '" + suite
                            + "'; known: p2p, coll, feat, dtype");
                };
                ((Bound) instance).binding().bind(mpi);
                for (Method m : cases(instance.getClass())) {
                    List<Object[]> params = parameters(instance, m);
                    if (params == null) {
                        skipped.add(suite + ":" + m.getName() + " (parameters this driver does not know)");
                        continue;
                    }
                    for (Object[] p : params) {
                        String name = suite + ":" + m.getName() + (p.length == 0 ? "()" : "(" + p[0] + ")");
                        int before = ((Bound) instance).binding().ran();
                        m.setAccessible(true);
                        long t0 = System.nanoTime();
                        try {
                            m.invoke(instance, p);
                        } catch (InvocationTargetException e) {
                            System.err.println("conformance: FAILED " + name + " on rank " + rank + " of " + size);
                            throw e.getCause();
                        }
                        if (((Bound) instance).binding().ran() > before) {
                            passed++;
                            if (rank == 0) System.out.printf("ok %s %.2fs%n", name, (System.nanoTime() - t0) / 1e9);
                        }
                    }
                }
            }
            if (rank == 0) {
                System.out.println("conformance: " + passed + " cases passed on " + size + " ranks"
                        + (skipped.isEmpty() ? "" : " (" + skipped.size() + " skipped: " + skipped + ")"));
            }
        }
    }

    /** Test methods of the suite (and its superclasses), sorted by name so every rank runs them in one order. */
    static List<Method> cases(Class<?> c) {
        List<Method> out = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Disabled.class)) continue;
                if (m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class)) out.add(m);
            }
        }
        out.sort(Comparator.comparing(Method::getName).thenComparing(m -> m.getParameterCount()));
        return out;
    }

    /** Argument lists of a case: one empty list for {@code @Test}; null when the parameters are of an unknown kind. */
    static List<Object[]> parameters(Object instance, Method m) throws Exception {
        if (m.isAnnotationPresent(Test.class)) return m.getParameterCount() == 0 ? List.<Object[]>of(new Object[0]) : null;
        if (m.getParameterCount() != 1 || m.getParameterTypes()[0] != int.class) return null;
        List<Object[]> out = new ArrayList<>();
        ValueSource vs = m.getAnnotation(ValueSource.class);
        MethodSource ms = m.getAnnotation(MethodSource.class);
        if (vs != null && vs.ints().length > 0) {
            for (int v : vs.ints()) out.add(new Object[] {v});
            return out;
        }
        if (ms != null) {
            for (String source : ms.value()) {
                Method s = find(instance.getClass(), source.isEmpty() ? m.getName() : source);
                if (s == null) return null;
                s.setAccessible(true);
                Object v = s.invoke(java.lang.reflect.Modifier.isStatic(s.getModifiers()) ? null : instance);
                List<Integer> ints = ints(v);
                if (ints == null) return null;
                for (int i : ints) out.add(new Object[] {i});
            }
            return out;
        }
        return null;
    }

    private static Method find(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) if (m.getName().equals(name) && m.getParameterCount() == 0) return m;
        }
        return null;
    }

    private static List<Integer> ints(Object v) {
        List<Integer> out = new ArrayList<>();
        if (v instanceof int[] a) {
            for (int i : a) out.add(i);
        } else if (v instanceof IntStream s) {
            s.forEach(out::add);
        } else if (v instanceof Stream<?> s) {
            return ints(s.toList());
        } else if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (!(o instanceof Integer i)) return null;
                out.add(i);
            }
        } else {
            return null;
        }
        return out;
    }
}
