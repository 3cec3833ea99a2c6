package io.jmpi.launch;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Which {@code mpi} API a program was compiled against, read from its class files before any rank starts: mpiJava 1.2
 * (MPJ Express) and Open MPI's Java bindings both define {@code mpi.MPI} and {@code mpi.Intracomm}, but name their
 * methods differently: {@code Rank()}, {@code Send}, {@code Get_count} in mpiJava; {@code getRank()}, {@code send},
 * {@code getCount} in Open MPI. A program run with the wrong one fails in its first MPI call with a
 * {@code NoSuchMethodError}; the launcher says which API it needs instead.
 *
 * <p>The main class and the classes it names that are on the program's own class path are read (breadth first, at
 * most {@link #MAX_CLASSES}); only their constant pools, never their code, so nothing of the program runs.
 */
final class ApiInspection {
    static final int MAX_CLASSES = 200;
    /** Capitalised methods that both {@code mpi} APIs have, so they tell nothing. */
    private static final Set<String> SHARED = Set.of("Init", "InitThread", "Finalize");
    /** Methods every class or exception inherits: lower case in both APIs. */
    private static final Set<String> INHERITED = Set.of("toString", "equals", "hashCode", "getClass", "clone", "notify",
            "notifyAll", "wait", "finalize", "getMessage", "getLocalizedMessage", "getCause", "printStackTrace",
            "getStackTrace", "setStackTrace", "initCause", "fillInStackTrace", "addSuppressed", "getSuppressed",
            "compareTo", "name", "ordinal", "values", "valueOf");
    /** Public fields of mpiJava's Status; Open MPI's Status has getters instead. */
    private static final Set<String> MPIJAVA_STATUS_FIELDS = Set.of("source", "tag", "index");
    private static final List<String> PREFERRED = List.of("Rank", "getRank", "Size", "getSize");

    /**
     * What was found.
     *
     * @param inspected   the main class was found and read
     * @param usesMpi     the program refers to package {@code mpi}
     * @param api         the API its references belong to; null when none or undecidable
     * @param evidence    the reference that decided, as a user would write it ({@code MPI.COMM_WORLD.Rank()})
     * @param conflict    when it mixes both APIs' names: one of each, else null
     * @param ownMpi      the program's class path itself holds {@code mpi/MPI.class} (e.g. MPJ Express's mpj.jar)
     */
    record Finding(boolean inspected, boolean usesMpi, MpiApi api, String evidence, String conflict, boolean ownMpi) {
        static final Finding NOT_INSPECTED = new Finding(false, false, null, null, null, false);
    }

    private ApiInspection() {
    }

    /**
     * Inspects {@code mainClass} (binary name, {@code a.b.Main}) on the program's class path {@code classPath}
     * (entries as given to {@code -cp}: directories, jars, {@code dir/*}).
     */
    static Finding inspect(List<String> classPath, String mainClass) {
        try (ClassSource source = new ClassSource(classPath)) {
            String start = mainClass.replace('.', '/');
            if (source.bytes(start) == null) return Finding.NOT_INSPECTED;
            List<ClassRefs.Member> mpiMembers = new ArrayList<>();
            boolean usesMpi = false;
            boolean commWorld = false;
            Set<String> seen = new HashSet<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty() && seen.size() < MAX_CLASSES) {
                String name = queue.poll();
                if (!seen.add(name)) continue;
                byte[] bytes = source.bytes(name);
                if (bytes == null) continue;
                ClassRefs refs;
                try {
                    refs = ClassRefs.read(bytes);
                } catch (IOException e) {
                    continue; // not ours to judge: java reports a broken class file better
                }
                for (String c : refs.classes()) {
                    String element = c.replaceFirst("^\\[+L?", "").replaceFirst(";$", "");
                    if (inMpi(element)) {
                        usesMpi = true;
                    } else if (!element.startsWith("java/") && !element.startsWith("javax/") && !element.startsWith("jdk/")
                            && !element.startsWith("io/jmpi/") && element.indexOf('[') < 0) {
                        queue.add(element);
                    }
                }
                for (ClassRefs.Member m : refs.members()) {
                    if (!inMpi(m.owner())) continue;
                    usesMpi = true;
                    if (!m.method() && m.owner().equals("mpi/MPI") && m.name().equals("COMM_WORLD")) commWorld = true;
                    mpiMembers.add(m);
                }
            }
            return decide(usesMpi, mpiMembers, commWorld, source.bytes("mpi/MPI") != null);
        }
    }

    /** Whether {@code internalName}.class ({@code a/b/Main}) is on {@code classPath} (entries as given to -cp). */
    static boolean hasClass(List<String> classPath, String internalName) {
        try (ClassSource source = new ClassSource(classPath)) {
            return source.bytes(internalName) != null;
        }
    }

    private static Finding decide(boolean usesMpi, List<ClassRefs.Member> members, boolean commWorld, boolean ownMpi) {
        List<ClassRefs.Member> mpiJava = new ArrayList<>();
        List<ClassRefs.Member> openMpi = new ArrayList<>();
        for (ClassRefs.Member m : members) {
            MpiApi a = classify(m);
            if (a == MpiApi.MPIJAVA) mpiJava.add(m);
            if (a == MpiApi.OPENMPI) openMpi.add(m);
        }
        if (!mpiJava.isEmpty() && !openMpi.isEmpty()) {
            return new Finding(true, true, null, null, show(pick(mpiJava), commWorld) + " and "
                    + show(pick(openMpi), commWorld), ownMpi);
        }
        if (!mpiJava.isEmpty()) return new Finding(true, true, MpiApi.MPIJAVA, show(pick(mpiJava), commWorld), null, ownMpi);
        if (!openMpi.isEmpty()) return new Finding(true, true, MpiApi.OPENMPI, show(pick(openMpi), commWorld), null, ownMpi);
        return new Finding(true, usesMpi, null, null, null, ownMpi);
    }

    /** The API a reference into package mpi belongs to, or null when both have it. */
    static MpiApi classify(ClassRefs.Member m) {
        String n = m.name();
        if (!m.method()) {
            return m.owner().equals("mpi/Status") && MPIJAVA_STATUS_FIELDS.contains(n) ? MpiApi.MPIJAVA : null;
        }
        if (m.owner().equals("mpi/MPI") && n.equals("Init")) {
            // mpiJava's Init returns the arguments MPI did not consume; Open MPI's returns nothing
            return m.descriptor().endsWith(")[Ljava/lang/String;") ? MpiApi.MPIJAVA
                    : m.descriptor().endsWith(")V") ? MpiApi.OPENMPI : null;
        }
        if (n.isEmpty() || n.startsWith("<") || SHARED.contains(n) || INHERITED.contains(n)) return null;
        return Character.isUpperCase(n.charAt(0)) ? MpiApi.MPIJAVA : MpiApi.OPENMPI;
    }

    private static ClassRefs.Member pick(List<ClassRefs.Member> markers) {
        for (String p : PREFERRED) {
            for (ClassRefs.Member m : markers) {
                if (m.name().equals(p)) return m;
            }
        }
        for (ClassRefs.Member m : markers) {
            if (!m.name().equals("Init")) return m; // a call the user wrote by name says more than Init's return type
        }
        return markers.get(0);
    }

    /** A reference as a user would have written it: {@code MPI.COMM_WORLD.Rank()}, {@code Status.source}. */
    private static String show(ClassRefs.Member m, boolean commWorld) {
        String owner = m.owner().substring("mpi/".length());
        if (m.owner().equals("mpi/MPI") && m.name().equals("Init")) {
            return "MPI.Init(args) returning " + (m.descriptor().endsWith("V") ? "void" : "String[]");
        }
        if (commWorld && m.method() && (owner.equals("Intracomm") || owner.equals("Comm"))) owner = "MPI.COMM_WORLD";
        return owner + "." + m.name() + (m.method() ? "()" : "");
    }

    private static boolean inMpi(String internalName) {
        return internalName.startsWith("mpi/") && internalName.indexOf('/', 4) < 0;
    }

    /** Class files by internal name from class path entries; jars stay open until {@link #close()}. */
    private static final class ClassSource implements Closeable {
        private final List<Path> dirs = new ArrayList<>();
        private final List<JarFile> jars = new ArrayList<>();

        ClassSource(List<String> classPath) {
            for (String entry : classPath) {
                for (String e : entry.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
                    if (e.isEmpty()) continue;
                    if (e.endsWith("*")) {
                        Path dir = Path.of(e.substring(0, e.length() - 1).isEmpty() ? "." : e.substring(0, e.length() - 1));
                        if (!Files.isDirectory(dir)) continue;
                        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
                            for (Path jar : s) open(jar);
                        } catch (IOException ignored) {
                            // an unreadable directory: java will not find classes there either
                        }
                    } else {
                        Path p = Path.of(e);
                        if (Files.isDirectory(p)) dirs.add(p);
                        else if (Files.isRegularFile(p)) open(p);
                    }
                }
            }
        }

        private void open(Path jar) {
            try {
                jars.add(new JarFile(jar.toFile()));
            } catch (IOException ignored) {
                // not a jar: java ignores it as well
            }
        }

        /** The bytes of {@code name}.class, the first on the class path; null when absent or unreadable. */
        byte[] bytes(String name) {
            String file = name + ".class";
            for (Path d : dirs) {
                Path f = d.resolve(file);
                if (Files.isRegularFile(f)) {
                    try {
                        return Files.readAllBytes(f);
                    } catch (IOException e) {
                        return null;
                    }
                }
            }
            for (JarFile j : jars) {
                ZipEntry z = j.getEntry(file);
                if (z != null) {
                    try (var in = j.getInputStream(z)) {
                        return in.readAllBytes();
                    } catch (IOException e) {
                        return null;
                    }
                }
            }
            return null;
        }

        @Override
        public void close() {
            for (JarFile j : jars) {
                try {
                    j.close();
                } catch (IOException ignored) {
                    // read-only; nothing to lose
                }
            }
        }
    }
}
