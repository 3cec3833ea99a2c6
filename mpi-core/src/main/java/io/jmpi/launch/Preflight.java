package io.jmpi.launch;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Failures every rank would hit identically, found once by the launcher before any rank starts, with the likely fix:
 * a main class that is not on the class path, an example that does not exist. (Started anyway, each rank would say
 * the same thing, N times, without the hint.)
 */
final class Preflight {
    private Preflight() {
    }

    /**
     * Fails when {@code main} is not on {@code programCp} (the program's own class path, as given to {@code -cp}).
     * Only for jobs whose ranks all run on this machine: elsewhere the path may hold other files.
     */
    static void mainClass(List<String> programCp, String main) {
        if (main.startsWith("java.") || main.startsWith("javax.") || main.startsWith("jdk.")) return;
        if (ApiInspection.hasClass(programCp, main.replace('.', '/'))) return;
        String cp = String.join(File.pathSeparator, programCp);
        String hint;
        if (main.endsWith(".class") || main.endsWith(".java")) {
            hint = "give the class's name, not its file: " + main.replaceAll("\\.(class|java)$", "").replace('/', '.');
        } else if (main.indexOf('/') >= 0) {
            hint = "give the class's name with dots: " + main.replace('/', '.');
        } else {
            String file = main.replace('.', '/') + ".class";
            hint = "-cp must name the folder or jar that holds " + file + (main.indexOf('.') > 0
                    ? " (the folder above " + main.substring(0, main.lastIndexOf('.')).replace('.', '/') + "/)"
                    : "") + ", and MAIN the class's full name with its package; compiled? (javac -cp "
                    + "<jmpi>/mpi-core/target/jmpi.jar -d classes Main.java, then -cp classes)";
        }
        throw new MpiException(ErrorClass.STATE, "main class " + main + " is not on the class path (-cp " + cp
                + ", relative to " + Path.of("").toAbsolutePath() + "): " + hint);
    }

    /**
     * Fails when {@code name} is not an example of the examples jar on {@code examplesCp}, listing those it has.
     * Asks the jar itself ({@code Examples.names()}); says nothing when it cannot (an older jar): the ranks then say it.
     */
    static void example(List<String> examplesCp, String name) {
        if (name.equals("list")) return;
        Collection<?> names = exampleNames(examplesCp);
        if (names == null || names.contains(name)) return;
        List<String> known = new ArrayList<>();
        for (Object o : names) known.add(String.valueOf(o));
        throw new MpiException(ErrorClass.ARG, "unknown example '" + name + "'; known: " + String.join(", ", known)
                + " (bin/jmpirun --example list describes them)");
    }

    private static Collection<?> exampleNames(List<String> cp) {
        List<URL> urls = new ArrayList<>();
        try {
            for (String e : cp) {
                if (e.endsWith("*")) continue; // the core's dependencies: not needed to read the catalogue
                urls.add(Path.of(e).toUri().toURL());
            }
        } catch (MalformedURLException | IllegalArgumentException e) {
            return null;
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), Preflight.class.getClassLoader())) {
            Object names = Class.forName(JmpiRun.EXAMPLES_MAIN, true, loader).getMethod("names").invoke(null);
            return names instanceof Collection ? (Collection<?>) names : null;
        } catch (ReflectiveOperationException | LinkageError | java.io.IOException e) {
            return null;
        }
    }
}
