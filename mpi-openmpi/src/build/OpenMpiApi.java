// Writes the public API of Open MPI's Java bindings (an mpi.jar) as sorted text, one member a line: the reference that
// mpi-openmpi's ApiSignatureTest compares this module with. Run through gen_openmpi_api.sh (see its header); needs no
// native library (classes are loaded without being initialised).
//
// Line formats (tab-separated):
//   class    <name>  <modifiers>  <superclass>  <interfaces, comma-separated or ->
//   field    <owner> <modifiers>  <name>        <type>
//   ctor     <owner> <modifiers>  <parameter types, comma-separated or -> <declared exceptions or ->
//   method   <owner> <modifiers>  <name>        <parameter types or ->  <return type>  <declared exceptions or ->
// Only public classes (and their public nested classes) and their public and protected members are written; bridge
// and synthetic members are left out. Modifiers: the subset public protected static final abstract interface.

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

public class OpenMpiApi {
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java OpenMpiApi.java /opt/ompi-java/lib/mpi.jar");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        TreeSet<String> lines = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{jar.toUri().toURL()}, null);
             JarFile jf = new JarFile(jar.toFile())) {
            for (String name : classNames(jf)) {
                Class<?> c = Class.forName(name, false, loader);
                if (!visible(c)) continue;
                describe(c, lines);
            }
        }
        lines.forEach(System.out::println);
    }

    private static List<String> classNames(JarFile jf) {
        List<String> names = new ArrayList<>();
        for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith("mpi/") && n.endsWith(".class")) names.add(n.substring(0, n.length() - 6).replace('/', '.'));
        }
        return names;
    }

    /** A public top-level class, or a public member class of a visible class. */
    private static boolean visible(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || !Modifier.isPublic(c.getModifiers())) return false;
        return c.getEnclosingClass() == null || visible(c.getEnclosingClass());
    }

    private static void describe(Class<?> c, TreeSet<String> out) {
        String supers = c.getSuperclass() == null ? "-" : c.getSuperclass().getName();
        out.add(String.join("\t", "class", c.getName(), mods(c.getModifiers()), supers, list(c.getInterfaces())));
        for (Field f : c.getDeclaredFields()) {
            if (!shown(f)) continue;
            out.add(String.join("\t", "field", c.getName(), mods(f.getModifiers()), f.getName(), f.getType().getName()));
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (!shown(k)) continue;
            out.add(String.join("\t", "ctor", c.getName(), mods(k.getModifiers()), list(k.getParameterTypes()),
                    list(k.getExceptionTypes())));
        }
        for (Method m : c.getDeclaredMethods()) {
            if (!shown(m) || m.isBridge()) continue;
            out.add(String.join("\t", "method", c.getName(), mods(m.getModifiers()), m.getName(),
                    list(m.getParameterTypes()), m.getReturnType().getName(), list(m.getExceptionTypes())));
        }
    }

    private static boolean shown(Member m) {
        int mod = m.getModifiers();
        return !m.isSynthetic() && (Modifier.isPublic(mod) || Modifier.isProtected(mod));
    }

    private static String mods(int m) {
        List<String> s = new ArrayList<>();
        if (Modifier.isPublic(m)) s.add("public");
        if (Modifier.isProtected(m)) s.add("protected");
        if (Modifier.isStatic(m)) s.add("static");
        if (Modifier.isFinal(m)) s.add("final");
        if (Modifier.isAbstract(m)) s.add("abstract");
        if (Modifier.isInterface(m)) s.add("interface");
        return String.join(" ", s);
    }

    private static String list(Class<?>[] types) {
        return types.length == 0 ? "-" : Arrays.stream(types).map(Class::getName).collect(Collectors.joining(","));
    }
}
