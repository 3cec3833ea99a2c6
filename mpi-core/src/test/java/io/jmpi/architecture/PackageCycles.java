package io.jmpi.architecture;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds one cycle in a directed graph of packages (depth-first search with colours). */
final class PackageCycles {
    private PackageCycles() {
    }

    /** A cycle as a path that starts and ends at the same node, or an empty list when the graph is acyclic. */
    static List<String> find(Map<String, Set<String>> graph) {
        Map<String, Integer> colour = new HashMap<>(); // absent: new, 1: on the path, 2: finished
        List<String> path = new ArrayList<>();
        for (String start : graph.keySet()) {
            if (!colour.containsKey(start)) {
                List<String> c = visit(start, graph, colour, path);
                if (!c.isEmpty()) return c;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> colour,
                                      List<String> path) {
        colour.put(node, 1);
        path.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            Integer c = colour.get(next);
            if (c == null) {
                List<String> found = visit(next, graph, colour, path);
                if (!found.isEmpty()) return found;
            } else if (c == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
                cycle.add(next);
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        colour.put(node, 2);
        return List.of();
    }
}
