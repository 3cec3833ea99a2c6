package io.jmpi.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package table of docs/ARCHITECTURE.md ("Layers") is the real package graph of mpi-core's classes: the same
 * packages, each with exactly its dependencies, every edge pointing to a row further down.
 */
class ArchitectureDocTest {
    private static final Path DOC = Path.of("..", "docs", "ARCHITECTURE.md"); // tests run in mpi-core/
    /** A row: package, "->", its dependencies (short names, or "-"), then two or more spaces and a description. */
    private static final Pattern ROW = Pattern.compile("^ (io\\.jmpi\\S*)\\s+-> (.+?)(?: {2,}.*)?$");

    @Test
    void layerTableIsThePackageGraph() throws IOException {
        Map<String, Set<String>> documented = parse(Files.readString(DOC, StandardCharsets.UTF_8));
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jmpi");
        Map<String, Set<String>> actual = new TreeMap<>();
        LayersTest.packageGraph(classes).forEach((from, to) -> {
            Set<String> shortNames = new TreeSet<>();
            for (String t : to) shortNames.add(shorten(t));
            actual.put(from, shortNames);
        });
        assertEquals(actual, new TreeMap<>(documented), "docs/ARCHITECTURE.md, section Layers: the table must list "
                + "every package of mpi-core with exactly the packages it depends on (as the compiled classes do)");
    }

    @Test
    void layerTableEdgesPointDown() throws IOException {
        Map<String, Set<String>> documented = parse(Files.readString(DOC, StandardCharsets.UTF_8));
        List<String> order = new ArrayList<>(documented.keySet());
        for (Map.Entry<String, Set<String>> row : documented.entrySet()) {
            for (String dep : row.getValue()) {
                int at = order.indexOf(dep.equals("io.jmpi") ? dep : "io.jmpi." + dep);
                assertTrue(at > order.indexOf(row.getKey()), row.getKey() + " -> " + dep + " must point to a row below");
            }
        }
    }

    @Test
    void parserReadsRows() {
        Map<String, Set<String>> g = parse("x\n```\n io.jmpi.a    -> base wire      what it is\n io.jmpi.base -> -   x\n```\n");
        assertEquals(Map.of("io.jmpi.a", Set.of("base", "wire"), "io.jmpi.base", Set.of()), g);
    }

    /** The rows of the Layers table, in document order. */
    static Map<String, Set<String>> parse(String doc) {
        Map<String, Set<String>> rows = new LinkedHashMap<>();
        for (String line : doc.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) continue;
            Set<String> deps = new TreeSet<>();
            for (String d : m.group(2).trim().split(" +")) if (!d.equals("-")) deps.add(d);
            rows.put(m.group(1), deps);
        }
        return rows;
    }

    private static String shorten(String pkg) {
        return pkg.equals("io.jmpi") ? pkg : pkg.substring("io.jmpi.".length());
    }
}
