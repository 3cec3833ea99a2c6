package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Binary and source compatibility with MPJ Express 0.44's package mpi: every public class, field, constructor and
 * method a program can name there exists here with the same static-ness, types and declared MPIException, except
 * MPJ Express's internals (members whose types are mpjdev.* or mpjbuf.*), which are left out on purpose.
 */
@Timeout(60)
class ApiSignatureTest {
    static final String[] CLASSES = {"MPI", "Comm", "Intracomm", "Intercomm", "Cartcomm", "Graphcomm", "CartParms",
            "ShiftParms", "GraphParms", "Group", "Datatype", "Status", "Request", "Prequest", "Op", "User_function",
            "Errhandler", "MPIException"};
    /** Public fields of mpi.Status that MPJ Express inherits from mpjdev.Status. */
    static final String[] STATUS_FIELDS = {"source", "tag", "index", "count", "countInBytes", "numEls"};

    @Test
    void everyPublicMemberOfMpjExpressExistsHere() throws Exception {
        Path jar = Paths.get(System.getProperty("mpj.jar", "/usr/share/mpj/lib/mpj.jar"));
        assumeTrue(Files.isRegularFile(jar), "MPJ Express is not installed (" + jar + ")");
        // MPJ Express's classes name log4j types in their signatures (Debian installs it beside them)
        Path log4j = Paths.get("/usr/share/java/log4j-1.2.jar");
        assumeTrue(Files.isRegularFile(log4j), "log4j 1.2, which MPJ Express's classes refer to, is not at " + log4j);
        List<String> missing = new ArrayList<>();
        int checked = 0;
        try (URLClassLoader mpj = new URLClassLoader(new URL[]{jar.toUri().toURL(), log4j.toUri().toURL()}, null)) {
            for (String name : CLASSES) {
                Class<?> theirs = Class.forName("mpi." + name, false, mpj);
                Class<?> ours = Class.forName("mpi." + name);
                if (Modifier.isAbstract(theirs.getModifiers()) != Modifier.isAbstract(ours.getModifiers())) {
                    missing.add(name + ": abstract differs");
                }
                if (!theirs.getSuperclass().getName().startsWith("mpjdev") && !theirs.getSuperclass().getName().startsWith("xdev")
                        && !theirs.getSuperclass().getName().equals(ours.getSuperclass().getName())) {
                    missing.add(name + ": superclass " + theirs.getSuperclass().getName());
                }
                for (Field f : theirs.getFields()) {
                    if (internal(f.getType()) || f.getDeclaringClass().getName().startsWith("mpjdev")
                            && !List.of(STATUS_FIELDS).contains(f.getName())) continue;
                    try {
                        Field o = ours.getField(f.getName());
                        if (!o.getType().getName().equals(f.getType().getName())
                                || Modifier.isStatic(o.getModifiers()) != Modifier.isStatic(f.getModifiers())) {
                            missing.add(name + "." + f.getName() + ": type or static-ness differs");
                        }
                    } catch (NoSuchFieldException e) {
                        missing.add(name + "." + f.getName());
                    }
                }
                for (Constructor<?> c : theirs.getConstructors()) {
                    if (internal(c.getParameterTypes())) continue;
                    try {
                        ours.getConstructor(local(c.getParameterTypes()));
                    } catch (NoSuchMethodException e) {
                        missing.add(name + "(" + List.of(c.getParameterTypes()) + ")");
                    }
                }
                for (Method m : theirs.getMethods()) {
                    if (m.getDeclaringClass() == Object.class || internal(m.getParameterTypes()) || internal(m.getReturnType())) continue;
                    checked++;
                    Method o;
                    try {
                        o = ours.getMethod(m.getName(), local(m.getParameterTypes()));
                    } catch (NoSuchMethodException e) {
                        missing.add(name + "." + m.getName() + List.of(m.getParameterTypes()));
                        continue;
                    }
                    if (!o.getReturnType().getName().equals(m.getReturnType().getName())) missing.add(name + "." + m.getName() + ": return type");
                    if (Modifier.isStatic(o.getModifiers()) != Modifier.isStatic(m.getModifiers())) missing.add(name + "." + m.getName() + ": static");
                    boolean theyThrow = List.of(m.getExceptionTypes()).stream().anyMatch(x -> x.getName().equals("mpi.MPIException"));
                    boolean weThrow = List.of(o.getExceptionTypes()).contains(MPIException.class);
                    if (theyThrow != weThrow) missing.add(name + "." + m.getName() + ": throws MPIException differs");
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(checked > 150, "compared " + checked + " methods");
    }

    private static boolean internal(Class<?>... types) {
        for (Class<?> t : types) {
            String n = t.getName();
            if (n.startsWith("mpjdev.") || n.startsWith("mpjbuf.") || n.startsWith("xdev.")) return true;
        }
        return false;
    }

    private static Class<?>[] local(Class<?>[] types) throws ClassNotFoundException {
        Class<?>[] out = new Class<?>[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t.isPrimitive()) {
                out[i] = t;
            } else if (t.isArray()) {
                out[i] = Class.forName(t.getName(), false, ApiSignatureTest.class.getClassLoader());
            } else {
                out[i] = Class.forName(t.getName(), false, ApiSignatureTest.class.getClassLoader());
            }
        }
        return out;
    }
}
