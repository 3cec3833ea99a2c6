package io.jmpi.architecture;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged mpi-core jar is a working module ({@code io.jmpi}, module-info.java) on the module path, while all
 * other tests run it on the class path: jmpirun starts with {@code -m}, and a program that is itself a named module
 * ({@code requires io.jmpi}) compiles against the exported packages and runs one- and two-rank jobs, its transports
 * found through the module's {@code provides} (META-INF/services does not count on the module path).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ModulePathIT {
    private static Path coreJar;
    private static Path picocliJar;

    @BeforeAll
    static void jars() throws IOException {
        coreJar = single(Path.of("target"), "mpi-core-", n -> !n.endsWith("-tests.jar") && !n.endsWith("-sources.jar")
                && !n.endsWith("-javadoc.jar")); // -Prelease adds sources and javadoc jars
        picocliJar = single(Path.of("target", "lib"), "picocli-", n -> true);
    }

    @Test
    void jarDescribesTheModule() {
        ModuleReference ref = ModuleFinder.of(coreJar).find("io.jmpi")
                .orElseThrow(() -> new AssertionError(coreJar + " holds no module io.jmpi"));
        ModuleDescriptor d = ref.descriptor();
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("info.picocli") && r.modifiers().isEmpty()),
                "requires info.picocli (not static): " + d.requires());
        assertEquals(List.of("io.jmpi.transport.shm.ShmTransportProvider", "io.jmpi.transport.tcp.TcpTransportProvider"),
                d.provides().stream().filter(p -> p.service().equals("io.jmpi.transport.TransportProvider"))
                        .flatMap(p -> p.providers().stream()).sorted().collect(Collectors.toList()));
        List<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).sorted().collect(Collectors.toList());
        assertTrue(exported.containsAll(List.of("io.jmpi", "io.jmpi.base")), "exports " + exported);
        assertTrue(exported.stream().noneMatch(p -> p.equals("io.jmpi.coll") || p.startsWith("io.jmpi.transport.")),
                "algorithms and transport implementations stay inside: exports " + exported);
    }

    @Test
    void jmpirunStartsAsAModule() throws Exception {
        Result r = java(List.of("--module-path", path(coreJar, picocliJar), "-m", "io.jmpi/io.jmpi.launch.JmpiRun", "--help"));
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("jmpirun") && r.output.contains("-np=N"), r.output);
    }

    @Test
    void programModuleRunsJobs(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src");
        copyResource("module-info.java", src);
        copyResource("modapp/Main.java", src);
        Path classes = dir.resolve("classes");
        // the javac command, not javax.tools: the tests compile inside module io.jmpi, which does not read java.compiler
        Result javac = run("javac", List.of("--release", "17", "-Xlint:all", "-Werror",
                "--module-path", path(coreJar, picocliJar), "-d", classes.toString(),
                src.resolve("module-info.java").toString(), src.resolve("modapp/Main.java").toString()));
        assertEquals(0, javac.exit, javac.output);

        Result r = java(List.of("--module-path", path(coreJar, picocliJar, classes), "-m", "modapp/modapp.Main"));
        assertEquals(0, r.exit, r.output);
        assertTrue(r.output.contains("jmpi module: io.jmpi"), r.output);
        assertTrue(r.output.contains("transports: [shm, tcp]"), r.output);
        assertTrue(r.output.contains("singleton: size=1 sum=41"), r.output);
        assertTrue(r.output.contains("two ranks: sums=30,30"), r.output);
    }

    private record Result(int exit, String output) { }

    private static Result java(List<String> args) throws Exception {
        return run("java", args);
    }

    /** Runs a tool of the JDK running this test. */
    private static Result run(String tool, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes(); // ends when the JVM exits (or is destroyed below)
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError(cmd + " did not exit in 60 s");
            return new Result(p.exitValue(), String.join(" ", cmd) + "\n" + new String(out, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String path(Path... entries) {
        return Stream.of(entries).map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static void copyResource(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(target.getParent());
        try (InputStream in = ModulePathIT.class.getResourceAsStream("modapp/" + name)) {
            if (in == null) throw new AssertionError("test resource io/jmpi/architecture/modapp/" + name + " is missing");
            Files.copy(in, target);
        }
    }

    private static Path single(Path dir, String prefix, java.util.function.Predicate<String> accept) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".jar") && accept.test(n);
            }).collect(Collectors.toList());
            assertEquals(1, found.size(), "one " + prefix + "*.jar in " + dir.toAbsolutePath() + " (run mvn package): " + found);
            return found.get(0);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
