package mpi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Source and binary compatibility with Open MPI's real Java bindings: every public class, field, constructor and method
 * of Open MPI's {@code mpi.jar} (listed in {@code openmpi-api.txt}, generated from the jar by
 * {@code src/build/gen_openmpi_api.sh}) exists here with the same name, parameter types, return type, static-ness and
 * declared checked exceptions (Open MPI's methods declare the checked {@code MPIException}: a program that catches it
 * must compile here too, and a program that does not must not be forced to). Classes a user program extends
 * ({@link #SUBCLASSED}) are also checked for their protected members, for overridable (non-final, non-abstract) methods
 * and for non-final-ness. Other protected members are Open MPI's JNI internals (handles as {@code long}) and are left
 * out. The reference file needs no Open MPI at test time: the test always runs.
 */
@Timeout(60)
class ApiSignatureTest {
    /** Classes missing on purpose, and why. Nothing else may be missing. */
    static final Map<String, String> EXPECTED_MISSING = Map.of();
    /** Classes Open MPI's users extend: their protected members and overridability are part of the API. */
    static final Set<String> SUBCLASSED = Set.of("mpi.Struct", "mpi.Struct$Data", "mpi.UserFunction", "mpi.Comm",
            "mpi.Intracomm", "mpi.Request");
    /** Protected members of {@link #SUBCLASSED} classes that are Open MPI's JNI plumbing, not API. */
    static final Set<String> SUBCLASS_INTERNALS = Set.of("mpi.Comm", "mpi.Intracomm", "mpi.Request");

    @Test
    void everyPublicMemberOfOpenMpisMpiJarExistsHere() throws IOException {
        List<String[]> ref = reference();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (String[] r : ref) {
            String owner = r[1];
            if (EXPECTED_MISSING.containsKey(owner.replaceAll("\\$.*", ""))) continue;
            Class<?> ours = load(owner);
            if (ours == null) {
                if (r[0].equals("class")) missing.add("class " + owner);
                continue;
            }
            String mods = r[2];
            boolean prot = mods.contains("protected");
            if (prot && (!SUBCLASSED.contains(owner) || SUBCLASS_INTERNALS.contains(owner))) continue;
            checked++;
            switch (r[0]) {
                case "class" -> checkClass(ours, r, missing);
                case "field" -> checkField(ours, r, missing);
                case "ctor" -> checkExecutable(ours, r, missing, null);
                case "method" -> checkExecutable(ours, r, missing, r[3]);
                default -> throw new AssertionError("unknown line kind in openmpi-api.txt: " + String.join("\t", r));
            }
        }
        assertEquals(List.of(), missing, "Open MPI's API members missing or different in mpi-openmpi");
        assertTrue(checked > 600, "compared " + checked + " members");
    }

    @Test
    void theExpectedMissingClassesAreStillMissingOrWholeWhenAdded() throws IOException {
        // when Win or File arrive, this reminds whoever adds them to take them off EXPECTED_MISSING (checked above)
        for (String name : EXPECTED_MISSING.keySet()) {
            Class<?> c = load(name);
            assertTrue(c == null, name + " exists now: remove it from ApiSignatureTest.EXPECTED_MISSING");
        }
        assertTrue(reference().stream().anyMatch(r -> r[1].equals("mpi.Win")), "the reference lists mpi.Win");
    }

    private static void checkClass(Class<?> ours, String[] r, List<String> missing) {
        String name = r[1];
        boolean theirsFinal = r[2].contains("final"), theirsAbstract = r[2].contains("abstract");
        boolean theirsInterface = r[2].contains("interface");
        int m = ours.getModifiers();
        if (!Modifier.isPublic(m)) missing.add(name + ": not public");
        if (theirsInterface != ours.isInterface()) missing.add(name + ": interface-ness differs");
        if (!theirsFinal && Modifier.isFinal(m)) missing.add(name + ": final here, extendable in Open MPI");
        if (!theirsAbstract && Modifier.isAbstract(m) && !ours.isInterface()) missing.add(name + ": abstract here");
        if (!r[3].equals("-") && (ours.getSuperclass() == null || !ours.getSuperclass().getName().equals(r[3]))) {
            missing.add(name + ": superclass " + ours.getSuperclass() + ", Open MPI's is " + r[3]);
        }
        if (!r[4].equals("-")) {
            for (String i : r[4].split(",")) {
                Class<?> iface = load(i);
                if (iface == null || !iface.isAssignableFrom(ours)) missing.add(name + ": does not implement " + i);
            }
        }
    }

    private static void checkField(Class<?> ours, String[] r, List<String> missing) {
        String what = r[1] + "." + r[3];
        Field f = null;
        for (Class<?> c = ours; c != null && f == null; c = c.getSuperclass()) {
            try {
                f = c.getDeclaredField(r[3]);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        if (f == null) {
            missing.add("field " + what);
            return;
        }
        if (!f.getType().getName().equals(r[4])) missing.add(what + ": type " + f.getType().getName() + ", Open MPI's " + r[4]);
        if (Modifier.isStatic(f.getModifiers()) != r[2].contains("static")) missing.add(what + ": static-ness differs");
        checkVisibility(f, r[2], what, missing);
    }

    /** A constructor ({@code name == null}) or method. */
    private static void checkExecutable(Class<?> ours, String[] r, List<String> missing, String name) {
        boolean ctor = name == null;
        String params = r[ctor ? 3 : 4];
        String what = r[1] + (ctor ? "" : "." + name) + "(" + (params.equals("-") ? "" : params) + ")";
        Class<?>[] types;
        try {
            types = types(params);
        } catch (ClassNotFoundException e) {
            missing.add(what + ": parameter type " + e.getMessage() + " does not exist here");
            return;
        }
        Executable e = ctor ? constructor(ours, types) : method(ours, name, types);
        if (e == null) {
            missing.add((ctor ? "constructor " : "method ") + what);
            return;
        }
        checkVisibility(e, r[2], what, missing);
        if (!ctor) {
            Method m = (Method) e;
            if (!m.getReturnType().getName().equals(r[5])) {
                missing.add(what + ": returns " + m.getReturnType().getName() + ", Open MPI's " + r[5]);
            }
            if (Modifier.isStatic(m.getModifiers()) != r[2].contains("static")) missing.add(what + ": static-ness differs");
            if (SUBCLASSED.contains(r[1])) {
                if (Modifier.isFinal(m.getModifiers()) && !r[2].contains("final")) missing.add(what + ": final here, overridable in Open MPI");
                if (Modifier.isAbstract(m.getModifiers()) && !r[2].contains("abstract")) missing.add(what + ": abstract here");
            }
        }
        Set<String> theirs = new TreeSet<>(r[ctor ? 4 : 6].equals("-") ? List.of() : Arrays.asList(r[ctor ? 4 : 6].split(",")));
        Set<String> ourExceptions = new TreeSet<>();
        for (Class<?> x : e.getExceptionTypes()) {
            if (!RuntimeException.class.isAssignableFrom(x) && !Error.class.isAssignableFrom(x)) ourExceptions.add(x.getName());
        }
        if (!theirs.equals(ourExceptions)) missing.add(what + ": throws " + ourExceptions + ", Open MPI's " + theirs);
    }

    private static void checkVisibility(Member m, String theirs, String what, List<String> missing) {
        int mod = m.getModifiers();
        if (theirs.contains("public") && !Modifier.isPublic(mod)) missing.add(what + ": not public");
        if (theirs.contains("protected") && !Modifier.isPublic(mod) && !Modifier.isProtected(mod)) missing.add(what + ": not protected");
    }

    private static Constructor<?> constructor(Class<?> c, Class<?>[] types) {
        try {
            return c.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** The method as a caller or subclass of {@code c} sees it: declared in c or inherited. */
    private static Method method(Class<?> c, String name, Class<?>[] types) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Method m = k.getDeclaredMethod(name, types);
                if (k == c || Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) return m;
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        try {
            return c.getMethod(name, types); // from an interface
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static Class<?>[] types(String list) throws ClassNotFoundException {
        if (list.equals("-")) return new Class<?>[0];
        String[] names = list.split(",");
        Class<?>[] out = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = switch (names[i]) {
                case "boolean" -> boolean.class;
                case "byte" -> byte.class;
                case "char" -> char.class;
                case "short" -> short.class;
                case "int" -> int.class;
                case "long" -> long.class;
                case "float" -> float.class;
                case "double" -> double.class;
                default -> Class.forName(names[i], false, ApiSignatureTest.class.getClassLoader());
            };
        }
        return out;
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ApiSignatureTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private static List<String[]> reference() throws IOException {
        try (InputStream in = ApiSignatureTest.class.getResourceAsStream("/openmpi-api.txt")) {
            assertNotNull(in, "openmpi-api.txt is not on the test class path (src/test/resources)");
            List<String[]> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) out.add(line.split("\t"));
            }
            assertTrue(out.size() > 800, "openmpi-api.txt has " + out.size() + " members");
            return out;
        }
    }
}
