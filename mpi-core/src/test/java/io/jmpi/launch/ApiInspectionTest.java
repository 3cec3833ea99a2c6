package io.jmpi.launch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which mpi API a program's class files use, read by {@link ApiInspection} from real javac output. */
class ApiInspectionTest {
    @TempDir
    Path tmp;

    @Test
    void mpiJavaProgramIsRecognisedByItsCapitalisedCalls() throws IOException {
        Path classes = ApiPrograms.program(tmp, ApiPrograms.MPIJAVA, ApiPrograms.MPIJAVA_HELLO);
        ApiInspection.Finding f = ApiInspection.inspect(List.of(classes.toString()), "Hello");
        assertEquals(MpiApi.MPIJAVA, f.api(), f.toString());
        assertEquals("MPI.COMM_WORLD.Rank()", f.evidence());
        assertTrue(f.inspected() && f.usesMpi() && !f.ownMpi(), f.toString());
        assertNull(f.conflict());
    }

    @Test
    void openMpiProgramIsRecognisedByItsLowerCaseCalls() throws IOException {
        Path classes = ApiPrograms.program(tmp, ApiPrograms.OPENMPI, ApiPrograms.OPENMPI_HELLO);
        ApiInspection.Finding f = ApiInspection.inspect(List.of(classes.toString()), "Hello");
        assertEquals(MpiApi.OPENMPI, f.api(), f.toString());
        assertEquals("MPI.COMM_WORLD.getRank()", f.evidence());
    }

    @Test
    void initAloneDecidesByItsReturnType() throws IOException {
        String initOnly = "public class Hello { public static void main(String[] a) throws Exception {"
                + " mpi.MPI.Init(a); mpi.MPI.Finalize(); } }";
        Path java = ApiPrograms.program(tmp.resolve("j"), ApiPrograms.MPIJAVA, initOnly);
        ApiInspection.Finding f = ApiInspection.inspect(List.of(java.toString()), "Hello");
        assertEquals(MpiApi.MPIJAVA, f.api());
        assertEquals("MPI.Init(args) returning String[]", f.evidence());
        Path ompi = ApiPrograms.program(tmp.resolve("o"), ApiPrograms.OPENMPI, initOnly);
        assertEquals(MpiApi.OPENMPI, ApiInspection.inspect(List.of(ompi.toString()), "Hello").api());
    }

    @Test
    void referencesInClassesTheMainClassUsesCount() throws IOException {
        Path api = ApiPrograms.compile(tmp.resolve("api"), ApiPrograms.MPIJAVA, null);
        Path classes = ApiPrograms.compile(tmp.resolve("p"), Map.of(
                "app/Main.java", "package app; public class Main { public static void main(String[] a) throws Exception {"
                        + " new Worker().run(a); } }",
                "app/Worker.java", "package app; class Worker { void run(String[] a) throws Exception { mpi.MPI.Init(a);"
                        + " System.out.println(mpi.MPI.COMM_WORLD.Size()); } }"), api.toString());
        ApiInspection.Finding f = ApiInspection.inspect(List.of(classes.toString()), "app.Main");
        assertEquals(MpiApi.MPIJAVA, f.api(), f.toString());
        assertEquals("MPI.COMM_WORLD.Size()", f.evidence());
    }

    @Test
    void programWithoutMpiAndMissingClass() throws IOException {
        Path classes = ApiPrograms.compile(tmp, Map.of("Plain.java",
                "public class Plain { public static void main(String[] a) { System.out.println(a.length); } }"), null);
        ApiInspection.Finding f = ApiInspection.inspect(List.of(classes.toString()), "Plain");
        assertTrue(f.inspected());
        assertFalse(f.usesMpi());
        assertNull(f.api());
        assertFalse(ApiInspection.inspect(List.of(classes.toString()), "NoSuchMain").inspected());
    }

    @Test
    void mainInAJarFoundDirectlyAndThroughAWildcard() throws IOException {
        Path classes = ApiPrograms.program(tmp, ApiPrograms.OPENMPI, ApiPrograms.OPENMPI_HELLO);
        Path lib = Files.createDirectories(tmp.resolve("lib"));
        Path jar = lib.resolve("hello.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(classes.resolve("Hello.class")));
            out.closeEntry();
        }
        assertEquals(MpiApi.OPENMPI, ApiInspection.inspect(List.of(jar.toString()), "Hello").api());
        assertEquals(MpiApi.OPENMPI, ApiInspection.inspect(List.of(lib + "/*"), "Hello").api());
    }

    @Test
    void aClassPathWithItsOwnPackageMpiIsNoticed() throws IOException {
        Path api = ApiPrograms.compile(tmp.resolve("api"), ApiPrograms.MPIJAVA, null);
        Path classes = ApiPrograms.compile(tmp.resolve("p"), Map.of("Hello.java", ApiPrograms.MPIJAVA_HELLO), api.toString());
        String cp = classes + java.io.File.pathSeparator + api;
        ApiInspection.Finding f = ApiInspection.inspect(List.of(cp), "Hello");
        assertTrue(f.ownMpi(), f.toString());
        assertEquals(MpiApi.MPIJAVA, f.api());
    }

    @Test
    void classRefsRejectsWhatIsNotAClassFile() {
        IOException e = assertThrows(IOException.class, () -> ClassRefs.read(new byte[] {1, 2, 3, 4, 0, 0, 0, 0, 0, 0}));
        assertEquals("not a class file (bad magic)", e.getMessage());
        assertThrows(IOException.class, () -> ClassRefs.read(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE,
                0, 0, 0, 61, 0, 3, 99}));
    }

    @Test
    void namesBothApisHaveOrThatEveryObjectHasDecideNothing() {
        assertNull(ApiInspection.classify(new ClassRefs.Member("mpi/MPI", "Finalize", "()V", true)));
        assertNull(ApiInspection.classify(new ClassRefs.Member("mpi/MPIException", "getMessage", "()Ljava/lang/String;", true)));
        assertNull(ApiInspection.classify(new ClassRefs.Member("mpi/Datatype", "<init>", "()V", true)));
        assertNull(ApiInspection.classify(new ClassRefs.Member("mpi/MPI", "INT", "Lmpi/Datatype;", false)));
        assertEquals(MpiApi.MPIJAVA, ApiInspection.classify(new ClassRefs.Member("mpi/Status", "source", "I", false)));
        assertEquals(MpiApi.MPIJAVA, ApiInspection.classify(new ClassRefs.Member("mpi/Comm", "Send",
                "(Ljava/lang/Object;IILmpi/Datatype;II)V", true)));
        assertEquals(MpiApi.OPENMPI, ApiInspection.classify(new ClassRefs.Member("mpi/Comm", "send",
                "(Ljava/lang/Object;ILmpi/Datatype;II)V", true)));
    }
}
