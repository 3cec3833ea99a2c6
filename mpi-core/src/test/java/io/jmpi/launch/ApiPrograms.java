package io.jmpi.launch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tiny stand-ins of the two {@code mpi} APIs (just the names a test program uses: mpiJava's {@code Rank()} and Open
 * MPI's {@code getRank()}) and programs compiled against them, so that the launcher's inspection can be tested on real
 * class files without either API being built. The stand-ins are compiled into a directory of their own: a program's
 * class path then holds only the program, as a user's does.
 */
final class ApiPrograms {
    static final Map<String, String> MPIJAVA = Map.of(
            "mpi/MPI.java", "package mpi; public class MPI { public static Intracomm COMM_WORLD = new Intracomm();"
                    + " public static String[] Init(String[] a) throws MPIException { return a; }"
                    + " public static void Finalize() throws MPIException {} }",
            "mpi/Intracomm.java", "package mpi; public class Intracomm { public int Rank() throws MPIException { return 0; }"
                    + " public int Size() throws MPIException { return 1; } }",
            "mpi/MPIException.java", "package mpi; public class MPIException extends Exception {}");
    static final Map<String, String> OPENMPI = Map.of(
            "mpi/MPI.java", "package mpi; public class MPI { public static Intracomm COMM_WORLD = new Intracomm();"
                    + " public static void Init(String[] a) throws MPIException {}"
                    + " public static void Finalize() throws MPIException {} }",
            "mpi/Intracomm.java", "package mpi; public class Intracomm { public int getRank() throws MPIException { return 0; }"
                    + " public int getSize() throws MPIException { return 1; } }",
            "mpi/MPIException.java", "package mpi; public class MPIException extends Exception {}");

    /** A program of the mpiJava flavour: {@code MPI.COMM_WORLD.Rank()}. */
    static final String MPIJAVA_HELLO = "public class Hello { public static void main(String[] a) throws Exception {"
            + " mpi.MPI.Init(a); System.out.println(mpi.MPI.COMM_WORLD.Rank()); mpi.MPI.Finalize(); } }";
    /** A program of the Open MPI flavour: {@code MPI.COMM_WORLD.getRank()}. */
    static final String OPENMPI_HELLO = "public class Hello { public static void main(String[] a) throws Exception {"
            + " mpi.MPI.Init(a); System.out.println(mpi.MPI.COMM_WORLD.getRank()); mpi.MPI.Finalize(); } }";

    private ApiPrograms() {
    }

    /** Compiles {@code sources} (path to text) under {@code dir}/src into {@code dir}/classes against {@code cp}. */
    static Path compile(Path dir, Map<String, String> sources, String cp) throws IOException {
        Path src = dir.resolve("src");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-nowarn"));
        if (cp != null) args.addAll(List.of("-cp", cp));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path f = src.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue(), StandardCharsets.UTF_8);
            args.add(f.toString());
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int code = javac(args.toArray(new String[0]), diagnostics);
        if (code != 0) throw new AssertionError("javac failed:\n" + diagnostics.toString(StandardCharsets.UTF_8));
        return classes;
    }

    /**
     * javac in this JVM. Through reflection because the tests compile inside module io.jmpi, which does not read
     * java.compiler (and should not, for a test helper); at run time the tests are on the class path.
     */
    static int javac(String[] args, OutputStream diagnostics) {
        try {
            Object compiler = Class.forName("javax.tools.ToolProvider").getMethod("getSystemJavaCompiler").invoke(null);
            if (compiler == null) throw new AssertionError("no system Java compiler: the tests need a JDK");
            return (Integer) Class.forName("javax.tools.Tool")
                    .getMethod("run", InputStream.class, OutputStream.class, OutputStream.class, String[].class)
                    .invoke(compiler, null, diagnostics, diagnostics, args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot run javac in this JVM: " + e, e);
        }
    }

    /** The classes of {@code program} (class Hello) compiled against an API stand-in, without the stand-in. */
    static Path program(Path dir, Map<String, String> api, String program) throws IOException {
        Path apiClasses = compile(dir.resolve("api"), api, null);
        return compile(dir.resolve("program"), Map.of("Hello.java", program), apiClasses.toString());
    }
}
