package mpi;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Programs written for Open MPI's Java API (Hello, Ring, Connectivity in the style of Open MPI's examples directory)
 * compile unchanged with javac against this module and run with the expected output at several world sizes.
 */
class ExampleProgramsTest {
    @TempDir
    static Path classes;
    private static ClassLoader loader;

    @BeforeAll
    static void compile() throws Exception {
        String[] names = {"Hello", "Ring", "Connectivity"};
        Path src = classes.resolve("src");
        Files.createDirectories(src);
        String[] args = new String[names.length + 4];
        args[0] = "-cp";
        args[1] = System.getProperty("java.class.path");
        args[2] = "-d";
        args[3] = classes.toString();
        for (int i = 0; i < names.length; i++) {
            try (InputStream in = ExampleProgramsTest.class.getResourceAsStream("/programs/" + names[i] + ".java")) {
                Path f = src.resolve(names[i] + ".java");
                Files.write(f, in.readAllBytes());
                args[4 + i] = f.toString();
            }
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = ToolProvider.getSystemJavaCompiler().run(null, err, err, args);
        assertEquals(0, rc, "javac: " + err.toString(StandardCharsets.UTF_8));
        loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, ExampleProgramsTest.class.getClassLoader());
    }

    /** Runs {@code main} of {@code program} as {@code n} ranks; returns what they printed, sorted. */
    private static List<String> run(String program, int n) throws Exception {
        Method main = loader.loadClass(program).getDeclaredMethod("main", String[].class);
        main.setAccessible(true);
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Ranks.run(n, () -> main.invoke(null, (Object) new String[0]));
        } finally {
            System.setOut(old);
        }
        return Arrays.stream(out.toString(StandardCharsets.UTF_8).split("\\R")).filter(s -> !s.isEmpty()).sorted().collect(Collectors.toList());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 7})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void helloPrintsOneLinePerRank(int n) throws Exception {
        List<String> lines = run("Hello", n);
        assertEquals(n, lines.size(), lines.toString());
        for (int r = 0; r < n; r++) assertTrue(lines.contains("Hello world from rank " + r + " of " + n), lines.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void ringCountsDownAndEveryRankExits(int n) throws Exception {
        List<String> lines = run("Ring", n);
        for (int r = 0; r < n; r++) assertTrue(lines.contains("Process " + r + " exiting"), lines.toString());
        for (int v = 0; v < 10; v++) assertTrue(lines.contains("Process 0 decremented value: " + v), lines.toString());
        assertEquals(n + 12, lines.size(), lines.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 5})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void connectivityPasses(int n) throws Exception {
        assertEquals(List.of("Connectivity test on " + n + " processes PASSED."), run("Connectivity", n));
    }
}
