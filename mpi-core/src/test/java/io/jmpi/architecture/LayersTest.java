package io.jmpi.architecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layers of mpi-core, checked on its compiled classes (docs/ARCHITECTURE.md draws the same graph). From the top:
 * the launcher (a separate program the library never imports); the API ({@code io.jmpi}); collectives and the MPI-IO
 * logic ({@code io.jmpi.io}); the runtime
 * (composition root); the engine; the concrete transports; the transport SPI; bootstrap; wire layouts; buffers;
 * the base (errors, settings, logging). Arrows point down only, and the package graph has no cycle.
 */
class LayersTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.jmpi");
    }

    @Test
    void importedTheWholeLibrary() {
        // guards the other checks against passing on an empty or partial import
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) packages.add(c.getPackageName());
        assertTrue(packages.containsAll(List.of("io.jmpi", "io.jmpi.coll", "io.jmpi.engine", "io.jmpi.transport",
                "io.jmpi.transport.tcp", "io.jmpi.transport.shm", "io.jmpi.transport.local", "io.jmpi.bootstrap",
                "io.jmpi.wire", "io.jmpi.buffer", "io.jmpi.base", "io.jmpi.runtime", "io.jmpi.launch", "io.jmpi.io",
                "io.jmpi.rma", "io.jmpi.trace")), packages.toString());
    }

    @Test
    void layersOnlyReachDown() {
        Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Launch").definedBy("io.jmpi.launch..")
                .layer("Api").definedBy("io.jmpi")
                .layer("Rma").definedBy("io.jmpi.rma..")
                .layer("Collectives").definedBy("io.jmpi.coll..")
                .layer("FileIo").definedBy("io.jmpi.io..")
                .layer("Runtime").definedBy("io.jmpi.runtime..")
                .layer("Engine").definedBy("io.jmpi.engine..")
                .layer("Transports").definedBy("io.jmpi.transport.tcp..", "io.jmpi.transport.shm..", "io.jmpi.transport.local..")
                .layer("TransportSpi").definedBy("io.jmpi.transport")
                .layer("Bootstrap").definedBy("io.jmpi.bootstrap..")
                .layer("Wire").definedBy("io.jmpi.wire..")
                .layer("Buffer").definedBy("io.jmpi.buffer..")
                .layer("Trace").definedBy("io.jmpi.trace..")
                .layer("Base").definedBy("io.jmpi.base..")
                .whereLayer("Launch").mayNotBeAccessedByAnyLayer()
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Launch")
                .whereLayer("Rma").mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Collectives").mayOnlyBeAccessedByLayers("Api")
                .whereLayer("FileIo").mayOnlyBeAccessedByLayers("Api")
                .whereLayer("Runtime").mayOnlyBeAccessedByLayers("Api", "Launch")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Api", "Rma", "Collectives", "Runtime")
                .whereLayer("Transports").mayOnlyBeAccessedByLayers("Runtime", "Launch")
                .whereLayer("TransportSpi").mayOnlyBeAccessedByLayers("Engine", "Runtime", "Transports")
                .whereLayer("Bootstrap").mayOnlyBeAccessedByLayers("Api", "Runtime", "Transports", "TransportSpi", "Launch")
                .whereLayer("Wire").mayOnlyBeAccessedByLayers("Rma", "Collectives", "Engine", "Runtime", "Transports", "TransportSpi", "Bootstrap", "Launch")
                .whereLayer("Buffer").mayOnlyBeAccessedByLayers("Api", "Rma", "Collectives", "FileIo", "Engine", "Transports", "TransportSpi")
                .whereLayer("Trace").mayOnlyBeAccessedByLayers("Api", "Engine", "Launch")
                .check(classes);
    }

    @Test
    void apiNamesNoTransport() {
        // the API asks the runtime for an engine; transports are found through ServiceLoader
        noClasses().that().resideInAPackage("io.jmpi")
                .should().dependOnClassesThat().resideInAPackage("io.jmpi.transport..")
                .check(classes);
    }

    @Test
    void runtimeFindsProcessTransportsThroughServiceLoader() {
        // only the in-JVM fabric is named (it is made per job, not per process)
        noClasses().that().resideInAPackage("io.jmpi.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("io.jmpi.transport.tcp..", "io.jmpi.transport.shm..")
                .check(classes);
    }

    @Test
    void transportsDoNotKnowEachOther() {
        for (String t : List.of("tcp", "shm", "local")) {
            List<String> others = new ArrayList<>();
            for (String o : List.of("tcp", "shm", "local")) if (!o.equals(t)) others.add("io.jmpi.transport." + o + "..");
            noClasses().that().resideInAPackage("io.jmpi.transport." + t + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others.toArray(new String[0]))
                    .check(classes);
        }
    }

    @Test
    void baseAndBufferImportNothingOfJmpiAbove() {
        noClasses().that().resideInAPackage("io.jmpi.base..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.jmpi.base..", "java..")
                .check(classes);
        noClasses().that().resideInAPackage("io.jmpi.buffer..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.jmpi.buffer..", "io.jmpi.base..", "java..")
                .check(classes);
    }

    @Test
    void fileLogicNeedsOnlyBuffersAndBase() {
        // MPI-IO's pure part (views, segments, domains, the shared pointer file) knows no communicator
        noClasses().that().resideInAPackage("io.jmpi.io..")
                .should().dependOnClassesThat().resideOutsideOfPackages("io.jmpi.io..", "io.jmpi.buffer..", "io.jmpi.base..", "java..")
                .check(classes);
    }

    @Test
    void packageGraphHasNoCycle() {
        Map<String, Set<String>> graph = packageGraph(classes);
        List<String> cycle = PackageCycles.find(graph);
        assertEquals(List.of(), cycle, "package cycle in mpi-core: " + String.join(" -> ", cycle));
    }

    @Test
    void cycleFinderFindsACycle() {
        // the check above must be able to fail: a planted cycle a -> b -> c -> a is found
        Map<String, Set<String>> g = new TreeMap<>();
        g.put("a", Set.of("b"));
        g.put("b", Set.of("c"));
        g.put("c", Set.of("a", "d"));
        g.put("d", Set.of());
        List<String> cycle = PackageCycles.find(g);
        assertEquals(4, cycle.size(), cycle.toString());
        assertEquals(cycle.get(0), cycle.get(3));
        assertEquals(Set.of("a", "b", "c"), new TreeSet<>(cycle));
    }

    static Map<String, Set<String>> packageGraph(JavaClasses classes) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = d.getTargetClass().getPackageName();
                if (to.startsWith("io.jmpi") && !to.equals(from)) graph.get(from).add(to);
            }
        }
        return graph;
    }
}
